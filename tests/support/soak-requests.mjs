// Soak: N requests through one createFetch client against a node:http server on 127.0.0.1, with a
// tenth of them answered 503 (Retry-After: 0) once and 200 on the retry (the client's sleep is an
// injected zero-delay one). Reports the JS heap and the wasm memory before and after, as JSON on
// stdout. Run with --expose-gc so that the figures are taken after a full collection.
//
//   node --expose-gc tests/support/soak-requests.mjs [total] [mode] [origin]
//
// Modes: `defaults` (createFetch's defaults: no timeout, no signal) and `signal` (a per-attempt
// `timeout` and one long-lived AbortController's signal passed to every request: the shape that
// leaked with AbortSignal.any on Node 20, whose caller signal keeps an entry for every signal ever
// combined with it). Without an origin the script serves itself (one process, so slower, and its
// heap includes the server's); the test passes the origin of a server in its own process, so client
// and server each get a core and the figures are the client's alone.
//
// The server's paths: `/ok` answers 200 `hello world`; `/flaky?id=N` answers 503 the first time it
// sees N and 200 the second.
import {getEventListeners} from 'node:events';
import {createServer} from 'node:http';
import {pathToFileURL} from 'node:url';
import {importWithInstance} from './wasm-instance.mjs';

// Every FLAKY_EVERY-th request gets one 503 first: 10 % retries, half the retry budget's 20 %, and
// never five failures in a row, so neither the budget nor the circuit breaker refuses a retry.
const FLAKY_EVERY = 10;
const CONCURRENCY = 8;
const WARM_UP = 5_000;

/** The soak's server: answers /ok, and /flaky?id=N with 503 then 200. Resolves to {origin, close, counts}. */
export async function startSoakServer() {
	const failed = new Set();
	const counts = {requests: 0, unavailable: 0};
	const server = createServer((request, response) => {
		counts.requests++;
		const url = new URL(request.url, 'http://127.0.0.1');
		const id = url.searchParams.get('id');
		request.resume();
		if (url.pathname === '/flaky' && !failed.has(id)) {
			failed.add(id);
			counts.unavailable++;
			response.writeHead(503, {'retry-after': '0', 'content-length': '0'});
			response.end();
			return;
		}

		failed.delete(id);
		response.writeHead(200, {'content-type': 'text/plain', 'content-length': '11'});
		response.end('hello world');
	});
	server.keepAliveTimeout = 60_000;
	await new Promise(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	return {
		origin: `http://127.0.0.1:${server.address().port}`,
		counts,
		close() {
			server.closeAllConnections();
			return new Promise(resolve => {
				server.close(resolve);
			});
		},
	};
}

async function main() {
	const total = Number(process.argv[2] ?? 100_000);
	const mode = process.argv[3] ?? 'defaults';
	if (!['defaults', 'signal'].includes(mode)) {
		throw new TypeError(`Expected the mode to be defaults or signal, got ${mode}`);
	}

	const own = process.argv[4] === undefined ? await startSoakServer() : undefined;
	const origin = process.argv[4] ?? own.origin;
	// The package's own instance, memory included.
	const {pkg: {createFetch}, wasm} = await importWithInstance();

	// Collections free what is unreachable; finalisation callbacks (of wasm-bindgen objects, and of
	// responses whose attempts stop following the caller's signal) run after them, as tasks: a few
	// rounds let what they release be collected too.
	// The heap is read three times, 50 ms apart, and the least reading kept: sockets closing and
	// timers firing after the last request leave transient garbage that one reading can catch (one
	// run in several read 2.4 MB more), while anything retained shows in every reading.
	async function snapshot() {
		let heapUsedBytes = Infinity;
		for (let reading = 0; reading < 3; reading++) {
			for (let round = 0; round < 3; round++) {
				globalThis.gc?.();
				await new Promise(resolve => {
					setImmediate(resolve);
				});
			}

			globalThis.gc?.();
			heapUsedBytes = Math.min(heapUsedBytes, process.memoryUsage().heapUsed);
			await new Promise(resolve => {
				setTimeout(resolve, 50);
			});
		}

		return {heapUsedBytes, wasmMemoryBytes: wasm.memory.buffer.byteLength};
	}

	const tally = {requests: 0, attempts: 0, retried: 0, ok: 0, failed: 0, bytes: 0};
	const api = createFetch({
		sleep: () => Promise.resolve(),
		...(mode === 'signal' && {timeout: 60_000}),
		onVerdict(verdict) {
			tally.attempts++;
			if (verdict.kind === 'service_unavailable') {
				tally.retried++;
			}
		},
	});

	// One signal for the whole run, as an app passes its shutdown signal to every request.
	const init = mode === 'signal' ? {signal: new AbortController().signal} : undefined;
	let next = 0;
	async function worker(end) {
		while (next < end) {
			const index = next++;
			const url = index % FLAKY_EVERY === 0 ? `${origin}/flaky?id=${index}` : `${origin}/ok`;
			try {
				const response = await api(url, init);
				tally.bytes += (await response.text()).length;
				tally.ok++;
			} catch (error) {
				tally.failed++;
				tally.lastError ??= String(error?.message ?? error);
			}

			tally.requests++;
		}
	}

	async function run(count) {
		const end = next + count;
		await Promise.all(Array.from({length: CONCURRENCY}, () => worker(end)));
	}

	// Warm up so that the connection pool, lazily built tables, the JIT and the wasm allocator's first
	// growth are in the baseline.
	await run(WARM_UP);
	const before = await snapshot();
	const warm = {...tally};
	const started = process.hrtime.bigint();
	await run(total);
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	const after = await snapshot();
	const signal = init?.signal;
	// What the caller's signal holds on to: its abort listeners, and the signals Node combined with it
	// (an internal set, read by its symbol's description; absent where nothing was combined).
	const dependants = signal && Object.getOwnPropertySymbols(signal).find(symbol => symbol.description === 'kDependantSignals');
	const callerSignal = signal && {abortListeners: getEventListeners(signal, 'abort').length, dependantSignals: dependants ? signal[dependants].size : 0};
	await own?.close();
	const measured = Object.fromEntries(Object.entries(tally).filter(([, value]) => typeof value === 'number').map(([key, value]) => [key, value - warm[key]]));
	console.log(JSON.stringify({
		...measured,
		mode,
		warmUp: WARM_UP,
		concurrency: CONCURRENCY,
		flakyEvery: FLAKY_EVERY,
		seconds,
		usPerRequest: (seconds * 1e6) / total,
		before,
		after,
		callerSignal: callerSignal ?? null,
		lastError: tally.lastError ?? null,
	}));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
	await main();
}
