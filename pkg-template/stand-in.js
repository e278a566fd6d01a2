// The core object that stands for "no client state" and "no profile": exports that take a core
// object (decide's state, classifyResponse's profile) take this one when the caller has none, so
// that one export serves both cases (`create`'s NO_STATE bit for a client state makes it; src/wasm/object.rs).
import * as core from './http_verdict.js';

// The `given` bit of `create` for the stand-in (NO_STATE in src/wasm/policy.rs).
const NO_STATE = 1 << 31;

let standIn;

/** The stand-in, made on first use. */
export function none() {
	standIn ??= core.create(1, new Float64Array(0), NO_STATE, '');
	return standIn;
}
