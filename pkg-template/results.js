// Results the core cannot return from a call (the last classify's wait, the last decision's delay,
// hint and limit, the last admission's wait, what the last `share` read of an origin) sit in a few f64 slots of wasm memory (RESULTS in
// src/wasm/mod.rs); reading them through one view costs no call. -1 stands for "none".
import * as core from './http_verdict.js';
import {coreExports} from './ready.js';

// Must match the *_SLOT constants in src/wasm/mod.rs.
export const RETRY_AFTER = 0;
export const DELAY = 1;
export const RETRY = 2;
export const HINT = 3;
export const LIMIT = 4;
export const ADMISSION = 5;
export const GATE = 6;
export const QUOTA = 7;
export const OPEN = 8;
export const BREAKER = 9;
export const BUDGET = 10;

let view;

/** The value the last core call left in `slot`. */
export function result(slot) {
	// NOTE: growing wasm memory detaches the old buffer, and a view of it then has length 0: make a new
	// one. (`view.length` is far cheaper to read than `view.buffer.byteLength`.)
	if (view === undefined || view.length === 0) {
		view = new Float64Array(coreExports().memory.buffer, core.resultSlots(), 11);
	}

	return view[slot];
}
