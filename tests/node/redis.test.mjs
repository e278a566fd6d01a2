// A fleet sharing over a real Redis ('http-verdict/redis', issue 18): several `node` processes, each
// with its own Redis client (node-redis or ioredis), ClientState and createFetch, against counting
// node:http servers on 127.0.0.1 and a real nginx rate limiter. The clocks are the workers' own,
// moved by the test (`advance`) instead of sleeping through waits, and skewed by ±30 s where it
// matters. See tests/support/redis.mjs (the server) and tests/support/redis-worker.mjs (a worker).
import assert from 'node:assert/strict';
import {createServer} from 'node:http';
import {after, before, describe, test} from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';
import {startNginx} from '../support/nginx.mjs';
import {startRedis} from '../support/redis.mjs';
import {forkWorker} from '../support/redis-worker.mjs';

const SKEW_MS = 30_000;
let redis;
let prefixCount = 0;
const servers = [];
// Every worker started, so that a failing test leaves none running (they would keep this file's
// process alive).
const spawned = [];

before(async () => {
	redis = await startRedis();
});

after(async () => {
	for (const worker of spawned) {
		worker.kill();
	}

	await Promise.all(servers.map(server => new Promise(resolve => {
		server.closeAllConnections();
		server.close(resolve);
	})));
	await redis.close();
});

/** A prefix no other test uses: fleets of different tests never hear each other. */
function prefix() {
	return `test-${process.pid}-${prefixCount++}:`;
}

/**
 * A node:http server (its own origin) answering each request with `answer(index)` ({status,
 * headers, body}); `count()` is how many requests reached it.
 */
async function countingServer(answer = () => ({status: 200})) {
	let count = 0;
	const server = createServer((request, response) => {
		const {status, headers = {}, body = 'ok'} = answer(count++);
		response.writeHead(status, {'content-type': 'text/plain', ...headers});
		response.end(body);
	});
	await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
	servers.push(server);
	return {origin: `http://127.0.0.1:${server.address().port}`, count: () => count};
}

async function fleet(configs, shared = {}) {
	const workers = await Promise.all(configs.map(config => forkWorker({redisPort: redis.port, ...shared, ...config})));
	spawned.push(...workers);
	for (const worker of workers) {
		assert.equal(worker.ready, shared.share === false ? undefined : true, 'subscribed and read within a second');
	}

	return workers;
}

async function closeAll(workers) {
	for (const {unhandled} of await Promise.all(workers.map(worker => worker.close()))) {
		assert.deepEqual(unhandled, [], 'no unhandled rejection');
	}
}

/** Waits until `count` subscribers listen on the fleet's channel (after a Redis restart). */
async function subscribers(fleetPrefix, count) {
	for (let tries = 0; tries < 500; tries++) {
		const reply = await redis.command(`PUBSUB NUMSUB ${fleetPrefix}facts`).catch(() => '');
		if (reply.trim().endsWith(`:${count}`)) {
			return;
		}

		await sleep(10);
	}

	assert.fail(`fewer than ${count} subscribers on ${fleetPrefix}facts`);
}

/** Waits until Redis counts at least `count` connected clients. */
async function connections(count) {
	for (let tries = 0; tries < 500; tries++) {
		const info = await redis.command('INFO clients').catch(() => '');
		if (Number(info.match(/connected_clients:(\d+)/)?.[1]) >= count) {
			return;
		}

		await sleep(10);
	}

	assert.fail(`fewer than ${count} clients connected`);
}

/** Redis commands counted by INFO commandstats, without the INFO calls that count them. */
async function redisCommands() {
	const counts = await redis.commands();
	return Object.entries(counts).reduce((sum, [name, calls]) => (name === 'info' ? sum : sum + calls), 0);
}

