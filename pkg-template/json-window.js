// The start of a parsed JSON body as `JSON.stringify` would write it, without writing the rest: the core
// reads only a window at the start of a body, and serialising a caller's `{message: <50 MB string>}`
// whole to cut it afterwards cost about 0.3 s. Within the window the text is exactly
// `JSON.stringify(value).slice(0, limit)`; a value it cannot serialise (a cycle, a BigInt) still throws.

const SKIPPED = new Set(['undefined', 'function', 'symbol']);

function converted(key, value) {
	return value !== null && (typeof value === 'object' || typeof value === 'bigint') && typeof value.toJSON === 'function' ? value.toJSON(key) : value;
}

/** `JSON.stringify(value).slice(0, limit)`, writing at most about `limit` characters. */
export function jsonWindow(value, limit) {
	const parts = [];
	let length = 0;
	const path = new Set();

	function emit(text) {
		parts.push(text);
		length += text.length;
	}

	function write(item) {
		if (item === null || typeof item !== 'object') {
			// Strings are cut before they are quoted: only the first `limit` characters can show.
			emit(JSON.stringify(typeof item === 'string' ? item.slice(0, limit - length + 1) : item) ?? 'null');
			return;
		}

		if (path.has(item)) {
			// The same TypeError JSON.stringify throws for a cycle.
			JSON.stringify(item);
		}

		path.add(item);
		const array = Array.isArray(item);
		emit(array ? '[' : '{');
		let first = true;
		const keys = array ? item.keys() : Object.keys(item);
		for (const index of keys) {
			if (length > limit) {
				break;
			}

			const child = converted(String(index), item[index]);
			if (!array && SKIPPED.has(typeof child)) {
				continue;
			}

			emit(first ? '' : ',');
			first = false;
			if (!array) {
				emit(`${JSON.stringify(index)}:`);
			}

			write(SKIPPED.has(typeof child) ? null : child);
		}

		emit(array ? ']' : '}');
		path.delete(item);
	}

	write(converted('', value));
	return parts.join('').slice(0, limit);
}
