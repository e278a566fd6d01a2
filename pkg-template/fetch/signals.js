// Timers and abort signals: attempt timeouts, the default sleep, the wait to be back online, and the
// caller's abort reaching a timed attempt. Kept apart because leaks hide here: no listener or timer
// may outlive its call.

// setTimeout fires at once above this.
export const MAX_TIMER_MS = 2_147_483_647;

// A timed attempt's own controller follows the caller's signal: one listener per caller signal, and
// a set of the controllers following it.
// NOTE: not AbortSignal.any: Node 20 keeps an entry in the caller's signal for every signal ever
// combined with it, until it aborts (nodejs/node#55351): about 90 bytes an attempt with a long-lived
// signal. A controller stops following when its attempt ends without a response, else when that
// response is collected: until then the caller's abort still stops its body, as with fetch.
const followers = new WeakMap();
// workerd has no FinalizationRegistry: there a controller stops following when its attempt ends.
const unfollowLater = globalThis.FinalizationRegistry ? new FinalizationRegistry(unfollowCaller) : {register: (_, link) => unfollowCaller(link)};

export function followCaller(caller, controller) {
	if (caller.aborted) {
		controller.abort(caller.reason);
		return undefined;
	}

	let following = followers.get(caller);
	if (following === undefined) {
		following = new Set();
		followers.set(caller, following);
		caller.addEventListener('abort', () => {
			for (const follower of following) {
				follower.abort(caller.reason);
			}

			following.clear();
		}, {once: true});
	}

	following.add(controller);
	return {caller, controller};
}

function unfollowCaller(link) {
	followers.get(link.caller)?.delete(link.controller);
}

/** After an attempt: its controller stops following the caller's signal once nothing needs it. */
export function unlink(call) {
	const {link, response} = call;
	if (link === undefined) {
		return;
	}

	call.link = undefined;
	if (response === undefined) {
		unfollowCaller(link);
	} else {
		unfollowLater.register(response, link);
	}
}

export function expire(controller, ms) {
	controller.abort(new DOMException(`The attempt timed out after ${ms} ms.`, 'TimeoutError'));
}

export function defaultSleep(ms, signal) {
	return new Promise((resolve, reject) => {
		const onAbort = () => {
			clearTimeout(timer);
			reject(signal.reason);
		};

		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve(ms > MAX_TIMER_MS && defaultSleep(ms - MAX_TIMER_MS, signal));
		}, Math.min(ms, MAX_TIMER_MS));
		if (signal?.aborted) {
			onAbort();
		}

		signal?.addEventListener('abort', onAbort, {once: true});
	});
}

/** What is left of the call's totalTimeout (Infinity without one). */
export function leftMs(call) {
	return call.client.totalTimeoutMs - (call.client.now() - call.startMs);
}

/**
 * Resolves when the browser says it is online again, or when what is left of the totalTimeout has
 * passed (the loop then ends with a TimeoutError); rejects when the caller aborts.
 */
export function untilOnline(call) {
	const {signal} = call;
	const waitMs = leftMs(call);
	return new Promise((resolve, reject) => {
		const done = () => {
			clearTimeout(timer);
			removeEventListener('online', done);
			signal?.removeEventListener('abort', aborted);
			resolve();
		};

		const aborted = () => {
			done();
			reject(signal.reason);
		};

		// NOTE: a real timer, not the injectable sleep: a sleep that returns at once (tests, a
		// caller's own) would spin a loop of offline attempts. Only browsers and workers report
		// themselves offline, and their global scope has the `online` event.
		const timer = waitMs < MAX_TIMER_MS ? setTimeout(done, waitMs) : undefined;
		addEventListener('online', done);
		if (signal?.aborted) {
			aborted();
		} else {
			signal?.addEventListener('abort', aborted);
		}
	});
}
