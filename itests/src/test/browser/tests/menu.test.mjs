// The widget's channel menu (public, no key): the expected wait of each channel follows the agents' presence and
// work; LINE shows its add-friend link and QR code; a call-back can be asked for at a chosen time. In Japanese and
// English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { hub, launch, context, WIDGET, api, cleanUp, presence, until, screenshot, watchErrors, reporting } from './support.mjs';

let browser;
before(async () => {
  await cleanUp();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await cleanUp();
});

async function chatOption(page) {
  const li = page.locator('#menu li[data-channel="WEBCHAT"]');
  return { open: await li.getAttribute('data-open'), wait: await li.getAttribute('data-wait'), text: await li.innerText() };
}

test('the channel menu shows an expected wait that follows the agents', async () => {
  const errors = [];
  await reporting(errors, async () => {
    const page = await (await context(browser, 'en-US', WIDGET)).newPage();
    watchErrors(page, errors);
    await page.goto(hub.url + '/widget/?tenant=default&entryPoint=web&refresh=2');
    await until('the chat closed with nobody logged in', async () => (await chatOption(page)).open === 'false');
    assert.match((await chatOption(page)).text, /Closed now/);
    assert.equal(await page.locator('#menu li[data-kind="CALLBACK"] button').isEnabled(), true);
    await until('the LINE QR code', () => page.locator('#menu img.qr').evaluate((i) => i.complete && i.naturalWidth > 0));

    await presence('alice', 'AVAILABLE');
    await until('the chat open without a wait', async () => {
      const o = await chatOption(page);
      return o.open === 'true' && o.wait === '0';
    });
    assert.match((await chatOption(page)).text, /No wait/);
    await screenshot(page, 'widget-menu');

    // Alice takes a video call (it blocks every other channel) and a chat comes in: the next chat would wait.
    const video = await api('admin', 'POST', '/interactions', { channel: 'VIDEO', from: 'webchat:menu-video-' + Date.now(), queueId: 'default' });
    await until('the video call offered to Alice', async () => (await api('alice', 'GET', '/agents/alice')).offered.includes(video.id));
    await api('alice', 'POST', `/interactions/${video.id}/accept`, {});
    await api('admin', 'POST', '/interactions', { channel: 'WEBCHAT', from: 'webchat:menu-chat-' + Date.now(), queueId: 'default', text: 'hi' });
    await until('the chat open with a wait', async () => {
      const o = await chatOption(page);
      return o.open === 'true' && Number(o.wait) > 0;
    });
    assert.match((await chatOption(page)).text, /About \d+ min wait|Less than a minute/);

    await presence('alice', 'OFFLINE');
    await until('the chat closed again', async () => (await chatOption(page)).open === 'false');
    assert.deepEqual(errors, []);
  });
});

test('a call-back is requested at a chosen time, in Japanese', async () => {
  const errors = [];
  await reporting(errors, async () => {
    const page = await (await context(browser, 'ja-JP', WIDGET)).newPage();
    watchErrors(page, errors);
    await page.goto(hub.url + '/widget/?tenant=default&entryPoint=web');
    await page.getByRole('button', { name: '折り返し電話を依頼' }).click();
    await page.getByLabel('お客様の電話番号').fill('+81 3-1234-5678');
    await page.getByLabel('ご用件 (任意)').fill('注文について');
    await screenshot(page, 'widget-callback-ja');
    await page.getByRole('button', { name: '折り返しを依頼' }).click();
    await page.locator('#cb-result').filter({ hasText: 'お電話します' }).waitFor();
    // held back until the chosen time: listed as scheduled, not waiting
    const scheduled = (await api('admin', 'GET', '/queues/default/scheduled')).items;
    const voice = scheduled.filter((s) => s.interaction.channel === 'VOICE');
    assert.equal(voice.length, 1);
    const waiting = (await api('admin', 'GET', '/queues/default/waiting')).items;
    assert.equal(waiting.filter((w) => w.interactionId === voice[0].interaction.id).length, 0);
    const callback = await api('admin', 'GET', '/interactions/' + voice[0].interaction.id);
    assert.equal(callback.from, 'tel:+81312345678');
    assert.equal(callback.state, 'NEW');
    assert.ok(Date.parse(callback.attributes.callbackAt) > Date.now(), 'the chosen time is kept');
    assert.equal(Date.parse(voice[0].dueAt), Date.parse(callback.attributes.callbackAt));
    assert.deepEqual(errors, []);
  });
});
