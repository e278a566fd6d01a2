// One process of a fleet, for tests/node/redis*.test.mjs and benches/redis-share.mjs: its own Redis
// client (node-redis or ioredis), its own ClientState sharing through 'http-verdict/redis' (or not),
// its own createFetch on a clock the parent moves (`advance`), driven over IPC. Every request's
// outcome is reported, as is any unhandled rejection.
//
// Started by `forkWorker()` below with {lib, redisPort, prefix, share, timeoutMs, clockOffsetMs, fetchOptions}.
import {fork} from 'node:child_process';
import {fileURLToPath} from 'node:url';

const SELF = fileURLToPath(import.meta.url);

/**
 * Starts a worker process; resolves once its client and sharing are up (`ready` is what the share's
 * `ready` said). `ask(message)` sends one command and resolves with the worker's answer.
 */
export async function forkWorker(config) {
	const child = fork(SELF, ['--worker'], {stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced'});
	const waiting = new Map();
	let nextId = 0;
	let exited = false;
	child.on('message', ({id, answer, error}) => {
		const pending = waiting.get(id);
		waiting.delete(id);
		if (error === undefined) {
			pending?.resolve(answer);
		} else {
			pending?.reject(new Error(`worker ${child.pid}: ${error}`));
		}
	});
	child.on('exit', code => {
		exited = true;
		for (const pending of waiting.values()) {
			pending.reject(new Error(`worker ${child.pid} exited with ${code}`));
		}

		waiting.clear();
	});
	const ask = message => new Promise((resolve, reject) => {
		if (exited) {
			reject(new Error(`worker ${child.pid} has exited`));
			return;
		}

		const id = nextId++;
		waiting.set(id, {resolve, reject});
		child.send({id, ...message});
	});
	let ready;
	try {
		({ready} = await ask({op: 'start', config}));
	} catch (error) {
		child.kill('SIGKILL');
		throw error;
	}

	return {
		pid: child.pid,
		ready,
		ask,
		/** Closes its sharing and client; resolves with the unhandled rejections it saw. */
		async close() {
			const answer = await ask({op: 'close'});
			await new Promise(resolve => {
				if (exited) {
					resolve();
				} else {
					child.once('exit', resolve);
				}
			});
			return answer;
		},
		kill: () => child.kill('SIGKILL'),
	};
}

async function runWorker() {
	const {ClientState, createFetch, RetryPolicy} = await import('../../pkg/node.js');
	const {shareThroughRedis} = await import('../../pkg/redis.js');
	const unhandled = [];
	process.on('unhandledRejection', reason => unhandled.push(String(reason?.stack ?? reason)));
	const policy = new RetryPolicy();
	let offsetMs = 0;
	const now = () => Date.now() + offsetMs;
	let client;
	let share;
	let state;
	let fetch;

	const outcome = async (url, init) => {
		const startedMs = performance.now();
		try {
			const response = await fetch(url, init);
			await response.text();
			return {status: response.status, ms: performance.now() - startedMs};
		} catch (error) {
			return {error: error.name, reason: error.reason, resetInMs: error.resetInMs, retryInMs: error.retryInMs, status: error.response?.status, ms: performance.now() - startedMs};
		}
	};

	const ops = {
		async start({config}) {
			offsetMs = config.clockOffsetMs ?? 0;
			if (config.share !== false) {
				if (config.lib === 'ioredis') {
					const {default: Redis} = await import('ioredis');
					client = new Redis(config.redisPort, '127.0.0.1', {maxRetriesPerRequest: 1});
				} else {
					const {createClient} = await import('redis');
					client = createClient({url: `redis://127.0.0.1:${config.redisPort}`});
				}

				// A client's errors are its owner's to handle; these tests only need them not to crash.
				client.on('error', () => {});
				if (config.lib !== 'ioredis') {
					await client.connect();
				}

				share = shareThroughRedis(client, {prefix: config.prefix, now, timeoutMs: config.timeoutMs});
			}

			state = new ClientState({share});
			fetch = createFetch({state, now, ...config.fetchOptions});
			return {ready: await share?.ready};
		},

		advance({ms}) {
			offsetMs += ms;
		},

		admit({origin}) {
			return state.admit(policy, {origin, nowMs: now()});
		},

		/** Polls the state (no Redis involved) until `origin` is refused for `reason`, up to 3 s. */
		async learned({origin, reason}) {
			const startedMs = performance.now();
			while (performance.now() - startedMs < 3000) {
				const admission = state.admit(policy, {origin, nowMs: now()});
				if (admission.reason === reason) {
					return {...admission, afterMs: performance.now() - startedMs};
				}

				await new Promise(resolve => setTimeout(resolve, 2));
			}

			return {reason: null};
		},

		/** `count` calls to `url`, `concurrency` at a time (or one every `everyMs`); every outcome. */
		async fetch({url, count = 1, concurrency = count, everyMs}) {
			const results = [];
			if (everyMs !== undefined) {
				const calls = [];
				for (let index = 0; index < count; index++) {
					calls.push(outcome(url));
					await new Promise(resolve => setTimeout(resolve, everyMs));
				}

				return Promise.all(calls);
			}

			let next = 0;
			await Promise.all(Array.from({length: Math.min(concurrency, count)}, async () => {
				while (next < count) {
					next++;
					results.push(await outcome(url));
				}
			}));
			return results;
		},

		async close() {
			state.free();
			await share?.close();
			if (client !== undefined) {
				await Promise.resolve(typeof client.destroy === 'function' ? client.destroy() : client.disconnect()).catch(() => {});
			}

			setImmediate(() => process.exit(0));
			return {unhandled};
		},
	};

	// A worker never outlives the test that started it.
	process.on('disconnect', () => process.exit(1));
	process.on('message', async ({id, op, ...message}) => {
		try {
			process.send({id, answer: await ops[op](message)});
		} catch (error) {
			process.send({id, error: String(error?.stack ?? error)});
		}
	});
}

if (process.argv[2] === '--worker') {
	await runWorker();
}
