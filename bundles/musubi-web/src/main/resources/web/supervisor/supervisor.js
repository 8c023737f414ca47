// The supervisor view: queues and agents of the tenant, live. The tables are filled once over REST and then follow
// the event stream (/api/v1/events, SSE with Last-Event-ID resume): an event about a queue or an agent fetches that
// queue's statistics or that agent again — there is no timed polling. Times in state and waits tick locally.
import { Api, ApiError } from '../shared/api.js';
import { t, translate, languageSwitch, onLanguage } from '../shared/i18n.js';
import { el, $, clear, show, clock } from '../shared/dom.js';

const api = new Api();
const SETTABLE = ['AVAILABLE', 'AWAY', 'BREAK', 'LUNCH', 'MEETING', 'TRAINING', 'DND', 'OFFLINE'];
const MONITOR_MODES = ['listen', 'whisper', 'barge'];
const S = { queues: new Map(), agents: new Map(), calls: new Map(), fetchedAt: new Map(), pending: new Map(), events: null };

languageSwitch($('#lang'));
translate();
onLanguage(() => { renderQueues(); renderAgents(); });

$('#signin-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  $('#signin-error').textContent = '';
  try {
    const me = await api.signIn($('#credential').value);
    if (!me.roles.includes('supervisor') && !me.roles.includes('admin')) {
      api.signOut();
      throw new Error(t('signin.notSupervisor'));
    }
    $('#credential').value = '';
    show($('#signin'), false);
    show($('#app'), true);
    show($('#signout'), true);
    show($('#stream-state'), true);
    await loadAll();
    S.events = api.stream('/events', { onEvent: handleEvent, onState: streamState }).start();
    setInterval(tick, 1000);
  } catch (err) {
    $('#signin-error').textContent = t('signin.failed', { detail: err.message });
  }
});

$('#signout').addEventListener('click', () => {
  if (S.events) S.events.close();
  api.signOut();
  location.reload();
});

function streamState(state) {
  const badge = $('#stream-state');
  badge.textContent = t('stream.' + (state === 'closed' ? 'failed' : state));
  badge.className = 'badge ' + (state === 'open' ? 'ok' : state === 'failed' ? 'danger' : 'warn');
  badge.dataset.state = state;
}

async function loadAll() {
  const [queues, agents] = await Promise.all([api.list('/queues?limit=1000'), api.list('/agents?limit=1000')]);
  const now = Date.now();
  S.queues = new Map(queues.map((q) => [q.id, { name: q.definition.name || q.id, stats: q.stats }]));
  S.agents = new Map(agents.map((a) => [a.id, a]));
  S.calls = new Map();
  await Promise.all(agents.map(loadCalls));
  for (const q of queues) S.fetchedAt.set('q:' + q.id, now);
  for (const a of agents) S.fetchedAt.set('a:' + a.id, now);
  renderQueues();
  renderAgents();
}

function handleEvent(type, data) {
  if (type === 'reset') {
    later('all', loadAll);
    return;
  }
  let e;
  try { e = JSON.parse(data); } catch (err) { return; }
  if (e.queueId) later('q:' + e.queueId, () => refreshQueue(e.queueId));
  if (e.data && e.data.fromQueueId) later('q:' + e.data.fromQueueId, () => refreshQueue(e.data.fromQueueId));
  if (e.agentId) later('a:' + e.agentId, () => refreshAgent(e.agentId));
  if (e.data && e.data.fromAgentId) later('a:' + e.data.fromAgentId, () => refreshAgent(e.data.fromAgentId));
  if (type === 'presence') {
    // presence moves agents between available, busy and away in every queue they serve
    for (const id of S.queues.keys()) later('q:' + id, () => refreshQueue(id));
  }
}

/** Runs a refresh once for a burst of events about the same queue or agent. */
function later(key, f) {
  if (S.pending.has(key)) return;
  S.pending.set(key, setTimeout(() => {
    S.pending.delete(key);
    f().then(() => { $('#error').textContent = ''; }).catch((err) => {
      $('#error').textContent = t('error', { detail: err.message });
      // Read everything again a little later: an event must not be lost to a failed request.
      setTimeout(() => later('all', loadAll), 3000);
    });
  }, 150));
}

async function refreshQueue(id) {
  const stats = await api.get('/queues/' + encodeURIComponent(id) + '/stats');
  const q = S.queues.get(id) || { name: id };
  q.stats = stats;
  S.queues.set(id, q);
  S.fetchedAt.set('q:' + id, Date.now());
  renderQueues(id);
}

async function refreshAgent(id) {
  const a = await api.get('/agents/' + encodeURIComponent(id));
  await loadCalls(a);
  S.agents.set(id, a);
  S.fetchedAt.set('a:' + id, Date.now());
  renderAgents(id);
}

/** The agent's voice calls (its assigned VOICE interactions being talked on), read only when it has voice work. */
async function loadCalls(a) {
  if (!(a.load && a.load.VOICE > 0)) {
    S.calls.delete(a.id);
    return;
  }
  const views = await Promise.all((a.assigned || []).map((id) =>
    api.get('/interactions/' + encodeURIComponent(id)).catch(() => null)));
  S.calls.set(a.id, views.filter((v) => v && v.channel === 'VOICE' && ['CONNECTED', 'HELD'].includes(v.state)));
}

