// Scripted HTTP endpoints under /api/ for the demo page and the browser tests: each route answers with
// a chosen status, headers and body, so the library can be shown (and tested) against real responses
// without any server outside this machine. Add a scenario by adding a row to `routes`.
//
// Routes:
//   GET /api/status/:code[?retryAfter=..&message=..]
//       answers `code` (200-599) with an optional Retry-After header and JSON body {"message": ...}.
//   GET /api/flaky/:key[?failures=2&status=503&retryAfter=..&message=..]
//       answers `status` for the first `failures` requests with this key, then 200 {"message": "ok",
//       "attempt": n}; the count lives as long as the server (reset it with DELETE /api/flaky/:key).

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

// Statuses whose responses carry no body by definition (RFC 9110 §6.4.1).
const NO_BODY = new Set([204, 205, 304]);

function sendJson(req, res, status, body, headers = {}) {
  res.writeHead(status, { ...JSON_HEADERS, ...headers });
  res.end(NO_BODY.has(status) || req.method === 'HEAD' ? undefined : `${JSON.stringify(body)}\n`);
}

/** Parses a path segment as a final-response status code, or null. */
function parseStatus(text) {
  if (!/^\d{3}$/.test(text ?? '')) return null;
  const status = Number(text);
  return status >= 200 && status <= 599 ? status : null;
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

/** Creates the /api/ handler; each instance keeps its own scenario state. */
export function createDemoApi() {
  const flakyCounts = new Map();

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
        const failures = Number(url.searchParams.get('failures') ?? 2);
        const status = parseStatus(url.searchParams.get('status') ?? '503');
        if (!Number.isInteger(failures) || failures < 0 || status === null) {
          return sendJson(req, res, 400, { message: 'failures must be an integer >= 0 and status 200-599' });
        }
        const attempt = (flakyCounts.get(key) ?? 0) + 1;
        flakyCounts.set(key, attempt);
        if (attempt > failures) return sendJson(req, res, 200, { message: 'ok', attempt });
        const { headers, body } = scriptedReply(url, status);
        sendJson(req, res, status, { ...body, attempt }, headers);
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/api\/flaky\/([\w-]+)$/,
      handle(req, res, url, [key]) {
        flakyCounts.delete(key);
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
