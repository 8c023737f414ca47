// The agent desktop: built only on the documented REST API (/api/v1), its event stream (SSE with Last-Event-ID
// resume) and the live signals of an interaction. The credential is kept in memory by Api, never stored.
import { Api, ApiError, uuid } from '../shared/api.js';
import { t, translate, languageSwitch, onLanguage, time, dateTime } from '../shared/i18n.js';
import { el, $, clear, show, clock } from '../shared/dom.js';
import { VideoCall } from '../shared/rtc.js';

const api = new Api();
const SETTABLE = ['AVAILABLE', 'AWAY', 'BREAK', 'LUNCH', 'MEETING', 'TRAINING', 'DND', 'OFFLINE'];
const LIVE_CHANNELS = ['WEBCHAT', 'VIDEO'];
const CONVERSATION_TYPES = ['message_in', 'message_out', 'note', 'accepted', 'transferred', 'held', 'resumed',
  'wrap_up', 'ended', 'disposition', 'callback_scheduled'];

const S = {
  me: null,
  agent: null,
  queues: new Map(),
  offers: new Map(), // interactionId -> { view, offeredAt }
  work: new Map(), // interactionId -> view
  unread: new Set(),
  selected: null,
  events: null,
  signals: null,
  rtcConfig: {},
  call: null,
  typingUntil: 0,
  lastTypingSent: 0,
  replyKey: null,
  recording: new Set(), // VOICE interactions being recorded (RECORDING_STARTED seen or the start accepted)
  journeyTimer: null,
  resyncTimer: null,
  resyncDelay: 2000,
};

// ------------------------------------------------------------------------------------------------ start

languageSwitch($('#lang'));
translate();
onLanguage(() => { if (S.me) renderAll(); });

$('#signin-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  $('#signin-error').textContent = '';
  const input = $('#credential');
  try {
    const me = await api.signIn(input.value);
    if (!me.agentId) {
      api.signOut();
      throw new Error(t('signin.notAgent'));
    }
    input.value = '';
    S.me = me;
    show($('#signin'), false);
    show($('#app'), true);
    for (const id of ['#presence-form', '#channels', '#signout', '#agent-name', '#stream-state']) show($(id), true);
    await loadAll();
    startEvents();
    setInterval(tick, 1000);
  } catch (err) {
    $('#signin-error').textContent = t('signin.failed', { detail: err.message });
  }
});

$('#signout').addEventListener('click', () => {
  if (S.events) S.events.close();
  closeSignals();
  if (S.call) S.call.close();
  api.signOut();
  location.reload();
});

// ------------------------------------------------------------------------------------------------ loading

function me() {
  return S.me.agentId;
}

async function loadAll() {
  const queues = await api.list('/queues?limit=1000');
  S.queues = new Map(queues.map((q) => [q.id, q]));
  renderTransferQueues();
  await refreshAgent();
  S.offers.clear();
  S.work.clear();
  await Promise.all([
    ...S.agent.offered.map((id) => addOffer(id, null)),
    ...S.agent.assigned.map((id) => refreshWork(id)),
  ]);
  renderAll();
}

async function refreshAgent() {
  S.agent = await api.get('/agents/' + encodeURIComponent(me()));
  renderPresence();
  renderChannels();
}

async function interaction(id) {
  return api.get('/interactions/' + encodeURIComponent(id));
}

async function addOffer(id, offeredAt) {
  try {
    const view = await interaction(id);
    S.offers.set(id, { view, offeredAt: offeredAt ? Date.parse(offeredAt) : Date.parse(view.updatedAt) });
  } catch (e) {
    if (!(e instanceof ApiError)) throw e; // the network: resync later
    S.offers.delete(id);
  }
  renderOffers();
}

async function refreshWork(id) {
  try {
    const view = await interaction(id);
    const mine = view.agentId === me() && ['CONNECTED', 'HELD', 'WRAP_UP'].includes(view.state);
    if (mine) S.work.set(id, view);
    else S.work.delete(id);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e; // the network: resync later
    S.work.delete(id);
  }
  renderWork();
  if (S.selected === id) renderConversationHead();
}

/**
 * What an event asks the desktop to fetch may fail (the network, the hub restarting): then the whole state is read
 * again, with back-off, until it works — an event is never lost to a failed follow-up request.
 */
