// Entry for Node: no top-level await, so that both `import` and `require()` (Node ≥ 20.19) load the
// package. The wasm is read and compiled synchronously from the package folder on first use rather
// than at import (see ready.js): a script that imports the package pays for the core when it needs it.
import {initSync} from './http_verdict.js';
import {instantiated, instantiateWith} from './ready.js';

// NOTE: not `import … from 'node:fs'`: building the ESM face of `fs` loads Node's whole streams stack,
// about a third of what importing this package cost. getBuiltinModule is in every Node we support.
instantiateWith(() => {
	const {readFileSync} = process.getBuiltinModule('node:fs');
	instantiated(initSync({module: readFileSync(new URL('http_verdict_bg.wasm', import.meta.url))}));
});

export * from './index.js';
