import type {ShareStore} from './index.js';

/**
 * The part of a node-redis (v4+) or ioredis client that {@link shareThroughRedis} uses: `duplicate()`
 * for its subscriber connection, and `sendCommand(args)` (node-redis) or `call(...args)` (ioredis).
 */
export type RedisClientLike =
	| {duplicate(): unknown; sendCommand(args: string[]): Promise<unknown>}
	| {duplicate(): unknown; call(...args: string[]): Promise<unknown>};

/** Options of {@link shareThroughRedis}. */
export interface ShareThroughRedisOptions {
	/**
	 * Starts every key (`<prefix>gate:<origin>`, `<prefix>quota:<origin>`, `<prefix>open:<origin>`)
	 * and the channel (`<prefix>facts`). Processes with one prefix share; 1 to 200 characters.
	 * @default 'http-verdict:'
	 */
	prefix?: string;
	/**
	 * The longest any Redis call may take before it is given up (its failure ignored), in ms.
	 * @default 50
	 */
	timeoutMs?: number;
	/**
	 * The clock facts are merged at, epoch ms: the same as `createFetch`'s `now` (only this process's
	 * own clock; nothing crosses hosts as an instant).
	 * @default Date.now
	 */
	now?: () => number;
}

/** What `shareThroughRedis()` returns: a `share` for `new ClientState({share})`. */
export interface RedisShare extends ShareStore {
	/**
	 * Resolves `true` once subscribed and the facts Redis holds are read, `false` if that did not
	 * happen within a second (Redis down: sharing starts by itself when it is back). Never rejects.
	 */
	readonly ready: Promise<boolean>;
	/** Stops sharing, for every state attached, and closes the subscriber connection (not `client`). */
	close(): Promise<void>;
}

/**
 * Shares what client states learn (throttle gates, quota locks, open breakers, per origin) between
 * the processes of a fleet through Redis: facts are stored as keys that expire when their wait ends
 * and published on a channel; each process listens on its own connection (`client.duplicate()`,
 * connected and closed by this function) and reads the stored facts once at start-up. Facts travel
 * as waits left (PX, PTTL), never as one host's clock instant. A request that meets no fact sends
 * no Redis command; a Redis that is down, slow or answers garbage costs what a process without
 * sharing pays (each call bounded by `timeoutMs`, its failure ignored). Standalone Redis (or a
 * Sentinel primary); `client` stays yours, connected by you, with your own `'error'` listener.
 *
 * @example
 * import {createClient} from 'redis';
 * import {ClientState, createFetch} from 'http-verdict';
 * import {shareThroughRedis} from 'http-verdict/redis';
 *
 * const redis = await createClient({url: process.env.REDIS_URL}).on('error', console.warn).connect();
 * const api = createFetch({state: new ClientState({share: shareThroughRedis(redis, {prefix: 'my-api:'})})});
 */
export function shareThroughRedis(client: RedisClientLike, options?: ShareThroughRedisOptions): RedisShare;
