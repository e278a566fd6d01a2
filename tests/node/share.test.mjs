// Sharing a client state's facts ('http-verdict/share'): between states of one thread and between
// worker_threads over Node's real BroadcastChannel, through a store of the caller's, and kept in a
// storage across "reloads" (a new state reading what an old one stored). Hostile facts, stored values
// and failing stores must never cost more than a state without sharing pays.

import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {Worker} from 'node:worker_threads';
import {ClientState, createFetch, RetryPolicy} from '../../pkg/node.js';
import {shareAcrossTabs, shareThrough} from '../../pkg/share.js';
import {startScriptedServer} from '../support/scripted-server.mjs';

const ORIGIN = 'https://api.example';
const DAY_MS = 86_400_000;
const policy = new RetryPolicy({seed: 1});
let server;
let channelCount = 0;

before(async () => {
	server = await startScriptedServer();
});

after(async () => {
	await server.close();
});

/** A channel name no other test uses, so that tests never hear each other. */
function channel() {
	return `test-${process.pid}-${channelCount++}`;
}

/** Waits for BroadcastChannel messages posted so far to arrive. */
function delivered() {
	return new Promise(resolve => {
		setTimeout(resolve, 50);
	});
}

/** A synchronous in-memory storage with localStorage's two methods. */
function memoryStorage(initial = {}) {
	const items = new Map(Object.entries(initial));
	return {items, getItem: key => items.get(key) ?? null, setItem: (key, value) => items.set(key, String(value))};
}

function throttle(state, headers = {'retry-after': '5'}, nowMs = Date.now()) {
	return policy.decide({status: 429, responseHeaders: headers, origin: ORIGIN, nowMs}, state);
}

describe('between the states of one thread (BroadcastChannel)', () => {
	test('a 429 with Retry-After: 5 seen by A makes B wait; a quota lock seen by A makes B fail fast; freeing A changes nothing for B', async () => {
		const name = channel();
		const storeA = shareAcrossTabs({channel: name});
		const storeB = shareAcrossTabs({channel: name});
		const a = new ClientState({share: storeA});
		const b = new ClientState({share: storeB});
		assert.equal(b.admit(policy, {origin: ORIGIN}).allowed, true);

		throttle(a);
		await delivered();
		const waiting = b.admit(policy, {origin: ORIGIN});
		assert.equal(waiting.reason, 'throttled');
		assert.ok(waiting.waitMs > 4_500 && waiting.waitMs <= 5_000, `B waits ${waiting.waitMs} ms`);
		assert.equal(b.admit(policy, {origin: 'https://other.example'}).allowed, true);

		policy.decide({status: 429, body: 'Limit Exceeded', origin: ORIGIN}, a);
		await delivered();
		const refused = b.admit(policy, {origin: ORIGIN});
		assert.equal(refused.reason, 'quota_exceeded');
		assert.ok(refused.retryInMs > 59_000, `locked for ${refused.retryInMs} ms`);

		a.free();
		storeA.close();
		await delivered();
		assert.equal(b.admit(policy, {origin: ORIGIN}).reason, 'quota_exceeded');
		b.free();
		storeB.close();
	});

	test('createFetch: a throttle answered to one client holds the other client\'s request unsent', async () => {
		const name = channel();
		const target = server.script('/shared-throttle', [{status: 429, headers: {'retry-after': '30'}}]);
		const other = server.script('/shared-other', [{status: 200, body: 'ok'}]);
		const first = createFetch({state: new ClientState({share: shareAcrossTabs({channel: name})}), maxAttempts: 1});
		const second = createFetch({state: new ClientState({share: shareAcrossTabs({channel: name})}), maxAttempts: 2, maxRetryAfterMs: 60_000, totalTimeout: 300});
		await assert.rejects(first(target));
		await delivered();
		// The second client's call would wait 30 s for the shared gate, past its deadline: it ends
		// at once, unsent.
		const error = await second(other).catch(error_ => error_);
		assert.equal(error.name, 'ThrottledError');
		assert.equal(error.reason, 'deadline');
		assert.equal(server.requests('/shared-other').length, 0);
	});

	test('facts a state learned are not published back (no echo), and a wait that did not grow is not republished', async () => {
		const published = [];
		const listeners = [];
		const store = shareThrough({publish: fact => published.push(fact), subscribe: listener => listeners.push(listener)});
		const state = new ClientState({share: store});
		const nowMs = Date.now();
		throttle(state, {'retry-after': '5'}, nowMs);
		assert.equal(published.length, 1);
		assert.deepEqual(published[0], {origin: ORIGIN, gateMs: 5_000, quotaMs: 0, openMs: 0});
		throttle(state, {'retry-after': '2'}, nowMs + 10);
		assert.equal(published.length, 1, 'a shorter throttle changes no fact');
		listeners[0]({origin: 'https://learned.example', gateMs: 9_000, quotaMs: 0, openMs: 0});
		policy.decide({status: 200, origin: 'https://learned.example'}, state);
		assert.equal(published.length, 1, 'a learned fact is not told again');
		policy.decide({status: 429, body: 'Limit Exceeded', origin: ORIGIN, nowMs: nowMs + 20}, state);
		assert.equal(published.length, 2, 'a quota lock is a longer wait');
		assert.deepEqual(published[1], {origin: ORIGIN, gateMs: 4_980, quotaMs: 60_000, openMs: 0});
		state.free();
	});
});

