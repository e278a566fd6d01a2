// A burst of 30 concurrent GETs through a real nginx rate limiter (limit_req, 5 r/s, no burst
// allowance; tests/support/nginx.mjs), side by side: createFetch with its defaults and ky with its
// defaults, each with a fresh client, against three limiters: 429 with `Retry-After: 1`, 429 without
// it, and nginx's default 503. Prints, per client and limiter: delivered, requests nginx logged and
// wall time. Run with `node benches/nginx-burst.mjs` after `bash scripts/build.sh`.
import {setTimeout as sleep} from 'node:timers/promises';
import ky from 'ky';
import {createFetch} from '../pkg/node.js';
import {LIMIT_PER_S, startNginx} from '../tests/support/nginx.mjs';

const BURST = 30;
const nginx = await startNginx();
const clients = {
	'http-verdict': () => {
		const fetch = createFetch();
		return url => fetch(url).then(response => response.text());
	},
	'ky 1.14': () => url => ky.get(url).text(),
};

console.log(`${BURST} concurrent GETs through nginx limit_req at ${LIMIT_PER_S} r/s (no burst)\n`);
console.log('| limiter | client | delivered | requests | time |');
console.log('|---|---|---:|---:|---:|');
for (const [path, label] of [['/limited', '429 + Retry-After: 1'], ['/limited-no-hint', '429, no Retry-After'], ['/limited-503', 'default 503']]) {
	for (const [name, make] of Object.entries(clients)) {
		const get = make();
		const before = nginx.requests().length;
		const startedMs = performance.now();
		const results = await Promise.allSettled(Array.from({length: BURST}, () => get(`${nginx.url}${path}`)));
		const seconds = (performance.now() - startedMs) / 1000;
		const delivered = results.filter(result => result.status === 'fulfilled').length;
		const requests = nginx.requests().length - before;
		console.log(`| ${label} | ${name} | ${delivered}/${BURST} | ${requests} | ${seconds.toFixed(1)} s |`);
		// Let the limiter's bucket drain before the next client.
		await sleep(2000);
	}
}

await nginx.close();
