// Assembles the npm package in pkg/ from the wasm build (target/wasm-pack, and the optimised module
// with names that scripts/build.sh keeps in target/size) and the hand-written sources of
// pkg-template/, then reports what a browser downloads and enforces the size budget.
//
// What ships:
// - web.js: the browser and bundler entry, ONE minified ES module (the wasm-bindgen glue and every
//   source module inlined), so that a plain page makes two requests (it and the wasm) and downloads
//   no comments. It loads the wasm from `new URL('http_verdict_bg.wasm', import.meta.url)`, which
//   bundlers recognise as an asset.
// - workerd.js: the entry for Cloudflare's workerd (export condition `workerd`), minified like web.js,
//   importing the wasm as a module as workerd requires.
// - share.js: the 'http-verdict/share' subpath (stores for sharing a client state between tabs,
//   workers or hosts), minified, no wasm: not part of the browser download unless a page imports it.
// - redis.js: the 'http-verdict/redis' subpath (the same sharing over a Redis client), minified, no
//   wasm, never imported by the main entries.
// - hedge.js: the 'http-verdict/hedge' subpath (a transport that hedges slow safe requests), minified,
//   no wasm.
// - presets.js: the 'http-verdict/presets' subpath (profiles as data, from presets.json), minified, no
//   wasm.
// - node.js: the Node entry, the same sources and the glue in one readable (unminified) module, so
//   that `import` reads one file instead of twenty.
// - http_verdict_bg.wasm: the optimised module with its custom sections (names) removed.
// - the hand-written types (index.d.ts, fetch.d.ts), package.json (versioned from Cargo.toml), README
//   and LICENSE.
// Generated files are never edited; esbuild (a dev dependency) only concatenates and minifies, and
// terser (another) minifies the minified modules again.

