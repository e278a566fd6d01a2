// The packed tarball, used as a user uses it: `npm pack` pkg/, install the .tgz into a fresh project,
// then import it from Node ESM and CommonJS, type-check against it, bundle it with Vite for production
// and run the bundle in headless Chromium, and time the module's initialisation in Node.
// Everything happens in a temp dir, removed afterwards; nothing is fetched (the package has no deps).

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'vite';
import { launchChromium, pageOutput } from '../support/chromium.mjs';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const pkgDir = join(root, 'pkg');

// What the tarball must hold, no more and no less: the two bundled entries, the wasm and the types. A new shipped file belongs here too, on purpose.
const INTENDED_FILES = [
  'README.md',
  'fetch.d.ts',
  'hedge.d.ts',
  'hedge.js',
  'http_verdict_bg.wasm',
  'index.d.ts',
  'node.js',
  'package.json',
  'presets.d.ts',
  'presets.js',
  'redis.d.ts',
  'redis.js',
  'share.d.ts',
  'share.js',
  'web.js',
  'workerd.js',
  ...readdirSync(root).filter((name) => /^LICEN[CS]E/i.test(name)),
].sort();

let workDir;
let appDir;
let packed;

/** Runs `node` with `args` in the consumer project and returns its stdout. */
async function node(args) {
  const { stdout } = await run(process.execPath, args, { cwd: appDir, timeout: 60_000 });
  return stdout;
}

function write(relativePath, text) {
  const file = join(appDir, relativePath);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

before(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'http-verdict-pack-'));
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', workDir], { cwd: pkgDir });
  [packed] = JSON.parse(stdout);
  appDir = join(workDir, 'app');
  write('package.json', `${JSON.stringify({ name: 'consumer-app', private: true, type: 'module' }, null, 2)}\n`);
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(workDir, packed.filename)], {
    cwd: appDir,
    timeout: 120_000,
  });
});

after(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

test('the tarball holds exactly the intended files, versioned like the crate', () => {
  assert.deepEqual(packed.files.map((f) => f.path).sort(), INTENDED_FILES);
  const cargoVersion = readFileSync(join(root, 'Cargo.toml'), 'utf8').match(/^version\s*=\s*"([^"]+)"/m)[1];
  const manifest = JSON.parse(readFileSync(join(appDir, 'node_modules/http-verdict/package.json'), 'utf8'));
  assert.equal(manifest.name, 'http-verdict');
  assert.equal(manifest.version, cargoVersion);
  assert.equal(manifest.type, 'module');
  assert.equal(Object.keys(manifest.dependencies ?? {}).length, 0, 'no runtime dependencies');
  // Order matters: Node must never fall through to the browser entry.
  assert.deepEqual(Object.keys(manifest.exports['.']), ['types', 'workerd', 'node', 'default']);
});

test('Node ESM: import from "http-verdict" resolves the Node entry and classifies', async () => {
  write(
    'esm.mjs',
    `import { classify, codes } from 'http-verdict';
const verdict = classify({ status: 503, headers: { 'retry-after': '2' } });
let error;
try { classify({ status: 600 }); } catch (e) { error = { name: e.name, code: e.code }; }
console.log(JSON.stringify({ resolved: import.meta.resolve('http-verdict'), verdict, error, rows: codes().length }));
`,
  );
  const out = JSON.parse(await node(['esm.mjs']));
  assert.match(out.resolved, /node_modules\/http-verdict\/node\.js$/);
  assert.equal(out.verdict.kind, 'service_unavailable');
  assert.equal(out.verdict.retryable, true);
  assert.equal(out.verdict.retryAfterMs, 2000);
  assert.deepEqual(out.error, { name: 'RangeError', code: 'ERR_STATUS_RANGE' });
  assert.ok(out.rows >= 20);
});

test('"http-verdict/share" from the tarball: ESM and CommonJS, two states sharing a throttle', async () => {
  const script = (load) => `${load}
const policy = new RetryPolicy();
const [a, b] = [0, 1].map(() => new ClientState({ share: shareAcrossTabs({ channel: 'pack' }) }));
policy.decide({ status: 429, responseHeaders: { 'retry-after': '5' }, origin: 'https://api.example' }, a);
setTimeout(() => console.log(JSON.stringify(b.admit(policy, { origin: 'https://api.example' }))), 50);
`;
  write('share.mjs', script("import { ClientState, RetryPolicy } from 'http-verdict';\nimport { shareAcrossTabs } from 'http-verdict/share';"));
  write('share.cjs', script("const { ClientState, RetryPolicy } = require('http-verdict');\nconst { shareAcrossTabs } = require('http-verdict/share');"));
  for (const file of ['share.mjs', 'share.cjs']) {
    const admission = JSON.parse(await node(['--no-warnings', file]));
    assert.equal(admission.reason, 'throttled', file);
    assert.ok(admission.waitMs > 4_000, `${file}: ${admission.waitMs} ms`);
  }
});

