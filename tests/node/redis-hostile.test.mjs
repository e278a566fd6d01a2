// 'http-verdict/redis' against what a store may do wrong (issue 18 item 4), in one process: hostile,
// malformed or foreign facts stored in or published on a real Redis, and duck-typed clients that
// never answer, answer late, answer garbage or throw. None may fail or hold a decision, leave an
// unhandled rejection, or queue without bound; and none may make a state wait more than a day.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';
import Redis from 'ioredis';
import {createClient} from 'redis';
import {ClientState, RetryPolicy} from '../../pkg/node.js';
import {shareThroughRedis} from '../../pkg/redis.js';
import {startRedis} from '../support/redis.mjs';

const DAY_MS = 86_400_000;
const ORIGIN = 'https://api.example';
const policy = new RetryPolicy({seed: 1});
let redis;
let client;
let prefixCount = 0;
const unhandled = [];
const onUnhandled = reason => unhandled.push(reason);

before(async () => {
	process.on('unhandledRejection', onUnhandled);
	redis = await startRedis();
	client = createClient({url: redis.url});
	client.on('error', () => {});
	await client.connect();
});

after(async () => {
	await client.close();
	await redis.close();
	process.off('unhandledRejection', onUnhandled);
	assert.deepEqual(unhandled, [], 'no unhandled rejection in this file');
});

/** SET with a PX expiry, as the adapter writes (version-neutral across node-redis majors). */
function store(key, value, pxMs) {
	return client.sendCommand(['SET', key, value, 'PX', String(pxMs)]);
}

function prefix() {
	return `hostile-${process.pid}-${prefixCount++}:`;
}

function throttle(state, origin = ORIGIN, retryAfter = '5') {
	return policy.decide({status: 429, responseHeaders: {'retry-after': retryAfter}, origin}, state);
}

/** Polls `state` until `origin` is refused for `reason` (up to `boundMs`); the admission, or the last one. */
async function refusal(state, origin, reason, boundMs = 2_000) {
	let admission;
	for (let tries = 0; tries < boundMs / 10; tries++) {
		admission = state.admit(policy, {origin});
		if (admission.reason === reason) {
			break;
		}

		await sleep(10);
	}

	return admission;
}

test('options are checked up front', () => {
	for (const [given, options] of [[undefined, {}], [{}, {}], [{duplicate() {}}, {}], [client, {prefix: ''}], [client, {prefix: 'x'.repeat(201)}],
		[client, {timeoutMs: 0}], [client, {timeoutMs: Number.NaN}], [client, {timeoutMs: '50'}], [client, {now: 5}], [client, {ttl: 5}]]) {
		assert.throws(() => shareThroughRedis(given, options), {name: 'TypeError', code: 'ERR_INVALID_OPTION'});
	}
});

describe('stored facts a late joiner reads', () => {
	test('a year is capped at a day; another version, a key without expiry, a list, a key of no kind are ignored; a good key among them is read', async () => {
		const fleet = prefix();
		await store(`${fleet}quota:https://year.example`, '1', 365 * DAY_MS);
		await store(`${fleet}gate:https://v2.example`, '2', 10_000);
		await client.set(`${fleet}gate:https://forever.example`, '1');
		await client.rPush(`${fleet}gate:https://list.example`, ['1']);
		await store(`${fleet}nonsense`, '1', 10_000);
		await store(`${fleet}gate:`, '1', 10_000);
		await store(`${fleet}gate:https://ok.example`, '1', 10_000);
		const share = shareThroughRedis(client, {prefix: fleet});
		assert.equal(await share.ready, true);
		const state = new ClientState({share});
		const year = state.admit(policy, {origin: 'https://year.example'});
		assert.equal(year.reason, 'quota_exceeded');
		assert.ok(year.retryInMs <= DAY_MS && year.retryInMs > DAY_MS - 5_000, `${year.retryInMs} ms`);
		for (const origin of ['https://v2.example', 'https://forever.example', 'https://list.example']) {
			assert.equal(state.admit(policy, {origin}).allowed, true, origin);
		}

		const ok = state.admit(policy, {origin: 'https://ok.example'});
		assert.equal(ok.reason, 'throttled');
		assert.ok(ok.waitMs > 9_000 && ok.waitMs <= 10_000, `${ok.waitMs} ms`);
		state.free();
		await share.close();
	});

	test('a runaway store (1,000 origins stored) is read only up to 256 origins', async () => {
		const fleet = prefix();
		for (let index = 0; index < 1_000; index++) {
			await store(`${fleet}gate:https://o${index}.example`, '1', 60_000);
		}

		const share = shareThroughRedis(client, {prefix: fleet});
		assert.equal(await share.ready, true);
		const told = new Set();
		share.attach(origin => {
			told.add(origin);
			return [0, 0, 0];
		});
		assert.ok(told.size > 0 && told.size <= 256, `${told.size} origins`);
		await share.close();
	});
});

