// A real nginx (Debian's, installed by scripts/setup.sh) on a free 127.0.0.1 port, with its own
// config in a temporary directory: rate limiters (`limit_req`) answering 429 with and without
// Retry-After and nginx's default 503, a redirect loop and redirects to non-http schemes. One
// process (`master_process off`), so it runs as whoever runs the tests and stops with one signal.
import {spawn} from 'node:child_process';
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {connect} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {freePort} from './free-port.mjs';

export const NGINX = '/usr/sbin/nginx';

/** The rate of every limiter below, requests per second (nginx's `limit_req` without a burst). */
export const LIMIT_PER_S = 5;

function config(dir, port) {
	// Each limited location has its own zone, so that the tests do not share a bucket.
	const limited = (path, zone, extra) => `
		location = ${path} {
			limit_req zone=${zone};
			${extra}
			try_files /ok.txt =404;
		}`;
	return `
daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 512; }
http {
	access_log ${dir}/access.log;
	client_body_temp_path ${dir}/body;
	proxy_temp_path ${dir}/proxy;
	fastcgi_temp_path ${dir}/fastcgi;
	uwsgi_temp_path ${dir}/uwsgi;
	scgi_temp_path ${dir}/scgi;
	default_type text/plain;
	limit_req_zone $binary_remote_addr zone=hinted:1m rate=${LIMIT_PER_S}r/s;
	limit_req_zone $binary_remote_addr zone=bare:1m rate=${LIMIT_PER_S}r/s;
	limit_req_zone $binary_remote_addr zone=overload:1m rate=${LIMIT_PER_S}r/s;
	server {
		listen 127.0.0.1:${port};
		root ${dir}/www;
		${limited('/limited', 'hinted', 'limit_req_status 429; error_page 429 = @throttled;')}
		location @throttled {
			add_header Retry-After 1 always;
			return 429 "Too Many Requests\\n";
		}
		${limited('/limited-no-hint', 'bare', 'limit_req_status 429;')}
		${limited('/limited-503', 'overload', '')}
		location = /loop { return 302 /loop; }
		location = /to-file { return 301 "file:///etc/passwd"; }
		location = /to-data { return 301 "data:text/plain,hello"; }
		location = /ok { try_files /ok.txt =404; }
	}
}
`;
}

async function listening(port, child) {
	for (let tries = 0; tries < 100; tries++) {
		if (child.exitCode !== null) {
			return false;
		}

		const connected = await new Promise(resolve => {
			const socket = connect(port, '127.0.0.1', () => {
				socket.destroy();
				resolve(true);
			});
			socket.on('error', () => resolve(false));
		});
		if (connected) {
			return true;
		}

		await sleep(50);
	}

	return false;
}

/** Starts nginx; resolves with its base URL, a request log reader and `close()`. */
export async function startNginx() {
	const dir = mkdtempSync(join(tmpdir(), 'http-verdict-nginx-'));
	const port = await freePort();
	writeFileSync(join(dir, 'nginx.conf'), config(dir, port));
	mkdirSync(join(dir, 'www'));
	writeFileSync(join(dir, 'www', 'ok.txt'), 'ok\n');
	const child = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf')], {stdio: ['ignore', 'ignore', 'pipe']});
	let stderr = '';
	child.stderr.on('data', chunk => {
		stderr += chunk;
	});
	if (!await listening(port, child)) {
		child.kill('SIGKILL');
		throw new Error(`nginx did not start on 127.0.0.1:${port}: ${stderr}`);
	}

	return {
		url: `http://127.0.0.1:${port}`,
		/** The paths of the requests nginx logged so far, in order, with their statuses. */
		requests() {
			return readFileSync(join(dir, 'access.log'), 'utf8').split('\n').filter(Boolean).map(line => {
				const [, path, status] = line.match(/"[A-Z]+ (\S+) [^"]*" (\d{3})/) ?? [];
				return {path, status: Number(status)};
			});
		},
		/**
		 * The requests logged for `path` once there are `count` of them: nginx writes a request's
		 * log line after its response has gone out, so the last line may trail the client by a
		 * moment. Gives up after a second with what is there.
		 */
		async logged(path, count) {
			const matching = () => this.requests().filter(request => request.path === path);
			for (let tries = 0; tries < 100 && matching().length < count; tries++) {
				await sleep(10);
			}

			return matching();
		},
		async close() {
			const exited = new Promise(resolve => child.once('exit', resolve));
			child.kill('SIGQUIT');
			await Promise.race([exited, sleep(2000).then(() => child.kill('SIGKILL'))]);
			rmSync(dir, {recursive: true, force: true});
		},
	};
}