test('"http-verdict/presets" and "http-verdict/hedge" from the tarball: ESM and CommonJS', async () => {
  const script = (load) => `${load}
const profile = createProfile(githubGraphql);
const body = JSON.stringify({ errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded' }] });
const state = new ClientState();
const fetch = createFetch({ state, fetch: hedged({ state, afterMs: 'p95' }) });
console.log(JSON.stringify({ kind: classify({ status: 200, body }, { profile }).kind, frozen: Object.isFrozen(githubGraphql.rules[0]), hedges: typeof fetch }));
`;
  write('subpaths.mjs', script("import { ClientState, classify, createFetch, createProfile } from 'http-verdict';\nimport { githubGraphql } from 'http-verdict/presets';\nimport { hedged } from 'http-verdict/hedge';"));
  write('subpaths.cjs', script("const { ClientState, classify, createFetch, createProfile } = require('http-verdict');\nconst { githubGraphql } = require('http-verdict/presets');\nconst { hedged } = require('http-verdict/hedge');"));
  for (const file of ['subpaths.mjs', 'subpaths.cjs']) {
    assert.deepEqual(JSON.parse(await node(['--no-warnings', file])), { kind: 'throttled', frozen: true, hedges: 'function' }, file);
  }
});

test('Node CommonJS: require("http-verdict") works (require of ESM, Node >= 20.19)', async () => {
  write(
    'cjs.cjs',
    `const { classify } = require('http-verdict');
const verdict = classify({ status: 429, headers: { 'retry-after': '3' } });
console.log(JSON.stringify({ resolved: require.resolve('http-verdict'), verdict }));
`,
  );
  const out = JSON.parse(await node(['--no-warnings', 'cjs.cjs']));
  assert.match(out.resolved, /node_modules\/http-verdict\/node\.js$/);
  assert.equal(out.verdict.status, 429);
  assert.equal(out.verdict.kind, 'throttled');
  assert.equal(out.verdict.family, 'client_error');
  assert.equal(out.verdict.retryAfterMs, 3000);
});

test('TypeScript: tests/types/usage.ts checks against the installed package (nodenext)', async () => {
  copyFileSync(join(root, 'tests/types/usage.ts'), join(appDir, 'usage.ts'));
  const compilerOptions = { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022', 'dom'], types: [] };
  write('tsconfig.json', JSON.stringify({ compilerOptions, files: ['usage.ts'] }, null, 2));
  await run(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: appDir, timeout: 120_000 }).catch((error) => {
    assert.fail(`tsc failed:\n${error.stdout}${error.stderr}`);
  });
});

test('Vite production build: the bundle loads the wasm asset and classifies in Chromium', async () => {
  write(
    'index.html',
    `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>bundled</title></head>
<body><pre id="out"></pre><script type="module" src="/main.js"></script></body></html>
`,
  );
  write(
    'main.js',
    `import { classify, classifyError } from 'http-verdict';
const verdict = classify({ status: 503, headers: { 'retry-after': '2' } });
const aborted = classifyError(new DOMException('The operation was aborted.', 'AbortError'));
document.getElementById('out').textContent = JSON.stringify({ verdict, aborted });
`,
  );
  const outDir = join(appDir, 'dist');
  await build({ root: appDir, configFile: false, logLevel: 'warn', build: { outDir, emptyOutDir: true } });

  const assets = readdirSync(join(outDir, 'assets'));
  const wasmAssets = assets.filter((name) => name.endsWith('.wasm'));
  assert.equal(wasmAssets.length, 1, `one wasm asset, got ${assets.join(', ')}`);
  assert.ok(
    readFileSync(join(outDir, 'assets', wasmAssets[0])).equals(readFileSync(join(pkgDir, 'http_verdict_bg.wasm'))),
    'the wasm is shipped unchanged',
  );
  for (const name of assets.filter((n) => n.endsWith('.js'))) {
    assert.doesNotMatch(readFileSync(join(outDir, 'assets', name), 'utf8'), /readFileSync|node:fs/, `${name} must not bundle the Node entry`);
  }

  const browser = await launchChromium();
  try {
    const shown = await pageOutput(browser, outDir);
    assert.equal(shown.verdict.kind, 'service_unavailable');
    assert.equal(shown.verdict.retryAfterMs, 2000);
    assert.equal(shown.aborted.kind, 'aborted');
    assert.equal(shown.aborted.retryable, false);
  } finally {
    await browser.close();
  }
});

test('module init time in Node (import() in a fresh process, median of 5)', async (t) => {
  const script = `const t0 = performance.now(); await import('http-verdict'); console.log(performance.now() - t0);`;
  const timesMs = [];
  for (let i = 0; i < 5; i++) timesMs.push(Number(await node(['--input-type=module', '-e', script])));
  timesMs.sort((a, b) => a - b);
  const medianMs = timesMs[2];
  assert.ok(timesMs.every(Number.isFinite) && medianMs > 0, `times: ${timesMs}`);
  const line = `module init (import('http-verdict') in Node ${process.version}): median ${medianMs.toFixed(1)} ms, runs ${timesMs.map((ms) => ms.toFixed(1)).join(' / ')} ms`;
  t.diagnostic(line);
  if (existsSync(join(root, 'target'))) writeFileSync(join(root, 'target/init-time.json'), `${JSON.stringify({ medianMs, timesMs })}\n`);
});
