// The 'http-verdict/redis' subpath from the packed tarball, as a user uses it: installed into a fresh
// project, imported from Node ESM and required from CommonJS with the real node-redis and ioredis
// against a real redis-server, type-checked with their real client types (nodenext), and absent
// from the main entries. The project lives under target/ so that `redis` and `ioredis` (this repo's
// dev dependencies) resolve from it without a download; the package itself comes from the tarball.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startRedis } from '../support/redis.mjs';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

let workDir;
let appDir;
let packed;
let redis;

function write(name, text) {
  writeFileSync(join(appDir, name), text);
}

before(async () => {
  mkdirSync(join(root, 'target'), { recursive: true });
  workDir = mkdtempSync(join(root, 'target/pack-redis-'));
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', workDir], { cwd: join(root, 'pkg') });
  [packed] = JSON.parse(stdout);
  appDir = join(workDir, 'app');
  mkdirSync(appDir);
  write('package.json', `${JSON.stringify({ name: 'fleet-app', private: true, type: 'module' }, null, 2)}\n`);
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(workDir, packed.filename)], { cwd: appDir, timeout: 120_000 });
  redis = await startRedis();
});

after(async () => {
  await redis?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

test('the tarball ships redis.js and redis.d.ts behind "./redis" (types, import, require); the main entries do not hold it', () => {
  const files = packed.files.map((file) => file.path);
  assert.ok(files.includes('redis.js') && files.includes('redis.d.ts'), files.join(', '));
  const installed = join(appDir, 'node_modules/http-verdict');
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
  assert.deepEqual(manifest.exports['./redis'], { types: './redis.d.ts', import: './redis.js', require: './redis.js', default: './redis.js' });
  const subpath = readFileSync(join(installed, 'redis.js'), 'utf8');
  assert.doesNotMatch(subpath, /\.wasm|\bimport\s*["'(]|\bfrom\s*["']/, 'self-contained, no wasm');
  for (const entry of ['web.js', 'node.js', 'workerd.js']) {
    assert.doesNotMatch(readFileSync(join(installed, entry), 'utf8'), /shareThroughRedis|PTTL/, entry);
  }
});

test('ESM and CommonJS: a node-redis state and an ioredis state share a throttle through a real Redis', async () => {
  const body = `
const policy = new RetryPolicy();
const nodeClient = await createClient({ url: process.argv[2] }).on('error', () => {}).connect();
const ioClient = new Redis(process.argv[2]);
ioClient.on('error', () => {});
const shares = [shareThroughRedis(nodeClient, { prefix: process.argv[3] }), shareThroughRedis(ioClient, { prefix: process.argv[3] })];
await Promise.all(shares.map((share) => share.ready));
const [a, b] = shares.map((share) => new ClientState({ share }));
policy.decide({ status: 429, responseHeaders: { 'retry-after': '5' }, origin: 'https://api.example' }, a);
let admission;
for (let tries = 0; tries < 100 && !(admission = b.admit(policy, { origin: 'https://api.example' })).waitMs; tries++) {
  await new Promise((resolve) => setTimeout(resolve, 10));
}
console.log(JSON.stringify(admission));
await Promise.all(shares.map((share) => share.close()));
await nodeClient.close();
ioClient.disconnect();
`;
  write('fleet.mjs', `import { ClientState, RetryPolicy } from 'http-verdict';
import { shareThroughRedis } from 'http-verdict/redis';
import { createClient } from 'redis';
import Redis from 'ioredis';
${body}`);
  write('fleet.cjs', `const { ClientState, RetryPolicy } = require('http-verdict');
const { shareThroughRedis } = require('http-verdict/redis');
const { createClient } = require('redis');
const Redis = require('ioredis');
(async () => {${body}})();
`);
  for (const file of ['fleet.mjs', 'fleet.cjs']) {
    const { stdout } = await run(process.execPath, ['--no-warnings', file, redis.url, `pack-${file}:`], { cwd: appDir, timeout: 30_000 });
    const admission = JSON.parse(stdout);
    assert.equal(admission.reason, 'throttled', file);
    assert.ok(admission.waitMs > 4_000, `${file}: ${admission.waitMs} ms`);
  }
});

test('TypeScript (nodenext): node-redis and ioredis clients fit shareThroughRedis; wrong options do not', async () => {
  write(
    'fleet.ts',
    `import { ClientState, createFetch } from 'http-verdict';
import { shareThroughRedis, type RedisShare } from 'http-verdict/redis';
import { createClient } from 'redis';
import { Redis } from 'ioredis';

const fromNodeRedis: RedisShare = shareThroughRedis(createClient(), { prefix: 'my-api:', timeoutMs: 50, now: Date.now });
const fromIoredis = shareThroughRedis(new Redis(), {});
const state = new ClientState({ share: fromIoredis });
createFetch({ state });
const ready: Promise<boolean> = fromNodeRedis.ready;
const closed: Promise<void> = fromNodeRedis.close();
// @ts-expect-error: prefix is a string
shareThroughRedis(createClient(), { prefix: 5 });
// @ts-expect-error: not a Redis client
shareThroughRedis({ publish() {} });
export { ready, closed };
`,
  );
  const compilerOptions = { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022', 'dom'], types: ['node'], skipLibCheck: true };
  write('tsconfig.json', JSON.stringify({ compilerOptions, files: ['fleet.ts'] }, null, 2));
  await run(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: appDir, timeout: 120_000 }).catch((error) => {
    assert.fail(`tsc failed:\n${error.stdout}${error.stderr}`);
  });
});
