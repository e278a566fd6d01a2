// Error construction for bad arguments. Errors are the built-in TypeError / RangeError (what
// callers already catch) with a stable `code`, like Node's own argument errors.

export function typeError(code, message) {
	const error = new TypeError(message);
	error.code = code;
	return error;
}

export function rangeError(code, message) {
	const error = new RangeError(message);
	error.code = code;
	return error;
}
