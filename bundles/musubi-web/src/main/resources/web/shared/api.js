// The REST API client of the desktop and the supervisor view. The credential (an API key or a JWT) lives in this
// object only — never in localStorage, sessionStorage or a cookie — so closing or reloading the page signs out.
import { EventStream } from './sse.js';

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || ('HTTP ' + status));
    this.status = status;
    this.problem = problem || {};
  }
}

export function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/**
 * How long a silent event stream is trusted: 45 s (three of the hub's heartbeats), or ?streamIdleSeconds=N (at least 2)
 * on the page's URL, for a proxy with other timeouts (or a test).
 */
function idleMillis() {
  const n = Number(new URLSearchParams(location.search).get('streamIdleSeconds'));
  return n >= 2 ? n * 1000 : 45000;
}

export class Api {
  #credential = null;

  constructor(base = '/api/v1') {
    this.base = base;
  }

  get signedIn() {
    return this.#credential !== null;
  }

  /** Checks the credential with GET /me and keeps it (in memory) when it works. */
  async signIn(credential) {
    const value = String(credential || '').trim();
    if (!value) throw new ApiError(401, { detail: 'empty credential' });
    this.#credential = value;
    try {
      return await this.get('/me');
    } catch (e) {
      this.#credential = null;
      throw e;
    }
  }

  signOut() {
    this.#credential = null;
  }

  authorization() {
    return this.#credential ? { Authorization: 'Bearer ' + this.#credential } : {};
  }

  async request(method, path, body, extraHeaders = {}) {
    const headers = { Accept: 'application/json', ...this.authorization(), ...extraHeaders };
    const init = { method, headers, cache: 'no-store' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetch(this.base + path, init);
    const text = await response.text();
    let json = null;
    if (text) {
      try { json = JSON.parse(text); } catch (e) { json = null; }
    }
    if (!response.ok) throw new ApiError(response.status, json);
    return json;
  }

  get(path) { return this.request('GET', path); }

  /**
   * Every item of a list resource ({items, nextCursor}, docs/rest.md "lists"), following nextCursor page by page
   * (at most `maxPages`, so a runaway list cannot hang the page).
   */
  async list(path, maxPages = 100) {
    const items = [];
    let cursor = null;
    for (let n = 0; n < maxPages; n++) {
      const sep = path.includes('?') ? '&' : '?';
      const page = await this.get(cursor ? path + sep + 'cursor=' + encodeURIComponent(cursor) : path);
      items.push(...(page.items || []));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    return items;
  }
  put(path, body) { return this.request('PUT', path, body); }
  /** A POST; pass the same idempotencyKey when repeating a request whose answer was lost. */
  post(path, body = {}, idempotencyKey = null) {
    return this.request('POST', path, body, idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {});
  }

  /** An event stream of the API (SSE), authenticated with the credential of this client. */
  stream(path, options) {
    return new EventStream(this.base + path, { idleMillis: idleMillis(), ...options,
      headers: () => this.authorization() });
  }
}
