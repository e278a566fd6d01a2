// Request bodies across attempts: a stream is sent once (no retry after it), a function makes a fresh
// body each attempt, and a Request's body is read once into a Blob, as fetch would consume it.

export function isRequest(value) {
	return typeof value?.url === 'string' && typeof value.clone === 'function' && typeof value.method === 'string';
}

export function isOneShot(body) {
	return typeof body?.getReader === 'function' || typeof body?.[Symbol.asyncIterator] === 'function';
}

export function setBody(call, body) {
	call.body = body;
	call.factory = typeof body === 'function' ? body : undefined;
	call.replayable = call.factory !== undefined || !isOneShot(body);
}

export async function bufferSource(call) {
	const {source} = call;
	if (isRequest(source) && source.body !== null && call.bodyChanged === false && call.body === undefined) {
		setBody(call, await source.blob());
		call.bodyChanged = true;
	}
}

export async function freshBody(call, init) {
	init.body = await call.factory();
	if (isOneShot(init.body)) {
		init.duplex ??= 'half';
	}
}
