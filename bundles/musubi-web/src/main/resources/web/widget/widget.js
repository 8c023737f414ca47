// The customer widget: the public channel menu of an entry point (open channels, expected waits, LINE, phone,
// call-back, mail) and the hub's own web chat and video call. No API key: the menu is public, and the chat uses a
// short-lived visitor token from /webchat/<id>/session, kept in this tab's sessionStorage so that reloading the page
// keeps the conversation.
import { EventStream } from '../shared/sse.js';
import { t, translate, languageSwitch, onLanguage, time, dateTime } from '../shared/i18n.js';
import { el, $, clear, show } from '../shared/dom.js';
import { VideoCall } from '../shared/rtc.js';

const params = new URLSearchParams(location.search);
const tenant = params.get('tenant') || 'default';
const entryPoint = params.get('entryPoint') || 'web';
const embedded = params.get('embedded') === '1';
const page = params.get('page') || pageOf(document.referrer);

/** The embedding page as origin and path (its query may carry anything). */
function pageOf(url) {
  try {
    const u = new URL(url);
    return u.origin + u.pathname;
  } catch (e) {
    return '';
  }
}
const refreshSeconds = Math.max(2, Number(params.get('refresh')) || 15);
const menuUrl = '/api/v1/public/channel-menu/' + encodeURIComponent(tenant) + '/' + encodeURIComponent(entryPoint);

let menu = null;
let menuTimer = null;
let chat = null;

languageSwitch($('#lang'));
translate();
onLanguage(() => { if (menu) renderMenu(); });
show($('#close'), embedded);
$('#close').addEventListener('click', () => window.parent.postMessage({ type: 'musubi.widget.close' }, '*'));
$('#back').addEventListener('click', () => view('menu'));

function view(name) {
  for (const v of ['menu', 'callback', 'chat']) show($('#' + v + '-view'), v === name);
  show($('#back'), name !== 'menu');
  if (name === 'menu') loadMenu();
  else clearTimeout(menuTimer);
}

// ------------------------------------------------------------------------------------------------ menu

async function loadMenu() {
  clearTimeout(menuTimer);
  try {
    const r = await fetch(menuUrl, { cache: 'no-store', headers: { Accept: 'application/json' } });
    if (!r.ok) throw new Error('HTTP ' + r.status);
    menu = await r.json();
    renderMenu();
  } catch (e) {
    $('#menu-status').textContent = t('widget.unavailable');
  }
  if (!$('#menu-view').hidden && !document.hidden) menuTimer = setTimeout(loadMenu, refreshSeconds * 1000);
}

document.addEventListener('visibilitychange', () => {
  if (!document.hidden && !$('#menu-view').hidden) loadMenu();
});

/** Channels answered later (LINE, mail, SMS, a link, a call-back): open or closed, no wait to speak of. */
const DEFERRED = ['LINE', 'MAIL', 'SMS', 'URL', 'CALLBACK'];

function waitText(o) {
  if (!o.open) return t('widget.closed');
  if (DEFERRED.includes((o.reach || {}).kind)) return t('widget.open');
  if (o.expectedWaitSeconds === undefined || o.expectedWaitSeconds === null) return t('widget.waitUnknown');
  if (o.expectedWaitSeconds <= 0) return t('widget.waitNone');
  if (o.expectedWaitSeconds < 60) return t('widget.waitUnderMinute');
  return t('widget.waitAbout', { minutes: Math.max(1, Math.round(o.expectedWaitSeconds / 60)) });
}

