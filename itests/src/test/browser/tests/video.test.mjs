// Design point ①: a web chat is upgraded to a video call with the same agent. The agent invites, the customer joins,
// the call is a VIDEO interaction routed by the ACD (to the same agent through last-agent routing, although another
// agent is free), and the two pages reach ICE state "connected" with Chromium's fake camera and microphone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { hub, launch, context, WIDGET, api, cleanUp, presence, signIn, desktopPresence, until, screenshot, watchErrors, reporting, WAIT } from './support.mjs';

let browser;
before(async () => {
  await cleanUp();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await cleanUp();
});

const CONNECTED = /^(connected|completed)$/;

test('a chat upgraded to video reaches ICE connected with the same agent', async () => {
  const errors = [];
  await reporting(errors, async () => {
    const agent = await (await context(browser)).newPage();
    watchErrors(agent, errors);
    await signIn(agent, '/desktop/', 'alice');
    await desktopPresence(agent, 'AVAILABLE');

    const customer = await (await context(browser, 'en-US', WIDGET)).newPage();
    watchErrors(customer, errors);
    await customer.goto(hub.url + '/widget/?tenant=default&entryPoint=web');
    await customer.getByRole('button', { name: 'Chat now' }).click();
    await customer.locator('#message').fill('Can you show me how to assemble it?');
    await customer.getByRole('button', { name: 'Send' }).click();

    await agent.locator('#offers li').first().getByRole('button', { name: 'Accept' }).click();
    await agent.locator('#conv[data-live="open"]').waitFor({ timeout: WAIT });

    // Bob is free now (and idle longer): only last-agent routing brings the video call to Alice.
    await presence('bob', 'AVAILABLE');
    await agent.getByRole('button', { name: 'Invite to video' }).click();
    await customer.getByRole('button', { name: 'Join video' }).click();

    const offer = agent.locator('#offers li').filter({ hasText: 'Video' }).first();
    await offer.waitFor({ timeout: WAIT });
    assert.deepEqual((await api('admin', 'GET', '/agents/bob')).offered, [], 'the video call is not offered to Bob');
    await offer.getByRole('button', { name: 'Accept' }).click();
    await agent.locator('#video').waitFor({ state: 'visible', timeout: WAIT });
    const start = agent.getByRole('button', { name: 'Start video' });
    await until('the video can start (ICE servers known)', () => start.isEnabled());
    await start.click();

    await until('ICE connected on the agent side', async () => CONNECTED.test(await agent.locator('#video').getAttribute('data-ice-state') || ''));
    await until('ICE connected on the customer side', async () => CONNECTED.test(await customer.locator('#video').getAttribute('data-ice-state') || ''));
    // Pictures arrive and play (a browser that blocks autoplay leaves them paused at the first frame).
    const playing = (v) => v.videoWidth > 0 && !v.paused && v.currentTime > 0;
    await until('the customer sees the agent\'s video', () => customer.locator('#remote-video').evaluate(playing));
    await until('the agent sees the customer\'s video', () => agent.locator('#remote-video').evaluate(playing));
    await screenshot(agent, 'desktop-video');
    await screenshot(customer, 'widget-video');

    await customer.getByRole('button', { name: 'Hang up' }).click();
    await until('the agent sees the hang-up', async () => (await agent.locator('#video').getAttribute('data-ice-state')) === 'closed');
    assert.deepEqual(errors, []);
  });
});
