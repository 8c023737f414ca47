// Shared helpers of the browser tests: the hub under test (its URL and the keys scripts/demo.sh made), the browser
// under test driven by playwright-core (Debian's Chromium, or Debian's Firefox ESR with MUSUBI_BROWSER=firefox), the
// REST API for setting the scene, and polling with a deadline.
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, connect } from 'node:net';
import { createHash } from 'node:crypto';
import { chromium, firefox } from 'playwright-core';

export const hub = JSON.parse(readFileSync(process.env.MUSUBI_KEYS_JSON || 'target/browser-keys.json', 'utf8'));
export const WAIT = Number(process.env.MUSUBI_BROWSER_WAIT_MS || 30000);

/** The browser under test: 'chromium' (the default) or 'firefox'. */
export const BROWSER = process.env.MUSUBI_BROWSER || 'chromium';
if (BROWSER !== 'chromium' && BROWSER !== 'firefox') throw new Error(`MUSUBI_BROWSER=${BROWSER}: chromium or firefox`);

// Chromium gathers no ICE candidates on the loopback interface unless told to; the tests may run in a network
// namespace where loopback is the only interface.
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection'];

// Firefox's counterparts: fake camera and microphone without a prompt, and ICE candidates on loopback. Firefox offers
// host candidates beyond the default route's address only to a page allowed the camera (the camera and microphone
// allowed by default here, as Chromium's grantPermissions below: WebDriver BiDi cannot grant them in Firefox).
const FIREFOX_PREFS = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  'permissions.default.camera': 1,
  'permissions.default.microphone': 1,
  'media.peerconnection.ice.loopback': true,
};

/**
 * A fresh headless browser (Playwright gives every launch a new, empty profile directory). Firefox is Debian's stock
 * firefox-esr, driven over WebDriver BiDi (Playwright's 'moz-firefox' channel), not Playwright's patched Firefox.
 */
export async function launch() {
  if (BROWSER === 'firefox') {
    return firefox.launch({
      channel: 'moz-firefox',
      executablePath: process.env.FIREFOX || '/usr/bin/firefox-esr',
      headless: true,
      firefoxUserPrefs: FIREFOX_PREFS,
    });
  }
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: FLAGS,
  });
}

/** A new browser context (its own storage) with camera and microphone allowed, in a language. */
export async function context(browser, locale = 'en-US', viewport = { width: 1360, height: 900 }) {
  const ctx = await browser.newContext({ locale, viewport });
  // Firefox's WebDriver BiDi cannot grant the camera ("unsupported operation"): its prefs above allow it.
  if (BROWSER === 'chromium') await ctx.grantPermissions(['camera', 'microphone'], { origin: hub.url });
  return ctx;
}

/** The size of the widget's frame on a company page. */
export const WIDGET = { width: 400, height: 640 };