function renderMenu() {
  $('#wtitle').textContent = menu.name || t('widget.title');
  $('#menu-status').textContent = '';
  const list = clear($('#menu'));
  for (const o of menu.options) {
    const reach = o.reach || {};
    const status = el('span', { class: 'status ' + (o.open ? 'open' : 'closed'), text: waitText(o) });
    const actions = el('div', { class: 'actions' });
    switch (reach.kind) {
      case 'WEBCHAT':
        actions.append(el('button', { class: 'primary', type: 'button', disabled: !o.open, text: t('widget.startChat'),
          onclick: () => openChat(reach.value, false) }));
        break;
      case 'VIDEO':
        actions.append(el('button', { class: 'primary', type: 'button', disabled: !o.open, text: t('widget.startVideo'),
          onclick: () => openChat(reach.value, true) }));
        break;
      case 'LINE':
        actions.append(el('a', { href: reach.value, target: '_blank', rel: 'noopener noreferrer', text: t('widget.addLine') }));
        if (o.qr) actions.append(el('img', { class: 'qr', src: menuUrl + '/' + o.qr, alt: t('widget.lineQr') }));
        break;
      case 'PHONE':
        actions.append(el('a', { href: reach.value.startsWith('tel:') ? reach.value : 'tel:' + reach.value,
          text: t('widget.call', { number: reach.value.replace(/^tel:/, '') }) }));
        break;
      case 'CALLBACK':
        actions.append(el('button', { type: 'button', disabled: !o.open, text: t('widget.callbackTitle'),
          onclick: openCallback }));
        break;
      case 'MAIL':
        actions.append(el('a', { href: reach.value.startsWith('mailto:') ? reach.value : 'mailto:' + reach.value,
          text: t('widget.mail', { address: reach.value.replace(/^mailto:/, '') }) }));
        break;
      case 'SMS':
        actions.append(el('a', { href: reach.value.startsWith('sms:') ? reach.value : 'sms:' + reach.value, text: reach.value }));
        break;
      default:
        if (reach.value && /^https?:/.test(reach.value)) {
          actions.append(el('a', { href: reach.value, target: '_blank', rel: 'noopener noreferrer', text: o.label || reach.value }));
        }
    }
    list.append(el('li', { dataset: { channel: o.channel, kind: reach.kind || '', open: String(o.open),
      wait: o.expectedWaitSeconds === undefined ? '' : String(o.expectedWaitSeconds) } },
    el('div', { class: 'label', text: o.label || t('channel.' + o.channel) }), status, actions));
  }
}

// ------------------------------------------------------------------------------------------------ call-back

function openCallback() {
  const at = new Date(Date.now() + 60 * 60 * 1000);
  at.setMinutes(at.getMinutes() < 30 ? 30 : 60, 0, 0);
  const local = new Date(at.getTime() - at.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
  $('#cb-at').value = local;
  $('#cb-at').min = new Date(Date.now() - new Date().getTimezoneOffset() * 60000).toISOString().slice(0, 16);
  $('#cb-result').textContent = '';
  view('callback');
  $('#cb-phone').focus();
}

$('#callback-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const at = new Date($('#cb-at').value);
  const body = { phone: $('#cb-phone').value.trim(), at: at.toISOString() };
  const note = $('#cb-note').value.trim();
  if (note) body.note = note;
  const result = $('#cb-result');
  result.className = '';
  try {
    const r = await fetch(menuUrl + '/callback', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body) });
    const json = await r.json().catch(() => ({}));
    if (!r.ok) throw new Error(json.detail || 'HTTP ' + r.status);
    result.textContent = t('widget.callbackDone', { time: dateTime(json.at) });
    $('#callback-form').reset();
  } catch (err) {
    result.className = 'error';
    result.textContent = t('error', { detail: err.message });
  }
});

// ------------------------------------------------------------------------------------------------ chat and video

