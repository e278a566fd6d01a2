// A small static file server for the demo (scripts/serve.mjs) and the browser tests, which start it
// in-process on port 0. It serves directories under URL prefixes with the MIME types browsers insist
// on (application/wasm for streaming compilation, text/javascript for module scripts) and no caching,
// so a rebuilt pkg/ is always what the page loads. Request handlers (the demo API, a test's page) get
// first pick at every request. Loopback only: nothing here is meant to face a network.

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

function sendText(res, status, text) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

/** Maps a URL path under `prefix` to a file inside `dir`, or null when it would escape `dir`. */
function fileFor(mount, pathname) {
  let rest;
  try {
    rest = decodeURIComponent(pathname.slice(mount.prefix.length));
  } catch {
    return null;
  }
  const file = resolve(mount.dir, `.${sep}${rest}`);
  return file === mount.dir || file.startsWith(mount.dir + sep) ? file : null;
}

async function serveFile(req, res, file) {
  let info = await stat(file).catch(() => null);
  if (info?.isDirectory()) {
    file = join(file, 'index.html');
    info = await stat(file).catch(() => null);
  }
  if (!info?.isFile()) return false;
  res.writeHead(200, {
    'content-type': MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'content-length': info.size,
    'cache-control': 'no-store',
  });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
  return true;
}

/**
 * Creates (does not start) the server.
 * @param {object} options
 * @param {Array<{prefix: string, dir: string}>} [options.mounts] URL prefix (ending in '/') → directory;
 *   the longest matching prefix wins.
 * @param {Array<(req, res, url: URL) => boolean | Promise<boolean>>} [options.handlers] tried in order
 *   before the files; a handler returns true when it answered the request.
 */
export function createStaticServer({ mounts = [], handlers = [] } = {}) {
  const sorted = mounts
    .map((m) => ({ prefix: m.prefix, dir: resolve(m.dir) }))
    .sort((a, b) => b.prefix.length - a.prefix.length);
  return createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://localhost');
      for (const handle of handlers) if (await handle(req, res, url)) return;
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'method not allowed\n');
      for (const mount of sorted) {
        if (!url.pathname.startsWith(mount.prefix) && `${url.pathname}/` !== mount.prefix) continue;
        const file = fileFor(mount, url.pathname);
        if (file && (await serveFile(req, res, file))) return;
      }
      sendText(res, 404, `not found: ${url.pathname}\n`);
    } catch (error) {
      if (!res.headersSent) sendText(res, 500, `server error: ${error.message}\n`);
      else res.destroy(error);
    }
  });
}

/**
 * Starts a server on 127.0.0.1. Port 0 picks a free port; with `fallback`, a busy port falls back to a
 * free one instead of failing (the demo's default port may be taken).
 * @returns {Promise<{server, port: number, url: string, close: () => Promise<void>}>}
 */
export async function startStaticServer({ port = 0, host = '127.0.0.1', fallback = false, ...options } = {}) {
  const server = createStaticServer(options);
  const listen = (p) =>
    new Promise((resolveListen, rejectListen) => {
      server.once('error', rejectListen);
      server.listen(p, host, () => {
        server.off('error', rejectListen);
        resolveListen();
      });
    });
  try {
    await listen(port);
  } catch (error) {
    if (!fallback || error.code !== 'EADDRINUSE') throw error;
    await listen(0);
  }
  const actual = server.address().port;
  return {
    server,
    port: actual,
    url: `http://${host}:${actual}/`,
    close: () =>
      new Promise((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}
