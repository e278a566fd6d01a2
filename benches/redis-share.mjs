// What sharing over Redis ('http-verdict/redis') costs a request that meets no shared fact, and what
// it changes for a fleet bursting into a rate limiter. Starts its own redis-server (and, with
// --burst, nginx) on loopback, like the tests:
// - per-request time of createFetch with a ClientState without `share` vs with shareThroughRedis over
//   node-redis and over ioredis, alternating in rounds (medians, ratio to no store; a second client
//   without a store shows the noise), GETs of a small 200 from a node:http server on 127.0.0.1;
// - the Redis commands those requests sent (INFO commandstats, before and after; INFO itself not
//   counted), per 1,000 successful requests, and what start-up costs;
// - with --burst: 4 worker processes (2 node-redis, 2 ioredis) each sending 10 concurrent calls
//   through nginx's limit_req (5 r/s, Retry-After: 1), without and with sharing: requests sent,
//   refused, calls delivered.
// Run with `node benches/redis-share.mjs [rounds] [requestsPerRound] [--burst]` after
// `bash scripts/build.sh`.
import {createServer} from 'node:http';
import {setTimeout as sleep} from 'node:timers/promises';
import Redis from 'ioredis';
import {createClient} from 'redis';
import {ClientState, createFetch, RetryPolicy} from '../pkg/node.js';
import {shareThroughRedis} from '../pkg/redis.js';
import {startNginx} from '../tests/support/nginx.mjs';
import {startRedis} from '../tests/support/redis.mjs';
import {forkWorker} from '../tests/support/redis-worker.mjs';

const [rounds = 30, perRound = 200] = process.argv.slice(2).filter(arg => !arg.startsWith('--')).map(Number);
const burst = process.argv.includes('--burst');

const server = createServer((request, response) => {
	response.writeHead(200, {'content-type': 'application/json', 'content-length': '11'});
	response.end('{"ok":true}');
});
await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/item`;

const redis = await startRedis();
const commands = async () => Object.entries(await redis.commands()).reduce((sum, [name, calls]) => (name === 'info' ? sum : sum + calls), 0);
const nodeRedis = await createClient({url: redis.url}).on('error', () => {}).connect();
const ioredis = new Redis(redis.port, '127.0.0.1');
ioredis.on('error', () => {});
await new Promise(resolve => ioredis.once('ready', resolve));

const atStartMs = await commands();
const shares = {node: shareThroughRedis(nodeRedis, {prefix: 'bench:'}), io: shareThroughRedis(ioredis, {prefix: 'bench:'})};
await Promise.all(Object.values(shares).map(share => share.ready));
const startUp = (await commands()) - atStartMs;

const fetchers = {
	'no store': createFetch({state: new ClientState()}),
	// The same again: the spread between the two is the noise of this machine.
	'no store, again': createFetch({state: new ClientState()}),
	'node-redis store': createFetch({state: new ClientState({share: shares.node})}),
	'ioredis store': createFetch({state: new ClientState({share: shares.io})}),
};

async function timeRound(fetcher) {
	const started = process.hrtime.bigint();
	for (let index = 0; index < perRound; index++) {
		await (await fetcher(url)).text();
	}

	return Number(process.hrtime.bigint() - started) / 1000 / perRound;
}

for (const fetcher of Object.values(fetchers)) {
	await timeRound(fetcher);
}

const beforeRuns = await commands();
const samples = Object.fromEntries(Object.keys(fetchers).map(name => [name, []]));
for (let round = 0; round < rounds; round++) {
	// Rotate the order each round so that no client always runs first.
	const names = Object.keys(fetchers);
	for (let offset = 0; offset < names.length; offset++) {
		const name = names[(round + offset) % names.length];
		samples[name].push(await timeRound(fetchers[name]));
	}
}

const duringRuns = (await commands()) - beforeRuns;
const median = values => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)];
const base = median(samples['no store']);
console.log(`per-request time on loopback (Node ${process.version}, median of ${rounds} rounds × ${perRound} requests):`);
for (const [name, values] of Object.entries(samples)) {
	const value = median(values);
	console.log(`  ${name.padEnd(18)} ${value.toFixed(1).padStart(7)} µs  ${(value / base).toFixed(3)}× no store  (${value >= base ? '+' : ''}${(value - base).toFixed(1)} µs)`);
}

// The added work isolated: a state with a share tells it after each decision (a wasm call that reads
// the origin's waits, then nothing). One 200's decision, without and with the Redis share.
const policy = new RetryPolicy({seed: 1});
const states = {'no store': new ClientState(), 'node-redis store': new ClientState({share: shares.node})};
const outcome = {status: 200, origin: 'http://127.0.0.1', nowMs: Date.now()};
const decideNs = {};
for (let pass = 0; pass < 2; pass++) {
	for (const [name, state] of Object.entries(states)) {
		const started = process.hrtime.bigint();
		for (let index = 0; index < 100_000; index++) {
			policy.decide(outcome, state);
		}

		decideNs[name] = Number(process.hrtime.bigint() - started) / 100_000;
	}
}

console.log(`one decision (a 200) with a ClientState: ${decideNs['no store'].toFixed(0)} ns without a store, ${decideNs['node-redis store'].toFixed(0)} ns with one (+${(decideNs['node-redis store'] - decideNs['no store']).toFixed(0)} ns)`);

const successes = rounds * perRound * 2;
console.log(`Redis commands: ${duringRuns} during ${successes.toLocaleString('en')} successful requests through the two stores (${(duringRuns / successes * 1000).toFixed(2)} per 1,000); start-up of both stores: ${startUp}`);

await Promise.all(Object.values(shares).map(share => share.close()));
await nodeRedis.close();
ioredis.disconnect();
server.close();

if (burst) {
	const nginx = await startNginx();
	console.log('burst: 4 processes (2 node-redis, 2 ioredis) × 10 concurrent calls through nginx limit_req 5 r/s, Retry-After: 1:');
	for (const share of [false, true, false, true]) {
		const before = nginx.requests().length;
		const workers = await Promise.all([0, 1, 2, 3].map(index => forkWorker({lib: index % 2 === 0 ? 'node-redis' : 'ioredis', redisPort: redis.port, prefix: `burst-${Date.now()}:`, share})));
		const startedMs = performance.now();
		const results = (await Promise.all(workers.map(worker => worker.ask({op: 'fetch', url: `${nginx.url}/limited`, count: 10})))).flat();
		const seconds = (performance.now() - startedMs) / 1000;
		await sleep(200);
		const requests = nginx.requests().slice(before);
		console.log(`  ${share ? 'shared    ' : 'not shared'}: ${requests.length} requests, ${requests.filter(request => request.status !== 200).length} refused, ${results.filter(result => result.status === 200).length}/40 calls delivered, ${seconds.toFixed(1)} s`);
		await Promise.all(workers.map(worker => worker.close()));
		// Let the limiter's bucket drain before the next fleet.
		await sleep(1_000);
	}

	await nginx.close();
}

await redis.close();
