// The supervisor view follows the queue and the agents live from the event stream: a contact arriving, an agent
// logging in and taking it, all without reloading; and a supervisor changes an agent's presence.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, context, api, cleanUp, presence, signIn, until, screenshot, watchErrors, reporting } from './support.mjs';

let browser;
before(async () => {
  await cleanUp();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await cleanUp();
});

test('the supervisor view shows the queue change live and changes an agent\'s presence', async () => {
  const errors = [];
  await reporting(errors, async () => {
    const page = await (await context(browser)).newPage();
    watchErrors(page, errors);
    await signIn(page, '/supervisor/', 'supervisor');
    const row = page.locator('#queues tr[data-queue="default"]');
    const waiting = row.locator('td.waiting');
    await until('the default queue with nobody waiting', async () => (await waiting.innerText()) === '0');
    await page.locator('#stream-state[data-state="open"]').waitFor();
    const loads = [];
    page.on('framenavigated', (f) => { if (f === page.mainFrame()) loads.push(f.url()); });

    const created = await api('admin', 'POST', '/interactions', {
      channel: 'WEBCHAT', from: 'webchat:supervisor-test-' + Date.now(), queueId: 'default', text: 'hello',
    });
    await until('the new contact counted as waiting', async () => (await waiting.innerText()) === '1');
    await screenshot(page, 'supervisor');

    await presence('alice', 'AVAILABLE');
    await until('Alice shown available', async () =>
      (await page.locator('#agents tr[data-agent="alice"] td.state').getAttribute('data-presence')) !== 'OFFLINE');
    await until('the contact offered to Alice, no longer waiting', async () => (await waiting.innerText()) === '0');
    assert.equal((await api('admin', 'GET', '/agents/alice')).offered[0], created.id);

    const bob = page.locator('#agents tr[data-agent="bob"]');
    await bob.getByRole('combobox').selectOption('BREAK');
    await bob.getByRole('button', { name: 'Apply' }).click();
    await until('Bob on a break', async () => (await api('admin', 'GET', '/agents/bob')).presence === 'BREAK');
    await until('Bob shown on a break', async () => (await bob.locator('td.state').getAttribute('data-presence')) === 'BREAK');
    assert.deepEqual(loads, [], 'the page was never reloaded');
    assert.deepEqual(errors, []);
  });
});
