// Entry for browsers and bundlers: fetches, compiles and instantiates the wasm next to this file before
// any export can be used (top-level await), so callers never see an uninitialised module.

// NOTE: imported first only for the bundle's layout: esbuild writes modules in the order they are
// first imported, and gzip finds repeats only within 32 KB, so the core's words (tables.json) and the
// sentence templates go first and together (-41 B gzip, measured).
import './tables.js';
import './sentences.js';
import {initSync} from './http_verdict.js';
import {instantiated} from './ready.js';

// NOTE: the `new URL(…, import.meta.url)` form is what bundlers recognise to emit the file.
const wasmUrl = new URL('http_verdict_bg.wasm', import.meta.url);

/**
 * The module, compiled while it downloads (compileStreaming) when the server sends it as
 * application/wasm, else from its bytes. Instantiated synchronously after, with initSync: the
 * download then carries no copy of wasm-bindgen's asynchronous loader (0.4 KB gzip, measured).
 */
async function compileCore() {
	const response = await fetch(wasmUrl);
	if (!response.ok) {
		throw new Error(`http-verdict: ${response.status} loading ${wasmUrl}`);
	}

	// NOTE: every browser with top-level await has compileStreaming.
	return response.headers.get('content-type')?.startsWith('application/wasm')
		? WebAssembly.compileStreaming(response)
		: WebAssembly.compile(await response.arrayBuffer());
}

instantiated(initSync({module: await compileCore()}));

export * from './index.js';
