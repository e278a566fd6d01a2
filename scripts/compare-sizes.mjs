// Side-by-side download sizes: http-verdict, as already built in pkg/, against other HTTP client and
// retry libraries installed as devDependencies (ky, cockatiel, axios, got, p-retry).
// Every library is measured the same way: esbuild bundles a one-line entry re-exporting the package,
// minified, and the output is gzipped at level 9. For http-verdict the files as shipped are measured
// too, as a browser loads them, and the wasm is added to both figures since esbuild does not inline it.
// Nothing is built here: pkg/ is read as it is, and its entry points come from pkg/package.json's
// `exports` map, never from a file list, so the script follows whatever layout pkg/ has.
//
// Usage: node scripts/compare-sizes.mjs  (prints a Markdown table, writes target/compare-sizes.json)

import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, constants as zlib } from 'node:zlib';

const COMMAND = 'node scripts/compare-sizes.mjs';
// Other libraries, in table order. got is Node-only (it needs http, https, net...), so it is bundled
// for Node; the others for browsers.
const LIBRARIES = [
	{ name: 'ky', platform: 'browser' },
	{ name: 'cockatiel', platform: 'browser' },
	{ name: 'axios', platform: 'browser' },
	{ name: 'got', platform: 'node' },
	{ name: 'p-retry', platform: 'browser' },
];
// Conditions tried, in the exports map's own key order, when resolving an entry point; `browser`
// and `module` are what a bundler targeting browsers adds to the plain `default` condition.
const CONDITIONS = {
	default: { platform: 'browser', names: ['browser', 'module', 'import', 'default'] },
	node: { platform: 'node', names: ['node', 'import', 'default'] },
};

// Name of the one-line entry esbuild reads from stdin; not a possible file name, so it never clashes.
const STDIN = '<compare-sizes entry>';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkgDir = join(root, 'pkg');

function fail(message) {
	console.error(`compare-sizes: ${message}`);
	process.exit(1);
}

let esbuild;
try {
	esbuild = await import('esbuild');
} catch (error) {
	fail(`cannot load esbuild (${error.message}); run \`npm ci\` first`);
}

const gzipSize = (bytes) => gzipSync(bytes, { level: zlib.Z_BEST_COMPRESSION }).length;
const toPosix = (path) => path.split(sep).join('/');

function readJson(path, what) {
	try {
		return JSON.parse(readFileSync(path, 'utf8'));
	} catch (error) {
		fail(`cannot read ${what} (${relative(root, path)}): ${error.message}`);
	}
}

// esbuild bundle of `export * from '<specifier>'` (plus the default export, when there is one, which
// `export *` leaves out), minified ESM. Returns the output bytes and the pkg/ files it read.
async function bundle(specifier, { platform, resolveDir }) {
	const run = (withDefault) => esbuild.build({
		stdin: {
			contents: `export * from ${JSON.stringify(specifier)};${withDefault ? ` export { default } from ${JSON.stringify(specifier)};` : ''}\n`,
			resolveDir,
			sourcefile: STDIN,
		},
		absWorkingDir: root,
		bundle: true,
		minify: true,
		format: 'esm',
		platform,
		external: ['node:*'],
		metafile: true,
		write: false,
		logLevel: 'silent',
	});
	let result;
	let hasDefault = true;
	try {
		result = await run(true);
	} catch (error) {
		if (!error.errors?.some((e) => /No matching export .* for import "default"/.test(e.text))) throw error;
		hasDefault = false;
		result = await run(false);
	}
	const bytes = result.outputFiles[0].contents;
	const inputs = Object.keys(result.metafile.inputs).filter((input) => !input.endsWith(STDIN)).map((input) => join(root, input));
	return { bytes, hasDefault, inputs };
}

async function bundleOrFail(specifier, options) {
	try {
		return await bundle(specifier, options);
	} catch (error) {
		const details = error.errors?.map((e) => `${e.location ? `${e.location.file}:${e.location.line}: ` : ''}${e.text}`).join('; ');
		fail(`esbuild could not bundle ${specifier}: ${details || error.message}`);
	}
}