function randomId(prefix) {
  const b = crypto.getRandomValues(new Uint8Array(12));
  return prefix + btoa(String.fromCharCode(...b)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The visitor's side of one web chat instance. */
class Chat {
  constructor(connector) {
    this.base = '/webchat/' + encodeURIComponent(connector);
    this.key = 'musubi.webchat.' + tenant + '.' + connector;
    this.session = null;
    this.stream = null;
    this.renewTimer = null;
    this.seen = new Set();
    this.call = null;
    this.media = null;
    this.lastTyping = 0;
    this.typingTimer = null;
    this.ready = null;
    this.renewing = null;
  }

  headers() {
    const h = { 'Content-Type': 'application/json' };
    if (this.session) h.Authorization = 'Bearer ' + this.session.token;
    if (page) h['X-Musubi-Page'] = page;
    return h;
  }

  /** Starts the session and the stream; every post waits for it (a visitor may type before it is ready). */
  start() {
    if (!this.ready) {
      this.ready = this.#start().catch((e) => {
        this.ready = null;
        throw e;
      });
    }
    return this.ready;
  }

  async #start() {
    let stored = null;
    try { stored = JSON.parse(sessionStorage.getItem(this.key) || 'null'); } catch (e) { stored = null; }
    this.session = stored;
    await this.renew();
    this.stream = new EventStream(this.base + '/stream', {
      headers: () => ({ Authorization: 'Bearer ' + this.session.token }),
      onEvent: (type, data) => this.event(type, data),
      onState: (state, detail) => {
        if (state === 'failed' && detail && detail.status === 401) {
          this.renew().then(() => this.stream.start());
        }
      },
      stopOn: [400, 401, 403, 404],
    }).start();
  }

  /** Renews the token (or starts a new visitor when there is none or it is no longer valid); one at a time. */
  renew() {
    if (!this.renewing) this.renewing = this.#renew().finally(() => { this.renewing = null; });
    return this.renewing;
  }

  async #renew() {
    clearTimeout(this.renewTimer);
    let r = await fetch(this.base + '/session', { method: 'POST', headers: this.headers(), body: '{}' });
    if (r.status === 401) {
      this.session = null;
      sessionStorage.removeItem(this.key);
      clear($('#transcript'));
      this.seen.clear();
      r = await fetch(this.base + '/session', { method: 'POST', headers: this.headers(), body: '{}' });
    }
    if (!r.ok) throw new Error('HTTP ' + r.status);
    const s = await r.json();
    this.session = { token: s.token, visitorId: s.visitorId, rtc: s.rtc || {} };
    try {
      sessionStorage.setItem(this.key, JSON.stringify(this.session));
    } catch (e) { /* storage blocked: the chat still works until the page is left */ }
    this.renewTimer = setTimeout(() => this.renew().catch(() => {}), s.renewAfterSeconds * 1000);
  }

  async post(path, body) {
    await this.start();
    const r = await fetch(this.base + path, { method: 'POST', headers: this.headers(), body: JSON.stringify(body) });
    if (r.status === 401) {
      await this.renew();
      return this.post(path, body);
    }
    if (!r.ok) {
      const problem = await r.json().catch(() => ({}));
      throw new Error(problem.detail || 'HTTP ' + r.status);
    }
    return r.json();
  }

  event(type, data) {
    let e;
    try { e = JSON.parse(data); } catch (err) { return; }
    const payload = e.data || {};
    switch (type) {
      case 'message':
        if (this.seen.has(e.id)) return;
        this.seen.add(e.id);
        line(e);
        if (e.direction === 'out') show($('#agent-typing'), false);
        if (e.direction === 'in' && this.seen.size === 1) status(t('widget.waitingAgent'));
        else status('');
        break;
      case 'typing':
        show($('#agent-typing'), true);
        clearTimeout(this.typingTimer);
        this.typingTimer = setTimeout(() => show($('#agent-typing'), false), 5000);
        break;
      case 'video.invite':
        show($('#invite'), true);
        $('#invite-accept').focus();
        break;
      case 'chat.ended':
        status(t('widget.ended'));
        break;
      case 'rtc.offer':
        status('');
        this.answer(e.interactionId, payload).catch((err) => videoStatus(t('error', { detail: err.message })));
        break;
      case 'rtc.candidate':
      case 'rtc.hangup':
        if (this.call) this.call.signal(type, payload).catch(() => {});
        if (type === 'rtc.hangup') this.endCall();
        break;
      case 'expired':
        this.renew().then(() => this.stream.reconnect()).catch(() => {});
        break;
      default:
        break;
    }
  }

  async send(text) {
    await this.post('/messages', { text, clientId: randomId('m-') });
    this.lastTyping = 0;
  }

  typing() {
    if (Date.now() - this.lastTyping < 3000) return;
    this.lastTyping = Date.now();
    this.post('/signals', { type: 'typing', data: { typing: true } }).catch(() => {});
  }

  /** Asks for a video call: the camera first (the browser asks the visitor), then a VIDEO interaction. */
  async requestVideo() {
    show($('#video'), true);
    try {
      this.media = await VideoCall.media();
    } catch (err) {
      videoStatus(t('video.noCamera', { detail: err.message }));
      return;
    }
    $('#local-video').srcObject = this.media;
    videoStatus(t('widget.videoWaiting'));
    await this.post('/calls', { callId: randomId('call-') });
  }

  async answer(interactionId, offer) {
    if (!this.media) {
      show($('#video'), true);
      this.media = await VideoCall.media();
    }
    if (this.call) this.call.close();
    this.call = new VideoCall({
      rtcConfig: this.session.rtc,
      send: (type, data) => this.post('/signals', { type, interactionId, data }),
      localVideo: $('#local-video'),
      remoteVideo: $('#remote-video'),
      onState: (state) => {
        $('#video').dataset.iceState = state;
        videoStatus(t('video.state', { state }));
      },
    });
    await this.call.answer(offer, this.media);
  }

  endCall() {
    if (this.call) this.call.close();
    this.call = null;
    if (this.media) this.media.getTracks().forEach((tr) => tr.stop());
    this.media = null;
    show($('#video'), false);
  }

  async hangup() {
    if (this.call) await this.call.hangup();
    this.endCall();
  }
}