for (const lib of ['node-redis', 'ioredis']) {
	describe(`${lib}: a fleet of worker processes`, () => {
		test('a 429 quota answer (reset in 5 s) met by one worker holds 3 others (two with clocks 30 s off) and a late joiner unsent until the reset; all agree on when it ends', async () => {
			const api = await countingServer(index => (index === 0
				? {status: 429, headers: {'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '5'}, body: 'Limit Exceeded'}
				: {status: 200}));
			const shared = {lib, prefix: prefix()};
			const [first, ...others] = await fleet([{}, {clockOffsetMs: SKEW_MS}, {clockOffsetMs: -SKEW_MS}, {}], shared);
			const [met] = await first.ask({op: 'fetch', url: `${api.origin}/v1/items`});
			assert.equal(met.error, 'QuotaExceededError');
			assert.equal(met.resetInMs, 5_000);

			// Each learns by pub/sub: its own state refuses the origin (polled locally, no Redis).
			const learned = await Promise.all(others.map(worker => worker.ask({op: 'learned', origin: api.origin, reason: 'quota_exceeded'})));
			for (const {reason, retryInMs} of learned) {
				assert.equal(reason, 'quota_exceeded');
				assert.ok(retryInMs > 4_500 && retryInMs <= 5_000, `locked for ${retryInMs} ms`);
			}

			// Clocks 60 s apart agree on the wait left (a wall-clock instant would put them 60 s apart).
			assert.ok(Math.abs(learned[0].retryInMs - learned[1].retryInMs) < 250, `${learned[0].retryInMs} vs ${learned[1].retryInMs} ms`);
			for (const results of await Promise.all(others.map(worker => worker.ask({op: 'fetch', url: `${api.origin}/v1/items`, count: 5})))) {
				assert.deepEqual(results.map(result => result.error), Array(5).fill('QuotaExceededError'));
			}

			// A worker started now, its clock 30 s behind, reads the stored lock (its PTTL) at start-up.
			const [late] = await fleet([{clockOffsetMs: -SKEW_MS}], shared);
			const lateAdmission = await late.ask({op: 'admit', origin: api.origin});
			assert.equal(lateAdmission.reason, 'quota_exceeded');
			assert.ok(lateAdmission.retryInMs > 3_500 && lateAdmission.retryInMs <= 5_000, `late joiner locked for ${lateAdmission.retryInMs} ms`);
			const everyone = [first, ...others, late];
			assert.equal(api.count(), 1, 'only the first request reached the server');

			// Just before the reset nothing is sent; just after, every worker's request is.
			await Promise.all(everyone.map(worker => worker.ask({op: 'advance', ms: 3_000})));
			for (const [result] of await Promise.all(everyone.map(worker => worker.ask({op: 'fetch', url: `${api.origin}/v1/items`})))) {
				assert.equal(result.error, 'QuotaExceededError');
			}

			assert.equal(api.count(), 1);
			await Promise.all(everyone.map(worker => worker.ask({op: 'advance', ms: 2_100})));
			for (const [result] of await Promise.all(everyone.map(worker => worker.ask({op: 'fetch', url: `${api.origin}/v1/items`})))) {
				assert.equal(result.status, 200);
			}

			assert.equal(api.count(), 1 + everyone.length);
			await closeAll(everyone);
		});

		test('1,000 successful requests cost no Redis command (INFO commandstats before and after)', async () => {
			const api = await countingServer();
			const [worker] = await fleet([{}], {lib, prefix: prefix()});
			const before = await redisCommands();
			const results = await worker.ask({op: 'fetch', url: `${api.origin}/ok`, count: 1_000, concurrency: 10});
			assert.equal(results.filter(result => result.status === 200).length, 1_000);
			assert.equal(await redisCommands() - before, 0);
			await closeAll([worker]);
		});

		test('Redis killed mid-run and restarted: every request of 3 workers answered, none hung, no unhandled rejection; sharing resumes', async () => {
			const api = await countingServer();
			const throttledWhileDown = await countingServer(() => ({status: 429, headers: {'retry-after': '30'}}));
			const throttledAfter = await countingServer(() => ({status: 429, headers: {'retry-after': '30'}}));
			const fleetPrefix = prefix();
			const workers = await fleet([{}, {}, {}], {lib, prefix: fleetPrefix, fetchOptions: {maxAttempts: 1}});
			const running = Promise.all(workers.map(worker => worker.ask({op: 'fetch', url: `${api.origin}/ok`, count: 60, everyMs: 10})));
			await sleep(150);
			await redis.kill();
			// A fact learned while Redis is away: its publish fails (bounded), the request does not.
			const [refused] = await workers[0].ask({op: 'fetch', url: `${throttledWhileDown.origin}/x`});
			assert.equal(refused.status, 429);
			assert.ok(refused.ms < 1_000, `answered in ${refused.ms} ms`);
			await sleep(300);
			await redis.restart();
			const results = (await running).flat();
			assert.equal(results.length, 180);
			assert.deepEqual(results.filter(result => result.status !== 200), [], 'every request answered 200');
			const slowestMs = Math.max(...results.map(result => result.ms));
			assert.ok(slowestMs < 1_000, `slowest request ${slowestMs.toFixed(0)} ms`);

			// Both libraries reconnect (the workers' clients and their subscribers: 6 connections, and
			// the one asking) and subscribe again; a fact learned now reaches the others.
			await subscribers(fleetPrefix, 3);
			await connections(7);
			const [again] = await workers[1].ask({op: 'fetch', url: `${throttledAfter.origin}/x`});
			assert.equal(again.status, 429);
			for (const worker of [workers[0], workers[2]]) {
				const learned = await worker.ask({op: 'learned', origin: throttledAfter.origin, reason: 'throttled'});
				assert.equal(learned.reason, 'throttled');
				assert.ok(learned.waitMs > 25_000, `waits ${learned.waitMs} ms`);
			}

			assert.equal(throttledAfter.count(), 1);
			await closeAll(workers);
		});
	});
}

describe('a burst from 4 processes (2 node-redis, 2 ioredis) through nginx\'s limit_req (5 r/s, Retry-After: 1)', () => {
	let nginx;
	before(async () => {
		nginx = await startNginx();
	});
	after(() => nginx.close());

	// One worker's burst closes the gate; the other three then each send 10 calls that must finish
	// within 500 ms (totalTimeout). Shared, they know the gate is closed for longer than that and end
	// at once, unsent; alone, each learns it from nginx's refusals.
	for (const share of [true, false]) {
		test(`${share ? 'shared' : 'not shared'}: the three later bursts ${share ? 'send nothing into the closed gate' : 'are refused by nginx'}`, async () => {
			const path = '/limited';
			const logged = () => nginx.requests().filter(request => request.path === path);
			const before = logged().length;
			const workers = await fleet([0, 1, 2, 3].map(index => ({lib: index % 2 === 0 ? 'node-redis' : 'ioredis'})), {prefix: prefix(), share, fetchOptions: {totalTimeout: 500}});
			const [first, ...later] = workers;
			// Its refused calls would wait a second, past their deadline: 10 calls, 10 requests.
			const firstResults = await first.ask({op: 'fetch', url: `${nginx.url}${path}`, count: 10});
			assert.ok(firstResults.some(result => result.status === 200), 'the first burst got through in part');
			assert.equal((await nginx.logged(path, before + 10)).length, before + 10);
			if (share) {
				await Promise.all(later.map(worker => worker.ask({op: 'learned', origin: nginx.url, reason: 'throttled'})));
			}

			const laterResults = (await Promise.all(later.map(worker => worker.ask({op: 'fetch', url: `${nginx.url}${path}`, count: 10})))).flat();
			const laterRequests = (await nginx.logged(path, before + 40)).slice(before + 10);
			const refused = laterRequests.filter(request => request.status !== 200).length;
			console.log(`# ${share ? 'shared' : 'not shared'}: the 3 later bursts (30 calls) sent ${laterRequests.length} requests, nginx refused ${refused}; ${laterResults.filter(result => result.status === 200).length} calls delivered`);
			if (share) {
				assert.equal(laterRequests.length, 0);
				assert.ok(laterResults.every(result => result.error === 'ThrottledError'), JSON.stringify(laterResults.slice(0, 3)));
			} else {
				assert.ok(refused >= 20, `${refused} refused`);
			}

			await closeAll(workers);
		});
	}
});
