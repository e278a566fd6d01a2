// Scripted HTTP endpoints under /api/ for the demo page and the browser tests: each route answers with
// a chosen status, headers and body, so the library can be shown (and tested) against real responses
// without any server outside this machine. Add a scenario by adding a row to `routes`.
//
// Routes (GET also answers HEAD). A :key names one run of a stateful scenario: its request count lives
// as long as the server, so a page uses a fresh key per run (or resets it with DELETE).
//   GET /api/status/:code[?retryAfter=..&message=..]
//       answers `code` (200-599) with an optional Retry-After header and JSON body {"message": ...}.
//   GET /api/flaky/:key[?failures=2&status=503&retryAfter=..&message=..]
//       answers `status` for the first `failures` requests with this key, then 200 {"message": "ok",
//       "attempt": n}.
//   GET /api/throttled/:key[?failures=1&retryAfter=1&form=seconds|date]
//       429 {"message": "Too Many Requests"} for the first `failures` requests, then 200. Retry-After is
//       `retryAfter` seconds, as delay-seconds or (form=date) as an IMF-fixdate that many seconds after
//       the Date header sent with it; RateLimit / RateLimit-Policy describe a 10-per-second window.
//   GET /api/quota[?resetSeconds=3600]
//       429 {"message": "Limit Exceeded"}: a usage-plan quota, with X-RateLimit-Limit: 1000,
//       X-RateLimit-Remaining: 0 and X-RateLimit-Reset: the Unix time (seconds) when it resets.
//   GET /api/reset/:key[?failures=1]
//       resets the TCP connection (RST, no response) for the first `failures` requests, then 200.
//   GET /api/slow[/:key][?delayMs=3000&failures=..]
//       sends its 200 headers only after `delayMs` (0-60000), to outlast a client's timeout; with a key
//       only the first `failures` requests are slow (without `failures`, every one is).
//   GET /api/etag[?version=1]
//       200 {"message", "version"} with ETag "v<version>" and a fixed Last-Modified; 304 without a body
//       when If-None-Match names that ETag (or, without If-None-Match, If-Modified-Since is not older).
//   GET /api/gone
//       410 {"message": "Gone: ..."}: the resource was deleted for good.
//   GET /api/moved[?status=301]  →  GET /api/moved/here
//       `status` (301, 302, 307 or 308) with Location: /api/moved/here, which answers 200.
//   GET /api/items[?limit=10]
//       200 {"items": [...]}; 400 {"message": "Invalid parameter limit: ..."} unless limit is 1-100.
//   GET /api/items/:id
//       200 for ids 1-3; 404 {"message": "Wrong identifier: ..."} for any other id.
//   GET /api/private
//       401 {"message": "Unauthorized: ..."} with WWW-Authenticate, unless the request sends
//       `Authorization: Bearer fresh` (a refreshed token): then 200.
//   GET /api/bad-gateway
//       502 {"message": "Bad Gateway"}, every time.
//   GET /api/limited/:key[?retryAfter=3&from=A]
//       a scripted rate limiter for the demo page's two frames: the first request with this key closes
//       a window of `retryAfter` seconds (1-60) in which every request gets 429 {"message": "Too Many
//       Requests"} with Retry-After: the whole seconds left; after it, 200 {"message": "ok", "from",
//       "request": n}. `from` names the sender ([A-Za-z0-9_-], up to 16) for the count.
//   GET /api/limited/:key/count
//       200 {"received", "refused", "by": {"A": n, ...}}: the requests this key has received (this one
//       not included), so that a page can show that a request which waited was never sent.
//   DELETE /api/(flaky|throttled|reset|slow|limited)/:key
//       204; forgets the key's request count.
//   Any other path under /api/: 404 {"message": "No route: METHOD /path"} (an invalid route).
//
// Every /api/ response exposes its wait hints (Retry-After, Date, ETag, RateLimit and X-RateLimit
// headers) through Access-Control-Expose-Headers, for a page that calls the API across origins.

const EXPOSED_HEADERS = [
  'Retry-After', 'Date', 'ETag', 'RateLimit', 'RateLimit-Policy', 'RateLimit-Reset',
  'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset',
].join(', ');
const COMMON_HEADERS = { 'cache-control': 'no-store', 'access-control-expose-headers': EXPOSED_HEADERS };
const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', ...COMMON_HEADERS };

