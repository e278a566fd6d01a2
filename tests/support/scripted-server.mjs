// A node:http server on 127.0.0.1 whose answers a test scripts per path, for real-network tests of the
// fetch wrapper: status sequences, slow headers and bodies, resets at each point of an exchange, bodies
// cut short, requests never answered, redirects, conditional (ETag / Last-Modified) resources and CORS
// for browser tests on another origin. Every request is recorded (method, headers, body, arrival time)
// so a test can assert what the client sent and when. `close()` destroys every socket, hung ones
// included, which also ends every pending delay and its timer, so a test process exits as soon as its
// tests end.
//
//   const server = await startScriptedServer();
//   const url = server.script('/orders', [
//     { status: 503, headers: retryAfterHeaders(1000) },
//     { status: 200, body: { ok: true } },
//   ]);
//   ... await createFetch(...)(url) ...
//   assert.equal(server.requests('/orders').length, 2);
//   await server.close();

import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';

const HOST = '127.0.0.1';

// Statuses whose responses carry no body by definition (RFC 9110 §6.4.1).
const NO_BODY = new Set([204, 205, 304]);
const RESETS = new Set(['before-headers', 'after-request-body', 'mid-body']);
const STEP_KEYS = new Set([
  'status', 'headers', 'body', 'delayMs', 'bodyDelayMs', 'chunks', 'reset', 'rst', 'afterBytes',
  'truncate', 'contentLength', 'hang', 'redirect', 'etag', 'lastModified', 'cors', 'times',
]);
const DEFAULT_FALLBACK = Object.freeze({ status: 404, body: { message: 'Not scripted' } });

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n) => String(n).padStart(2, '0');
const clock = (d) => `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;

/** `Sun, 06 Nov 1994 08:49:37 GMT`: the preferred HTTP-date form (RFC 9110 §5.6.7). */
export function formatImfFixdate(date) {
  return new Date(date).toUTCString();
}

/** `Sunday, 06-Nov-94 08:49:37 GMT`: the obsolete RFC 850 form, with its two-digit year. */
export function formatRfc850Date(date) {
  const d = new Date(date);
  const year = pad2(d.getUTCFullYear() % 100);
  return `${WEEKDAYS[d.getUTCDay()]}, ${pad2(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${year} ${clock(d)} GMT`;
}

/** `Sun Nov  6 08:49:37 1994`: the obsolete asctime form (day padded with a space, no zone). */
export function formatAsctimeDate(date) {
  const d = new Date(date);
  const day = String(d.getUTCDate()).padStart(2, ' ');
  return `${WEEKDAYS[d.getUTCDay()].slice(0, 3)} ${MONTHS[d.getUTCMonth()]} ${day} ${clock(d)} ${d.getUTCFullYear()}`;
}

const DATE_FORMS = { imf: formatImfFixdate, rfc850: formatRfc850Date, asctime: formatAsctimeDate };

/**
 * Headers asking the client to wait `delayMs` (rounded up to whole seconds, HTTP's resolution).
 * `form` 'seconds' gives delay-seconds only; 'imf', 'rfc850' or 'asctime' give an HTTP-date in that
 * form plus a `Date` header of `now` (cut to the second), so the wait is exact relative to `Date`.
 * Pass a skewed `now` to test that a client reads the wait against `Date`, not its own clock.
 * @returns {{'retry-after': string, date?: string}}
 */
export function retryAfterHeaders(delayMs, form = 'seconds', now = new Date()) {
  const seconds = Math.max(0, Math.ceil(delayMs / 1000));
  if (form === 'seconds') return { 'retry-after': String(seconds) };
  const format = DATE_FORMS[form];
  if (!format) throw new TypeError(`Expected \`form\` to be seconds, imf, rfc850 or asctime, got ${form}`);
  const dateMs = Math.floor(new Date(now).getTime() / 1000) * 1000;
  return { 'retry-after': format(dateMs + seconds * 1000), date: formatImfFixdate(dateMs) };
}

