// Entry for browsers and bundlers: fetches and instantiates the wasm next to this file before any
// export can be used (top-level await), so callers never see an uninitialised module.
import init from './http_verdict.js';
import {instantiated} from './ready.js';

instantiated(await init({module_or_path: new URL('http_verdict_bg.wasm', import.meta.url)}));

export * from './index.js';
