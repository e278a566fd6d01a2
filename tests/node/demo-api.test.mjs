// The demo page's scripted endpoints (scripts/demo-api.mjs) served in-process by the static server on
// 127.0.0.1, each route observed with plain fetch: statuses, bodies, wait hints, state per key, and the
// verdict the built package gives each reply, so the demo shows what its buttons say it shows.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { classify, classifyError } from '../../pkg/node.js';
import { createDemoApi } from '../../scripts/demo-api.mjs';
import { startStaticServer } from '../../scripts/lib/static-server.mjs';

let server;
let base;
let run = 0;
/** A key no other test has used, so every stateful scenario starts from its first request. */
const freshKey = () => `run-${process.pid}-${(run += 1)}`;

before(async () => {
  server = await startStaticServer({ handlers: [createDemoApi()] });
  base = server.url.replace(/\/$/, '');
});
after(() => server.close());

/** Status, headers and parsed body (null when empty) of a GET. */
async function get(path, init) {
  const response = await fetch(`${base}${path}`, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null, response, text };
}

/** The verdict the built package gives a reply (the demo shows these). */
function verdictOf({ status, headers, text }) {
  return classify({ status, headers: Object.fromEntries(headers), body: text });
}

describe('stateful scenarios (per key)', () => {
  test('flaky: 503 then 200 (unchanged), DELETE forgets the count', async () => {
    const key = freshKey();
    const first = await get(`/api/flaky/${key}?failures=1&retryAfter=0`);
    assert.equal(first.status, 503);
    assert.equal(first.headers.get('retry-after'), '0');
    assert.equal(verdictOf(first).kind, 'service_unavailable');
    assert.equal((await get(`/api/flaky/${key}?failures=1`)).status, 200);
    assert.equal((await fetch(`${base}/api/flaky/${key}`, { method: 'DELETE' })).status, 204);
    assert.equal((await get(`/api/flaky/${key}?failures=1`)).status, 503);
    assert.equal((await get(`/api/flaky/${key}?failures=x`)).status, 400);
  });

  test('throttled: 429 Too Many Requests with Retry-After in seconds, then 200', async () => {
    const key = freshKey();
    const limited = await get(`/api/throttled/${key}?retryAfter=2`);
    assert.equal(limited.status, 429);
    assert.deepEqual(limited.body, { message: 'Too Many Requests', attempt: 1 });
    assert.equal(limited.headers.get('retry-after'), '2');
    assert.equal(limited.headers.get('ratelimit'), '"default";r=0;t=2');
    assert.equal(limited.headers.get('ratelimit-policy'), '"default";q=10;w=1');
    const verdict = verdictOf(limited);
    assert.equal(verdict.kind, 'throttled');
    assert.equal(verdict.retryAfterMs, 2000);
    const ok = await get(`/api/throttled/${key}?retryAfter=2`);
    assert.equal(ok.status, 200);
    assert.equal(ok.body.attempt, 2);
  });

  test('throttled: Retry-After as an HTTP-date exactly retryAfter s after the Date header', async () => {
    const key = freshKey();
    const limited = await get(`/api/throttled/${key}?failures=2&retryAfter=3&form=date`);
    assert.equal(limited.status, 429);
    const retryAfter = limited.headers.get('retry-after');
    assert.match(retryAfter, /^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    assert.equal(Date.parse(retryAfter) - Date.parse(limited.headers.get('date')), 3000);
    const verdict = verdictOf(limited);
    assert.equal(verdict.kind, 'throttled');
    assert.equal(verdict.retryAfterMs, 3000, 'measured from the Date header');
    assert.equal((await get(`/api/throttled/${key}?failures=2&form=date`)).status, 429);
    assert.equal((await get(`/api/throttled/${key}?failures=2&form=date`)).status, 200);
    assert.equal((await get(`/api/throttled/${key}?form=iso`)).status, 400);
  });

  test('reset: the connection is reset for the first request, then 200', async () => {
    const key = freshKey();
    const error = await fetch(`${base}/api/reset/${key}`).then(
      () => assert.fail('expected a reset'),
      (caught) => caught,
    );
    assert.equal(error.cause?.code, 'ECONNRESET');
    const verdict = classifyError(error);
    assert.equal(verdict.kind, 'network_error');
    assert.equal(verdict.detail, 'connection_reset');
    const ok = await get(`/api/reset/${key}`);
    assert.equal(ok.status, 200);
    assert.equal(ok.body.attempt, 2);
  });

  test('slow: headers only after delayMs; a shorter client timeout fires first', async () => {
    const t0 = performance.now();
    const slow = await get('/api/slow?delayMs=80');
    assert.equal(slow.status, 200);
    assert.ok(performance.now() - t0 >= 75);
    const error = await fetch(`${base}/api/slow?delayMs=5000`, { signal: AbortSignal.timeout(30) }).then(
      () => assert.fail('expected a timeout'),
      (caught) => caught,
    );
    assert.equal(error.name, 'TimeoutError');
    assert.equal(classifyError(error).kind, 'timeout');
  });

  test('slow with a key: only the first `failures` requests are slow', async () => {
    const key = freshKey();
    const slow = fetch(`${base}/api/slow/${key}?delayMs=5000&failures=1`, { signal: AbortSignal.timeout(30) });
    await assert.rejects(slow, { name: 'TimeoutError' });
    const t0 = performance.now();
    const fast = await get(`/api/slow/${key}?delayMs=5000&failures=1`);
    assert.ok(performance.now() - t0 < 1000);
    assert.deepEqual(fast.body, { message: 'ok', attempt: 2, delayMs: 0 });
    assert.equal((await get('/api/slow?delayMs=60001')).status, 400);
  });
});

describe('stateless scenarios', () => {
  test('quota: 429 Limit Exceeded with X-RateLimit-Remaining 0 and a reset time', async () => {
    const quota = await get('/api/quota');
    assert.equal(quota.status, 429);
    assert.deepEqual(quota.body, { message: 'Limit Exceeded' });
    assert.equal(quota.headers.get('x-ratelimit-limit'), '1000');
    assert.equal(quota.headers.get('x-ratelimit-remaining'), '0');
    const resetAt = Number(quota.headers.get('x-ratelimit-reset'));
    assert.ok(Math.abs(resetAt - (Date.now() / 1000 + 3600)) < 5, `reset at ${resetAt}`);
    assert.equal(quota.headers.get('retry-after'), null);
    const verdict = verdictOf(quota);
    assert.equal(verdict.kind, 'quota_exceeded');
    assert.equal(verdict.action, 'wait_for_quota');
    const soon = await get('/api/quota?resetSeconds=60');
    assert.ok(Math.abs(Number(soon.headers.get('x-ratelimit-reset')) - (Date.now() / 1000 + 60)) < 5);
  });

  test('etag: 200 with ETag and Last-Modified, 304 without a body when revalidated', async () => {
    const first = await get('/api/etag');
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('etag'), '"v1"');
    assert.equal(first.headers.get('last-modified'), 'Mon, 01 Jan 2024 00:00:00 GMT');
    assert.deepEqual(first.body, { message: 'ok', version: 1 });

    const revalidated = await get('/api/etag', { headers: { 'if-none-match': '"v1"' } });
    assert.equal(revalidated.status, 304);
    assert.equal(revalidated.text, '');
    assert.equal(revalidated.headers.get('etag'), '"v1"');
    assert.equal(verdictOf(revalidated).kind, 'not_modified');

    const since = await get('/api/etag', { headers: { 'if-modified-since': 'Mon, 01 Jan 2024 00:00:00 GMT' } });
    assert.equal(since.status, 304);
    const changed = await get('/api/etag?version=2', { headers: { 'if-none-match': '"v1"' } });
    assert.equal(changed.status, 200);
    assert.equal(changed.headers.get('etag'), '"v2"');
  });

  test('gone: 410', async () => {
    const gone = await get('/api/gone');
    assert.equal(gone.status, 410);
    assert.match(gone.body.message, /^Gone/);
    assert.equal(verdictOf(gone).action, 'purge_cache');
  });

  test('moved: 301 to /api/moved/here, which answers 200; other redirect statuses on request', async () => {
    const followed = await fetch(`${base}/api/moved`);
    assert.equal(followed.status, 200);
    assert.equal(followed.redirected, true);
    assert.equal(followed.url, `${base}/api/moved/here`);
    assert.deepEqual(await followed.json(), { message: 'ok', location: '/api/moved/here' });

    const manual = await fetch(`${base}/api/moved`, { redirect: 'manual' });
    assert.equal(manual.status, 301);
    assert.equal(manual.headers.get('location'), '/api/moved/here');
    await manual.arrayBuffer();
    assert.equal(classify({ status: manual.status }).kind, 'moved_permanently');
    const temporary = await fetch(`${base}/api/moved?status=302`, { redirect: 'manual' });
    assert.equal(temporary.status, 302);
    await temporary.arrayBuffer();
    assert.equal((await get('/api/moved?status=303')).status, 400);
  });

  test('404: an invalid route and a wrong identifier are told apart', async () => {
    const route = await get('/api/nope');
    assert.equal(route.status, 404);
    assert.deepEqual(route.body, { message: 'No route: GET /api/nope' });
    assert.equal(verdictOf(route).kind, 'invalid_route');

    const id = await get('/api/items/42');
    assert.equal(id.status, 404);
    assert.deepEqual(id.body, { message: 'Wrong identifier: no item with id 42' });
    assert.equal(verdictOf(id).kind, 'wrong_identifier');

    assert.deepEqual((await get('/api/items/2')).body, { id: 2, name: 'second' });
  });

  test('400 with a JSON message for a bad parameter', async () => {
    assert.equal((await get('/api/items?limit=2')).body.items.length, 2);
    const bad = await get('/api/items?limit=abc');
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body, { message: 'Invalid parameter limit: expected an integer 1-100, got "abc"' });
    assert.equal(verdictOf(bad).kind, 'bad_request');
    assert.equal((await get('/api/items?limit=101')).status, 400);
  });

  test('401 unless Authorization: Bearer fresh', async () => {
    const denied = await get('/api/private', { headers: { authorization: 'Bearer stale' } });
    assert.equal(denied.status, 401);
    assert.equal(denied.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
    assert.equal(verdictOf(denied).action, 'reauthenticate');
    assert.equal((await get('/api/private')).status, 401);
    const allowed = await get('/api/private', { headers: { authorization: 'Bearer fresh' } });
    assert.equal(allowed.status, 200);
    assert.deepEqual(allowed.body, { message: 'ok', user: 'demo' });
  });

  test('bad gateway: 502 every time', async () => {
    for (let i = 0; i < 3; i += 1) {
      const reply = await get('/api/bad-gateway');
      assert.equal(reply.status, 502);
      assert.deepEqual(reply.body, { message: 'Bad Gateway' });
      assert.equal(verdictOf(reply).kind, 'bad_gateway');
    }
  });
});

describe('every /api/ response', () => {
  test('exposes the wait-hint headers to cross-origin scripts and is never served from a cache unchecked', async () => {
    const paths = ['/api/throttled/expose?failures=1', '/api/quota', '/api/etag', '/api/nope', '/api/status/503'];
    const hints = ['Retry-After', 'Date', 'ETag', 'RateLimit', 'RateLimit-Policy', 'RateLimit-Reset'];
    hints.push('X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset');
    for (const path of paths) {
      const { headers } = await get(path);
      const exposed = headers.get('access-control-expose-headers')?.split(', ');
      for (const name of hints) {
        assert.ok(exposed?.includes(name), `${path} exposes ${name}`);
      }
      // The ETag resource may be stored but must be revalidated; everything else is never stored.
      assert.equal(headers.get('cache-control'), path === '/api/etag' ? 'no-cache' : 'no-store');
    }
  });

  test('HEAD answers like GET without a body', async () => {
    const head = await fetch(`${base}/api/bad-gateway`, { method: 'HEAD' });
    assert.equal(head.status, 502);
    assert.equal(await head.text(), '');
  });
});