function follow(promise) {
  promise.catch(() => scheduleResync());
}

function scheduleResync() {
  if (S.resyncTimer) return;
  S.resyncTimer = setTimeout(async () => {
    S.resyncTimer = null;
    try {
      await loadAll();
      S.resyncDelay = 2000;
      if (S.selected && S.work.has(S.selected)) select(S.selected);
    } catch (e) {
      S.resyncDelay = Math.min(30000, S.resyncDelay * 2);
      scheduleResync();
    }
  }, S.resyncDelay);
}

// ------------------------------------------------------------------------------------------------ events

function startEvents() {
  S.events = api.stream('/events', {
    onEvent: handleEvent,
    onState: (state) => {
      const badge = $('#stream-state');
      badge.textContent = t('stream.' + (state === 'closed' ? 'failed' : state));
      badge.className = 'badge ' + (state === 'open' ? 'ok' : state === 'failed' ? 'danger' : 'warn');
      badge.dataset.state = state;
    },
  }).start();
}

function handleEvent(type, data) {
  if (type === 'reset') {
    follow(loadAll().then(() => { if (S.selected) select(S.selected); }));
    return;
  }
  let e;
  try { e = JSON.parse(data); } catch (err) { return; }
  const id = e.interactionId;
  const mine = e.agentId === me();
  switch (type) {
    case 'presence':
      if (mine) follow(refreshAgent());
      return;
    case 'offered':
      if (mine) follow(addOffer(id, e.timestamp));
      return;
    case 'accepted':
      S.offers.delete(id);
      renderOffers();
      if (mine) follow(refreshWork(id).then(refreshAgent));
      break;
    case 'rejected':
    case 'offer_timeout':
      S.offers.delete(id);
      renderOffers();
      follow(refreshAgent());
      return;
    case 'recording_started':
    case 'recording_stopped':
      if (type === 'recording_started') S.recording.add(id);
      else S.recording.delete(id);
      if (S.selected === id) renderConversationHead();
      return;
    case 'transferred':
    case 'held':
    case 'resumed':
    case 'wrap_up':
      follow(refreshWork(id).then(refreshAgent));
      break;
    case 'ended':
    case 'abandoned':
      S.offers.delete(id);
      renderOffers();
      S.work.delete(id);
      renderWork();
      follow(refreshAgent());
      if (S.selected === id) {
        S.selected = null;
        closeSignals();
        if (S.call) S.call.close();
        renderConversation();
      }
      return;
    default:
      break;
  }
  if (['message_in', 'message_out', 'note', 'disposition'].includes(type) && S.work.has(id) && S.selected !== id) {
    S.unread.add(id);
    renderWork();
  }
  if (S.selected === id && CONVERSATION_TYPES.includes(type)) {
    appendMessage(normalise(type, e));
  }
  if (S.selected && S.work.get(S.selected) && e.customerId === S.work.get(S.selected).customerId) {
    scheduleJourney();
  }
}

// ------------------------------------------------------------------------------------------------ presence

function renderPresence() {
  const select = $('#presence');
  const current = select.value;
  clear(select);
  for (const s of SETTABLE) select.append(el('option', { value: s, text: t('presence.' + s) }));
  // The agent's own state when it is one that can be set (a supervisor may have changed it); while busy or in
  // wrap-up (derived), what the agent last chose.
  select.value = SETTABLE.includes(S.agent.presence) ? S.agent.presence : (current || 'AVAILABLE');
  const now = $('#presence-now');
  now.textContent = t('presence.' + S.agent.presence) + (S.agent.reason ? ' · ' + S.agent.reason : '');
  now.dataset.presence = S.agent.presence;
  now.className = 'badge ' + (S.agent.presence === 'AVAILABLE' ? 'ok' : S.agent.presence === 'OFFLINE' ? 'danger' : 'warn');
  $('#agent-name').textContent = (S.agent.name || S.agent.id);
}

$('#presence-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  try {
    S.agent = await api.put('/agents/' + encodeURIComponent(me()) + '/presence',
      { state: $('#presence').value, reason: $('#presence-reason').value.trim() || undefined });
    renderPresence();
  } catch (err) {
    alertError(err);
  }
});

