// createFetch against a real nginx (Debian's, on 127.0.0.1; see tests/support/nginx.mjs): the
// redirect rules fetch applies, and a burst through nginx's own rate limiter (limit_req).
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {ClientState, createFetch} from '../../pkg/node.js';
import {rejection} from '../support/fake-clock-client.mjs';
import {LIMIT_PER_S, startNginx} from '../support/nginx.mjs';

let nginx;
before(async () => {
	nginx = await startNginx();
});
after(() => nginx.close());

describe('redirects from nginx', () => {
	test('a redirect loop stops after 20 hops as fetch does (21 requests), is not retried and opens no breaker', async () => {
		const state = new ClientState({circuitBreaker: {failFast: true, failureThreshold: 1}});
		const fetch = createFetch({state});
		for (let call = 1; call <= 2; call++) {
			const error = await rejection(fetch(`${nginx.url}/loop`));
			assert.equal(error.name, 'TypeError');
			assert.equal(error.cause.message, 'redirect count exceeded');
			assert.equal((await nginx.logged('/loop', 21 * call)).length, 21 * call);
		}

		assert.equal(state.breakerState(nginx.url), 'closed');
		assert.equal(await (await fetch(`${nginx.url}/ok`)).text(), 'ok\n');
	});

	for (const path of ['/to-file', '/to-data']) {
		test(`${path}: a redirect to a non-http scheme ends the call after one request, as fetch does`, async () => {
			const fetch = createFetch();
			const error = await rejection(fetch(`${nginx.url}${path}`));
			assert.equal(error.name, 'TypeError');
			assert.equal(error.cause.message, 'URL scheme must be a HTTP(S) scheme');
			const plain = await rejection(globalThis.fetch(`${nginx.url}${path}`));
			assert.equal(plain.cause.message, error.cause.message, 'the same error as plain fetch');
			assert.equal((await nginx.logged(path, 2)).length, 2);
		});
	}
});

describe('a burst through nginx\'s limit_req', () => {
	// 30 concurrent GETs at 5 r/s (no burst allowance): nginx takes one of the first wave and refuses
	// the rest. They must all be delivered: after the wait, the origin's pace lets the retries through
	// one per interval instead of all at once (src/pace.rs). The wall time is a benchmark figure
	// (benches/nginx-burst.mjs, README), not asserted here.
	// nginx's default 503 is its own error page, read as a throttle (src/variants.rs), so it is paced
	// like the 429 without a hint.
	for (const [path, hint] of [['/limited', 'Retry-After: 1'], ['/limited-no-hint', 'no Retry-After (the 1 s throttle fallback)'], ['/limited-503', 'nginx\'s default 503, no Retry-After']]) {
		test(`30 concurrent GETs at ${LIMIT_PER_S} r/s, ${hint}: all delivered, no retry before the wait, retries paced`, async () => {
			const sentMs = [];
			const fetch = createFetch({
				fetch(url, init) {
					sentMs.push(performance.now());
					return globalThis.fetch(url, init);
				},
			});
			const startedMs = performance.now();
			const results = await Promise.allSettled(Array.from({length: 30}, () => fetch(`${nginx.url}${path}`).then(response => response.text())));
			const seconds = (performance.now() - startedMs) / 1000;
			const failed = results.filter(result => result.status === 'rejected').map(result => String(result.reason));
			assert.deepEqual(failed, []);
			assert.ok(results.every(result => result.value === 'ok\n'));

			// The first wave, then nothing until the wait of its first refusal has passed.
			const firstWaveEndMs = sentMs[29];
			const retries = sentMs.slice(30);
			assert.ok(retries.every(ms => ms - firstWaveEndMs >= 1000 - 5), JSON.stringify(retries.map(ms => Math.round(ms - firstWaveEndMs))));
			// Paced, not all at once: 29 refused requests need 29 retries, and a pace that meets
			// the limiter's rate wastes only a few more (all at once, every wave but one is refused).
			assert.ok(retries.length >= 29 && retries.length <= 35, `${retries.length} retries`);
			const closest = Math.min(...retries.slice(1).map((ms, index) => ms - retries[index]));
			assert.ok(closest >= 50, `two retries ${closest.toFixed(1)} ms apart`);
			assert.equal((await nginx.logged(path, sentMs.length)).length, sentMs.length);
			console.log(`# burst of 30 at ${LIMIT_PER_S} r/s, ${hint}: 30/30 delivered, ${sentMs.length} requests, ${seconds.toFixed(1)} s (benches/nginx-burst.mjs compares ky)`);
		});
	}
});