describe('hostile facts and failing stores', () => {
	test('malformed facts are ignored; hostile waits are capped at a day', () => {
		let listener;
		const state = new ClientState({share: shareThrough({publish() {}, subscribe(given) {
			listener = given;
		}})});
		for (const fact of [null, 7, 'x', {}, {origin: 5, gateMs: 1000}, {origin: '', gateMs: 1000}, {origin: 'x'.repeat(3000), gateMs: 1000},
			{origin: ORIGIN, gateMs: -5_000}, {origin: ORIGIN, gateMs: Number.NaN}, {origin: ORIGIN, gateMs: '5000'}, {origin: ORIGIN, quotaMs: -Infinity}]) {
			listener(fact);
		}

		assert.equal(state.admit(policy, {origin: ORIGIN}).allowed, true);
		listener({origin: ORIGIN, quotaMs: 365 * DAY_MS});
		const capped = state.admit(policy, {origin: ORIGIN});
		assert.equal(capped.reason, 'quota_exceeded');
		assert.ok(capped.retryInMs <= DAY_MS && capped.retryInMs > DAY_MS - 1_000, `${capped.retryInMs} ms`);
		listener({origin: 'https://huge.example', gateMs: Infinity});
		assert.ok(state.admit(policy, {origin: 'https://huge.example'}).waitMs <= DAY_MS);
		state.free();
	});

	test('a store that throws or rejects never fails a decision, and leaves no unhandled rejection', async () => {
		const unhandled = [];
		const onUnhandled = reason => unhandled.push(reason);
		process.on('unhandledRejection', onUnhandled);
		try {
			for (const publish of [() => {
				throw new Error('down');
			}, () => Promise.reject(new Error('down'))]) {
				const state = new ClientState({share: shareThrough({publish, subscribe() {
					throw new Error('cannot listen');
				}})});
				const decision = throttle(state);
				assert.equal(decision.retry, true);
				state.free();
			}

			await delivered();
			assert.deepEqual(unhandled, []);
		} finally {
			process.off('unhandledRejection', onUnhandled);
		}
	});

	test('wrong options are clear errors', () => {
		assert.throws(() => new ClientState({share: {publish() {}, subscribe() {}}}), {code: 'ERR_INVALID_OPTION', message: /http-verdict\/share/});
		assert.throws(() => new ClientState({share: 'tabs'}), {code: 'ERR_INVALID_OPTION'});
		assert.throws(() => new RetryPolicy({share: shareAcrossTabs({channel: channel()})}), {code: 'ERR_INVALID_OPTION', message: /ClientState option/});
		assert.throws(() => shareThrough({publish() {}}), {code: 'ERR_INVALID_OPTION'});
		assert.throws(() => shareAcrossTabs({channel: ''}), {code: 'ERR_INVALID_OPTION'});
		assert.throws(() => shareAcrossTabs({chanel: 'x'}), {code: 'ERR_INVALID_OPTION', message: /Unknown option `chanel`/});
		assert.throws(() => shareAcrossTabs({storage: {}}), {code: 'ERR_INVALID_OPTION'});
		assert.throws(() => shareAcrossTabs({now: 5}), {code: 'ERR_INVALID_OPTION'});
	});
});

