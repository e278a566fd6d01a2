// createFetch against a real nginx (Debian's, on 127.0.0.1; see tests/support/nginx.mjs): the
// redirect rules fetch applies, and a burst through nginx's own rate limiter (limit_req).
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {ClientState, createFetch, isHttpError} from '../../pkg/node.js';
import {rejection} from '../support/fake-clock-client.mjs';
import {LIMIT_PER_S, startNginx} from '../support/nginx.mjs';

let nginx;
before(async () => {
	nginx = await startNginx();
});
after(() => nginx.close());

function logged(path) {
	return nginx.requests().filter(request => request.path === path);
}

describe('redirects from nginx', () => {
	test('a redirect loop stops after 20 hops as fetch does (21 requests), is not retried and opens no breaker', async () => {
		const state = new ClientState({circuitBreaker: {failFast: true, failureThreshold: 1}});
		const fetch = createFetch({state});
		for (let call = 1; call <= 2; call++) {
			const error = await rejection(fetch(`${nginx.url}/loop`));
			assert.equal(error.name, 'TypeError');
			assert.equal(error.cause.message, 'redirect count exceeded');
			assert.equal(logged('/loop').length, 21 * call);
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
			assert.equal(logged(path).length, 2);
		});
	}
});

describe('a burst through nginx\'s limit_req', () => {
	test(`30 concurrent GETs at ${LIMIT_PER_S} r/s with Retry-After: 1: no retry before the wait, each failure a clear HttpError, retries within the budget`, async () => {
		const sentMs = [];
		const fetch = createFetch({
			fetch(url, init) {
				sentMs.push(performance.now());
				return globalThis.fetch(url, init);
			},
		});
		const results = await Promise.allSettled(Array.from({length: 30}, () => fetch(`${nginx.url}/limited`).then(response => response.text())));
		const delivered = results.filter(result => result.status === 'fulfilled');
		const failed = results.filter(result => result.status === 'rejected').map(result => result.reason);
		assert.ok(delivered.length >= 1 && delivered.every(result => result.value === 'ok\n'));
		for (const error of failed) {
			assert.ok(isHttpError(error), String(error));
			assert.equal(error.response.status, 429);
			assert.ok(['budget_exhausted', 'max_attempts'].includes(error.reason), error.reason);
		}

		// The first wave, then nothing until the Retry-After of its first refusal has passed.
		const firstWaveEndMs = sentMs[29];
		const retries = sentMs.slice(30);
		assert.ok(retries.every(ms => ms - firstWaveEndMs >= 1000 - 5), JSON.stringify(retries.map(ms => Math.round(ms - firstWaveEndMs))));
		// The retry budget of one origin: 10 + 20 % of 30 first attempts.
		assert.ok(retries.length <= 16, `${retries.length} retries`);
		assert.equal(logged('/limited').length, sentMs.length);
		console.log(`# burst of 30 at ${LIMIT_PER_S} r/s: ${delivered.length}/30 delivered, ${sentMs.length} requests (benches/nginx-burst.mjs compares ky)`);
	});
});
