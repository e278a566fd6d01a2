// Hedged requests ('http-verdict/hedge'): createFetch with the hedging transport against a real
// scripted node:http server on 127.0.0.1 (a copy that stalls, one that answers), and the percentile and
// race logic over a transport the test controls. What must hold: the first answer wins and the other
// copy is aborted (the server sees its connection close); only safe methods are hedged; every hedge
// spends one retry of the state's budget, and none is sent when the budget refuses.

import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {ClientState, createFetch} from '../../pkg/node.js';
import {hedged} from '../../pkg/hedge.js';
import {startScriptedServer} from '../support/scripted-server.mjs';

let server;
before(async () => {
	server = await startScriptedServer();
});
after(() => server.close());

// The copy that stalls: its answer is due long after the test ends, so only an abort ends it.
const STALLS = {delayMs: 60_000, status: 200, body: 'slow copy'};

// maxShare 1: every request may be hedged, so that a fresh client's first request shows it.
function hedgingClient(hedgeOptions, stateOptions) {
	const state = new ClientState(stateOptions);
	const fetch = createFetch({state, fetch: hedged({state, maxShare: 1, ...hedgeOptions}), maxAttempts: 1});
	return {state, fetch};
}

/** Resolves once `path`'s request number `index` has an outcome (answered, or closed by the client). */
async function outcomeOf(path, index) {
	for (let turns = 0; turns < 200; turns++) {
		const outcome = server.requests(path)[index]?.outcome;
		if (outcome !== undefined && outcome !== null) {
			return outcome;
		}

		await new Promise(resolve => {
			setTimeout(resolve, 10);
		});
	}

	return undefined;
}

describe('against a real server', () => {
	test('a copy that stalls is hedged: the second copy answers, the first is aborted', async () => {
		const url = server.script('/hedge/slow-first', [STALLS, {status: 200, body: 'fast copy'}]);
		const {fetch} = hedgingClient({afterMs: 30});
		const response = await fetch(url);
		assert.equal(await response.text(), 'fast copy');
		assert.equal(server.requests('/hedge/slow-first').length, 2);
		assert.equal(await outcomeOf('/hedge/slow-first', 0), 'closed', 'the losing copy\'s connection was closed');
	});

	test('an answer before the delay sends no copy', async () => {
		const url = server.script('/hedge/fast', {status: 200, body: 'at once'});
		const {fetch} = hedgingClient({afterMs: 5000});
		assert.equal(await (await fetch(url)).text(), 'at once');
		assert.equal(server.requests('/hedge/fast').length, 1);
	});

	test('a hedge spends one retry of the budget; when the budget refuses, no copy is sent', async () => {
		// No retries at all: the budget refuses every hedge, so the slow copy is waited for.
		const url = server.script('/hedge/no-budget', [{delayMs: 150, status: 200, body: 'slow but only'}, {status: 200, body: 'never'}]);
		const {fetch} = hedgingClient({afterMs: 20}, {retryBudget: {minRetries: 0, ratio: 0}});
		assert.equal(await (await fetch(url)).text(), 'slow but only');
		assert.equal(server.requests('/hedge/no-budget').length, 1);

		// The default budget: each hedge takes one of its retries.
		const origin = new URL(server.url).origin;
		const spending = hedgingClient({afterMs: 20});
		const before = spending.state.retriesAvailable(origin);
		const spent = server.script('/hedge/spends', [STALLS, {status: 200, body: 'hedge'}]);
		assert.equal(await (await spending.fetch(spent)).text(), 'hedge');
		assert.equal(spending.state.retriesAvailable(origin), before - 1);
	});

	test('only safe methods are hedged: a slow POST or PUT is waited for, one request each', async () => {
		for (const method of ['POST', 'PUT']) {
			const path = `/hedge/${method}`;
			const url = server.script(path, [{delayMs: 120, status: 200, body: method}, {status: 200, body: 'copy'}]);
			const {fetch} = hedgingClient({afterMs: 20});
			assert.equal(await (await fetch(url, {method, body: 'x'})).text(), method);
			assert.equal(server.requests(path).length, 1, method);
		}
	});

	test('the caller\'s abort ends both copies', async () => {
		const url = server.script('/hedge/abort', [STALLS, STALLS]);
		const {fetch} = hedgingClient({afterMs: 20});
		const controller = new AbortController();
		const pending = fetch(url, {signal: controller.signal});
		await server.waitForRequests(2, '/hedge/abort');
		controller.abort(new Error('caller gave up'));
		await assert.rejects(pending, {message: 'caller gave up'});
		assert.equal(await outcomeOf('/hedge/abort', 0), 'closed');
		assert.equal(await outcomeOf('/hedge/abort', 1), 'closed');
	});

	test('both copies failing is one failed attempt, which createFetch retries as usual', async () => {
		const url = server.script('/hedge/resets', [
			{delayMs: 60, reset: 'before-headers'},
			{reset: 'before-headers'},
			{status: 200, body: 'third'},
		]);
		const state = new ClientState();
		const fetch = createFetch({state, fetch: hedged({state, afterMs: 20, maxShare: 1}), maxAttempts: 2, sleep: async () => {}});
		assert.equal(await (await fetch(url)).text(), 'third');
		assert.equal(server.requests('/hedge/resets').length, 3);
	});
});

