// Assembles the npm package in pkg/ from wasm-pack's output (target/wasm-pack) and the hand-written
// files of pkg-template/, then reports what a browser downloads and enforces the size budget.
// Dependency-free on purpose: it runs right after the wasm build, before anything else is trusted.
// Generated files are copied byte for byte, never edited; only pkg/package.json gets its version here,
// from Cargo.toml, so the crate and the npm package cannot drift apart.

import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, constants as zlib } from 'node:zlib';

// Total gzip (-9) bytes a browser downloads for `import ... from 'http-verdict'` (wasm + glue + JS).
// Set from the first measurement (72.9 KB, classification only), raised for the retry engine
// (91.2 KB) and for the fetch wrapper (100.8 KB), each time with a little headroom; the aim was
// 16 KB, see README "Size" for where the bytes go.
const BUDGET_GZIP_BYTES = 108 * 1024;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wasmPackDir = join(root, 'target/wasm-pack');
const templateDir = join(root, 'pkg-template');
const pkgDir = join(root, 'pkg');
const GENERATED = ['http_verdict.js', 'http_verdict_bg.wasm'];
const WEB_ENTRY = 'web.js';

function fail(message) {
  console.error(`assemble: ${message}`);
  process.exit(1);
}

function crateVersion() {
  const toml = readFileSync(join(root, 'Cargo.toml'), 'utf8');
  // The first `version = "..."` inside [package]; later tables are dependencies.
  const section = toml.split(/^\[package\]\s*$/m)[1]?.split(/^\[/m)[0] ?? '';
  const match = section.match(/^version\s*=\s*"([^"]+)"/m);
  if (!match) fail('no [package] version in Cargo.toml');
  return match[1];
}

for (const name of GENERATED) {
  if (!existsSync(join(wasmPackDir, name))) fail(`missing ${relative(root, join(wasmPackDir, name))}; run scripts/build.sh`);
}
if (!existsSync(join(templateDir, 'package.json'))) fail('missing pkg-template/package.json');
const templateFiles = readdirSync(templateDir, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile())
  .map((entry) => relative(templateDir, join(entry.parentPath ?? entry.path, entry.name)));
const clash = templateFiles.find((name) => GENERATED.includes(name));
if (clash) fail(`pkg-template/${clash} would overwrite a generated file`);

// Recreate pkg/ from scratch so files removed from the template do not linger.
rmSync(pkgDir, { recursive: true, force: true });
mkdirSync(pkgDir, { recursive: true });
for (const name of GENERATED) copyFileSync(join(wasmPackDir, name), join(pkgDir, name));
cpSync(templateDir, pkgDir, { recursive: true });
const manifest = JSON.parse(readFileSync(join(templateDir, 'package.json'), 'utf8'));
manifest.version = crateVersion();
writeFileSync(join(pkgDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
for (const name of readdirSync(root)) {
  if (name === 'README.md' || /^LICEN[CS]E/i.test(name)) copyFileSync(join(root, name), join(pkgDir, name));
}

// The JS a browser fetches: the web entry and every relative module it imports, transitively.
// Static `import`/`export ... from` only; the package has no dynamic imports on its load path.
function webModules(entry) {
  const seen = new Set();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift();
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(join(pkgDir, file), 'utf8');
    for (const [, spec] of source.matchAll(/(?:^|[\s;])(?:import|export)\b[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      queue.push(relative(pkgDir, join(pkgDir, dirname(file), spec)));
    }
    for (const [, spec] of source.matchAll(/(?:^|[\s;])import\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      queue.push(relative(pkgDir, join(pkgDir, dirname(file), spec)));
    }
  }
  return [...seen];
}

function measure(file) {
  const bytes = readFileSync(join(pkgDir, file));
  return { file, rawBytes: bytes.length, gzipBytes: gzipSync(bytes, { level: zlib.Z_BEST_COMPRESSION }).length };
}

if (!existsSync(join(pkgDir, WEB_ENTRY))) fail(`pkg-template/${WEB_ENTRY} (the browser entry) is missing`);
const loaded = webModules(WEB_ENTRY);
const missing = loaded.filter((file) => !existsSync(join(pkgDir, file)));
if (missing.length > 0) fail(`${WEB_ENTRY} imports missing files: ${missing.join(', ')}`);

const rows = [
  { label: 'wasm', ...measure('http_verdict_bg.wasm') },
  { label: 'glue', ...measure('http_verdict.js') },
  ...templateFiles.filter((f) => f.endsWith('.js')).sort().map((f) => ({ label: 'js', ...measure(f) })),
];
const browserFiles = ['http_verdict_bg.wasm', ...loaded];
const browser = browserFiles.map(measure);
const total = {
  label: 'total',
  file: 'browser download',
  rawBytes: browser.reduce((sum, row) => sum + row.rawBytes, 0),
  gzipBytes: browser.reduce((sum, row) => sum + row.gzipBytes, 0),
};

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const line = (cols) => cols.map((c, i) => (i < 2 ? String(c).padEnd(i === 0 ? 6 : 22) : String(c).padStart(10))).join('  ');
console.log(`\npkg/ ${manifest.name}@${manifest.version}: sizes (gzip -9)`);
console.log(line(['', 'file', 'raw', 'gzip']));
for (const row of [...rows, total]) console.log(line([row.label, row.file, kb(row.rawBytes), kb(row.gzipBytes)]));
console.log(`browser download = ${browserFiles.join(' + ')}`);
console.log(`budget: ${kb(total.gzipBytes)} of ${kb(BUDGET_GZIP_BYTES)} gzip\n`);

mkdirSync(join(root, 'target'), { recursive: true });
const report = { version: manifest.version, budgetGzipBytes: BUDGET_GZIP_BYTES, files: rows, browserFiles, total };
writeFileSync(join(root, 'target/sizes.json'), `${JSON.stringify(report, null, 2)}\n`);

if (total.gzipBytes > BUDGET_GZIP_BYTES) {
  fail(`browser download is ${total.gzipBytes} B gzip, over the budget of ${BUDGET_GZIP_BYTES} B (BUDGET_GZIP_BYTES in scripts/assemble.mjs)`);
}