function renderChannels() {
  const box = $('#channels');
  for (const l of box.querySelectorAll('label')) l.remove();
  const capacities = S.agent.capacities || {};
  show($('#dial-panel'), !!capacities.VOICE); // click-to-dial for agents who take calls
  for (const [channel, capacity] of Object.entries(capacities)) {
    if (!capacity) continue;
    const box2 = el('input', { type: 'checkbox', name: channel });
    box2.checked = (S.agent.enabledChannels || []).includes(channel);
    box2.addEventListener('change', async () => {
      try {
        S.agent = await api.put('/agents/' + encodeURIComponent(me()) + '/channels/' + channel,
          { enabled: box2.checked });
        renderChannels();
      } catch (err) {
        box2.checked = !box2.checked;
        alertError(err);
      }
    });
    box.append(el('label', { class: 'inline' }, box2, t('channel.' + channel)));
  }
}

// ------------------------------------------------------------------------------------------------ offers and work

function offerDeadline(o) {
  const q = S.queues.get(o.view.queueId);
  const seconds = q && q.definition && q.definition.offerTimeoutSeconds
    ? q.definition.offerTimeoutSeconds[o.view.channel] : null;
  return seconds ? o.offeredAt + seconds * 1000 : null;
}

function customerLabel(view) {
  return view.from || view.customerId || t('customer.unknown');
}

function renderOffers() {
  const list = clear($('#offers'));
  for (const [id, o] of S.offers) {
    const v = o.view;
    const countdown = el('span', { class: 'countdown', dataset: { deadline: String(offerDeadline(o) || '') } });
    list.append(el('li', { dataset: { interaction: id } },
      el('div', { class: 'title' }, t('channel.' + v.channel), ' · ', t('offers.from', { customer: customerLabel(v) })),
      el('div', { class: 'muted' }, t('offers.queue', { queue: v.queueId || '-' }), ' ', countdown),
      v.attributes && v.attributes.callbackAt
        ? el('div', {}, t('conv.callbackAt', { time: dateTime(v.attributes.callbackAt) })) : null,
      el('div', { class: 'row' },
        el('button', { class: 'primary', type: 'button', onclick: () => accept(id), text: t('offers.accept') }),
        el('button', { type: 'button', onclick: () => reject(id), text: t('offers.reject') }))));
  }
  show($('#offers-none'), S.offers.size === 0);
  tick();
}

async function accept(id) {
  try {
    const view = await api.post('/interactions/' + encodeURIComponent(id) + '/accept', {});
    S.offers.delete(id);
    renderOffers();
    if (view && view.agentId === me()) S.work.set(id, view);
    renderWork();
    await select(id);
  } catch (err) {
    alertError(err);
    S.offers.delete(id);
    renderOffers();
  }
}

async function reject(id) {
  try {
    await api.post('/interactions/' + encodeURIComponent(id) + '/reject', { reason: 'declined' });
  } catch (err) {
    alertError(err);
  }
  S.offers.delete(id);
  renderOffers();
}

function renderWork() {
  const list = clear($('#work'));
  for (const [id, v] of S.work) {
    const button = el('button', {
      type: 'button', dataset: { interaction: id }, 'aria-current': S.selected === id ? 'true' : 'false',
      class: S.unread.has(id) ? 'unread' : '', onclick: () => select(id),
    }, el('span', {}, t('channel.' + v.channel), ' · ', customerLabel(v)), el('span', { class: 'badge' }, t('state.' + v.state)));
    list.append(el('li', {}, button));
  }
  show($('#work-none'), S.work.size === 0);
}

function tick() {
  const now = Date.now();
  for (const c of document.querySelectorAll('#offers .countdown')) {
    const deadline = Number(c.dataset.deadline);
    c.textContent = deadline ? t('offers.countdown', { seconds: Math.max(0, Math.ceil((deadline - now) / 1000)) }) : '';
  }
  const v = S.selected && S.work.get(S.selected);
  $('#conv-timer').textContent = v ? clock((now - Date.parse(v.createdAt)) / 1000) : '';
  if (S.typingUntil && now > S.typingUntil) {
    S.typingUntil = 0;
    show($('#typing'), false);
  }
}

// ------------------------------------------------------------------------------------------------ conversation

