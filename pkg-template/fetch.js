// createFetch: the I/O around the core's decisions. A success costs one admit and one decide (the
// shared state counts successes for its breaker and budget). The parts are in fetch/, one a file.

import {createCall, run} from './fetch/call.js';
import {readClient} from './fetch/options.js';

export {
	CircuitOpenError,
	HttpError,
	isCircuitOpenError,
	isHttpError,
	isNetworkError,
	isQuotaExceededError,
	isThrottledError,
	isTimeoutError,
	NetworkError,
	QuotaExceededError,
	ThrottledError,
	TimeoutError,
} from './errors.js';

const EMPTY = Object.freeze({});

export function createFetch(options = {}) {
	const client = readClient(options);
	return function verdictFetch(input, init) {
		try {
			return run(createCall(client, input, init ?? EMPTY));
		} catch (error) {
			return Promise.reject(error);
		}
	};
}
