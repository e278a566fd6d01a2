// Start-up cost of the package in Node: wall time of `node -e "import('http-verdict entry')"` next to
// a bare `node -e 0`, run alternately in fresh processes so that drift hits both alike. Prints the
// medians and their difference (the package's import cost), and the same for import plus a first
// classify (which instantiates the wasm: the Node entry compiles it on first use). An empty ES module
// is timed too: what any `import()` from `node -e` costs before the package's own work.
// Run with `node benches/import-time.mjs [runs]` after `bash scripts/build.sh`.
import {spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

const runs = Number(process.argv[2] ?? 21);
const scratch = mkdtempSync(join(tmpdir(), 'import-time-'));
const empty = join(scratch, 'empty.mjs');
writeFileSync(empty, 'export const empty = true;\n');
const entry = fileURLToPath(new URL('../pkg/node.js', import.meta.url));
const commands = {
	bare: ['-e', '0'],
	'empty ES module': ['-e', `import(${JSON.stringify(empty)})`],
	import: ['-e', `import(${JSON.stringify(entry)})`],
	'import + classify': ['-e', `import(${JSON.stringify(entry)}).then(m => m.classify({status: 503}))`],
};

function wallMs(args) {
	const started = process.hrtime.bigint();
	const {status} = spawnSync(process.execPath, args, {stdio: 'ignore'});
	if (status !== 0) {
		throw new Error(`node ${args.join(' ')} exited with ${status}`);
	}

	return Number(process.hrtime.bigint() - started) / 1e6;
}

const times = Object.fromEntries(Object.keys(commands).map(name => [name, []]));
wallMs(commands.bare);
wallMs(commands.import);
for (let run = 0; run < runs; run++) {
	for (const [name, args] of Object.entries(commands)) {
		times[name].push(wallMs(args));
	}
}

rmSync(scratch, {recursive: true, force: true});
const median = values => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)];
const bare = median(times.bare);
console.log(`Node ${process.version}, ${runs} runs each, alternating; wall ms (median)`);
for (const [name, values] of Object.entries(times)) {
	const extra = name === 'bare' ? '' : `  (+${(median(values) - bare).toFixed(1)} ms over bare)`;
	console.log(`${name.padEnd(18)} ${median(values).toFixed(1).padStart(7)}${extra}`);
}