// Statuses whose responses carry no body by definition (RFC 9110 §6.4.1).
const NO_BODY = new Set([204, 205, 304]);

// The ETag resource never changes on its own: a fixed date keeps If-Modified-Since deterministic.
const ETAG_LAST_MODIFIED = 'Mon, 01 Jan 2024 00:00:00 GMT';
const ITEMS = [
  { id: 1, name: 'first' },
  { id: 2, name: 'second' },
  { id: 3, name: 'third' },
];
const MAX_SLOW_MS = 60_000;
// Senders counted per limited key; more names than this count as "other" (the names come from the URL).
const MAX_LIMITED_SENDERS = 8;

function sendJson(req, res, status, body, headers = {}) {
  const noBody = NO_BODY.has(status);
  res.writeHead(status, { ...(noBody ? COMMON_HEADERS : JSON_HEADERS), ...headers });
  res.end(noBody || req.method === 'HEAD' ? undefined : `${JSON.stringify(body)}\n`);
}

/** Parses a path segment as a final-response status code, or null. */
function parseStatus(text) {
  if (!/^\d{3}$/.test(text ?? '')) return null;
  const status = Number(text);
  return status >= 200 && status <= 599 ? status : null;
}

/** A query parameter as an integer in [min, max]; `fallback` when absent, null when malformed. */
function intParam(url, name, fallback, min, max) {
  const text = url.searchParams.get(name);
  if (text === null) return fallback;
  if (!/^\d+$/.test(text)) return null;
  const value = Number(text);
  return value >= min && value <= max ? value : null;
}

/** Headers and body requested through the query string, shared by the scripted routes. */
function scriptedReply(url, status) {
  const headers = {};
  const retryAfter = url.searchParams.get('retryAfter');
  // Sent as given, even when malformed: clients must cope with garbage Retry-After values too.
  if (retryAfter !== null) headers['retry-after'] = retryAfter;
  const message = url.searchParams.get('message') ?? `status ${status}`;
  return { headers, body: { message } };
}

/** A route that always gives the same answer. */
function fixed(pattern, status, body, headers) {
  return { method: 'GET', pattern, handle: (req, res) => sendJson(req, res, status, body, headers) };
}