/** Checks a step up front, so a typo fails where the test scripts it rather than as a puzzling reply. */
function checkStep(step, where) {
  if (typeof step === 'function') return step;
  if (step === null || typeof step !== 'object' || Array.isArray(step)) {
    throw new TypeError(`${where}: a step must be an object or a function, got ${step}`);
  }
  for (const key of Object.keys(step)) {
    if (!STEP_KEYS.has(key)) throw new TypeError(`${where}: unknown step field \`${key}\``);
  }
  if (step.reset !== undefined && !RESETS.has(step.reset)) {
    throw new TypeError(`${where}: \`reset\` must be ${[...RESETS].join(', ')}; got ${step.reset}`);
  }
  if (step.hang !== undefined && step.hang !== true && step.hang !== 'after-headers') {
    throw new TypeError(`${where}: \`hang\` must be true or 'after-headers'`);
  }
  for (const key of ['delayMs', 'bodyDelayMs', 'afterBytes', 'contentLength']) {
    if (step[key] !== undefined && !(Number.isInteger(step[key]) && step[key] >= 0)) {
      throw new TypeError(`${where}: \`${key}\` must be an integer >= 0`);
    }
  }
  for (const key of ['chunks', 'times']) {
    if (step[key] !== undefined && !(Number.isInteger(step[key]) && step[key] >= 1)) {
      throw new TypeError(`${where}: \`${key}\` must be an integer >= 1`);
    }
  }
  if (step.status !== undefined && !(Number.isInteger(step.status) && step.status >= 200 && step.status <= 599)) {
    throw new TypeError(`${where}: \`status\` must be an integer 200-599`);
  }
  return step;
}

/** Bytes and default content type of a scripted body: strings as text, bytes as is, anything else as JSON. */
function encodeBody(body) {
  if (body === undefined || body === null) return { bytes: Buffer.alloc(0), type: null };
  if (typeof body === 'string') return { bytes: Buffer.from(body), type: 'text/plain; charset=utf-8' };
  if (body instanceof Uint8Array) return { bytes: Buffer.from(body), type: 'application/octet-stream' };
  return { bytes: Buffer.from(JSON.stringify(body)), type: 'application/json; charset=utf-8' };
}

/** True when the request's If-None-Match list names `etag` (weak comparison, RFC 9110 §13.1.2). */
function etagMatches(ifNoneMatch, etag) {
  const opaque = (tag) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
}

/** Normalises a cors setting: null (no CORS headers at all) or an options object. */
function corsOptions(setting) {
  if (setting === undefined || setting === null || setting === false) return null;
  return setting === true ? {} : setting;
}

/** The CORS headers of an actual (non-preflight) response. */
function corsResponseHeaders(cors, req) {
  if (!cors) return {};
  const headers = {};
  const allowOrigin = cors.allowOrigin === undefined ? '*' : cors.allowOrigin;
  if (allowOrigin === 'reflect') {
    headers['access-control-allow-origin'] = req.headers.origin ?? '*';
    headers.vary = 'Origin';
  } else if (allowOrigin) {
    headers['access-control-allow-origin'] = allowOrigin;
  }
  if (cors.allowCredentials) headers['access-control-allow-credentials'] = 'true';
  const expose = cors.exposeHeaders ?? [];
  if (expose.length > 0) headers['access-control-expose-headers'] = [expose].flat().join(', ');
  return headers;
}

/**
 * Starts a scripted server on 127.0.0.1 on a free port.
 * @param {object} [options]
 * @param {boolean | object} [options.cors] CORS for every path (false: no CORS headers at all). An
 *   object: `allowOrigin` ('*' default, 'reflect', an origin, or null for a missing header),
 *   `exposeHeaders` (names or '*'; none by default, so Retry-After stays hidden), `allowCredentials`,
 *   and for preflights `allowMethods` / `allowHeaders` (lists; default: echo what the browser asks),
 *   `maxAge` (seconds) and `preflight` (false: answer preflights 403 without CORS headers).
 * @param {boolean | object} [options.crossOrigin] also start a second server on another port (another
 *   origin) with this `cors` setting, as `server.crossOrigin`; closed with this one.
 * @param {object} [options.fallback] the step for paths no script names (default: 404 "Not scripted").
 */