function renderAll() {
  translate();
  renderPresence();
  renderChannels();
  renderOffers();
  renderWork();
  renderTransferQueues();
  if (S.selected) select(S.selected);
  else renderConversation();
}

function renderConversation() {
  const v = S.selected && S.work.get(S.selected);
  show($('#conv-none'), !v);
  show($('#conv'), !!v);
  if (!v) {
    clear($('#customer-card'));
    show($('#identities-panel'), false);
    show($('#journey-panel'), false);
  }
}

function renderConversationHead() {
  const v = S.work.get(S.selected);
  if (!v) return;
  $('#conv-title').textContent = t('channel.' + v.channel) + ' · ' + customerLabel(v);
  const state = $('#conv-state');
  state.textContent = t('state.' + v.state);
  state.dataset.state = v.state;
  const info = [];
  if (v.channel === 'VOICE') info.push(t('conv.voiceState', { state: t('state.' + v.state) }));
  if (v.attributes && v.attributes.callbackAt) info.push(t('conv.callbackAt', { time: dateTime(v.attributes.callbackAt) }));
  $('#conv-info').textContent = info.join(' · ');
  const voice = v.channel === 'VOICE';
  const talking = voice && ['CONNECTED', 'HELD'].includes(v.state);
  show($('#hold'), v.state === 'CONNECTED');
  show($('#resume'), v.state === 'HELD');
  show($('#record'), talking && !S.recording.has(v.id));
  show($('#record-stop'), talking && S.recording.has(v.id));
  show($('#wrap'), v.state !== 'WRAP_UP');
  show($('#invite-video'), v.channel === 'WEBCHAT' && v.state === 'CONNECTED');
  show($('#dial-customer'), voice && telNumber(v.from) !== null);
  show($('#video'), v.channel === 'VIDEO');
  show($('#reply-form'), v.state !== 'WRAP_UP');
}

async function select(id) {
  if (S.selected !== id) {
    closeSignals();
    if (S.call) { S.call.hangup(); S.call = null; }
  }
  S.selected = id;
  S.unread.delete(id);
  renderWork();
  renderConversation();
  const v = S.work.get(id);
  if (!v) return;
  $('#conv-error').textContent = '';
  renderConversationHead();
  clear($('#messages'));
  try {
    const events = await api.list('/interactions/' + encodeURIComponent(id) + '/events');
    if (S.selected !== id) return;
    for (const e of events) {
      if (CONVERSATION_TYPES.includes(e.type)) appendMessage(normalise(e.type, e));
      if (e.type === 'recording_started') S.recording.add(id);
      if (e.type === 'recording_stopped') S.recording.delete(id);
    }
    if (v.channel === 'VOICE') renderConversationHead();
  } catch (err) {
    $('#conv-error').textContent = t('error', { detail: err.message });
  }
  if (LIVE_CHANNELS.includes(v.channel) && !S.signals) openSignals(id);
  loadCustomer(v);
}

/** An event from the stream or from GET /interactions/{id}/events, in one shape. */
function normalise(type, e) {
  const content = e.content || {};
  const data = e.data || {};
  return {
    type,
    at: e.timestamp,
    actor: e.actor || data.actor || '',
    text: content.text !== undefined ? content.text : data.text,
    attachments: content.attachments || data.attachments || [],
    attrs: e.attributes || data,
  };
}

function appendMessage(m) {
  const list = $('#messages');
  let cls = 'system';
  let who = t('conv.system');
  let body = t('event.' + m.type);
  if (m.type === 'message_in' || m.type === 'message_out' || m.type === 'note') {
    cls = m.type === 'message_in' ? 'in' : m.type === 'message_out' ? 'out' : 'note';
    who = m.type === 'message_in' ? t('conv.customer')
      : m.actor === 'agent:' + me() ? t('conv.you') : (m.actor || t('conv.agent'));
    if (m.type === 'note') who = t('conv.note') + ' · ' + who;
    body = m.text || '';
  } else if (m.type === 'disposition') {
    body += ': ' + (m.attrs.disposition || '');
  }
  const names = (m.attachments || []).map((a) => a.name || a.ref).filter(Boolean);
  list.append(el('li', { class: cls, dataset: { type: m.type } },
    el('span', { class: 'meta' }, who, ' · ', time(m.at)),
    body,
    names.length ? el('span', { class: 'meta' }, t('conv.attachments', { names: names.join(', ') })) : null));
  list.scrollTop = list.scrollHeight;
  if (m.type === 'message_in') {
    S.typingUntil = 0;
    show($('#typing'), false);
  }
}