/**
 * Listen, whisper or barge (POST /interactions/{id}/call/monitor {mode, extension}): the PBX calls the supervisor's own
 * extension, given on the page, and joins it to the call.
 */
async function monitor(call, mode) {
  const extension = $('#extension').value.trim();
  $('#error').textContent = '';
  $('#monitor-status').textContent = '';
  if (!extension) {
    $('#error').textContent = t('sup.extensionNeeded');
    $('#extension').focus();
    return;
  }
  try {
    await api.post('/interactions/' + encodeURIComponent(call.id) + '/call/monitor', { mode, extension });
    $('#monitor-status').textContent = t('sup.monitoring', { mode: t('sup.' + mode), extension });
  } catch (err) {
    $('#error').textContent = err instanceof ApiError && err.status === 409 ? t('call.refused', { detail: err.message })
      : err instanceof ApiError && err.status === 503 ? t('call.unreachable', { detail: err.message })
        : t('error', { detail: err.message });
  }
}

function callCell(id, a) {
  const cell = el('td', { class: 'calls' });
  for (const call of S.calls.get(id) || []) {
    const who = call.from || call.id;
    cell.append(el('div', { class: 'row', role: 'group', dataset: { call: call.id }, 'aria-label': who },
      el('span', { class: 'muted', text: who + ' · ' + t('state.' + call.state) }),
      MONITOR_MODES.map((mode) => el('button', {
        type: 'button', text: t('sup.' + mode), dataset: { mode },
        'aria-label': t('sup.monitorLabel', { mode: t('sup.' + mode), call: who, agent: a.name || id }),
        onclick: () => monitor(call, mode),
      }))));
  }
  return cell;
}

function pct(v) {
  return (Math.round(v * 10) / 10).toFixed(1) + ' %';
}

function renderQueues(changed) {
  const body = clear($('#queues tbody'));
  for (const [id, q] of [...S.queues].sort((a, b) => a[0].localeCompare(b[0]))) {
    const s = q.stats || {};
    const longest = el('td', { class: 'num longest', dataset: { base: String(s.longestWaitSeconds || 0), waiting: String(s.waiting || 0), key: 'q:' + id } });
    body.append(el('tr', { dataset: { queue: id }, class: changed === id ? 'changed' : '' },
      el('th', { scope: 'row', text: q.name }),
      el('td', { class: 'num waiting', text: String(s.waiting ?? '') }),
      longest,
      el('td', { class: 'num', text: s.serviceLevelPercent === undefined ? '' : pct(s.serviceLevelPercent) }),
      el('td', { class: 'num', text: s.averageSpeedOfAnswerSeconds === undefined ? '' : clock(s.averageSpeedOfAnswerSeconds) }),
      el('td', { class: 'num available', text: String(s.agentsAvailable ?? '') }),
      el('td', { class: 'num busy', text: String(s.agentsBusy ?? '') }),
      el('td', { class: 'num away', text: String(s.agentsAway ?? '') })));
  }
  tick();
}

function renderAgents(changed) {
  const body = clear($('#agents tbody'));
  for (const [id, a] of [...S.agents].sort((x, y) => x[0].localeCompare(y[0]))) {
    const select = el('select', { 'aria-label': t('sup.change', { agent: a.name || id }) });
    for (const s of SETTABLE) select.append(el('option', { value: s, text: t('presence.' + s) }));
    select.value = SETTABLE.includes(a.presence) ? a.presence : 'AVAILABLE';
    const apply = el('button', { type: 'button', text: t('sup.apply'), onclick: async () => {
      try {
        S.agents.set(id, await api.put('/agents/' + encodeURIComponent(id) + '/presence', { state: select.value }));
        S.fetchedAt.set('a:' + id, Date.now());
        renderAgents(id);
      } catch (err) {
        $('#error').textContent = t('error', { detail: err.message });
      }
    } });
    const load = Object.entries(a.load || {}).filter(([, n]) => n > 0)
      .map(([c, n]) => t('channel.' + c) + ' ' + n).join(', ');
    body.append(el('tr', { dataset: { agent: id }, class: changed === id ? 'changed' : '' },
      el('th', { scope: 'row', text: a.name ? a.name + ' (' + id + ')' : id }),
      el('td', { class: 'state', dataset: { presence: a.presence } },
        t('presence.' + a.presence) + (a.reason ? ' · ' + a.reason : '')),
      el('td', { class: 'num since', dataset: { since: a.since || '' } }),
      el('td', { text: load }),
      callCell(id, a),
      el('td', {}, el('div', { class: 'row' }, select, apply))));
  }
  tick();
}

function tick() {
  const now = Date.now();
  for (const c of document.querySelectorAll('#queues td.longest')) {
    const waiting = Number(c.dataset.waiting);
    const base = Number(c.dataset.base);
    const elapsed = waiting > 0 ? (now - (S.fetchedAt.get(c.dataset.key) || now)) / 1000 : 0;
    c.textContent = clock(base + elapsed);
  }
  for (const c of document.querySelectorAll('#agents td.since')) {
    c.textContent = c.dataset.since ? clock((now - Date.parse(c.dataset.since)) / 1000) : '';
  }
}
