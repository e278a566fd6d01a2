// Entry for Cloudflare's workerd (export condition `workerd`): there a `.wasm` file is imported as a
// compiled WebAssembly.Module, and neither fetching it by URL nor instantiateStreaming is available,
// so the module is instantiated synchronously at import.
import wasmModule from './http_verdict_bg.wasm';
import {initSync} from './http_verdict.js';
import {instantiated} from './ready.js';

instantiated(initSync({module: wasmModule}));

export * from './index.js';
