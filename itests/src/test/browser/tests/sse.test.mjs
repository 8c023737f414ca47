// The pages' Server-Sent Events client (shared/sse.js) against a small local server, in Node.js (which has fetch and
// TextDecoder like a browser): frames parsed as the HTML standard says, the credential header on every connection,
// and after a dropped connection a reconnection that sends the id of the last event seen as Last-Event-ID.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

// The page's module as the browser gets it (loaded from its text: its .js file is an ES module without a package.json
// telling Node so).
const source = readFileSync(new URL('../../../../../bundles/musubi-web/src/main/resources/web/shared/sse.js',
  import.meta.url), 'utf8');
const { EventStream } = await import('data:text/javascript,' + encodeURIComponent(source));

// No browser is involved: the Chromium pass runs these, the Firefox pass says so and skips them.
const skip = (process.env.MUSUBI_BROWSER || 'chromium') !== 'chromium'
  && 'runs in Node.js, not in a browser: once, in the Chromium pass';

test('the event stream reconnects after a drop and resumes after the last event id', { skip }, async () => {
  const connections = [];
  const server = createServer((req, res) => {
    connections.push({ lastEventId: req.headers['last-event-id'], authorization: req.headers.authorization });
    res.writeHead(200, { 'Content-Type': 'text/event-stream' });
    if (connections.length === 1) {
      // Two events (one split over two data lines, CRLF line ends), a comment, then the connection drops.
      res.write(': connected\r\n\r\nid: 41\r\nevent: offered\r\ndata: {"a":\r\ndata: 1}\r\n\r\n');
      res.write('id: 42\nevent: accepted\ndata: {"b":2}\n\n: heartbeat\n\n');
      setTimeout(() => res.destroy(), 50);
    } else {
      res.write('id: 43\nevent: ended\ndata: {"c":3}\n\n');
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}/api/v1/events`;
  const events = [];
  const states = [];
  let token = 'first';
  const stream = new EventStream(url, {
    headers: () => ({ Authorization: 'Bearer ' + token }),
    onEvent: (type, data, id) => { events.push({ type, data, id }); token = 'second'; },
    onState: (s) => states.push(s),
  }).start();
  const deadline = Date.now() + 10000;
  while (events.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  stream.close();
  server.close();

  assert.deepEqual(events, [
    { type: 'offered', data: '{"a":\n1}', id: '41' },
    { type: 'accepted', data: '{"b":2}', id: '42' },
    { type: 'ended', data: '{"c":3}', id: '43' },
  ]);
  assert.equal(connections[0].lastEventId, undefined);
  assert.equal(connections[1].lastEventId, '42', 'the reconnection resumes after the last event seen');
  assert.equal(connections[0].authorization, 'Bearer first');
  assert.equal(connections[1].authorization, 'Bearer second', 'the headers are asked for on every connection');
  assert.ok(states.includes('retrying'));
});

test('the event stream gives up on a refusal instead of hammering the server', { skip }, async () => {
  let calls = 0;
  const server = createServer((req, res) => {
    calls += 1;
    res.writeHead(401, { 'Content-Type': 'application/problem+json' });
    res.end('{"status":401,"detail":"credentials required"}');
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const failed = await new Promise((resolve) => {
    new EventStream(`http://127.0.0.1:${server.address().port}/`, {
      onState: (s, detail) => { if (s === 'failed') resolve(detail); },
    }).start();
  });
  server.close();
  assert.deepEqual(failed, { status: 401, detail: 'credentials required' });
  assert.equal(calls, 1);
});
