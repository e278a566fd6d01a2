// The packed tarball in the other JavaScript runtimes: Deno, Bun and Cloudflare's workerd (their npm
// packages ship the binaries; dev-dependencies). Each imports `http-verdict` from a scratch
// project's node_modules (the tarball installed there, never the source tree), classifies, decides,
// and runs createFetch against this process's scripted loopback server: a 503 then a 200, and a
// refused connection. Each runtime's version is printed.

import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { startScriptedServer } from '../support/scripted-server.mjs';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const bin = (name) => join(root, 'node_modules/.bin', name);

// What every runtime runs: the same checks, as one object.
const CHECKS = `import { classify, classifyError, createFetch, RetryPolicy } from 'http-verdict';
async function checks(flakyUrl, refusedUrl) {
  const verdict = classify({ status: 429, headers: { 'retry-after': '3' } });
  const decision = new RetryPolicy({ seed: 1, jitter: 'none', baseDelayMs: 100 }).decide({ attempt: 1, status: 503 });
  const waits = [];
  const fetch = createFetch({ seed: 1, sleep: async (ms) => { waits.push(ms); } });
  const response = await fetch(flakyUrl);
  const body = await response.text();
  let refused;
  try {
    await fetch(refusedUrl);
  } catch (error) {
    refused = { name: error.name, kind: error.verdict?.kind, detail: error.verdict?.detail, attempts: error.attempts, cause: String(error.cause?.message ?? error.cause) };
  }
  let thrown;
  try {
    await globalThis.fetch(refusedUrl);
  } catch (error) {
    const verdict = classifyError(error);
    thrown = { kind: verdict.kind, detail: verdict.detail, message: String(error.message) };
  }
  return { verdict, decision: { retry: decision.retry, delayMs: decision.delayMs, reason: decision.reason }, status: response.status, body, waits, refused, thrown };
}
`;

// Deno and Bun run it as a script; the URLs come in the environment.
const SCRIPT = `${CHECKS}
console.log(JSON.stringify(await checks(...JSON.parse(process.env.HTTP_VERDICT_URLS))));
`;

// workerd runs it in a Worker that answers each request with the checks' result.
const WORKER = `${CHECKS}
export default {
  async fetch(request, env) {
    return Response.json(await checks(...JSON.parse(env.URLS)));
  },
};
`;

// The modules are listed by hand, as workerd needs them: the package's workerd entry under its name,
// and the wasm it imports as a wasm module. Loopback addresses are allowed for outgoing fetches.
function workerdConfig(port, urls) {
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "loopback", network = (allow = ["local", "private"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "http-verdict", esModule = embed "node_modules/http-verdict/workerd.js"),
    (name = "http_verdict_bg.wasm", wasm = embed "node_modules/http-verdict/http_verdict_bg.wasm"),
  ],
  compatibilityDate = "2024-09-23",
  compatibilityFlags = ["nodejs_compat"],
  globalOutbound = "loopback",
  bindings = [(name = "URLS", text = ${JSON.stringify(urls)})],
);
`;
}

let workDir;
let appDir;
let server;
let refusedPort;

async function freePort() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

before(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'http-verdict-runtimes-'));
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', workDir], { cwd: join(root, 'pkg') });
  const [packed] = JSON.parse(stdout);
  appDir = join(workDir, 'app');
  await run('mkdir', ['-p', appDir]);
  writeFileSync(join(appDir, 'package.json'), `${JSON.stringify({ name: 'runtime-app', private: true, type: 'module' })}\n`);
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(workDir, packed.filename)], { cwd: appDir, timeout: 120_000 });
  writeFileSync(join(appDir, 'check.mjs'), SCRIPT);
  writeFileSync(join(appDir, 'worker.js'), WORKER);
  server = await startScriptedServer();
  refusedPort = await freePort();
});

/** A fresh 503-then-200 URL and the refused one, for one runtime's run. */
function urls() {
  return JSON.stringify([server.script(`/flaky-${Math.random()}`, [{ status: 503 }, { status: 200, body: 'fine' }]), `http://127.0.0.1:${refusedPort}/`]);
}

after(async () => {
  await server?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

async function check(command, args) {
  const { stdout } = await run(command, args, { cwd: appDir, timeout: 60_000, env: { ...process.env, HTTP_VERDICT_URLS: urls(), NO_COLOR: '1' } });
  return JSON.parse(stdout.trim().split('\n').at(-1));
}

/** `refused`: the detail the runtime's own error for a refused connection allows. */
function assertChecks(out, refused = 'connection_refused') {
  assert.equal(out.verdict.kind, 'throttled');
  assert.equal(out.verdict.retryAfterMs, 3000);
  assert.deepEqual(out.decision, { retry: true, delayMs: 100, reason: 'retryable_status' });
  assert.equal(out.status, 200);
  assert.equal(out.body, 'fine');
  assert.equal(out.waits.length, 2, `one wait after the 503, one before the refused connection's retry: ${JSON.stringify(out.waits)}`);
  assert.equal(out.refused.name, 'NetworkError', JSON.stringify(out.refused));
  assert.equal(out.refused.kind, 'network_error', JSON.stringify(out.refused));
  assert.equal(out.refused.detail, refused, JSON.stringify(out.refused));
  assert.equal(out.thrown.kind, 'network_error', JSON.stringify(out.thrown));
  assert.equal(out.thrown.detail, refused, JSON.stringify(out.thrown));
}

describe('runtimes, from the packed tarball', () => {
  test('Deno', async () => {
    const { stdout: version } = await run(bin('deno'), ['--version']);
    console.log(`# ${version.split('\n')[0]}`);
    assertChecks(await check(bin('deno'), ['run', '--allow-net', '--allow-read', '--allow-env', 'check.mjs']));
  });

  test('workerd (Cloudflare Workers), through the package\'s workerd entry', async () => {
    const { stdout: version } = await run(bin('workerd'), ['--version']);
    console.log(`# ${version.trim()}`);
    const port = await freePort();
    writeFileSync(join(appDir, 'config.capnp'), workerdConfig(port, urls()));
    const child = spawn(bin('workerd'), ['serve', 'config.capnp', '--experimental'], { cwd: appDir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    try {
      let answer;
      for (let tries = 0; tries < 100 && answer === undefined; tries++) {
        answer = await globalThis.fetch(`http://127.0.0.1:${port}/`).catch(() => sleep(50).then(() => undefined));
      }
      assert.ok(answer, `workerd did not answer: ${stderr}`);
      const text = await answer.text();
      assert.equal(answer.status, 200, `${text}\n${stderr}`);
      // workerd words a refused connection "Network connection lost.", which says nothing about
      // whether the request was sent: a fetch failure, retried for idempotent requests only.
      assertChecks(JSON.parse(text), 'fetch_failed');
    } finally {
      child.kill('SIGTERM');
    }
  });

  test('Bun', async () => {
    const { stdout: version } = await run(bin('bun'), ['--version']);
    console.log(`# bun ${version.trim()}`);
    assertChecks(await check(bin('bun'), ['check.mjs']));
  });
});
