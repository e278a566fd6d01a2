// The packed tarball through the bundlers people use besides Vite (tests/pack/package.test.mjs):
// esbuild, Rollup and webpack 5, each bundling a small app that imports `http-verdict` from a scratch
// project's node_modules, each bundle then run in headless Chromium. What a user must configure is
// what the test configures, and no more: webpack emits the wasm named by
// `new URL('http_verdict_bg.wasm', import.meta.url)` itself; esbuild and Rollup leave that URL alone,
// so the wasm is copied next to the bundle (README "Environments"). Each bundle's download is printed.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import nodeResolve from '@rollup/plugin-node-resolve';
import { build as esbuild } from 'esbuild';
import { rollup } from 'rollup';
import webpack from 'webpack';
import { launchChromium, pageOutput } from '../support/chromium.mjs';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

const APP = `import { classify, classifyError, RetryPolicy } from 'http-verdict';
const verdict = classify({ status: 503, headers: { 'retry-after': '2' } });
const aborted = classifyError(new DOMException('The operation was aborted.', 'AbortError'));
const decision = new RetryPolicy({ seed: 1, jitter: 'none', baseDelayMs: 100 }).decide({ attempt: 1, status: 503 });
document.getElementById('out').textContent = JSON.stringify({ verdict, aborted, delayMs: decision.delayMs, reason: decision.reason });
`;

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>bundled</title></head>
<body><pre id="out"></pre><script type="module" src="main.js"></script></body></html>
`;

let workDir;
let appDir;
let browser;
let wasmFile;

before(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'http-verdict-bundlers-'));
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', workDir], { cwd: join(root, 'pkg') });
  const [packed] = JSON.parse(stdout);
  appDir = join(workDir, 'app');
  mkdirSync(appDir);
  writeFileSync(join(appDir, 'package.json'), `${JSON.stringify({ name: 'bundled-app', private: true, type: 'module' })}\n`);
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(workDir, packed.filename)], { cwd: appDir, timeout: 120_000 });
  writeFileSync(join(appDir, 'main.js'), APP);
  wasmFile = join(appDir, 'node_modules/http-verdict/http_verdict_bg.wasm');
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** Every file of `dir`, recursively. */
function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)]));
}

/** Loads `dir` in Chromium, checks what the app shows, and prints the download (JS + wasm). */
async function runInChromium(name, dir, t) {
  writeFileSync(join(dir, 'index.html'), PAGE);
  const shipped = files(dir).filter((file) => /\.(js|wasm)$/.test(file));
  const wasm = shipped.filter((file) => file.endsWith('.wasm'));
  assert.equal(wasm.length, 1, `one wasm file in ${name}'s output: ${shipped.join(', ')}`);
  assert.ok(readFileSync(wasm[0]).equals(readFileSync(wasmFile)), 'the wasm is shipped unchanged');
  for (const file of shipped.filter((f) => f.endsWith('.js'))) {
    assert.doesNotMatch(readFileSync(file, 'utf8'), /readFileSync|getBuiltinModule/, `${name} must not bundle the Node entry`);
  }

  const shown = await pageOutput(browser, dir);
  assert.equal(shown.verdict.kind, 'service_unavailable');
  assert.equal(shown.verdict.retryAfterMs, 2000);
  assert.equal(shown.aborted.kind, 'aborted');
  assert.deepEqual([shown.delayMs, shown.reason], [100, 'retryable_status']);

  const raw = shipped.reduce((sum, file) => sum + statSync(file).size, 0);
  const gzip = shipped.reduce((sum, file) => sum + gzipSync(readFileSync(file), { level: 9 }).length, 0);
  t.diagnostic(`${name}: ${shipped.length} files, ${(raw / 1024).toFixed(1)} KB raw, ${(gzip / 1024).toFixed(1)} KB gzip (app + package + wasm)`);
}

describe('bundlers, from the packed tarball, run in Chromium', () => {
  test('esbuild (the wasm copied next to the bundle)', async (t) => {
    const dir = join(workDir, 'dist-esbuild');
    await esbuild({ entryPoints: [join(appDir, 'main.js')], bundle: true, format: 'esm', minify: true, outfile: join(dir, 'main.js'), logLevel: 'error' });
    copyFileSync(wasmFile, join(dir, 'http_verdict_bg.wasm'));
    await runInChromium('esbuild', dir, t);
  });

  test('Rollup with @rollup/plugin-node-resolve (the wasm copied next to the bundle)', async (t) => {
    const dir = join(workDir, 'dist-rollup');
    const bundle = await rollup({ input: join(appDir, 'main.js'), plugins: [nodeResolve({ browser: true })], onwarn: () => {} });
    await bundle.write({ file: join(dir, 'main.js'), format: 'es' });
    await bundle.close();
    copyFileSync(wasmFile, join(dir, 'http_verdict_bg.wasm'));
    await runInChromium('rollup', dir, t);
  });

  test('webpack 5 (emits the wasm itself)', async (t) => {
    const dir = join(workDir, 'dist-webpack');
    const stats = await new Promise((resolve, reject) => {
      webpack({ mode: 'production', context: appDir, entry: './main.js', output: { path: dir, filename: 'main.js' } }, (error, result) => (error ? reject(error) : resolve(result)));
    });
    assert.ok(!stats.hasErrors(), stats.toString('errors-only'));
    await runInChromium('webpack', dir, t);
  });
});
