// The core's tables that JavaScript reads once (core_tables in src/wasm/mod.rs): one call for all,
// through `describe` with the key that asks for them (TABLES_KEY in src/wasm/classify.rs).
import * as core from './http_verdict.js';

const TABLES_KEY = 0xFF_FF_FF_FD;

export const REASON_IDS = 0;
export const METHOD_NAMES = 1;
export const CORE_HEADER_NAMES = 2;
export const DOCUMENTED_KEYS = 3;

let tables;

/** One table of the core, as a list of strings. */
export function table(index) {
	tables ??= core.describe(TABLES_KEY).split('\t').map(list => list.split('\n'));
	return tables[index];
}