// Resolves an exports target under a set of conditions, in the map's key order, as Node does.
function resolveTarget(target, conditions) {
	if (typeof target === 'string') return target;
	if (Array.isArray(target)) {
		for (const item of target) {
			const resolved = resolveTarget(item, conditions);
			if (resolved) return resolved;
		}
		return null;
	}
	if (target && typeof target === 'object') {
		for (const [key, value] of Object.entries(target)) {
			if (!conditions.includes(key)) continue;
			const resolved = resolveTarget(value, conditions);
			if (resolved) return resolved;
		}
	}
	return null;
}

// The exports map as { subpath: target }, expanding the shorthands (a bare string or array, or an
// object of conditions only) to a "." entry.
function subpathMap(exportsField) {
	if (typeof exportsField === 'string' || Array.isArray(exportsField)) return { '.': exportsField };
	const keys = Object.keys(exportsField);
	if (keys.length > 0 && keys.every((key) => !key.startsWith('.'))) return { '.': exportsField };
	return exportsField;
}

// The JS a loader fetches for an entry: the entry and every relative module it imports, transitively.
// Static `import`/`export ... from` only (the same rule as scripts/assemble.mjs, so the totals agree).
function loadedModules(entry) {
	const seen = new Set();
	const queue = [entry];
	while (queue.length > 0) {
		const file = queue.shift();
		if (seen.has(file)) continue;
		seen.add(file);
		if (!existsSync(join(pkgDir, file))) fail(`pkg/${file} is missing (is pkg/ being rebuilt? run \`bash scripts/build.sh\`)`);
		if (!/\.[cm]?js$/.test(file)) continue;
		const source = readFileSync(join(pkgDir, file), 'utf8');
		const specifiers = [
			...source.matchAll(/(?:^|[\s;])(?:import|export)\b[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]/g),
			...source.matchAll(/(?:^|[\s;])import\s*['"](\.{1,2}\/[^'"]+)['"]/g),
		];
		for (const [, spec] of specifiers) queue.push(toPosix(relative(pkgDir, join(pkgDir, dirname(file), spec))));
	}
	return [...seen];
}

function measureFile(file) {
	const bytes = readFileSync(join(pkgDir, file));
	return { file, rawBytes: bytes.length, gzipBytes: gzipSize(bytes) };
}

const sum = (rows, key) => rows.reduce((total, row) => total + row[key], 0);

// http-verdict, from pkg/ as it is now.
if (!existsSync(join(pkgDir, 'package.json'))) fail('pkg/ is missing or incomplete (no pkg/package.json); run `bash scripts/build.sh` first');
const manifest = readJson(join(pkgDir, 'package.json'), 'the built package manifest');
if (!manifest.exports) fail('pkg/package.json has no "exports" map');

const wasmFiles = readdirSync(pkgDir, { recursive: true, withFileTypes: true })
	.filter((entry) => entry.isFile() && entry.name.endsWith('.wasm'))
	.map((entry) => toPosix(relative(pkgDir, join(entry.parentPath ?? entry.path, entry.name))))
	.sort();
const wasm = wasmFiles.map(measureFile);

const entries = [];
const skipped = [];
for (const [subpath, target] of Object.entries(subpathMap(manifest.exports))) {
	if (subpath.includes('*')) {
		skipped.push(`${subpath} (pattern)`);
		continue;
	}
	const resolved = Object.entries(CONDITIONS)
		.map(([condition, { platform, names }]) => ({ condition, platform, file: resolveTarget(target, names) }))
		.filter(({ file }) => file && /\.[cm]?js$/.test(file));
	if (resolved.length === 0) {
		skipped.push(`${subpath} (no JS module)`);
		continue;
	}
	// One row for conditions that land on the same file.
	for (const { condition, platform, file } of resolved) {
		const same = entries.find((entry) => entry.subpath === subpath && entry.target === file);
		if (same) same.conditions.push(condition);
		else entries.push({ subpath, conditions: [condition], platform, target: file });
	}
}
if (entries.length === 0) fail('pkg/package.json\'s exports map has no JS entry point');

