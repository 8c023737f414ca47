// Network trouble between the desktop and the hub, made by a TCP proxy in between: a dropped connection, and a dead
// one that stays open and silent (a laptop losing its Wi-Fi). Either way the desktop reconnects with Last-Event-ID
// and what happened meanwhile is replayed — an offer made during the drop rings, an offer withdrawn during the
// silence disappears — without reloading the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, launch, context, cleanUp, signIn, desktopPresence, networkProxy, until, watchErrors, reporting, WAIT } from './support.mjs';

let browser;
let proxy;
before(async () => {
  await cleanUp();
  browser = await launch();
  proxy = await networkProxy();
});
after(async () => {
  proxy?.close();
  await browser?.close();
  await cleanUp();
});

test('the desktop resumes its event stream after a dropped and after a silently dead connection', async () => {
  const errors = [];
  await reporting(errors, async () => {
    const agent = await (await context(browser)).newPage();
    watchErrors(agent, errors);
    // The hub sends a heartbeat every 15 s: 20 s of silence means the connection is dead.
    await signIn(agent, '/desktop/?streamIdleSeconds=20', 'alice', proxy.url);
    await desktopPresence(agent, 'AVAILABLE');
    const state = () => agent.locator('#stream-state').getAttribute('data-state');
    await until('the stream open', async () => (await state()) === 'open');
    const resumedWith = [];
    agent.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/v1/events') resumedWith.push(r.headers()['last-event-id'] || '');
    });
    const loads = [];
    agent.on('framenavigated', (f) => { if (f === agent.mainFrame()) loads.push(f.url()); });

    // 1. The connection drops and the hub cannot be reached for a moment; an offer is made meanwhile.
    proxy.cut();
    await until('the desktop noticing the drop', async () => (await state()) !== 'open');
    const offer = await api('admin', 'POST', '/interactions',
      { channel: 'WEBCHAT', from: 'webchat:drop-' + Date.now(), queueId: 'default', text: 'are you there?' });
    await until('the offer made to Alice', async () => (await api('admin', 'GET', '/agents/alice')).offered.includes(offer.id));
    proxy.restore();
    await agent.locator(`#offers li[data-interaction="${offer.id}"]`).waitFor({ timeout: WAIT });
    assert.ok(resumedWith.length >= 1 && /^\d+$/.test(resumedWith[resumedWith.length - 1]),
      'the reconnection sent the last event id: ' + JSON.stringify(resumedWith));

    // 2. The connection stays open but nothing comes through it; the offer is withdrawn meanwhile.
    await until('the stream open again', async () => (await state()) === 'open');
    const before = resumedWith.length;
    proxy.stallStreams();
    await api('admin', 'POST', `/interactions/${offer.id}/reject`, { agentId: 'alice', reason: 'test' });
    // The offer's own countdown may also remove it from the list: first the reconnection, then the offer gone.
    await until('the silent connection replaced', async () => resumedWith.length > before, 60000);
    await agent.locator(`#offers li[data-interaction="${offer.id}"]`).waitFor({ state: 'detached', timeout: 60000 });
    assert.deepEqual(loads, [], 'the page was never reloaded');
    assert.deepEqual(errors.filter((e) => !e.startsWith('failed ')), []);
  });
});
