// The demo server behind `bash scripts/start.sh`: www/ at /, the built package at /pkg/ and the
// scripted endpoints of scripts/demo-api.mjs at /api/, on 127.0.0.1 until Ctrl-C.
// PORT picks the port (default 8080); if it is busy a free one is used, and the line below says which.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDemoApi } from './demo-api.mjs';
import { startStaticServer } from './lib/static-server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const port = Number(process.env.PORT ?? 8080);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`serve: PORT must be an integer 0-65535, got ${process.env.PORT}`);
  process.exit(1);
}

const { url, port: actualPort, close } = await startStaticServer({
  port,
  fallback: true,
  mounts: [
    { prefix: '/', dir: join(root, 'www') },
    { prefix: '/pkg/', dir: join(root, 'pkg') },
    // The simulator's own wasm (scripts/build.sh), for the demo page only.
    { prefix: '/sim/', dir: join(root, 'target/wasm-sim') },
  ],
  handlers: [createDemoApi()],
});
if (port !== 0 && actualPort !== port) console.error(`serve: port ${port} is busy; using ${actualPort}`);
console.log(`http-verdict demo: ${url}`);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    await close();
    process.exit(0);
  });
}
