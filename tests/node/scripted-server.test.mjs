// The scripted test server (tests/support/scripted-server.mjs) itself, observed with plain fetch and
// node:http: each step kind does what the wrapper's tests will rely on, resets surface as the undici
// errors real servers cause, and close() leaves nothing that would keep a test process alive.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  formatAsctimeDate,
  formatImfFixdate,
  formatRfc850Date,
  retryAfterHeaders,
  startScriptedServer,
} from '../support/scripted-server.mjs';

/** The error a fetch (and reading its body) ends with, and whether the headers had arrived. */
async function failure(url, init) {
  let headersArrived = false;
  try {
    const response = await fetch(url, init);
    headersArrived = true;
    await response.text();
  } catch (error) {
    return { error, code: error.cause?.code, headersArrived };
  }
  assert.fail(`expected ${url} to fail`);
}

describe('scripted steps', () => {
  let server;
  before(async () => {
    server = await startScriptedServer();
  });
  after(() => server.close());

  test('steps are consumed one per request, `times` repeats a step, the last step repeats', async () => {
    const url = server.script('/seq', [
      { status: 503, times: 2, body: { message: 'Service Unavailable' } },
      { status: 200, body: 'done' },
    ]);
    const seen = [];
    for (let i = 0; i < 4; i += 1) {
      const response = await fetch(url);
      seen.push([response.status, await response.text()]);
    }
    assert.deepEqual(seen, [
      [503, '{"message":"Service Unavailable"}'],
      [503, '{"message":"Service Unavailable"}'],
      [200, 'done'],
      [200, 'done'],
    ]);
    assert.deepEqual(server.requests('/seq').map((r) => [r.step, r.outcome]), [[0, 503], [1, 503], [2, 200], [2, 200]]);
  });

  test('bodies: objects as JSON, strings as text, bytes as is; headers as given, null leaves one out', async () => {
    server.script('/json', { body: { a: 1 } });
    server.script('/text', { status: 201, body: 'hi', headers: { 'x-two': ['a', 'b'], date: null } });
    server.script('/bytes', { body: new Uint8Array([1, 2, 3]) });
    const json = await fetch(`${server.origin}/json`);
    assert.equal(json.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.deepEqual(await json.json(), { a: 1 });
    const text = await fetch(`${server.origin}/text`);
    assert.equal(text.status, 201);
    assert.equal(text.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.equal(text.headers.get('x-two'), 'a, b', 'an array is sent as repeated header lines');
    assert.equal(text.headers.get('date'), null);
    assert.equal(await text.text(), 'hi');
    const bytes = await fetch(`${server.origin}/bytes`);
    assert.deepEqual(new Uint8Array(await bytes.arrayBuffer()), new Uint8Array([1, 2, 3]));
  });

  test('unscripted paths answer the fallback (404) and are recorded too', async () => {
    const response = await fetch(`${server.origin}/nowhere?x=1`);
    assert.equal(response.status, 404);
    assert.deepEqual(await response.json(), { message: 'Not scripted' });
    const [record] = server.requests('/nowhere');
    assert.equal(record.url, '/nowhere?x=1');
    assert.equal(record.step, null);
  });

  test('records method, url, lowercased headers, body text and arrival times', async () => {
    const url = server.script('/orders', [{ status: 503, times: 2 }, { status: 201 }]);
    const t0 = performance.now();
    for (let i = 0; i < 3; i += 1) {
      const response = await fetch(`${url}?page=${i}`, {
        method: 'POST',
        headers: { 'Idempotency-Key': 'key-1', 'Content-Type': 'application/json' },
        body: JSON.stringify({ attempt: i }),
      });
      await response.arrayBuffer();
      if (i < 2) await new Promise((resolve) => setTimeout(resolve, 30));
    }
    const records = server.requests('/orders');
    assert.deepEqual(records.map((r) => r.method), ['POST', 'POST', 'POST']);
    assert.deepEqual(records.map((r) => r.url), ['/orders?page=0', '/orders?page=1', '/orders?page=2']);
    assert.deepEqual(records.map((r) => r.headers['idempotency-key']), ['key-1', 'key-1', 'key-1']);
    assert.deepEqual(records.map((r) => r.body), ['{"attempt":0}', '{"attempt":1}', '{"attempt":2}']);
    assert.ok(records[0].at >= t0, 'arrival times share the test process clock');
    const gaps = server.gapsMs('/orders');
    assert.equal(gaps.length, 2);
    for (const gap of gaps) assert.ok(gap >= 25, `gap ${gap} ms`);
  });

  test('a step function decides from the request (401 unless Authorization: Bearer fresh)', async () => {
    const url = server.script('/private', (record) =>
      record.headers.authorization === 'Bearer fresh' ? { body: 'secret' } : { status: 401 },
    );
    assert.equal((await fetch(url, { headers: { authorization: 'Bearer stale' } })).status, 401);
    const ok = await fetch(url, { headers: { authorization: 'Bearer fresh' } });
    assert.equal(ok.status, 200);
    assert.equal(await ok.text(), 'secret');
  });

  test('bad steps are rejected when scripted, naming the field', () => {
    assert.throws(() => server.script('/bad', { stauts: 200 }), { name: 'TypeError', message: /`stauts`/ });
    assert.throws(() => server.script('/bad', { reset: 'sometimes' }), /`reset` must be/);
    assert.throws(() => server.script('/bad', { delayMs: -1 }), /`delayMs`/);
    assert.throws(() => server.script('/bad', []), /at least one step/);
    assert.throws(() => server.script('bad', {}), /start with \//);
  });

  test('reset before-headers: no answer at all (UND_ERR_SOCKET; ECONNRESET with rst)', async () => {
    const fin = await failure(server.script('/reset-fin', { reset: 'before-headers' }));
    assert.equal(fin.error.message, 'fetch failed');
    assert.equal(fin.code, 'UND_ERR_SOCKET');
    assert.equal(fin.headersArrived, false);
    const rst = await failure(server.script('/reset-rst', { reset: 'before-headers', rst: true }));
    assert.equal(rst.code, 'ECONNRESET');
    assert.equal(server.requests('/reset-fin')[0].body, null, 'the body was never read');
    assert.equal(server.requests('/reset-fin')[0].outcome, 'reset');
  });

  test('reset after-request-body: the whole body is read, then the socket is destroyed', async () => {
    const url = server.script('/reset-after', { reset: 'after-request-body' });
    const { code, headersArrived } = await failure(url, { method: 'POST', body: 'payload' });
    assert.equal(code, 'UND_ERR_SOCKET');
    assert.equal(headersArrived, false);
    assert.equal(server.requests('/reset-after')[0].body, 'payload');
  });

  test('reset mid-body: headers and afterBytes of the body arrive, then the socket is destroyed', async () => {
    const url = server.script('/mid', { reset: 'mid-body', body: 'x'.repeat(100), afterBytes: 10 });
    const response = await fetch(url);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-length'), '100');
    const reader = response.body.getReader();
    let received = 0;
    const error = await (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return null;
          received += value.length;
        }
      } catch (caught) {
        return caught;
      }
    })();
    assert.equal(received, 10);
    assert.equal(error?.message, 'terminated');
    assert.equal(error.cause?.code, 'UND_ERR_SOCKET');
  });

  test('truncate: a Content-Length larger than what is sent, then the connection ends', async () => {
    const url = server.script('/short', { truncate: true, body: 'abc', contentLength: 50 });
    const { error, code, headersArrived } = await failure(url);
    assert.equal(headersArrived, true);
    assert.equal(error.message, 'terminated');
    assert.equal(code, 'UND_ERR_SOCKET');
  });

  test('delayMs holds the headers back (slow headers; a client timeout fires first)', async () => {
    const url = server.script('/slow', { delayMs: 80, body: 'late' });
    const t0 = performance.now();
    const response = await fetch(url);
    assert.ok(performance.now() - t0 >= 75, 'headers after the delay');
    assert.equal(await response.text(), 'late');
    const timedOut = await failure(url, { signal: AbortSignal.timeout(20) });
    assert.equal(timedOut.error.name, 'TimeoutError');
    assert.equal(timedOut.headersArrived, false);
  });

  test('bodyDelayMs and chunks: headers at once, the body slowly in pieces (chunked)', async () => {
    const url = server.script('/drip', { body: 'abcdef', chunks: 3, bodyDelayMs: 25 });
    const t0 = performance.now();
    const response = await fetch(url);
    const headersAfter = performance.now() - t0;
    assert.equal(response.headers.get('transfer-encoding'), 'chunked');
    assert.equal(await response.text(), 'abcdef');
    const total = performance.now() - t0;
    assert.ok(total >= 70, `body after ${total} ms`);
    assert.ok(total - headersAfter >= 40, `headers after ${headersAfter} ms, long before the body (${total} ms)`);
  });

  test('redirects: 301 to another path is followed; manual mode sees the Location', async () => {
    server.script('/old', { redirect: '/new', status: 301 });
    server.script('/new', { body: 'moved here' });
    const followed = await fetch(`${server.origin}/old`);
    assert.equal(followed.status, 200);
    assert.equal(followed.redirected, true);
    assert.equal(followed.url, `${server.origin}/new`);
    assert.equal(await followed.text(), 'moved here');
    const manual = await fetch(`${server.origin}/old`, { redirect: 'manual' });
    assert.equal(manual.status, 301);
    assert.equal(manual.headers.get('location'), '/new');
    await manual.arrayBuffer();
  });

  test('redirects: 302 by default; 307 keeps the method and body', async () => {
    server.script('/tmp', { redirect: '/new' });
    const manual = await fetch(`${server.origin}/tmp`, { redirect: 'manual' });
    assert.equal(manual.status, 302);
    await manual.arrayBuffer();
    server.script('/submit', { redirect: '/landing', status: 307 });
    server.script('/landing', { status: 201 });
    const response = await fetch(`${server.origin}/submit`, { method: 'PUT', body: 'data' });
    assert.equal(response.status, 201);
    const [landed] = server.requests('/landing');
    assert.equal(landed.method, 'PUT');
    assert.equal(landed.body, 'data');
  });

  test('conditional: ETag and Last-Modified on 200; 304 without a body on a matching If-None-Match', async () => {
    const lastModified = new Date('2024-01-02T03:04:05Z');
    const url = server.script('/doc', {
      etag: '"v1"',
      lastModified,
      body: { v: 1 },
      headers: { 'cache-control': 'no-cache' },
    });
    const first = await fetch(url);
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('etag'), '"v1"');
    assert.equal(first.headers.get('last-modified'), 'Tue, 02 Jan 2024 03:04:05 GMT');
    assert.deepEqual(await first.json(), { v: 1 });

    const revalidated = await fetch(url, { headers: { 'if-none-match': '"v0", W/"v1"' } });
    assert.equal(revalidated.status, 304);
    assert.equal(revalidated.headers.get('etag'), '"v1"');
    assert.equal(revalidated.headers.get('cache-control'), 'no-cache');
    assert.equal(await revalidated.text(), '');

    assert.equal((await fetch(url, { headers: { 'if-none-match': '"v0"' } })).status, 200);
    const since = await fetch(url, { headers: { 'if-modified-since': 'Tue, 02 Jan 2024 03:04:05 GMT' } });
    assert.equal(since.status, 304);
    const older = await fetch(url, { headers: { 'if-modified-since': 'Mon, 01 Jan 2024 00:00:00 GMT' } });
    assert.equal(older.status, 200);
    await older.arrayBuffer();
    // If-None-Match wins over If-Modified-Since (RFC 9110 §13.1.3).
    const both = await fetch(url, {
      headers: { 'if-none-match': '"v0"', 'if-modified-since': 'Tue, 02 Jan 2024 03:04:05 GMT' },
    });
    assert.equal(both.status, 200);
    await both.arrayBuffer();
    assert.deepEqual(server.requests('/doc').map((r) => r.outcome), [200, 304, 200, 304, 200, 200]);
  });

  test('reset() forgets scripts and records', async () => {
    server.script('/gone-soon', { status: 410 });
    await (await fetch(`${server.origin}/gone-soon`)).arrayBuffer();
    server.reset();
    assert.deepEqual(server.requests(), []);
    assert.equal((await fetch(`${server.origin}/gone-soon`)).status, 404);
  });
});

