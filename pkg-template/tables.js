// The core's tables that JavaScript reads once (coreTables in src/wasm/mod.rs): one call for all.
import * as core from './http_verdict.js';

export const REASON_IDS = 0;
export const METHOD_NAMES = 1;
export const CORE_HEADER_NAMES = 2;
export const DOCUMENTED_KEYS = 3;

let tables;

/** One table of the core, as a list of strings. */
export function table(index) {
	tables ??= core.coreTables().split('\t').map(list => list.split('\n'));
	return tables[index];
}
