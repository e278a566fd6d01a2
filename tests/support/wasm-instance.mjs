// Imports the package's Node entry and hands back the wasm instance that the package creates, so that
// the soak tests can read its memory. The entry instantiates the wasm itself, on the first call that
// needs it, with `new WebAssembly.Instance`; this catches that very instance instead of making another.
export async function importWithInstance() {
	const {Instance} = WebAssembly;
	let caught;
	WebAssembly.Instance = function (...args) {
		caught = new Instance(...args);
		return caught;
	};

	try {
		const pkg = await import('../../pkg/node.js');
		pkg.codes();
		if (caught === undefined) {
			throw new Error('the package did not instantiate its wasm on first use');
		}

		return {pkg, wasm: caught.exports};
	} finally {
		WebAssembly.Instance = Instance;
	}
}
