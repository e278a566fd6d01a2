// Per-request overhead on loopback, in one run: raw fetch, createFetch with defaults, and ky (with
// its default retry), alternating in rounds so that drift hits all three alike. Each request is a
// GET of a small 200 from a node:http server on 127.0.0.1. Prints medians and ratios to raw fetch.
// Run with `node benches/fetch-overhead.mjs [rounds] [requestsPerRound] [OLD_PKG]` after
// `bash scripts/build.sh`; with OLD_PKG (another build's pkg/ directory) its createFetch runs in the
// same rotation, so that a change is compared with its before under the same load.
import {createServer} from 'node:http';
import ky from 'ky';
import {resolve} from 'node:path';
import {pathToFileURL} from 'node:url';
import {createFetch} from '../pkg/node.js';

const rounds = Number(process.argv[2] ?? 30);
const perRound = Number(process.argv[3] ?? 200);
const oldPackage = process.argv[4];

const server = createServer((request, response) => {
	response.writeHead(200, {'content-type': 'application/json', 'content-length': '11'});
	response.end('{"ok":true}');
});
await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/item`;

const wrapped = createFetch();
const clients = {
	'raw fetch': async () => (await fetch(url)).text(),
	'createFetch()': async () => (await wrapped(url)).text(),
	'ky.get()': async () => ky.get(url).text(),
};
if (oldPackage !== undefined) {
	const old = await import(pathToFileURL(resolve(oldPackage, 'node.js')).href);
	const oldWrapped = old.createFetch();
	clients['createFetch() OLD'] = async () => (await oldWrapped(url)).text();
}

async function timeRound(client) {
	const started = process.hrtime.bigint();
	for (let index = 0; index < perRound; index++) {
		await client();
	}

	return Number(process.hrtime.bigint() - started) / 1000 / perRound;
}

// Warm up connections, JIT and the wasm.
for (const client of Object.values(clients)) {
	await timeRound(client);
}

const samples = Object.fromEntries(Object.keys(clients).map(name => [name, []]));
for (let round = 0; round < rounds; round++) {
	// Rotate the order each round so that no client always runs first.
	const names = Object.keys(clients);
	for (let offset = 0; offset < names.length; offset++) {
		const name = names[(round + offset) % names.length];
		samples[name].push(await timeRound(clients[name]));
	}
}

server.close();
const median = values => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)];
const base = median(samples['raw fetch']);
console.log(`per-request time on loopback (Node ${process.version}, median of ${rounds} rounds × ${perRound} requests):`);
for (const [name, values] of Object.entries(samples)) {
	const value = median(values);
	console.log(`  ${name.padEnd(18)} ${value.toFixed(1).padStart(7)} µs  ${(value / base).toFixed(2)}× raw fetch  (+${(value - base).toFixed(1)} µs)`);
}
