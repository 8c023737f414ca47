// Voice call control from the pages: click-to-dial and the PBX's hold, resume and recording on the agent desktop;
// listen, whisper and barge in the supervisor view. There is no PBX in the browser tests, so the call-control endpoints
// (/interactions/{id}/call/..., /agents/{id}/calls) are answered by the test (page.route), which checks the exact
// requests the pages send and answers a 202, a 409 (the PBX refused) or a 503 (the PBX unreachable) as the hub does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BROWSER, api, launch, context, cleanUp, presence, signIn, desktopPresence, until, screenshot, watchErrors, reporting, WAIT } from './support.mjs';

let browser;
before(async () => {
  await cleanUp();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await cleanUp();
});

/**
 * Answers the call-control endpoints of a page: each request is recorded ({method, path, body}) and answered with the
 * next queued answer ({status, body}), a 202 when none is queued.
 */
async function fakePbx(page) {
  const pbx = { requests: [], answers: [] };
  if (BROWSER === 'firefox') await recordCallControlBodies(page);
  const handler = async (route) => {
    const request = route.request();
    const body = BROWSER === 'firefox' ? await recordedBody(page, request.url()) : request.postData();
    pbx.requests.push({ method: request.method(), path: new URL(request.url()).pathname, body: body ? JSON.parse(body) : null });
    const answer = pbx.answers.shift() || { status: 202, body: { accepted: true } };
    await route.fulfill({
      status: answer.status,
      contentType: answer.status >= 400 ? 'application/problem+json' : 'application/json',
      body: JSON.stringify(answer.body),
    });
  };
  await page.route('**/api/v1/interactions/*/call/**', handler);
  await page.route('**/api/v1/agents/*/calls', handler);
  return pbx;
}

/**
 * Playwright over WebDriver BiDi (Firefox) gives no request bodies to a route (request.postData() is null there), so in
 * Firefox the bodies the page passes to fetch() for the call-control endpoints are recorded in the page instead, in
 * the order sent, and a route takes the first one recorded for its URL.
 */
async function recordCallControlBodies(page) {
  await page.addInitScript(() => {
    const sent = [];
    const send = window.fetch;
    Object.defineProperty(window, '__callControlBodies', { value: sent });
    window.fetch = function (resource, init) {
      const url = new URL(resource instanceof Request ? resource.url : String(resource), location.href);
      if (/\/call\/|\/calls$/.test(url.pathname)) sent.push({ url: url.href, body: init && init.body !== undefined ? String(init.body) : null });
      return send.apply(this, arguments);
    };
  });
}

function recordedBody(page, url) {
  return page.evaluate((u) => {
    const sent = window.__callControlBodies;
    const i = sent.findIndex((s) => s.url === u);
    return i < 0 ? null : sent.splice(i, 1)[0].body;
  }, url);
}

function problem(status, detail) {
  return { status, body: { type: 'about:blank', title: status === 409 ? 'Conflict' : 'Service Unavailable', status, detail } };
}

/** The errors the page met but the answers the test gave on purpose. */
function unexpected(errors) {
  return errors.filter((e) => !/^HTTP (409|503) POST .*\/api\/v1\/(interactions\/[^/]+\/call\/|agents\/[^/]+\/calls$)/.test(e));
}

/** A VOICE interaction from a phone number, offered to Alice (who must be available). */
async function voiceCall(number) {
  const created = await api('admin', 'POST', '/interactions', { channel: 'VOICE', from: 'tel:' + number, queueId: 'default' });
  await until('the call offered to Alice', async () => (await api('admin', 'GET', '/agents/alice')).offered.includes(created.id));
  return created.id;
}

