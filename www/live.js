// The live-retries section: one createFetch client per run against the demo server's scripted
// endpoints, drawn as a timeline from the wrapper's own hooks (onVerdict, beforeRetry, onGiveUp).
import {createFetch} from '/pkg/web.js';
import {abortableSleep} from './sleep.js';
import {showResult, timeline} from './timeline.js';

const $ = id => document.querySelector(`#${id}`);
let runNumber = 0;

// Each scenario: the URL to request and the per-run options that make it show something.
const scenarios = {
	flaky: key => ({url: `/api/flaky/${key}?failures=2`}),
	throttled: key => ({url: `/api/throttled/${key}?failures=1&retryAfter=2`}),
	quota: () => ({url: '/api/quota?resetSeconds=3600'}),
	reset: key => ({url: `/api/reset/${key}?failures=1`}),
	slow: key => ({url: `/api/slow/${key}?delayMs=1500&failures=1`, timeout: 600}),
	etag: () => ({url: '/api/etag?version=1', twice: true}),
	gone: () => ({url: '/api/gone'}),
	moved: () => ({url: '/api/moved?status=301'}),
	'bad-gateway': () => ({url: '/api/bad-gateway'}),
};

// One cache store for the page, so that the second request of the 304 scenario revalidates.
const cache = new Map();
const cacheStore = {
	get: key => cache.get(key),
	set(key, entry) {
		cache.set(key, entry);
	},
	delete(key) {
		cache.delete(key);
	},
};

async function runScenario(name) {
	const {url, timeout, twice} = scenarios[name](`demo-${Date.now()}-${++runNumber}`);
	const controller = new AbortController();
	const steps = timeline($('timeline'));
	const {at} = steps;
	$('live-result').replaceChildren();
	$('live-abort').disabled = false;
	$('live-abort').onclick = () => controller.abort(new DOMException('Aborted from the page', 'AbortError'));
	const client = createFetch({
		seed: runNumber,
		maxAttempts: 3,
		baseDelayMs: 300,
		timeout: timeout ?? 5000,
		cache: cacheStore,
		onVerdict(verdict, {attempt}) {
			steps.add('attempt', `${at()} attempt ${attempt}: ${verdict.status ?? ''} ${verdict.kind} → ${verdict.action}`);
		},
		// The wrapper's waits go through this sleep, so the timeline shows a wait as it starts;
		// beforeRetry, called when it ends, adds the core's reason.
		sleep(ms, signal) {
			steps.waiting(ms);
			return abortableSleep(ms, signal);
		},
		beforeRetry({decision}) {
			steps.waited(decision);
		},
		onGiveUp(decision) {
			steps.gaveUp(decision);
		},
	});
	try {
		let response = await client(url, {signal: controller.signal});
		if (twice) {
			steps.add('note', `${at()} first response ${response.status}, stored with its ETag; asking again`);
			await response.text();
			response = await client(url, {signal: controller.signal});
		}

		const body = await response.text();
		const notes = [response.fromCache ? 'answered from the cache store' : '', response.movedTo ? `moved to ${response.movedTo}` : ''].filter(Boolean).join('; ');
		showResult($('live-result'), 'ok', `${at()} ${response.status} ${notes} ${body.slice(0, 120)}`);
	} catch (error) {
		showResult($('live-result'), 'error', `${at()} ${error.name}${error.code ? ` (${error.code})` : ''}: ${error.message}`);
	} finally {
		$('live-abort').disabled = true;
	}
}

export function setUpLiveRetries() {
	for (const button of document.querySelectorAll('[data-scenario]')) {
		button.addEventListener('click', () => runScenario(button.dataset.scenario));
	}
}
