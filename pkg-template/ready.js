// When the wasm is instantiated. The browser entry instantiates it before any export can be used
// (top-level await); the Node entry only says how, and the first call that needs the core does it,
// because compiling the module is most of what importing the package would otherwise cost.

let instantiate;

/** The entries register how to instantiate the core (Node: synchronously, from the package folder). */
export function instantiateWith(start) {
	instantiate = start;
}

/** Makes sure the core is instantiated; cheap after the first call. */
export function useCore() {
	if (instantiate !== undefined) {
		const start = instantiate;
		instantiate = undefined;
		start();
	}
}

let instance;

/** The entries hand over the instantiated module's exports (its memory is what results.js reads). */
export function instantiated(exports) {
	instance = exports;
}

/** The instantiated module's exports. */
export function coreExports() {
	return instance;
}