$('#reply-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const id = S.selected;
  const text = $('#reply').value.trim();
  if (!id || !text) return;
  S.replyKey = S.replyKey || uuid();
  try {
    await api.post('/interactions/' + encodeURIComponent(id) + '/messages', { text }, S.replyKey);
    $('#reply').value = '';
    S.replyKey = null;
    S.lastTypingSent = 0;
  } catch (err) {
    $('#conv-error').textContent = t('error', { detail: err.message });
  }
});

$('#reply').addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    $('#reply-form').requestSubmit();
  }
});

$('#reply').addEventListener('input', () => {
  const v = S.selected && S.work.get(S.selected);
  if (!v || !LIVE_CHANNELS.includes(v.channel) || Date.now() - S.lastTypingSent < 3000) return;
  S.lastTypingSent = Date.now();
  signal('typing', { typing: true }).catch(() => {});
});

function signal(type, data) {
  return api.post('/interactions/' + encodeURIComponent(S.selected) + '/signals', { type, data });
}

async function action(path, body = {}) {
  const id = S.selected;
  try {
    const view = await api.post('/interactions/' + encodeURIComponent(id) + path, body);
    if (view && view.id) {
      if (['CONNECTED', 'HELD', 'WRAP_UP'].includes(view.state) && view.agentId === me()) S.work.set(id, view);
      else S.work.delete(id);
    }
    renderWork();
    if (S.work.has(id)) renderConversationHead();
    else { S.selected = null; closeSignals(); renderConversation(); }
    return view;
  } catch (err) {
    $('#conv-error').textContent = t('error', { detail: err.message });
    return null;
  }
}

/**
 * Call control of a VOICE interaction through the PBX (/interactions/{id}/call/..., docs/rest.md "Call control"): the
 * answer is a 202 once the PBX accepted; the outcome (held, resumed, recording) arrives as the interaction's events.
 */
async function callControl(operation) {
  const id = S.selected;
  $('#conv-error').textContent = '';
  try {
    await api.post('/interactions/' + encodeURIComponent(id) + '/call/' + operation, {});
    if (operation === 'record') S.recording.add(id);
    if (operation === 'record/stop') S.recording.delete(id);
    if (S.selected === id) {
      renderConversationHead();
      $('#conv-info').textContent = t('call.requested.' + operation);
    }
  } catch (err) {
    $('#conv-error').textContent = callError(err);
  }
}

/** A call-control failure in words: the PBX refused (409), cannot be reached (503), else the problem's detail. */
function callError(err) {
  if (err instanceof ApiError && err.status === 409) return t('call.refused', { detail: err.message });
  if (err instanceof ApiError && err.status === 503) return t('call.unreachable', { detail: err.message });
  return t('error', { detail: err.message });
}

function isVoice(id) {
  const v = S.work.get(id);
  return !!v && v.channel === 'VOICE';
}

// A call is held on the PBX (music on hold, the agent's line kept); other channels are held in the ACD.
$('#hold').addEventListener('click', () => (isVoice(S.selected) ? callControl('hold') : action('/hold')));
$('#resume').addEventListener('click', () => (isVoice(S.selected) ? callControl('resume') : action('/resume')));
$('#record').addEventListener('click', () => callControl('record'));
$('#record-stop').addEventListener('click', () => callControl('record/stop'));