export async function startScriptedServer({ cors = false, crossOrigin = false, fallback = DEFAULT_FALLBACK } = {}) {
  checkStep(fallback, 'fallback');
  const scripts = new Map();
  const records = [];
  const preflightRecords = [];
  const waiters = new Set();
  const sockets = new Set();
  let closed = false;

  /**
   * Resolves true after `ms`, or false as soon as the socket closes (the client gave up, or close()).
   * Tying every wait to its socket is what lets close() end them all by destroying the sockets.
   */
  function pause(ms, socket) {
    if (socket.destroyed || closed) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        socket.off('close', done);
        resolve(!socket.destroyed && !closed);
      };
      const timer = setTimeout(done, ms).unref();
      socket.once('close', done);
    });
  }

  function kill(socket, rst) {
    if (rst) socket.resetAndDestroy();
    else socket.destroy();
  }

  function push(list, record) {
    list.push(record);
    for (const waiter of waiters) {
      if (requests(waiter.path).length >= waiter.count) {
        waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  async function readBody(req, record) {
    const chunks = [];
    try {
      for await (const chunk of req) chunks.push(chunk);
    } catch {
      record.aborted = true;
    }
    record.body = Buffer.concat(chunks).toString();
  }

  /** Sends headers with CORS and defaults merged; `null` values leave a header out (`date: null`). */
  function writeHead(res, status, headers, extra) {
    for (const [name, value] of Object.entries({ ...extra, ...headers })) {
      if (value === null || value === undefined) {
        if (name.toLowerCase() === 'date') res.sendDate = false;
        continue;
      }
      res.setHeader(name, typeof value === 'number' ? String(value) : value);
    }
    res.writeHead(status);
  }

  async function respond(step, req, res, record, pathCors) {
    const socket = req.socket;
    if (!(await pause(step.delayMs ?? 0, socket))) {
      // The client gave up (or close()) before the answer was due.
      record.outcome = 'closed';
      return;
    }
    const cors = corsResponseHeaders(corsOptions(step.cors !== undefined ? step.cors : pathCors), req);

    if (step.reset === 'before-headers' || step.reset === 'after-request-body') {
      record.outcome = 'reset';
      return kill(socket, step.rst);
    }
    if (step.hang === true) {
      record.outcome = 'hang';
      return;
    }

    let status = step.status ?? 200;
    const headers = { ...step.headers };
    if (step.redirect !== undefined) {
      status = step.status ?? 302;
      headers.location = step.redirect;
    }
    if (step.etag !== undefined || step.lastModified !== undefined) {
      const lastModified = step.lastModified instanceof Date ? formatImfFixdate(step.lastModified) : step.lastModified;
      if (step.etag !== undefined) headers.etag = step.etag;
      if (lastModified !== undefined) headers['last-modified'] = lastModified;
      const inm = req.headers['if-none-match'];
      const ims = Date.parse(req.headers['if-modified-since'] ?? '');
      // If-Modified-Since counts only without If-None-Match (RFC 9110 §13.1.3).
      const fresh =
        inm !== undefined
          ? step.etag !== undefined && etagMatches(inm, step.etag)
          : lastModified !== undefined && Date.parse(lastModified) <= ims;
      if (fresh && (req.method === 'GET' || req.method === 'HEAD')) status = 304;
    }

    const { bytes: full, type } = encodeBody(
      step.reset === 'mid-body' && step.body === undefined ? 'x'.repeat(1024) : step.body,
    );
    const bytes = NO_BODY.has(status) ? Buffer.alloc(0) : full;
    const extra = { ...cors };
    if (type && bytes.length > 0) extra['content-type'] = type;
    const slowBody = (step.bodyDelayMs ?? 0) > 0 || (step.chunks ?? 1) > 1;
    if (!NO_BODY.has(status) && !slowBody) extra['content-length'] = bytes.length;
    if (step.truncate) extra['content-length'] = step.contentLength ?? bytes.length + 100;
    record.outcome = status;

    if (step.hang === 'after-headers') {
      record.outcome = 'hang';
      writeHead(res, status, headers, { ...extra, 'content-length': undefined });
      return res.flushHeaders();
    }
    if (step.reset === 'mid-body') {
      record.outcome = 'reset';
      writeHead(res, status, headers, extra);
      const sent = Math.min(step.afterBytes ?? Math.floor(bytes.length / 2), bytes.length);
      return res.write(bytes.subarray(0, sent), () => kill(socket, step.rst));
    }
    if (step.truncate) {
      record.outcome = 'truncate';
      writeHead(res, status, headers, extra);
      // End the connection itself: the response as declared never completes, and keep-alive would
      // otherwise leave the client waiting for the missing bytes.
      return res.write(bytes, () => socket.end());
    }

    writeHead(res, status, headers, extra);
    if (!slowBody) return res.end(bytes);
    res.flushHeaders();
    const chunks = step.chunks ?? 1;
    const size = Math.ceil(bytes.length / chunks);
    for (let i = 0; i < chunks; i += 1) {
      if (!(await pause(step.bodyDelayMs ?? 0, socket))) return;
      res.write(bytes.subarray(i * size, (i + 1) * size));
    }
    res.end();
  }

  function answerPreflight(req, res, pathCors) {
    const options = corsOptions(pathCors);
    if (!options || options.preflight === false) {
      res.writeHead(403, { 'content-length': 0 });
      return res.end();
    }
    const headers = corsResponseHeaders(options, req);
    delete headers['access-control-expose-headers'];
    headers['access-control-allow-methods'] =
      options.allowMethods?.join(', ') ?? req.headers['access-control-request-method'];
    const asked = options.allowHeaders?.join(', ') ?? req.headers['access-control-request-headers'];
    if (asked) headers['access-control-allow-headers'] = asked;
    if (options.maxAge !== undefined) headers['access-control-max-age'] = String(options.maxAge);
    res.writeHead(204, headers);
    res.end();
  }

  const server = createServer(async (req, res) => {
    const at = performance.now();
    req.on('error', () => {});
    res.on('error', () => {});
    const path = new URL(req.url, 'http://127.0.0.1').pathname;
    const entry = scripts.get(path);
    const pathCors = entry?.cors !== undefined ? entry.cors : cors;
    const record = {
      method: req.method,
      url: req.url,
      path,
      headers: { ...req.headers },
      rawHeaders: req.rawHeaders,
      body: null,
      at,
      step: null,
      outcome: null,
    };

    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      await readBody(req, record);
      push(preflightRecords, record);
      return answerPreflight(req, res, pathCors);
    }

    let step = fallback;
    if (entry) {
      record.step = Math.min(entry.next, entry.steps.length - 1);
      step = entry.steps[record.step];
      entry.next += 1;
    }
    if (step.reset !== 'before-headers') await readBody(req, record);
    if (typeof step === 'function') {
      step = checkStep(await step(record), `${path} step ${record.step}`);
    }
    push(records, record);
    await respond(step, req, res, record, pathCors);
  });

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address();
  const origin = `http://${HOST}:${port}`;

  /** Recorded requests (preflights excluded), in arrival order, for one path or all. */
  function requests(path) {
    return path === undefined ? [...records] : records.filter((r) => r.path === path);
  }

  const sibling = crossOrigin ? await startScriptedServer({ cors: crossOrigin }) : null;
  let closing = null;

  return {
    server,
    port,
    origin,
    url: `${origin}/`,
    crossOrigin: sibling,

    /**
     * Scripts the answers for `path` (a pathname; the query is ignored): one step per request, in
     * order; the last step then repeats. `times: n` on a step stands for n copies of it. A step may be
     * a function `(record) => step`, called once the request body is read. Returns the full URL.
     * `options.cors` overrides the server's cors setting for this path (answers and preflights).
     */
    script(path, steps, { cors: scriptCors } = {}) {
      if (typeof path !== 'string' || !path.startsWith('/')) {
        throw new TypeError(`Expected \`path\` to start with /, got ${path}`);
      }
      const list = [steps].flat().flatMap((step, i) => {
        checkStep(step, `${path} step ${i}`);
        if (typeof step === 'function' || step.times === undefined) return [step];
        const { times, ...rest } = step;
        return Array.from({ length: times }, () => rest);
      });
      if (list.length === 0) throw new TypeError(`Expected at least one step for ${path}`);
      scripts.set(path, { steps: list, next: 0, cors: scriptCors });
      return `${origin}${path}`;
    },

    requests,

    /** Recorded CORS preflights (OPTIONS with Access-Control-Request-Method), for one path or all. */
    preflights(path) {
      return path === undefined ? [...preflightRecords] : preflightRecords.filter((r) => r.path === path);
    },

    /** Milliseconds between the arrivals of consecutive requests to `path`. */
    gapsMs(path) {
      const list = requests(path);
      return list.slice(1).map((record, i) => record.at - list[i].at);
    },

    /** Resolves once `count` requests (to `path`, or to any path) have been recorded. */
    waitForRequests(count, path) {
      if (requests(path).length >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.add({ count, path, resolve }));
    },

    /** Forgets every script and record; open connections are left alone. */
    reset() {
      scripts.clear();
      records.length = 0;
      preflightRecords.length = 0;
    },

    /** Destroys every socket (hung ones too, which ends every pending delay), resolves once fully closed. */
    close() {
      closing ??= (async () => {
        closed = true;
        const done = new Promise((resolve) => server.close(() => resolve()));
        for (const socket of sockets) socket.destroy();
        waiters.clear();
        await Promise.all([done, sibling?.close()]);
      })();
      return closing;
    },
  };
}