describe('Retry-After helpers', () => {
  // RFC 9110 §5.6.7's own example instant, in each of its three forms.
  const instant = new Date('1994-11-06T08:49:37Z');

  test('format HTTP-dates in all three forms', () => {
    assert.equal(formatImfFixdate(instant), 'Sun, 06 Nov 1994 08:49:37 GMT');
    assert.equal(formatRfc850Date(instant), 'Sunday, 06-Nov-94 08:49:37 GMT');
    assert.equal(formatAsctimeDate(instant), 'Sun Nov  6 08:49:37 1994');
    assert.equal(formatRfc850Date(new Date('2005-03-09T00:00:00Z')), 'Wednesday, 09-Mar-05 00:00:00 GMT');
    assert.equal(formatAsctimeDate(new Date('2025-12-25T23:59:59Z')), 'Thu Dec 25 23:59:59 2025');
  });

  test('retryAfterHeaders gives delay-seconds, or a date exactly the delay after its Date header', () => {
    assert.deepEqual(retryAfterHeaders(1500), { 'retry-after': '2' });
    assert.deepEqual(retryAfterHeaders(0), { 'retry-after': '0' });
    const now = new Date('1994-11-06T08:49:35.700Z');
    assert.deepEqual(retryAfterHeaders(2000, 'imf', now), {
      'retry-after': 'Sun, 06 Nov 1994 08:49:37 GMT',
      date: 'Sun, 06 Nov 1994 08:49:35 GMT',
    });
    assert.equal(retryAfterHeaders(2000, 'rfc850', now)['retry-after'], 'Sunday, 06-Nov-94 08:49:37 GMT');
    assert.equal(retryAfterHeaders(2000, 'asctime', now)['retry-after'], 'Sun Nov  6 08:49:37 1994');
    assert.throws(() => retryAfterHeaders(1000, 'iso'), TypeError);
  });

  test('a scripted Date header replaces the one node:http adds', async () => {
    const server = await startScriptedServer();
    try {
      const headers = retryAfterHeaders(3000, 'rfc850', instant);
      const response = await fetch(server.script('/busy', { status: 429, headers }));
      assert.equal(response.headers.get('date'), 'Sun, 06 Nov 1994 08:49:37 GMT');
      assert.equal(response.headers.get('retry-after'), 'Sunday, 06-Nov-94 08:49:40 GMT');
      await response.arrayBuffer();
    } finally {
      await server.close();
    }
  });
});