function status(text) {
  $('#chat-status').textContent = text;
}

function videoStatus(text) {
  $('#video-state').textContent = text;
}

function line(e) {
  const list = $('#transcript');
  const attachments = e.attachments && e.attachments.length ? ' [' + e.attachments.join(', ') + ']' : '';
  list.append(el('li', { class: e.direction, dataset: { seq: String(e.seq) } },
    el('span', { class: 'meta' }, (e.direction === 'in' ? t('widget.you') : t('widget.agent')) + ' · ' + time(e.at)),
    e.text + attachments));
  list.scrollTop = list.scrollHeight;
}

async function openChat(connector, video) {
  view('chat');
  $('#wtitle').textContent = video ? t('widget.videoTitle') : t('widget.chatTitle');
  if (!chat || chat.base !== '/webchat/' + encodeURIComponent(connector)) {
    chat = new Chat(connector);
    try {
      await chat.start();
    } catch (err) {
      status(t('error', { detail: err.message }));
      return;
    }
  }
  if (video) {
    chat.requestVideo().catch((err) => videoStatus(t('error', { detail: err.message })));
  } else {
    $('#message').focus();
  }
}

$('#chat-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const text = $('#message').value.trim();
  if (!text || !chat) return;
  try {
    await chat.send(text);
    $('#message').value = '';
  } catch (err) {
    status(t('widget.retry') + ' (' + err.message + ')');
  }
});

$('#message').addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    $('#chat-form').requestSubmit();
  }
});
$('#message').addEventListener('input', () => { if (chat) chat.typing(); });
$('#invite-accept').addEventListener('click', () => {
  show($('#invite'), false);
  chat.post('/signals', { type: 'video.accept', data: {} }).catch(() => {});
  chat.requestVideo().catch((err) => videoStatus(t('error', { detail: err.message })));
});
$('#invite-decline').addEventListener('click', () => {
  show($('#invite'), false);
  chat.post('/signals', { type: 'video.decline', data: {} }).catch(() => {});
});
$('#hangup').addEventListener('click', () => chat && chat.hangup());

// A visitor who reloads the page while chatting comes back to the conversation.
const resume = Object.keys(sessionStorage).find((k) => k.startsWith('musubi.webchat.' + tenant + '.'));
if (resume) openChat(resume.slice(('musubi.webchat.' + tenant + '.').length), false);
else view('menu');
