// createFetch: the I/O around the core's decisions. A success costs one admit and one decide (the
// shared state counts successes for its breaker and budget). The parts are in fetch/, one a file.

import {Call} from './fetch/call.js';
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
			return new Call(client, input, init ?? EMPTY).run();
		} catch (error) {
			return Promise.reject(error);
		}
	};
}