/** The number of a tel: address ("tel:+8131234" -> "+8131234"), else null. */
function telNumber(address) {
  const m = /^tel:(\+?[0-9*#]{1,32})$/.exec(address || '');
  return m ? m[1] : null;
}

// Click-to-dial (POST /agents/{me}/calls {to}): the agent's phone rings, then the number; the outbound call then
// arrives as a VOICE interaction on the event stream.
$('#dial-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const to = $('#dial-to').value.trim();
  $('#dial-error').textContent = '';
  $('#dial-status').textContent = '';
  if (!to) return;
  const button = $('#dial');
  button.disabled = true;
  try {
    await api.post('/agents/' + encodeURIComponent(me()) + '/calls', { to });
    $('#dial-status').textContent = t('dial.ringing', { to });
  } catch (err) {
    $('#dial-error').textContent = callError(err);
    $('#dial-to').focus();
  } finally {
    button.disabled = false;
  }
});

$('#dial-customer').addEventListener('click', () => {
  const v = S.work.get(S.selected);
  const number = v && telNumber(v.from);
  if (!number) return;
  $('#dial-to').value = number;
  $('#dial-to').focus();
});
$('#invite-video').addEventListener('click', async () => {
  try {
    await signal('video.invite', {});
    $('#conv-info').textContent = t('conv.invited');
  } catch (err) {
    $('#conv-error').textContent = t('error', { detail: err.message });
  }
});

function renderTransferQueues() {
  const select = $('#transfer-queue');
  const current = select.value;
  clear(select).append(el('option', { value: '' }));
  for (const q of S.queues.values()) select.append(el('option', { value: q.id, text: (q.definition && q.definition.name) || q.id }));
  select.value = current;
}

$('#transfer-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const queueId = $('#transfer-queue').value;
  const agentId = $('#transfer-agent').value.trim();
  if (!queueId && !agentId) return;
  await action('/transfer', agentId ? { agentId } : { queueId });
  $('#transfer-agent').value = '';
});

$('#wrap-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const id = S.selected;
  const v = S.work.get(id);
  const notes = $('#notes').value.trim();
  if (notes) {
    try {
      await api.post('/interactions/' + encodeURIComponent(id) + '/notes', { text: notes }, uuid());
      $('#notes').value = '';
    } catch (err) {
      $('#conv-error').textContent = t('error', { detail: err.message });
      return;
    }
  }
  if (v && LIVE_CHANNELS.includes(v.channel)) signal('chat.ended', {}).catch(() => {});
  if (S.call) { await S.call.hangup(); S.call = null; }
  await action('/wrap-up', { disposition: $('#disposition').value.trim() || undefined });
});

$('#end').addEventListener('click', async () => {
  const v = S.work.get(S.selected);
  if (v && v.state !== 'WRAP_UP' && LIVE_CHANNELS.includes(v.channel)) signal('chat.ended', {}).catch(() => {});
  if (S.call) { await S.call.hangup(); S.call = null; }
  await action('/end', {});
});

// ------------------------------------------------------------------------------------------------ live signals

function openSignals(id) {
  S.rtcConfig = {};
  $('#video-start').disabled = true;
  S.signals = api.stream('/interactions/' + encodeURIComponent(id) + '/signals', {
    onEvent: (type, data) => handleSignal(id, type, data),
    onState: (state, detail) => {
      if (S.selected === id) $('#conv').dataset.live = state;
      if (state === 'failed' && detail && detail.status === 409 && S.selected === id) {
        $('#conv-info').textContent = detail.detail.includes('no live') ? t('conv.noLive') : detail.detail;
      }
    },
  }).start();
}

function closeSignals() {
  if (S.signals) S.signals.close();
  delete $('#conv').dataset.live;
  S.signals = null;
  S.typingUntil = 0;
  show($('#typing'), false);
}

function handleSignal(id, type, data) {
  if (S.selected !== id) return;
  let s;
  try { s = JSON.parse(data); } catch (e) { return; }
  const payload = s.data || {};
  switch (type) {
    case 'rtc.config':
      S.rtcConfig = payload;
      $('#video-start').disabled = false;
      break;
    case 'typing':
      S.typingUntil = Date.now() + 5000;
      show($('#typing'), true);
      break;
    case 'rtc.answer':
    case 'rtc.candidate':
    case 'rtc.hangup':
      if (S.call) S.call.signal(type, payload).catch((e) => { $('#video-state').textContent = e.message; });
      if (type === 'rtc.hangup') S.call = null;
      break;
    case 'chat.left':
      $('#conv-info').textContent = t('conv.customerLeft');
      break;
    default:
      break;
  }
}

function videoState(state) {
  $('#video').dataset.iceState = state;
  $('#video-state').textContent = t('video.state', { state });
}

