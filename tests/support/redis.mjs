// A real redis-server (Debian's, installed by scripts/setup.sh) on a free 127.0.0.1 port, without
// persistence, in the foreground: stopped (or killed, to test a Redis that goes away) by its PID, and
// started again on the same port. `commands()` reads INFO commandstats with a fresh connection of
// its own, so that the tests count what the clients under test sent.
import {spawn} from 'node:child_process';
import {createConnection} from 'node:net';
import {setTimeout as sleep} from 'node:timers/promises';
import {freePort} from './free-port.mjs';

export const REDIS_SERVER = '/usr/bin/redis-server';

/** Sends one inline command on a new connection and resolves with the raw reply (or rejects). */
export function rawCommand(port, command) {
	return new Promise((resolve, reject) => {
		const socket = createConnection(port, '127.0.0.1');
		let reply = '';
		socket.setEncoding('utf8');
		socket.setTimeout(2000, () => socket.destroy(new Error(`redis on ${port}: no answer to ${command}`)));
		socket.on('connect', () => socket.write(`${command}\r\n`));
		socket.on('data', chunk => {
			reply += chunk;
			// A bulk reply `$<length>\r\n<body>\r\n`, or a one-line reply.
			const bulk = reply.match(/^\$(\d+)\r\n/);
			if ((bulk && Buffer.byteLength(reply) >= bulk[0].length + Number(bulk[1]) + 2) || (!bulk && reply.endsWith('\r\n') && !reply.startsWith('$'))) {
				socket.end();
				resolve(bulk ? reply.slice(bulk[0].length, -2) : reply.trim());
			}
		});
		socket.on('error', reject);
	});
}

async function answering(port, child) {
	for (let tries = 0; tries < 200; tries++) {
		if (child.exitCode !== null) {
			return false;
		}

		if (await rawCommand(port, 'PING').then(reply => reply === '+PONG', () => false)) {
			return true;
		}

		await sleep(10);
	}

	return false;
}

/** Starts redis-server; resolves with its URL, port, `commands()`, `kill()`, `restart()` and `close()`. */
export async function startRedis() {
	const port = await freePort();
	let child;
	let stderr = '';
	const start = async () => {
		child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {stdio: ['ignore', 'ignore', 'pipe']});
		child.stderr.on('data', chunk => {
			stderr += chunk;
		});
		if (!await answering(port, child)) {
			child.kill('SIGKILL');
			throw new Error(`redis-server did not start on 127.0.0.1:${port}: ${stderr}`);
		}
	};

	const stop = async signal => {
		// This server, not whichever `child` is current when a timer fires (a restart replaces it).
		const server = child;
		if (server.exitCode !== null || server.signalCode !== null) {
			return;
		}

		const exited = new Promise(resolve => server.once('exit', resolve));
		process.kill(server.pid, signal);
		const timer = setTimeout(() => server.kill('SIGKILL'), 2000);
		await exited;
		clearTimeout(timer);
	};

	await start();
	return {
		port,
		url: `redis://127.0.0.1:${port}`,
		get pid() {
			return child.pid;
		},
		/** Calls per command since start (or the last reset), from INFO commandstats: {get: 3, …}. */
		async commands() {
			const info = await rawCommand(port, 'INFO commandstats');
			const counts = {};
			for (const [, name, calls] of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
				counts[name] = Number(calls);
			}

			return counts;
		},
		/** Sends one raw command (no quoting: spaces separate arguments). */
		command: line => rawCommand(port, line),
		/** Kills it at once (SIGKILL), as a crash would. */
		kill: () => stop('SIGKILL'),
		restart: start,
		close: () => stop('SIGTERM'),
	};
}
