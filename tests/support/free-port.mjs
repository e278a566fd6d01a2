// A free TCP port on 127.0.0.1, for the real servers the tests start (nginx, redis-server): the OS
// picks one for a moment's listener, which is closed before the server binds it.
import {createServer} from 'node:net';

export async function freePort() {
	const server = createServer();
	await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address();
	await new Promise(resolve => server.close(resolve));
	return port;
}