test('the desktop dials, and holds, resumes and records a call through the PBX', async () => {
  const errors = [];
  await reporting(errors, async () => {
    const page = await (await context(browser)).newPage();
    watchErrors(page, errors);
    const pbx = await fakePbx(page);
    await signIn(page, '/desktop/', 'alice');
    await desktopPresence(page, 'AVAILABLE');
    await presence('bob', 'OFFLINE');

    // Click-to-dial, with the keyboard: the PBX cannot be reached (503), then it takes the call (202).
    pbx.answers.push(problem(503, 'the PBX cannot be reached'));
    await page.getByLabel('Number or extension').fill('03-1234-5678');
    await page.getByLabel('Number or extension').press('Enter');
    await until('the 503 shown', async () => /cannot be reached: the PBX cannot be reached/.test(await page.locator('#dial-error').innerText()));
    assert.deepEqual(pbx.requests, [{ method: 'POST', path: '/api/v1/agents/alice/calls', body: { to: '03-1234-5678' } }]);
    await page.getByRole('button', { name: 'Dial', exact: true }).click();
    await until('the call placed', async () => /Your phone rings first, then 03-1234-5678 is called/.test(await page.locator('#dial-status').innerText()));
    assert.equal(await page.locator('#dial-error').innerText(), '');
    assert.equal(pbx.requests.length, 2);
    assert.deepEqual(pbx.requests[1], pbx.requests[0]);

    // A call comes in and is accepted: hold goes to the PBX, not to the ACD.
    const id = await voiceCall('+81312345678');
    await page.locator(`#offers li[data-interaction="${id}"]`).getByRole('button', { name: 'Accept' }).click();
    await page.locator('#conv-state[data-state="CONNECTED"]').waitFor({ timeout: WAIT });
    pbx.requests.length = 0;
    pbx.answers.push(problem(409, 'the call is gone'));
    await page.getByRole('button', { name: 'Hold' }).click();
    await until('the 409 shown', async () => /The phone system refused: the call is gone/.test(await page.locator('#conv-error').innerText()));
    await page.getByRole('button', { name: 'Hold' }).click();
    await until('the hold requested', async () => /Hold requested/.test(await page.locator('#conv-info').innerText()));
    assert.equal(await page.locator('#conv-error').innerText(), '');
    const hold = { method: 'POST', path: `/api/v1/interactions/${id}/call/hold`, body: {} };
    assert.deepEqual(pbx.requests, [hold, hold]);
    assert.equal((await api('admin', 'GET', '/interactions/' + id)).state, 'CONNECTED', 'the ACD did not hold the call');

    // The call on hold (as the connector reports it): resume goes to the PBX too.
    await api('admin', 'POST', `/interactions/${id}/hold`, {});
    await page.locator('#conv-state[data-state="HELD"]').waitFor({ timeout: WAIT });
    await page.getByRole('button', { name: 'Resume' }).click();
    await until('the resume requested', async () => pbx.requests.length === 3);
    assert.deepEqual(pbx.requests[2], { method: 'POST', path: `/api/v1/interactions/${id}/call/resume`, body: {} });

    // Recording: start, then stop.
    await page.getByRole('button', { name: 'Record', exact: true }).click();
    await page.getByRole('button', { name: 'Stop recording' }).waitFor({ timeout: WAIT });
    assert.equal(await page.getByRole('button', { name: 'Record', exact: true }).isVisible(), false);
    await page.getByRole('button', { name: 'Stop recording' }).click();
    await page.getByRole('button', { name: 'Record', exact: true }).waitFor({ timeout: WAIT });
    assert.deepEqual(pbx.requests.slice(3).map((r) => [r.method, r.path, r.body]), [
      ['POST', `/api/v1/interactions/${id}/call/record`, {}],
      ['POST', `/api/v1/interactions/${id}/call/record/stop`, {}],
    ]);
    await screenshot(page, 'desktop-voice');

    // The customer's number goes into the dial field.
    await page.getByRole('button', { name: 'Call the customer' }).click();
    assert.equal(await page.getByLabel('Number or extension').inputValue(), '+81312345678');

    // In Japanese.
    await page.locator('#lang').selectOption('ja');
    await page.getByRole('button', { name: '発信', exact: true }).waitFor();
    await page.getByLabel('電話番号または内線').waitFor();
    await page.getByRole('button', { name: '録音', exact: true }).waitFor();
    assert.deepEqual(unexpected(errors), []);
  });
});

test('the supervisor listens to, whispers to and barges into an agent\'s call from its own extension', async () => {
  const errors = [];
  await reporting(errors, async () => {
    await cleanUp();
    await presence('alice', 'AVAILABLE');
    await presence('bob', 'OFFLINE');
    const id = await voiceCall('+81398765432');
    await api('alice', 'POST', `/interactions/${id}/accept`, {});

    const page = await (await context(browser)).newPage();
    watchErrors(page, errors);
    const pbx = await fakePbx(page);
    await signIn(page, '/supervisor/', 'supervisor');
    const call = page.locator(`#agents tr[data-agent="alice"] [data-call="${id}"]`);
    await call.waitFor({ timeout: WAIT });

    // Without an extension nothing is sent: the page asks for it.
    await call.getByRole('button', { name: 'Listen' }).click();
    await until('the extension asked for', async () => /Enter your extension first/.test(await page.locator('#error').innerText()));
    assert.equal(await page.evaluate(() => document.activeElement.id), 'extension');
    assert.deepEqual(pbx.requests, []);

    await page.getByLabel('My extension').fill('2001');
    await call.getByRole('button', { name: 'Listen' }).click();
    await until('listening', async () => /Listen requested: your phone 2001 rings/.test(await page.locator('#monitor-status').innerText()));
    await call.getByRole('button', { name: 'Whisper' }).focus();
    await page.keyboard.press('Enter');
    await until('whispering', async () => pbx.requests.length === 2);
    pbx.answers.push(problem(409, 'the PBX refused: no such channel'));
    await call.getByRole('button', { name: 'Barge' }).click();
    await until('the 409 shown', async () => /The phone system refused: the PBX refused: no such channel/.test(await page.locator('#error').innerText()));
    const path = `/api/v1/interactions/${id}/call/monitor`;
    assert.deepEqual(pbx.requests, [
      { method: 'POST', path, body: { mode: 'listen', extension: '2001' } },
      { method: 'POST', path, body: { mode: 'whisper', extension: '2001' } },
      { method: 'POST', path, body: { mode: 'barge', extension: '2001' } },
    ]);
    await screenshot(page, 'supervisor-voice');

    await page.locator('#lang').selectOption('ja');
    for (const name of ['モニター', 'ささやき', '割り込み']) await call.getByRole('button', { name }).waitFor();
    assert.deepEqual(unexpected(errors), []);
  });
});