describe('hangs and close()', () => {
  test('hang: the request is accepted and never answered; close() ends it and resolves', async () => {
    const server = await startScriptedServer();
    const url = server.script('/hang', { hang: true });
    const pending = failure(url, { method: 'POST', body: 'waiting' });
    await server.waitForRequests(1, '/hang');
    assert.equal(server.requests('/hang')[0].body, 'waiting');
    const t0 = performance.now();
    await server.close();
    assert.ok(performance.now() - t0 < 500, 'close() does not wait for the hung request');
    const { code, headersArrived } = await pending;
    assert.equal(code, 'UND_ERR_SOCKET');
    assert.equal(headersArrived, false);
    await server.close(); // idempotent
  });

  test("hang 'after-headers': the status arrives, the body never does", async () => {
    const server = await startScriptedServer();
    try {
      const response = await fetch(server.script('/stall', { hang: 'after-headers', status: 200 }));
      assert.equal(response.status, 200);
      const body = response.text();
      await server.close();
      await assert.rejects(body, { message: 'terminated' });
    } finally {
      await server.close();
    }
  });

  test('close() during a delay clears the timer and the client sees the socket close', async () => {
    const server = await startScriptedServer();
    const pending = failure(server.script('/later', { delayMs: 10_000 }));
    await server.waitForRequests(1);
    await server.close();
    assert.equal((await pending).code, 'UND_ERR_SOCKET');
  });

  test('a script that leaves a hung request, a long delay and a slow body exits promptly after close()', async () => {
    const module = fileURLToPath(new URL('../support/scripted-server.mjs', import.meta.url));
    const program = `
      import { startScriptedServer } from ${JSON.stringify(module)};
      const server = await startScriptedServer();
      server.script('/hang', { hang: true });
      server.script('/delay', { delayMs: 60000 });
      server.script('/drip', { body: 'abc', chunks: 3, bodyDelayMs: 60000 });
      const settle = (p) => p.then((r) => r.text()).catch(() => {});
      const all = ['/hang', '/delay', '/drip'].map((p) => settle(fetch(server.origin + p)));
      await server.waitForRequests(3);
      await server.close();
      await Promise.all(all);
    `;
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--input-type=module', '-e', program], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    assert.equal(code, 0, stderr);
    assert.ok(performance.now() - t0 < 3000, `exited after ${Math.round(performance.now() - t0)} ms`);
  });
});