/** Calls the REST API with one of the demo keys ('admin', 'alice', 'bob', 'supervisor'). */
export async function api(who, method, path, body) {
  const headers = { Authorization: 'Bearer ' + hub[who], Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(hub.url + '/api/v1' + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

export function presence(agent, state, reason) {
  return api('admin', 'PUT', `/agents/${agent}/presence`, { state, reason });
}

/** Ends every interaction still offered to or handled by the demo agents (so each test starts clean). */
export async function cleanUp() {
  for (const agent of ['alice', 'bob']) {
    const a = await api('admin', 'GET', `/agents/${agent}`);
    for (const id of [...a.offered, ...a.assigned]) {
      await api('admin', 'POST', `/interactions/${id}/end`, {}).catch(() => {});
    }
    await presence(agent, 'OFFLINE');
  }
  const waiting = (await api('admin', 'GET', '/queues/default/waiting')).items;
  for (const w of waiting) await api('admin', 'POST', `/interactions/${w.interactionId}/end`, {}).catch(() => {});
  // call-backs held back until their time: ending one cancels it
  const scheduled = (await api('admin', 'GET', '/queues/default/scheduled')).items;
  for (const s of scheduled) await api('admin', 'POST', `/interactions/${s.interaction.id}/end`, {}).catch(() => {});
}

/** Polls until f() returns a truthy value; fails with `what` after the deadline. */
export async function until(what, f, timeout = WAIT) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await f();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}` + (last ? `: ${last.message}` : ''));
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Saves a screenshot when SCREENSHOT_DIR is set. */
export async function screenshot(page, name) {
  const dir = process.env.SCREENSHOT_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, name + '.png') });
}

/** Signs in on the desktop or the supervisor page with a demo key. */
export async function signIn(page, path, who, base = hub.url) {
  await page.goto(base + path);
  await page.locator('#credential').fill(hub[who]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#app').waitFor({ state: 'visible', timeout: WAIT });
}

/** Sets the agent's presence on its desktop. */
export async function desktopPresence(page, state) {
  await page.locator('#presence').selectOption(state);
  await page.locator('#presence-form').getByRole('button', { name: 'Set' }).click();
  await page.locator(`#presence-now[data-presence="${state}"]`).waitFor({ timeout: WAIT });
}

/**
 * In Firefox, Playwright's page.screenshot() adds a <style>body {}</style> for a moment (to settle animations); the
 * pages' Content-Security-Policy refuses it, and Firefox reports that as an error of the page. That refusal, known by
 * the hash Firefox names, is the test's doing; any other CSP refusal is the page's and counts.
 */
const SCREENSHOT_STYLE = 'sha256-' + createHash('sha256').update('body {}').digest('base64');

/**
 * Collects what goes wrong inside a page for the assertions: uncaught errors, console errors, and answers of 400 or
 * more from the hub (but the 409 of a signals stream for a channel without a live connection, which is expected).
 */
export function watchErrors(page, errors) {
  page.on('pageerror', (e) => { if (!e.message.includes(SCREENSHOT_STYLE)) errors.push('pageerror: ' + e.message); });
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource') && !m.text().includes(SCREENSHOT_STYLE)) {
      errors.push('console: ' + m.text());
    }
  });
  page.on('requestfailed', (r) => {
    if (!/\/(stream|signals|events)$/.test(new URL(r.url()).pathname)) {
      errors.push(`failed ${r.method()} ${r.url()}: ${r.failure() && r.failure().errorText}`);
    }
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !(r.status() === 409 && r.url().endsWith('/signals'))) {
      errors.push(`HTTP ${r.status()} ${r.request().method()} ${r.url()}`);
    }
  });
}

/** Runs a test body; on failure the browser errors seen so far are added to the message. */
export async function reporting(errors, body) {
  try {
    await body();
  } catch (e) {
    e.message += errors.length ? '\nbrowser errors:\n  ' + errors.join('\n  ') : '\n(no browser errors)';
    throw e;
  }
}

/**
 * A TCP proxy in front of the hub, to break the network between a page and the hub: cut() drops every connection and
 * refuses new ones, stallStreams() keeps the open event-stream connections but silently drops what the hub sends on
 * them (a dead connection nobody reports), restore() lets new connections through again.
 */
export async function networkProxy() {
  const target = new URL(hub.url);
  const pairs = new Set();
  let refusing = false;
  const server = createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(target.port), target.hostname);
    const pair = { client, upstream, stalled: false, stream: false };
    pairs.add(pair);
    client.on('data', (d) => {
      if (d.toString('latin1').startsWith('GET /api/v1/events')) pair.stream = true;
      upstream.write(d);
    });
    upstream.on('data', (d) => { if (!pair.stalled) client.write(d); });
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    cut() {
      refusing = true;
      for (const p of [...pairs]) {
        p.client.destroy();
        p.upstream.destroy();
      }
    },
    /** The event streams' connections stay open but carry nothing more from the hub. */
    stallStreams() {
      for (const p of pairs) if (p.stream) p.stalled = true;
    },
    restore() {
      refusing = false;
    },
    close() {
      this.cut();
      server.close();
    },
  };
}