$('#video-start').addEventListener('click', async () => {
  const id = S.selected;
  if (!id || S.call) return;
  let media;
  try {
    media = await VideoCall.media();
  } catch (err) {
    $('#video-state').textContent = t('video.noCamera', { detail: err.message });
    return;
  }
  S.call = new VideoCall({
    rtcConfig: S.rtcConfig,
    send: (type, data) => api.post('/interactions/' + encodeURIComponent(id) + '/signals', { type, data }),
    localVideo: $('#local-video'),
    remoteVideo: $('#remote-video'),
    onState: videoState,
  });
  try {
    await S.call.call(media);
    videoState('new');
  } catch (err) {
    $('#video-state').textContent = t('error', { detail: err instanceof ApiError && err.status === 409
      ? t('conv.customerLeft') : err.message });
    S.call.close();
    S.call = null;
  }
});

$('#video-hangup').addEventListener('click', async () => {
  if (S.call) await S.call.hangup();
  S.call = null;
});

// ------------------------------------------------------------------------------------------------ customer

async function loadCustomer(v) {
  const card = clear($('#customer-card'));
  show($('#identities-panel'), false);
  show($('#journey-panel'), false);
  const details = Object.entries(v.attributes || {});
  if (!v.customerId) {
    card.append(el('p', { class: 'muted', text: t('customer.unknown') }));
    return;
  }
  let c;
  try {
    c = await api.get('/customers/' + encodeURIComponent(v.customerId));
  } catch (err) {
    card.append(el('p', { class: 'error', text: t('error', { detail: err.message }) }));
    return;
  }
  if (S.selected !== v.id) return;
  const name = c.displayName || (c.addresses && c.addresses[0]) || c.id;
  card.append(el('p', {}, el('strong', { text: name }), ' ', c.vip ? el('span', { class: 'badge warn', text: t('customer.vip') }) : null));
  const dl = el('dl');
  if (c.tags && c.tags.length) dl.append(el('dt', { text: t('customer.tags') }), el('dd', { text: c.tags.join(', ') }));
  for (const [k, val] of Object.entries(c.externalRefs || {})) dl.append(el('dt', { text: t('customer.crm') + ' ' + k }), el('dd', { text: val }));
  for (const [k, val] of details) dl.append(el('dt', { text: k }), el('dd', { text: val }));
  if (dl.childElementCount) card.append(dl);
  const ids = clear($('#identities'));
  for (const a of c.addresses || []) ids.append(el('li', { text: a }));
  show($('#identities-panel'), true);
  $('#link-form').dataset.customer = c.id;
  await loadJourney(c.id);
}

async function loadJourney(customerId) {
  try {
    const page = await api.get('/customers/' + encodeURIComponent(customerId) + '/journey?newestFirst=true&limit=40');
    const list = clear($('#journey'));
    for (const e of page.items) {
      const text = e.content && e.content.text ? ': ' + e.content.text.slice(0, 80)
        : e.type === 'message_status' && e.attributes ? ': ' + (e.attributes.status || '')
          : e.type === 'disposition' && e.attributes ? ': ' + (e.attributes.disposition || '') : '';
      list.append(el('li', { dataset: { type: e.type, channel: e.channel || '' } },
        el('span', { class: 'when', text: dateTime(e.timestamp) }),
        t('channel.' + e.channel) + ' · ' + t('event.' + e.type) + text));
    }
    show($('#journey-panel'), true);
  } catch (err) {
    show($('#journey-panel'), false);
  }
}

function scheduleJourney() {
  clearTimeout(S.journeyTimer);
  S.journeyTimer = setTimeout(() => {
    const v = S.selected && S.work.get(S.selected);
    if (v && v.customerId) loadJourney(v.customerId);
  }, 400);
}

$('#link-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  $('#link-error').textContent = '';
  const customer = $('#link-form').dataset.customer;
  try {
    const c = await api.post('/customers/' + encodeURIComponent(customer) + '/addresses',
      { address: $('#link-address').value.trim() });
    $('#link-address').value = '';
    const ids = clear($('#identities'));
    for (const a of c.addresses || []) ids.append(el('li', { text: a }));
  } catch (err) {
    $('#link-error').textContent = t('error', { detail: err.message });
  }
});

function alertError(err) {
  const target = S.selected ? $('#conv-error') : $('#signin-error');
  target.textContent = t('error', { detail: err.message });
}
