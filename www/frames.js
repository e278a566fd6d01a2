// The "Two frames, one origin" section: two same-origin frames (frame.html), each with its own
// ClientState sharing over one BroadcastChannel, in front of the demo server's scripted limiter. The
// page counts what the server received for the run, so a request that waited unsent shows as one the
// server never saw; and it holds the "offline" toggle (see frame.js for what the toggle does).
//
// The frames load only when asked: each is a page of its own that loads the package again (its own
// wasm instance), and a site that forbids framing (CSP frame-ancestors 'none') blocks them.

const $ = id => document.querySelector(`#${id}`);
const FRAMES = {A: 'frame-a', B: 'frame-b'};
const POLL_MS = 250;

let run;
let runNumber = 0;
const busy = new Set();
const ready = new Set();
let poll;
let counting = false;
let countAgain = false;

function newRun() {
	run = `frames-${Date.now().toString(36)}-${++runNumber}`;
	$('frames-demo').dataset.run = run;
	showCount({received: 0, refused: 0, by: {}});
}

function config() {
	return {run, retryAfter: Number($('frames-retry-after').value), offline: $('frames-offline').checked};
}

function frameWindows() {
	return Object.values(FRAMES).map(id => $(id).contentWindow).filter(Boolean);
}

function configureFrames() {
	for (const target of frameWindows()) {
		target.postMessage(config(), location.origin);
	}
}

function plural(count, word) {
	return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function showCount({received, refused, by}) {
	const output = $('frames-count');
	output.dataset.received = String(received);
	output.dataset.refused = String(refused);
	for (const name of Object.keys(FRAMES)) {
		output.dataset[`from${name}`] = String(by[name] ?? 0);
	}

	output.textContent = `The server has received ${plural(received, 'request')} this run: ${by.A ?? 0} from frame A, ${by.B ?? 0} from frame B; it refused ${refused} with 429.`;
}

/** Asks the server what it received for this run; one request at a time, repeated if asked meanwhile. */
async function refreshCount() {
	if (counting) {
		countAgain = true;
		return;
	}

	counting = true;
	const asked = run;
	try {
		const response = await fetch(`/api/limited/${asked}/count`);
		const count = await response.json();
		if (asked === run) {
			showCount(count);
		}
	} catch {
		// Offline (really): the page cannot ask either. The last count stays, marked as such.
		$('frames-count').textContent = 'The server cannot be asked while the browser is offline; the last count stays until it is back.';
	} finally {
		counting = false;
	}

	if (countAgain) {
		countAgain = false;
		refreshCount();
	}
}

function showNetwork() {
	const browser = navigator.onLine ? 'online' : 'offline';
	const simulated = $('frames-offline').checked;
	$('frames-network').dataset.browser = browser;
	$('frames-network').dataset.simulated = String(simulated);
	$('frames-network').textContent = simulated
		? `Both frames act offline (simulated); the browser itself is ${browser}.`
		: `The browser is ${browser} (its own state; DevTools' Network panel can switch it offline).`;
}

function onFrameMessage(event) {
	const name = Object.keys(FRAMES).find(key => $(FRAMES[key]).contentWindow === event.source);
	if (event.origin !== location.origin || name === undefined) {
		return;
	}

	const what = event.data?.event;
	if (what === 'ready') {
		ready.add(name);
		event.source.postMessage(config(), location.origin);
		if (ready.size === Object.keys(FRAMES).length) {
			$('frames-demo').dataset.framesReady = 'true';
		}
	} else if (what === 'busy') {
		busy.add(name);
	} else if (what === 'idle') {
		busy.delete(name);
	}

	// While a frame has a call in flight, its next attempt may go out at any moment: keep counting.
	if (busy.size > 0 && poll === undefined) {
		poll = setInterval(refreshCount, POLL_MS);
	} else if (busy.size === 0 && poll !== undefined) {
		clearInterval(poll);
		poll = undefined;
	}

	refreshCount();
}

/** A frame the browser refused to show (or that failed to load) holds an error page of no origin. */
function checkLoaded(name, element) {
	if (element.getAttribute('src') !== null && element.contentDocument === null) {
		$('frames-error').textContent = `Frame ${name} did not load: the browser refused to frame it or could not fetch it. A Content-Security-Policy with frame-ancestors 'none' forbids framing even this site's own pages; the section needs frame-ancestors 'self'.`;
	}
}

function openFrames() {
	newRun();
	for (const [name, id] of Object.entries(FRAMES)) {
		$(id).src = `frame.html?name=${name}`;
	}

	$('frames-demo').hidden = false;
	$('frames-open').hidden = true;
	// The button that had focus is gone: keep the keyboard in the section.
	$('frames-retry-after').focus();
	showNetwork();
}

function startOver() {
	newRun();
	busy.clear();
	clearInterval(poll);
	poll = undefined;
	ready.clear();
	delete $('frames-demo').dataset.framesReady;
	for (const target of frameWindows()) {
		target.location.reload();
	}
}

export function setUpFrames() {
	window.addEventListener('message', onFrameMessage);
	for (const type of ['online', 'offline']) {
		window.addEventListener(type, () => {
			showNetwork();
			refreshCount();
		});
	}

	for (const [name, id] of Object.entries(FRAMES)) {
		$(id).addEventListener('load', () => checkLoaded(name, $(id)));
	}

	$('frames-open').addEventListener('click', openFrames);
	$('frames-restart').addEventListener('click', startOver);
	$('frames-retry-after').addEventListener('input', configureFrames);
	$('frames-offline').addEventListener('change', () => {
		configureFrames();
		showNetwork();
	});
}