for (const entry of entries) {
	entry.file = toPosix(relative(pkgDir, join(pkgDir, entry.target)));
	const modules = loadedModules(entry.file);
	// The wasm counts for entries that load it (a subpath such as ./share is plain JS).
	entry.wasm = modules.some((file) => readFileSync(join(pkgDir, file), 'utf8').includes('.wasm')) ? wasm : [];
	const files = [...modules.map(measureFile), ...entry.wasm];
	entry.shipped = { files, rawBytes: sum(files, 'rawBytes'), gzipBytes: sum(files, 'gzipBytes') };

	const { bytes, inputs } = await bundleOrFail(`./${entry.file}`, { platform: entry.platform, resolveDir: pkgDir });
	const bundleGzipBytes = gzipSize(bytes);
	entry.minified = {
		bundleRawBytes: bytes.length,
		bundleGzipBytes,
		wasmFiles: entry.wasm.length > 0 ? wasmFiles : [],
		rawBytes: bytes.length + sum(entry.wasm, 'rawBytes'),
		gzipBytes: bundleGzipBytes + sum(entry.wasm, 'gzipBytes'),
	};
	// esbuild follows imports with a real parser: if it read other pkg/ files than the scan above,
	// the shipped figure is wrong, so say so rather than print it silently.
	const bundled = inputs.filter((input) => !relative(pkgDir, input).startsWith('..')).map((input) => toPosix(relative(pkgDir, input))).sort();
	const differ = bundled.length !== modules.length || bundled.some((file) => !modules.includes(file));
	if (differ) console.error(`compare-sizes: warning: ${entry.file}: esbuild read ${bundled.join(', ')}; the import scan found ${[...modules].sort().join(', ')}`);
}

// The other libraries, as installed in node_modules.
const libraries = [];
for (const { name, platform } of LIBRARIES) {
	const manifestPath = join(root, 'node_modules', name, 'package.json');
	if (!existsSync(manifestPath)) fail(`${name} is not installed; run \`npm ci\` first`);
	const { version } = readJson(manifestPath, `${name}'s package.json`);
	const { bytes, hasDefault } = await bundleOrFail(name, { platform, resolveDir: root });
	libraries.push({ name, version, platform, hasDefaultExport: hasDefault, rawBytes: bytes.length, gzipBytes: gzipSize(bytes) });
}

// Output.
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const rows = [];
for (const entry of entries) {
	const label = `\`${entry.subpath}\` ${entry.conditions.join('+')} → ${entry.file}`;
	rows.push({ library: manifest.name, version: manifest.version, entry: `${label}: shipped files (${entry.shipped.files.length})`, rawBytes: entry.shipped.rawBytes, gzipBytes: entry.shipped.gzipBytes });
	rows.push({ library: manifest.name, version: manifest.version, entry: `${label}: min bundle${entry.wasm.length > 0 ? ' + wasm' : ''}${entry.platform === 'node' ? ' (platform node)' : ''}`, rawBytes: entry.minified.rawBytes, gzipBytes: entry.minified.gzipBytes });
}
for (const lib of libraries) {
	rows.push({ library: lib.name, version: lib.version, entry: `min bundle${lib.platform === 'node' ? ' (platform node: Node-only)' : ''}`, rawBytes: lib.rawBytes, gzipBytes: lib.gzipBytes });
}

const table = [['library', 'version', 'entry', 'raw', 'gzip'], ...rows.map((row) => [row.library, row.version, row.entry, kb(row.rawBytes), kb(row.gzipBytes)])];
const widths = table[0].map((_, i) => Math.max(...table.map((cols) => cols[i].length)));
const line = (cols) => `| ${cols.map((c, i) => (i >= 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`;
console.log(line(table[0]));
console.log(`| ${widths.map((w, i) => (i >= 3 ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`);
for (const cols of table.slice(1)) console.log(line(cols));
console.log();
console.log(`Measured with \`${COMMAND}\` from pkg/ as built (not rebuilt) and node_modules: esbuild ${esbuild.version} `
	+ '(bundle, minify, format esm, platform browser unless noted, `node:*` external) of `export * from \'<entry>\'` '
	+ `(plus its default export, if any); gzip -9 (node:zlib); 1 KB = 1024 B. http-verdict rows of entries that load it include ${wasmFiles.join(', ') || 'no wasm'}; `
	+ '"shipped files" = the entry and every module it statically imports, each gzipped separately, summed.');
if (skipped.length > 0) console.log(`Not measured: ${skipped.join(', ')}.`);

mkdirSync(join(root, 'target'), { recursive: true });
const report = {
	command: COMMAND,
	esbuild: esbuild.version,
	gzipLevel: 9,
	httpVerdict: { name: manifest.name, version: manifest.version, wasm, entries, skipped },
	libraries,
	rows,
};
writeFileSync(join(root, 'target/compare-sizes.json'), `${JSON.stringify(report, null, 2)}\n`);