import {copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {dirname, join, relative} from 'node:path';
import {fileURLToPath} from 'node:url';
import {gzipSync, constants as zlib} from 'node:zlib';
import {build} from 'esbuild';
import {minify} from 'terser';
import {report as wasmReport, withoutCustomSections} from './size-report.mjs';

// Total gzip (-9) bytes a browser downloads for `import ... from 'http-verdict'` (wasm + web.js).
// History: 72.9 KB (classification only), 91.2 KB (retry engine), 100.8 KB (fetch wrapper), all
// with a budget of 108 KB; then the lean package (no serde, no std, no core::fmt, one minified browser
// module): see README "Size". The budget only goes down.
const BUDGET_GZIP_BYTES = 42_193;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wasmPackDir = join(root, 'target/wasm-pack');
const namedWasm = join(root, 'target/size/http_verdict_named.wasm');
const templateDir = join(root, 'pkg-template');
const pkgDir = join(root, 'pkg');
const GLUE = 'http_verdict.js';
const WASM = 'http_verdict_bg.wasm';
const COPIED = ['package.json', 'index.d.ts', 'fetch.d.ts', 'share.d.ts', 'redis.d.ts', 'presets.d.ts', 'hedge.d.ts'];

function fail(message) {
	console.error(`assemble: ${message}`);
	process.exit(1);
}

function crateVersion() {
	const toml = readFileSync(join(root, 'Cargo.toml'), 'utf8');
	// The first `version = "..."` inside [package]; later tables are dependencies.
	const section = toml.split(/^\[package\]\s*$/m)[1]?.split(/^\[/m)[0] ?? '';
	const match = section.match(/^version\s*=\s*"([^"]+)"/m);
	if (!match) {
		fail('no [package] version in Cargo.toml');
	}

	return match[1];
}

for (const file of [join(wasmPackDir, GLUE), namedWasm, ...COPIED.map(name => join(templateDir, name))]) {
	if (!existsSync(file)) {
		fail(`missing ${relative(root, file)}; run scripts/build.sh`);
	}
}

// Recreate pkg/ from scratch so that nothing removed lingers.
rmSync(pkgDir, {recursive: true, force: true});
mkdirSync(pkgDir, {recursive: true});
writeFileSync(join(pkgDir, WASM), withoutCustomSections(readFileSync(namedWasm)));
for (const name of COPIED.filter(name => name !== 'package.json')) {
	copyFileSync(join(templateDir, name), join(pkgDir, name));
}

const manifest = JSON.parse(readFileSync(join(templateDir, 'package.json'), 'utf8'));
manifest.version = crateVersion();
writeFileSync(join(pkgDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
for (const name of readdirSync(root)) {
	if (name === 'README.md' || /^LICEN[CS]E/i.test(name)) {
		copyFileSync(join(root, name), join(pkgDir, name));
	}
}

// The sources import the glue as './http_verdict.js'; it lives in target/wasm-pack until bundled.
const glueAlias = {
	name: 'glue',
	setup(builder) {
		builder.onResolve({filter: /\/http_verdict\.js$/}, () => ({path: join(wasmPackDir, GLUE)}));
	},
};

// The sentence templates (src/sentences.txt, shared with the Rust core) are bundled as a string,
// without their comment lines.
const templates = {
	name: 'templates',
	setup(builder) {
		builder.onLoad({filter: /\.txt$/}, ({path}) => ({
			contents: readFileSync(path, 'utf8').split('\n').filter(line => !line.startsWith('#')).join('\n'),
			loader: 'text',
		}));
	},
};

const common = {bundle: true, format: 'esm', target: 'es2022', legalComments: 'none', logLevel: 'error', write: true};
await build({
	...common,
	entryPoints: [join(templateDir, 'web.js')],
	outfile: join(pkgDir, 'web.js'),
	platform: 'neutral',
	minify: true,
	plugins: [glueAlias, templates],
});
// workerd imports the wasm as a module: the import stays, pointing at the file beside the entry.
await build({
	...common,
	entryPoints: [join(templateDir, 'workerd.js')],
	outfile: join(pkgDir, 'workerd.js'),
	platform: 'neutral',
	minify: true,
	external: ['./http_verdict_bg.wasm'],
	plugins: [glueAlias, templates],
});
// 'http-verdict/share': plain JS with no wasm, for client states that share what they learn.
await build({
	...common,
	entryPoints: [join(templateDir, 'share.js')],
	outfile: join(pkgDir, 'share.js'),
	platform: 'neutral',
	minify: true,
});
// 'http-verdict/redis': the same sharing over the caller's Redis client (node-redis or ioredis,
// duck-typed), minified, no wasm; never imported by the main entries.
await build({
	...common,
	entryPoints: [join(templateDir, 'redis.js')],
	outfile: join(pkgDir, 'redis.js'),
	platform: 'neutral',
	minify: true,
});
// 'http-verdict/hedge': a transport for createFetch that hedges slow safe requests.
await build({
	...common,
	entryPoints: [join(templateDir, 'hedge.js')],
	outfile: join(pkgDir, 'hedge.js'),
	platform: 'neutral',
	minify: true,
});
// 'http-verdict/presets': profiles as data (presets.json, which the dialect tests read too).
await build({
	...common,
	entryPoints: [join(templateDir, 'presets.js')],
	outfile: join(pkgDir, 'presets.js'),
	platform: 'neutral',
	minify: true,
});
await build({
	...common,
	entryPoints: [join(templateDir, 'node.js')],
	outfile: join(pkgDir, 'node.js'),
	platform: 'node',
	external: ['node:*'],
	plugins: [glueAlias, templates],
});

// A second pass over esbuild's minified modules: terser's compressor finds what esbuild's leaves
// (-472 B gzip of web.js, measured). Only its safe transforms; names a module exports are kept.
const TERSER = {module: true, ecma: 2022, compress: {passes: 2}, mangle: true, format: {comments: false}};
for (const file of ['web.js', 'workerd.js', 'share.js', 'redis.js', 'hedge.js', 'presets.js']) {
	const path = join(pkgDir, file);
	const {code} = await minify(readFileSync(path, 'utf8'), TERSER);
	writeFileSync(path, `${code}\n`);
}

function measure(file) {
	const bytes = readFileSync(join(pkgDir, file));
	return {file, rawBytes: bytes.length, gzipBytes: gzipSync(bytes, {level: zlib.Z_BEST_COMPRESSION}).length};
}

const web = readFileSync(join(pkgDir, 'web.js'), 'utf8');
if (/\bfrom\s*["']|\bimport\s*["'(]/.test(web)) {
	fail('web.js still imports a module; it must be self-contained');
}

const browserFiles = ['web.js', WASM];
const rows = [...browserFiles, 'node.js', 'share.js', 'redis.js', 'presets.js', 'hedge.js'].map(measure);
const browser = rows.filter(row => browserFiles.includes(row.file));
const total = {
	file: 'browser download',
	rawBytes: browser.reduce((sum, row) => sum + row.rawBytes, 0),
	gzipBytes: browser.reduce((sum, row) => sum + row.gzipBytes, 0),
};

const kb = bytes => `${(bytes / 1024).toFixed(1)} KB`;
const line = cols => cols.map((c, i) => (i === 0 ? String(c).padEnd(22) : String(c).padStart(10))).join('  ');
console.log(`\npkg/ ${manifest.name}@${manifest.version}: sizes (gzip -9)`);
console.log(line(['file', 'raw', 'gzip']));
for (const row of [...rows, total]) {
	console.log(line([row.file, kb(row.rawBytes), kb(row.gzipBytes)]));
}

console.log(`browser download = ${browserFiles.join(' + ')}`);
console.log(`budget: ${kb(total.gzipBytes)} of ${kb(BUDGET_GZIP_BYTES)} gzip\n`);
console.log(wasmReport(join(pkgDir, WASM), namedWasm, Number(process.env.SIZE_REPORT_TOP ?? 12)));
console.log('');

mkdirSync(join(root, 'target'), {recursive: true});
const sizes = {version: manifest.version, budgetGzipBytes: BUDGET_GZIP_BYTES, files: rows, browserFiles, total};
writeFileSync(join(root, 'target/sizes.json'), `${JSON.stringify(sizes, null, 2)}\n`);

if (total.gzipBytes > BUDGET_GZIP_BYTES) {
	fail(`browser download is ${total.gzipBytes} B gzip, over the budget of ${BUDGET_GZIP_BYTES} B (BUDGET_GZIP_BYTES in scripts/assemble.mjs)`);
}