describe('CORS and a second origin', () => {
  test('no cors: no CORS headers, preflights refused', async () => {
    const server = await startScriptedServer();
    try {
      const response = await fetch(server.script('/plain', { status: 429, headers: { 'retry-after': '1' } }), {
        headers: { origin: 'http://127.0.0.1:1' },
      });
      assert.equal(response.headers.get('access-control-allow-origin'), null);
      await response.arrayBuffer();
      const preflight = await fetch(`${server.origin}/plain`, {
        method: 'OPTIONS',
        headers: { origin: 'http://127.0.0.1:1', 'access-control-request-method': 'POST' },
      });
      assert.equal(preflight.status, 403);
      assert.equal(preflight.headers.get('access-control-allow-origin'), null);
      assert.equal(server.requests('/plain').length, 1, 'the preflight consumed no step');
      assert.equal(server.preflights('/plain').length, 1);
    } finally {
      await server.close();
    }
  });

  test('cors: Allow-Origin present, Retry-After exposed or not, per server, path or step', async () => {
    const server = await startScriptedServer({ cors: true });
    try {
      const hidden = await fetch(server.script('/hidden', { status: 503, headers: { 'retry-after': '1' } }));
      assert.equal(hidden.headers.get('access-control-allow-origin'), '*');
      assert.equal(hidden.headers.get('access-control-expose-headers'), null);
      await hidden.arrayBuffer();

      const exposedUrl = server.script('/exposed', { status: 429, headers: { 'retry-after': '1' } }, {
        cors: { exposeHeaders: ['Retry-After', 'Date'] },
      });
      const exposed = await fetch(exposedUrl);
      assert.equal(exposed.headers.get('access-control-expose-headers'), 'Retry-After, Date');
      await exposed.arrayBuffer();

      const missing = await fetch(server.script('/missing', { status: 503, cors: { allowOrigin: null } }));
      assert.equal(missing.headers.get('access-control-allow-origin'), null);
      await missing.arrayBuffer();

      const reflectUrl = server.script('/reflect', { cors: { allowOrigin: 'reflect', allowCredentials: true } });
      const reflected = await fetch(reflectUrl, { headers: { origin: 'http://127.0.0.1:1' } });
      assert.equal(reflected.headers.get('access-control-allow-origin'), 'http://127.0.0.1:1');
      assert.equal(reflected.headers.get('access-control-allow-credentials'), 'true');
      assert.equal(reflected.headers.get('vary'), 'Origin');
      await reflected.arrayBuffer();
    } finally {
      await server.close();
    }
  });

  test('preflight: answered 204 echoing the method and headers asked for, recorded apart', async () => {
    const server = await startScriptedServer({ cors: { maxAge: 0 } });
    try {
      server.script('/orders', { status: 201 });
      server.script('/denied', { status: 201 }, { cors: { preflight: false } });
      const preflight = await fetch(`${server.origin}/orders`, {
        method: 'OPTIONS',
        headers: {
          origin: 'http://127.0.0.1:1',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'idempotency-key,content-type',
        },
      });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
      assert.equal(preflight.headers.get('access-control-allow-methods'), 'POST');
      assert.equal(preflight.headers.get('access-control-allow-headers'), 'idempotency-key,content-type');
      assert.equal(preflight.headers.get('access-control-max-age'), '0');
      const denied = await fetch(`${server.origin}/denied`, {
        method: 'OPTIONS',
        headers: { origin: 'http://127.0.0.1:1', 'access-control-request-method': 'POST' },
      });
      assert.equal(denied.status, 403);
      assert.equal(denied.headers.get('access-control-allow-origin'), null);
      // A plain OPTIONS (no Access-Control-Request-Method) is an ordinary scripted request.
      assert.equal((await fetch(`${server.origin}/orders`, { method: 'OPTIONS' })).status, 201);
      assert.equal(server.preflights().length, 2);
      assert.deepEqual(server.requests('/orders').map((r) => r.method), ['OPTIONS']);
    } finally {
      await server.close();
    }
  });

  test('crossOrigin: a second server on another port with its own CORS, closed together', async () => {
    const server = await startScriptedServer({ crossOrigin: { exposeHeaders: ['Retry-After'] } });
    const other = server.crossOrigin;
    assert.notEqual(other.origin, server.origin);
    const response = await fetch(other.script('/api', { status: 429, headers: { 'retry-after': '1' } }));
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.equal(response.headers.get('access-control-expose-headers'), 'Retry-After');
    await response.arrayBuffer();
    await server.close();
    assert.equal(other.server.listening, false);
  });
});

describe('raw node:http client', () => {
  test('HEAD gets the headers without a body', async () => {
    const server = await startScriptedServer();
    try {
      server.script('/head', { body: 'abcdef' });
      const { statusCode, headers, body } = await new Promise((resolve, reject) => {
        request(`${server.origin}/head`, { method: 'HEAD' }, (res) => {
          let text = '';
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve({ statusCode: res.statusCode, headers: res.headers, body: text }));
        })
          .on('error', reject)
          .end();
      });
      assert.equal(statusCode, 200);
      assert.equal(headers['content-length'], '6');
      assert.equal(body, '');
    } finally {
      await server.close();
    }
  });
});