describe('the race and the percentile, over a transport the test answers', () => {
	/** A transport whose calls wait until the test answers them, on a clock the test moves. */
	function controlled() {
		const calls = [];
		const clock = {nowMs: 1000};
		const transport = (input, init) => new Promise((resolve, reject) => {
			calls.push({input, init, resolve, reject});
			init.signal?.addEventListener('abort', () => reject(init.signal.reason), {once: true});
		});
		return {calls, clock, transport, now: () => clock.nowMs};
	}

	async function answer(call, clock, latencyMs) {
		clock.nowMs += latencyMs;
		call.resolve(new Response('ok'));
		await new Promise(resolve => {
			setImmediate(resolve);
		});
	}

	test('p95 hedges only after minSamples answers, after the 95th percentile of the latest 64', async () => {
		const {calls, clock, transport, now} = controlled();
		const state = new ClientState();
		const fetch = hedged({state, afterMs: 'p95', minSamples: 3, maxShare: 1, fetch: transport, now});
		// Two answers: too few samples, no timer (a slow third call sends no copy).
		for (const latencyMs of [10, 20]) {
			const pending = fetch('http://127.0.0.1:9/p');
			await answer(calls.at(-1), clock, latencyMs);
			await pending;
		}

		const third = fetch('http://127.0.0.1:9/p');
		await new Promise(resolve => {
			setTimeout(resolve, 60);
		});
		assert.equal(calls.length, 3, 'no copy before minSamples answers');
		await answer(calls[2], clock, 30);
		await third;
		// Samples 10, 20, 30: the 95th percentile is 30 ms; a fourth call is hedged after it.
		const fourth = fetch('http://127.0.0.1:9/p');
		await new Promise(resolve => {
			setTimeout(resolve, 80);
		});
		assert.equal(calls.length, 5, 'hedged after the p95 of 30 ms');
		await answer(calls[4], clock, 5);
		assert.equal(await (await fourth).text(), 'ok');
		assert.equal(calls[3].init.signal.aborted, true, 'the first copy was aborted');
		assert.equal(calls[4].init.signal.aborted, false, 'the winner\'s signal is left alone (its body is still read)');
	});

	test('a request that cannot be sent twice is never hedged: a stream body, an unsafe method, a Request with a body', async () => {
		const {calls, transport, now} = controlled();
		const fetch = hedged({state: new ClientState(), afterMs: 0, maxShare: 1, fetch: transport, now});
		fetch('http://127.0.0.1:9/s', {body: new ReadableStream(), method: 'GET'}).catch(() => {});
		fetch('http://127.0.0.1:9/s', {method: 'DELETE'}).catch(() => {});
		fetch(new Request('http://127.0.0.1:9/s', {method: 'OPTIONS'}), {body: new Blob(['x'])}).catch(() => {});
		await new Promise(resolve => {
			setTimeout(resolve, 40);
		});
		assert.equal(calls.length, 3);
	});

	test('at most maxShare of the origin\'s last 100 requests are hedged, with no floor, and a refused share spends no budget', async () => {
		const {calls, transport, now} = controlled();
		const state = new ClientState();
		const origin = 'http://127.0.0.1:9';
		const fetch = hedged({state, afterMs: 0, fetch: transport, now});
		const budgetBefore = state.retriesAvailable(origin, now());
		const pending = [];
		// 30 requests, each slow: at 0.1, the 10th is the first the share allows, then the 20th, the 30th.
		for (let index = 0; index < 30; index++) {
			const before = calls.length;
			pending.push(fetch(`${origin}/share`));
			await new Promise(resolve => {
				setTimeout(resolve, 5);
			});
			for (const call of calls.slice(before)) {
				call.resolve(new Response('ok'));
			}
		}

		await Promise.all(pending);
		assert.equal(calls.length, 33, '3 hedges for 30 requests');
		assert.equal(state.retriesAvailable(origin, now()), budgetBefore - 3, 'only the hedges sent spent budget');
	});

	test('options are checked: a clear TypeError with a code', () => {
		const state = new ClientState();
		for (const options of [undefined, {state}, {afterMs: -1, state}, {afterMs: 'p99', state}, {afterMs: 10}, {afterMs: 10, state: {}}, {afterMs: 10, state, minSamples: 0}, {afterMs: 10, state, extra: 1}, {afterMs: 10, state, fetch: 'x'}, {afterMs: 10, state, maxShare: 2}, {afterMs: 10, state, maxShare: Number.NaN}]) {
			assert.throws(() => hedged(options), {name: 'TypeError', code: 'ERR_INVALID_OPTION'}, JSON.stringify(options));
		}
	});
});
