// Entry for Node: instantiates the wasm synchronously from the package folder, with no top-level
// await, so that both `import` and `require()` (Node ≥ 20.19) load the package.
import {readFileSync} from 'node:fs';
import {initSync} from './http_verdict.js';

initSync({module: readFileSync(new URL('http_verdict_bg.wasm', import.meta.url))});

export * from './index.js';
