// The demo's waits: a setTimeout that an AbortSignal ends at once, rejecting with the signal's
// reason, as createFetch's `sleep` option requires. The page's sections pass it wrapped, to draw
// each wait as it starts.

/** Resolves after `ms`, or rejects with `signal.reason` as soon as `signal` aborts. */
export function abortableSleep(ms, signal) {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) {
			reject(signal.reason);
			return;
		}

		const onAbort = () => {
			clearTimeout(timer);
			reject(signal.reason);
		};

		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		signal?.addEventListener('abort', onAbort, {once: true});
	});
}