describe('published facts', () => {
	test('garbage, oversized, foreign-version and hostile messages are ignored or capped; a good one is learned', async () => {
		const fleet = prefix();
		const share = shareThroughRedis(client, {prefix: fleet});
		assert.equal(await share.ready, true);
		const state = new ClientState({share});
		const fact = fields => JSON.stringify({v: 1, from: 'elsewhere', origin: ORIGIN, ...fields});
		for (const message of ['not json', 'null', '7', '[]', `${fact({gateMs: 5_000})}${' '.repeat(5_000)}`, JSON.stringify({v: 2, origin: ORIGIN, gateMs: 5_000}),
			fact({gateMs: -5_000}), fact({gateMs: 'NaN'}), fact({quotaMs: null}), fact({origin: 7, gateMs: 5_000}), fact({origin: '', gateMs: 5_000})]) {
			await client.publish(`${fleet}facts`, message);
		}

		await client.publish(`${fleet}facts`, fact({origin: 'https://year.example', quotaMs: 365 * DAY_MS}));
		const year = await refusal(state, 'https://year.example', 'quota_exceeded');
		assert.ok(year.retryInMs <= DAY_MS && year.retryInMs > DAY_MS - 5_000, `${year.retryInMs} ms`);
		// Messages arrive in order: everything before the year has been heard, and changed nothing.
		assert.equal(state.admit(policy, {origin: ORIGIN}).allowed, true);
		await client.publish(`${fleet}facts`, fact({gateMs: 5_000}));
		const good = await refusal(state, ORIGIN, 'throttled');
		assert.ok(good.waitMs > 4_500 && good.waitMs <= 5_000, `${good.waitMs} ms`);
		state.free();
		await share.close();
	});

	test('what one state learns is stored with a PX expiry equal to its wait, never shortened, and closing stops the subscriber but not the client', async () => {
		const fleet = prefix();
		const share = shareThroughRedis(client, {prefix: fleet});
		await share.ready;
		const state = new ClientState({share});
		throttle(state, ORIGIN, '30');
		await sleep(50);
		const ttlMs = await client.pTTL(`${fleet}gate:${ORIGIN}`);
		assert.ok(ttlMs > 29_000 && ttlMs <= 30_000, `PTTL ${ttlMs}`);
		assert.equal(await client.get(`${fleet}gate:${ORIGIN}`), '1');
		assert.equal(await client.exists(`${fleet}quota:${ORIGIN}`), 0, 'no key for a wait there is not');
		const otherShare = shareThroughRedis(client, {prefix: fleet});
		const other = new ClientState({share: otherShare});
		throttle(other, ORIGIN, '5');
		await sleep(50);
		assert.ok(await client.pTTL(`${fleet}gate:${ORIGIN}`) > 29_000, 'a shorter wait does not shorten the key');
		const subscribers = async () => Number((await redis.command(`PUBSUB NUMSUB ${fleet}facts`)).split(':').at(-1));
		assert.equal(await subscribers(), 2);
		await share.close();
		assert.equal(await subscribers(), 1);
		assert.equal(client.isOpen, true, 'the caller\'s client stays open');
		state.free();
		other.free();
		await otherShare.close();
	});
});

/** A duck-typed node-redis client whose every command is answered by `answer(args)`. */
function fakeClient(answer, subscriber = {}) {
	const sent = [];
	return {
		sent,
		sendCommand(args) {
			sent.push(args[0]);
			return answer(args);
		},
		duplicate: () => ({isOpen: false, connect: () => Promise.resolve(), subscribe: () => Promise.resolve(), on() {}, destroy() {}, ...subscriber}),
	};
}