describe('kept in a storage across a reload', () => {
	test('a quota lock stored by one state is read by a new one (a reload) until it ends', () => {
		const storage = memoryStorage();
		const name = channel();
		let nowMs = Date.now();
		const now = () => nowMs;
		const first = new ClientState({share: shareAcrossTabs({channel: name, storage, now})});
		policy.decide({status: 429, body: 'Limit Exceeded', origin: ORIGIN, nowMs}, first);
		first.free();
		assert.deepEqual(JSON.parse(storage.items.get(`http-verdict:${name}`)), {[ORIGIN]: [nowMs, nowMs + 60_000, nowMs]});

		nowMs += 1_000;
		const reloaded = new ClientState({share: shareAcrossTabs({channel: name, storage, now})});
		const refused = reloaded.admit(policy, {origin: ORIGIN, nowMs});
		assert.equal(refused.reason, 'quota_exceeded');
		assert.equal(refused.retryInMs, 59_000);
		reloaded.free();

		// After the lock's 60 s, a new state finds nothing to hold.
		nowMs += 60_000;
		const later = new ClientState({share: shareAcrossTabs({channel: name, storage, now})});
		assert.equal(later.admit(policy, {origin: ORIGIN, nowMs}).allowed, true);
		later.free();
	});

	test('corrupted or hostile stored values are ignored, never trusted past a day', () => {
		const nowMs = Date.now();
		const name = channel();
		const key = `http-verdict:${name}`;
		for (const stored of ['{', 'null', '[1,2,3]', '"x"', JSON.stringify({[ORIGIN]: 'x'}), JSON.stringify({[ORIGIN]: [1, 2]}),
			JSON.stringify({[ORIGIN]: [0, nowMs + (2 * DAY_MS), 0]}), JSON.stringify({[ORIGIN]: [0, 'soon', 0]})]) {
			const storage = memoryStorage({[key]: stored});
			const state = new ClientState({share: shareAcrossTabs({channel: name, storage, now: () => nowMs})});
			assert.equal(state.admit(policy, {origin: ORIGIN, nowMs}).allowed, true, stored);
			state.free();
		}

		const throwing = {getItem() {
			throw new Error('SecurityError');
		}, setItem() {
			throw new Error('QuotaExceededError');
		}};
		const state = new ClientState({share: shareAcrossTabs({channel: name, storage: throwing})});
		assert.equal(throttle(state).retry, true);
		state.free();
	});
});

describe('between worker_threads', () => {
	test('a throttle met in one worker gates another worker, over the real BroadcastChannel', async () => {
		const name = channel();
		const source = `
			const {parentPort, workerData} = require('node:worker_threads');
			(async () => {
				const {ClientState, RetryPolicy} = await import(workerData.pkg + '/node.js');
				const {shareAcrossTabs} = await import(workerData.pkg + '/share.js');
				const policy = new RetryPolicy({seed: 1});
				const state = new ClientState({share: shareAcrossTabs({channel: workerData.channel})});
				parentPort.on('message', message => {
					if (message === 'throttle') {
						policy.decide({status: 429, responseHeaders: {'retry-after': '5'}, origin: workerData.origin}, state);
						parentPort.postMessage('done');
					} else {
						parentPort.postMessage(state.admit(policy, {origin: workerData.origin}));
					}
				});
				parentPort.postMessage('ready');
			})();
		`;
		const pkg = new URL('../../pkg', import.meta.url).href;
		const start = () => new Promise(resolve => {
			const worker = new Worker(source, {eval: true, workerData: {pkg, channel: name, origin: ORIGIN}});
			worker.once('message', () => resolve(worker));
		});
		const ask = (worker, message) => new Promise(resolve => {
			worker.once('message', resolve);
			worker.postMessage(message);
		});
		const [one, two] = await Promise.all([start(), start()]);
		try {
			assert.equal((await ask(two, 'admit')).allowed, true);
			assert.equal(await ask(one, 'throttle'), 'done');
			await delivered();
			const admission = await ask(two, 'admit');
			assert.equal(admission.reason, 'throttled');
			assert.ok(admission.waitMs > 4_000, `${admission.waitMs} ms`);
		} finally {
			await Promise.all([one.terminate(), two.terminate()]);
		}
	});
});
