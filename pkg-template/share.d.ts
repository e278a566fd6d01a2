import type {ShareStore, SharedFact} from './index.js';

/** Options of {@link shareAcrossTabs}. */
export interface ShareAcrossTabsOptions {
	/**
	 * States sharing one channel name share their facts (a `BroadcastChannel` named
	 * `http-verdict:<channel>`).
	 * @default 'http-verdict'
	 */
	channel?: string;
	/**
	 * Keeps the facts across reloads until their waits end (never trusted past a day): `localStorage`,
	 * or any object with synchronous `get(key)`/`set(key, value)` (or `getItem`/`setItem`).
	 */
	storage?: Pick<Storage, 'getItem' | 'setItem'> | {get(key: string): string | null | undefined; set(key: string, value: string): void};
	/** The clock that dates stored facts, epoch ms. @default Date.now */
	now?: () => number;
}

/** What `shareAcrossTabs()` returns: a `share` for `new ClientState({share})`, with `close()`. */
export interface TabsShare extends ShareStore {
	/** Stops listening and closes the channel, for every state attached. */
	close(): void;
}

/** A store of yours that moves facts between client states (a message bus, a database…). */
export interface FactStore {
	/** Called when a wait a state knows got longer. Throws and rejections are ignored. */
	publish(fact: SharedFact): void | Promise<void>;
	/** Called once per state; `listener` merges each fact. May return an unsubscribe function. */
	subscribe(listener: (fact: SharedFact) => void): void | (() => void);
}

/**
 * Makes a `share` for `new ClientState({share})` from a store of yours.
 * @param options.now the clock facts are merged at, epoch ms (default `Date.now`)
 */
export function shareThrough(store: FactStore, options?: {now?: () => number}): ShareStore;

/**
 * Shares a client state's facts between the tabs and workers of one browser origin (in Node, between
 * `worker_threads`), where `BroadcastChannel` exists; with `storage`, also across reloads.
 *
 * @example
 * import {ClientState, createFetch} from 'http-verdict';
 * import {shareAcrossTabs} from 'http-verdict/share';
 * const fetch = createFetch({state: new ClientState({share: shareAcrossTabs({storage: localStorage})})});
 */
export function shareAcrossTabs(options?: ShareAcrossTabsOptions): TabsShare;
