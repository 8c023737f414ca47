// A Server-Sent Events client on fetch(), so that requests can carry an Authorization header (the browser's
// EventSource cannot) and the credential stays in memory. It parses the stream as the HTML standard says
// (fields id, event, data, retry; comments ignored), and after a network drop or a closed stream it reconnects
// with back-off, sending the id of the last event it saw as Last-Event-ID so the server resumes after it.
// A drop that nobody reports (a lost network leaves the connection open and silent) is noticed by a watchdog: the
// hub sends a heartbeat every 15 s, so a stream silent for idleMillis (45 s) is given up and reconnected.

export class EventStream {
  /**
   * @param {string} url
   * @param {object} options
   *   headers: () => object      extra headers for every (re)connection (e.g. the current Authorization)
   *   onEvent: (type, data, id)  each dispatched event; data is the joined data lines
   *   onState: (state, detail)   'connecting' | 'open' | 'retrying' | 'closed' | 'failed'
   *   stopOn: number[]           HTTP statuses after which it gives up (default 400, 401, 403, 404, 409)
   *   idleMillis: number         silence after which the connection is taken for dead (default 45000)
   */
  constructor(url, options = {}) {
    this.url = url;
    this.headers = options.headers || (() => ({}));
    this.onEvent = options.onEvent || (() => {});
    this.onState = options.onState || (() => {});
    this.stopOn = options.stopOn || [400, 401, 403, 404, 409];
    this.lastEventId = options.lastEventId || '';
    this.idleMillis = options.idleMillis || 45000;
    this.watchdog = null;
    this.minDelay = 500;
    this.maxDelay = 30000;
    this.delay = this.minDelay;
    this.controller = null;
    this.closed = false;
    this.timer = null;
  }

  start() {
    this.closed = false;
    this.connect();
    return this;
  }

  close() {
    this.closed = true;
    clearTimeout(this.timer);
    clearTimeout(this.watchdog);
    if (this.controller) this.controller.abort();
    this.onState('closed');
  }

  /** Drops the current connection now and reconnects (e.g. after the credential changed). */
  reconnect() {
    if (this.controller) this.controller.abort();
  }

  async connect() {
    if (this.closed) return;
    this.onState('connecting');
    const controller = new AbortController();
    this.controller = controller;
    const headers = { Accept: 'text/event-stream', ...this.headers() };
    if (this.lastEventId) headers['Last-Event-ID'] = this.lastEventId;
    let response;
    this.alive(controller); // an answer that never comes is a dead connection too
    try {
      response = await fetch(this.url, { headers, signal: controller.signal, cache: 'no-store' });
    } catch (e) {
      clearTimeout(this.watchdog);
      return this.retry('network');
    }
    if (!response.ok) {
      clearTimeout(this.watchdog);
      if (this.stopOn.includes(response.status)) {
        let detail = '';
        try { detail = (await response.json()).detail || ''; } catch (e) { /* not JSON */ }
        this.closed = true;
        this.onState('failed', { status: response.status, detail });
        return;
      }
      return this.retry('status ' + response.status);
    }
    this.delay = this.minDelay;
    this.onState('open');
    this.alive(controller);
    try {
      await this.read(response.body.getReader(), controller);
    } catch (e) {
      // aborted or dropped: reconnect below
    }
    clearTimeout(this.watchdog);
    this.retry(controller.signal.aborted && !this.closed ? 'silent' : 'ended');
  }

  retry(reason) {
    if (this.closed) return;
    this.onState('retrying', { reason, delay: this.delay });
    const wait = this.delay + Math.floor(Math.random() * this.delay / 2);
    this.delay = Math.min(this.maxDelay, this.delay * 2);
    this.timer = setTimeout(() => this.connect(), wait);
  }

  /** (Re)arms the watchdog of the current connection. */
  alive(controller) {
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => controller.abort(), this.idleMillis);
  }

  async read(reader, controller) {
    const decoder = new TextDecoder();
    let buffer = '';
    let type = '';
    let data = [];
    let id = null;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      this.alive(controller);
      buffer += decoder.decode(value, { stream: true });
      let newline;
      while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
        if (line === '') {
          if (id !== null) this.lastEventId = id;
          if (data.length) {
            try {
              this.onEvent(type || 'message', data.join('\n'), this.lastEventId);
            } catch (e) {
              console.error('event handler failed', e);
            }
          }
          type = '';
          data = [];
          id = null;
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let val = colon < 0 ? '' : line.slice(colon + 1);
        if (val.startsWith(' ')) val = val.slice(1);
        if (field === 'event') type = val;
        else if (field === 'data') data.push(val);
        else if (field === 'id' && !val.includes('\0')) id = val;
        else if (field === 'retry' && /^\d+$/.test(val)) this.minDelay = Number(val);
      }
    }
  }
}