/** Creates the /api/ handler; each instance keeps its own scenario state. */
export function createDemoApi() {
  // Requests seen per stateful scenario and key: "flaky/run-1" → 2.
  const attempts = new Map();
  const nextAttempt = (scenario, key) => {
    const attempt = (attempts.get(`${scenario}/${key}`) ?? 0) + 1;
    attempts.set(`${scenario}/${key}`, attempt);
    return attempt;
  };
  // The limited scenario's runs: key → {closedUntilMs, received, refused, by}.
  const limited = new Map();
  const emptyRun = () => ({ closedUntilMs: undefined, received: 0, refused: 0, by: {} });

  const routes = [
    {
      method: 'GET',
      pattern: /^\/api\/status\/([^/]+)$/,
      handle(req, res, url, [code]) {
        const status = parseStatus(code);
        if (status === null) return sendJson(req, res, 400, { message: `not a status code 200-599: ${code}` });
        const { headers, body } = scriptedReply(url, status);
        sendJson(req, res, status, body, headers);
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/flaky\/([\w-]+)$/,
      handle(req, res, url, [key]) {
        const failures = intParam(url, 'failures', 2, 0, Number.MAX_SAFE_INTEGER);
        const status = parseStatus(url.searchParams.get('status') ?? '503');
        if (failures === null || status === null) {
          return sendJson(req, res, 400, { message: 'failures must be an integer >= 0 and status 200-599' });
        }
        const attempt = nextAttempt('flaky', key);
        if (attempt > failures) return sendJson(req, res, 200, { message: 'ok', attempt });
        const { headers, body } = scriptedReply(url, status);
        sendJson(req, res, status, { ...body, attempt }, headers);
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/throttled\/([\w-]+)$/,
      handle(req, res, url, [key]) {
        const failures = intParam(url, 'failures', 1, 0, Number.MAX_SAFE_INTEGER);
        const retryAfter = intParam(url, 'retryAfter', 1, 0, 86_400);
        const form = url.searchParams.get('form') ?? 'seconds';
        if (failures === null || retryAfter === null || (form !== 'seconds' && form !== 'date')) {
          return sendJson(req, res, 400, {
            message: 'failures must be an integer >= 0, retryAfter 0-86400 and form seconds or date',
          });
        }
        const attempt = nextAttempt('throttled', key);
        if (attempt > failures) return sendJson(req, res, 200, { message: 'ok', attempt });
        // Whole seconds on both headers, so the hint is exactly `retryAfter` s after Date.
        const nowMs = Math.floor(Date.now() / 1000) * 1000;
        const headers = {
          date: new Date(nowMs).toUTCString(),
          'retry-after': form === 'date' ? new Date(nowMs + retryAfter * 1000).toUTCString() : String(retryAfter),
          ratelimit: `"default";r=0;t=${retryAfter}`,
          'ratelimit-policy': '"default";q=10;w=1',
        };
        sendJson(req, res, 429, { message: 'Too Many Requests', attempt }, headers);
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/quota$/,
      handle(req, res, url) {
        const resetSeconds = intParam(url, 'resetSeconds', 3600, 1, 31 * 86_400);
        if (resetSeconds === null) return sendJson(req, res, 400, { message: 'resetSeconds must be 1-2678400' });
        sendJson(req, res, 429, { message: 'Limit Exceeded' }, {
          'x-ratelimit-limit': '1000',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + resetSeconds),
        });
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/reset\/([\w-]+)$/,
      handle(req, res, url, [key]) {
        const failures = intParam(url, 'failures', 1, 0, Number.MAX_SAFE_INTEGER);
        if (failures === null) return sendJson(req, res, 400, { message: 'failures must be an integer >= 0' });
        const attempt = nextAttempt('reset', key);
        if (attempt > failures) return sendJson(req, res, 200, { message: 'ok', attempt });
        // An RST, as a crashed upstream or a load balancer sends: fetch fails with ECONNRESET.
        req.socket.resetAndDestroy();
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/slow(?:\/([\w-]+))?$/,
      handle(req, res, url, [key]) {
        const delayMs = intParam(url, 'delayMs', 3000, 0, MAX_SLOW_MS);
        const failures = intParam(url, 'failures', Infinity, 0, Number.MAX_SAFE_INTEGER);
        if (delayMs === null || failures === null) {
          return sendJson(req, res, 400, { message: `delayMs must be 0-${MAX_SLOW_MS} and failures an integer >= 0` });
        }
        const attempt = key === undefined ? 1 : nextAttempt('slow', key);
        const wait = attempt > failures ? 0 : delayMs;
        const timer = setTimeout(() => sendJson(req, res, 200, { message: 'ok', attempt, delayMs: wait }), wait);
        // A client that gives up (its timeout) or a server shutting down cancels the pending answer.
        res.once('close', () => clearTimeout(timer));
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/etag$/,
      handle(req, res, url) {
        const version = intParam(url, 'version', 1, 0, Number.MAX_SAFE_INTEGER);
        if (version === null) return sendJson(req, res, 400, { message: 'version must be an integer >= 0' });
        const etag = `"v${version}"`;
        // no-cache, not the default no-store: the copy may be kept, and must be revalidated.
        const headers = { etag, 'last-modified': ETAG_LAST_MODIFIED, 'cache-control': 'no-cache' };
        const ifNoneMatch = req.headers['if-none-match'];
        const ifModifiedSince = Date.parse(req.headers['if-modified-since'] ?? '');
        // If-Modified-Since counts only without If-None-Match (RFC 9110 §13.1.3).
        const fresh =
          ifNoneMatch !== undefined
            ? ifNoneMatch.split(',').some((tag) => ['*', etag, `W/${etag}`].includes(tag.trim()))
            : Date.parse(ETAG_LAST_MODIFIED) <= ifModifiedSince;
        if (fresh) return sendJson(req, res, 304, undefined, headers);
        sendJson(req, res, 200, { message: 'ok', version }, headers);
      },
    },
    fixed(/^\/api\/gone$/, 410, { message: 'Gone: this resource was deleted and will not come back' }),
    {
      method: 'GET',
      pattern: /^\/api\/moved$/,
      handle(req, res, url) {
        const status = Number(url.searchParams.get('status') ?? 301);
        if (![301, 302, 307, 308].includes(status)) {
          return sendJson(req, res, 400, { message: 'status must be 301, 302, 307 or 308' });
        }
        sendJson(req, res, status, { message: 'moved to /api/moved/here' }, { location: '/api/moved/here' });
      },
    },
    fixed(/^\/api\/moved\/here$/, 200, { message: 'ok', location: '/api/moved/here' }),
    {
      method: 'GET',
      pattern: /^\/api\/items$/,
      handle(req, res, url) {
        const limit = intParam(url, 'limit', 10, 1, 100);
        if (limit === null) {
          const given = url.searchParams.get('limit');
          return sendJson(req, res, 400, {
            message: `Invalid parameter limit: expected an integer 1-100, got ${JSON.stringify(given)}`,
          });
        }
        sendJson(req, res, 200, { items: ITEMS.slice(0, limit) });
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/items\/([^/]+)$/,
      handle(req, res, url, [id]) {
        const item = ITEMS.find((candidate) => String(candidate.id) === id);
        if (!item) return sendJson(req, res, 404, { message: `Wrong identifier: no item with id ${id}` });
        sendJson(req, res, 200, item);
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/private$/,
      handle(req, res) {
        if (req.headers.authorization === 'Bearer fresh') {
          return sendJson(req, res, 200, { message: 'ok', user: 'demo' });
        }
        sendJson(req, res, 401, { message: 'Unauthorized: the access token is missing or expired' }, {
          'www-authenticate': 'Bearer error="invalid_token"',
        });
      },
    },
    fixed(/^\/api\/bad-gateway$/, 502, { message: 'Bad Gateway' }),
    {
      method: 'GET',
      pattern: /^\/api\/limited\/([\w-]+)$/,
      handle(req, res, url, [key]) {
        const retryAfter = intParam(url, 'retryAfter', 3, 1, 60);
        const from = url.searchParams.get('from') ?? 'unnamed';
        if (retryAfter === null || !/^[\w-]{1,16}$/.test(from)) {
          return sendJson(req, res, 400, { message: 'retryAfter must be 1-60 and from 1-16 of [A-Za-z0-9_-]' });
        }
        const run = limited.get(key) ?? emptyRun();
        limited.set(key, run);
        const sender = from in run.by || Object.keys(run.by).length < MAX_LIMITED_SENDERS ? from : 'other';
        run.received += 1;
        run.by[sender] = (run.by[sender] ?? 0) + 1;
        const nowMs = Date.now();
        run.closedUntilMs ??= nowMs + retryAfter * 1000;
        const leftMs = run.closedUntilMs - nowMs;
        if (leftMs > 0) {
          run.refused += 1;
          return sendJson(req, res, 429, { message: 'Too Many Requests' }, {
            'retry-after': String(Math.ceil(leftMs / 1000)),
          });
        }
        sendJson(req, res, 200, { message: 'ok', from, request: run.received });
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/limited\/([\w-]+)\/count$/,
      handle(req, res, url, [key]) {
        const { received, refused, by } = limited.get(key) ?? emptyRun();
        sendJson(req, res, 200, { received, refused, by });
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/api\/(flaky|throttled|reset|slow|limited)\/([\w-]+)$/,
      handle(req, res, url, [scenario, key]) {
        if (scenario === 'limited') limited.delete(key);
        else attempts.delete(`${scenario}/${key}`);
        sendJson(req, res, 204);
      },
    },
  ];

  /** Answers requests under /api/; returns false for every other path. */
  return function handleApi(req, res, url) {
    if (!url.pathname.startsWith('/api/')) return false;
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    for (const route of routes) {
      const match = url.pathname.match(route.pattern);
      if (match && route.method === method) {
        route.handle(req, res, url, match.slice(1));
        return true;
      }
    }
    sendJson(req, res, 404, { message: `No route: ${req.method} ${url.pathname}` });
    return true;
  };
}
