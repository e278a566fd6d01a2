// One of the two frames of the demo page's "Two frames, one origin" section (frames.js), or a tab of
// its own: a ClientState of its own that shares its throttle gates and quota locks with every page of
// this origin over one BroadcastChannel, and a button that sends one GET through createFetch to the
// demo server's scripted limiter (/api/limited/). Each attempt and wait is drawn from the wrapper's
// own hooks as it happens; the parent page counts what the server received.
//
// The parent (same origin) sends {run, retryAfter, offline} by postMessage; a frame opened on its own
// reads `name`, `run` and `retryAfter` from its query string instead.
import {ClientState, createFetch} from '/pkg/web.js';
import {shareAcrossTabs} from '/pkg/share.js';
import {abortableSleep} from './sleep.js';
import {seconds, showResult, timeline} from './timeline.js';

const $ = id => document.querySelector(`#${id}`);
const query = new URLSearchParams(location.search);
const name = /^[\w-]{1,16}$/.test(query.get('name') ?? '') ? query.get('name') : 'tab';
const embedded = window.parent !== window;
const config = {run: query.get('run') ?? 'standalone', retryAfter: Number(query.get('retryAfter') ?? 3), offline: false};
// The channel every page of the demo shares: both frames, and any other tab of the demo.
const state = new ClientState({share: shareAcrossTabs({channel: 'demo'})});
let calls = 0;
// Whether this frame has itself been answered 429 since it loaded: a gate it waits for without one
// came over the channel.
let throttledHere = false;

function tellParent(event) {
	if (embedded) {
		window.parent.postMessage({frame: name, event}, location.origin);
	}
}

function showOnline() {
	const simulated = config.offline ? ' (simulated by the page\'s toggle)' : '';
	$('online-state').textContent = `navigator.onLine: ${navigator.onLine}${simulated}`;
	$('online-state').dataset.online = String(navigator.onLine);
}

/**
 * The page's "offline" toggle, applied in this frame. A page cannot switch the browser offline, so
 * while it is on, this frame stands in for a network that is down: `navigator.onLine` reads false (an
 * own property that shadows Navigator.prototype's getter, in this frame only) and the transport below
 * fails every request with the TypeError Chromium gives offline, sending nothing. Switching it off
 * removes the shadow and fires `online`, as the browser does when the network comes back. What
 * createFetch decides about it is its own, as when the browser really is offline.
 */
function setSimulatedOffline(offline) {
	if (offline === config.offline) {
		return;
	}

	config.offline = offline;
	if (offline) {
		Object.defineProperty(navigator, 'onLine', {configurable: true, get: () => false});
		dispatchEvent(new Event('offline'));
	} else {
		delete navigator.onLine;
		// Only when the browser itself is online: if it is really offline, it fires `online` later.
		if (navigator.onLine) {
			dispatchEvent(new Event('online'));
		}
	}

	showOnline();
}

function transport(url, init) {
	return config.offline ? Promise.reject(new TypeError('Failed to fetch')) : fetch(url, init);
}

async function send() {
	const call = ++calls;
	const steps = timeline($('steps'), () => tellParent('step'));
	const {at} = steps;
	let attempts = 0;
	// Set by beforeRetry, cleared by the next attempt: a wait then is the retry's admission.
	let admittingRetry = false;
	$('result').replaceChildren();
	$('send').disabled = true;
	tellParent('busy');
	const url = `/api/limited/${encodeURIComponent(config.run)}?${new URLSearchParams({retryAfter: config.retryAfter, from: name})}`;
	steps.add('note', `${at()} GET ${url} (call ${call})`);
	const client = createFetch({
		state,
		fetch: transport,
		maxAttempts: 3,
		onVerdict(verdict, {attempt}) {
			attempts++;
			admittingRetry = false;
			throttledHere ||= verdict.kind === 'throttled';
			steps.add('attempt', `${at()} attempt ${attempt}: ${verdict.status ?? 'no response'} ${verdict.kind} → ${verdict.action}`);
		},
		// NOTE: the one hook that shows an offline decision: its wait is for the `online` event, not
		// through `sleep`, and no beforeRetry follows. Returning undefined leaves the decision to the
		// policy, unchanged.
		shouldRetry({decision}) {
			if (decision.reason === 'offline') {
				steps.add('offline', `${at()} ${decision.message}; waiting for the online event`);
			}

			return undefined;
		},
		// Every wait of the wrapper goes through here, so each is drawn as it starts. Before the
		// call's first attempt, and after beforeRetry, a wait is the origin's throttle gate (admission):
		// nothing is sent until it opens.
		sleep(ms, signal) {
			if (attempts === 0 || admittingRetry) {
				const source = throttledHere ? '' : ' (learned over the channel: this frame has had no 429 of its own)';
				steps.add('gate', `${at()} waiting ${seconds(ms)} before sending attempt ${attempts + 1}: this origin's throttle gate is closed${source}`);
			} else {
				steps.waiting(ms);
			}

			return abortableSleep(ms, signal);
		},
		beforeRetry({decision}) {
			admittingRetry = true;
			steps.waited(decision);
		},
		onGiveUp(decision) {
			steps.gaveUp(decision);
		},
	});
	try {
		const response = await client(url);
		const body = await response.json();
		showResult($('result'), 'ok', `${at()} delivered: ${response.status} ${JSON.stringify(body)}`);
	} catch (error) {
		showResult($('result'), 'error', `${at()} ${error.name}${error.reason ? ` (${error.reason})` : ''}: ${error.message}`);
	} finally {
		$('send').disabled = false;
		tellParent('idle');
	}
}

window.addEventListener('message', event => {
	// Only the parent page of this origin configures the frame.
	if (event.origin !== location.origin || event.source !== window.parent) {
		return;
	}

	const {run, retryAfter, offline} = event.data ?? {};
	if (typeof run === 'string' && /^[\w-]{1,64}$/.test(run)) {
		config.run = run;
	}

	if (Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60) {
		config.retryAfter = retryAfter;
	}

	if (typeof offline === 'boolean') {
		setSimulatedOffline(offline);
	}
});
for (const type of ['online', 'offline']) {
	window.addEventListener(type, showOnline);
}

document.title = `http-verdict demo: frame ${name}`;
$('frame-heading').textContent = `Frame ${name}`;
$('send').textContent = `Send from ${name}`;
$('send').addEventListener('click', send);
$('send').disabled = false;
showOnline();
document.body.dataset.ready = 'true';
tellParent('ready');