describe('clients that fail', () => {
	test('a Redis that never answers: decisions are not held, `ready` says false within about a second, at most 8 publishes wait and 10,000 facts queue nothing more', async () => {
		const fake = fakeClient(() => new Promise(() => {}), {connect: () => new Promise(() => {})});
		const startedMs = performance.now();
		const share = shareThroughRedis(fake);
		const state = new ClientState({share});
		const decidedMs = performance.now();
		for (let index = 0; index < 10_000; index++) {
			throttle(state, `https://o${index}.example`);
		}

		const decisionsMs = performance.now() - decidedMs;
		assert.ok(decisionsMs < 2_000, `10,000 decisions took ${decisionsMs.toFixed(0)} ms`);
		assert.equal(fake.sent.length, 8);
		assert.equal(await share.ready, false);
		const readyMs = performance.now() - startedMs;
		assert.ok(readyMs >= 990 && readyMs < 1_500, `ready after ${readyMs.toFixed(0)} ms`);
		state.free();
		await share.close();
	});

	test('a slow Redis (200 ms an answer, timeoutMs 20): at most 8 publishes wait; once their answers come back, publishing resumes', async () => {
		const fake = fakeClient(() => sleep(200, 1));
		const share = shareThroughRedis(fake, {timeoutMs: 20});
		await share.ready;
		const state = new ClientState({share});
		const before = fake.sent.length;
		for (let index = 0; index < 20; index++) {
			throttle(state, `https://o${index}.example`);
		}

		assert.equal(fake.sent.length - before, 8);
		await sleep(250);
		throttle(state, 'https://after.example');
		assert.equal(fake.sent.length - before, 9);
		state.free();
		await share.close();
	});

	test('garbage answers (to the start-up read and to publishes) and rejections are ignored', async () => {
		// The first answers the start-up read: a stored fact with a garbage PTTL.
		const answers = [['hostile-gate:https://a', 'NaN', '1', 7, 8, 9], {}, 'OK', 42, null, ['x'], Array(3_000).fill('?')];
		let index = 0;
		for (const rejecting of [false, true]) {
			const fake = fakeClient(() => (rejecting ? Promise.reject(new Error('LOADING')) : Promise.resolve(answers[index++ % answers.length])));
			const share = shareThroughRedis(fake, {prefix: 'hostile-'});
			assert.equal(await share.ready, !rejecting);
			const state = new ClientState({share});
			assert.equal(state.admit(policy, {origin: 'https://a'}).allowed, true);
			for (let count = 0; count < 20; count++) {
				assert.equal(throttle(state, `https://o${count}.example`).retry, true);
			}

			await sleep(10);
			state.free();
			await share.close();
		}
	});

	test('a client that throws: no error reaches the caller; states of one process still hear each other', async () => {
		const fake = {
			sendCommand() {
				throw new Error('closed');
			},
			duplicate() {
				throw new Error('cannot duplicate');
			},
		};
		const share = shareThroughRedis(fake);
		assert.equal(await share.ready, false);
		const [a, b] = [new ClientState({share}), new ClientState({share})];
		assert.equal(throttle(a).retry, true);
		const heard = await refusal(b, ORIGIN, 'throttled');
		assert.ok(heard.waitMs > 4_500, `${heard.waitMs} ms`);
		a.free();
		b.free();
		await share.close();
	});
});

test('ioredis with its keyPrefix option: what one process stores, a late joiner reads', async () => {
	const prefixed = new Redis(redis.port, '127.0.0.1', {keyPrefix: 'app:'});
	prefixed.on('error', () => {});
	const fleet = prefix();
	const first = shareThroughRedis(prefixed, {prefix: fleet});
	await first.ready;
	const state = new ClientState({share: first});
	throttle(state, ORIGIN, '30');
	await sleep(50);
	assert.ok(await client.pTTL(`app:${fleet}gate:${ORIGIN}`) > 29_000, 'stored under ioredis\'s keyPrefix');
	const late = shareThroughRedis(prefixed, {prefix: fleet});
	assert.equal(await late.ready, true);
	const lateState = new ClientState({share: late});
	assert.equal(lateState.admit(policy, {origin: ORIGIN}).reason, 'throttled');
	state.free();
	lateState.free();
	await Promise.all([first.close(), late.close()]);
	prefixed.disconnect();
});

describe('a Redis that comes back', () => {
	for (const lib of ['node-redis', 'ioredis']) {
		test(`${lib}: after Redis restarts, the facts it holds then are read again`, async () => {
			const own = await startRedis();
			const user = lib === 'ioredis' ? new Redis(own.port, '127.0.0.1') : createClient({url: own.url});
			user.on('error', () => {});
			if (lib !== 'ioredis') {
				await user.connect();
			}

			const share = shareThroughRedis(user, {prefix: 'back:'});
			assert.equal(await share.ready, true);
			const state = new ClientState({share});
			await own.kill();
			await own.restart();
			// Written while the processes are still reconnecting: no message announces it.
			await own.command('SET back:quota:https://back.example 1 PX 60000');
			const locked = await refusal(state, 'https://back.example', 'quota_exceeded', 5_000);
			assert.equal(locked.reason, 'quota_exceeded');
			assert.ok(locked.retryInMs > 50_000, `${locked.retryInMs} ms`);
			state.free();
			await share.close();
			await (lib === 'ioredis' ? user.quit() : user.close());
			await own.close();
		});
	}
});
