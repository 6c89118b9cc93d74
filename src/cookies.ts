import { EventEmitter } from 'node:events';
import { ElectronEvent, TypedEmitter } from './events.js';
import { CookieMonitor, keyOf } from './internal/cookie-monitor.js';
import { flushCookieStore, isFlushCookie } from './internal/cookie-flush.js';
import { settle } from './internal/callbacks.js';
import { expiredCopy, filterCookies, storedIdentity, toCookieParam, toElectronCookie } from './internal/cookie-convert.js';
import { keepAlive } from './internal/keep-alive.js';
import type { BackendGetter, ContextRef } from './internal/session-backend.js';
import type { Cookie, CookiesGetFilter, CookiesSetDetails } from './structures.js';
import type { Protocol } from '../protocol/cdp-types.js';
import { ProtocolError } from '../protocol/errors.js';

/** Electron's causes of a cookie change. */
export type CookieChangedCause =
  | 'explicit'
  | 'overwrite'
  | 'expired'
  | 'evicted'
  | 'expired-overwrite'
  | 'inserted'
  | 'inserted-no-change-overwrite'
  | 'inserted-no-value-change-overwrite';

export interface CookiesEvents {
  /** Emitted when a cookie is added, edited, removed or expired. */
  changed: [event: ElectronEvent, cookie: Cookie, cause: CookieChangedCause, removed: boolean];
}

type Callback<T> = (error: Error | null, result?: T) => void;

/** Internal: runs a clear of the session's data; the cookies it takes are 'explicit' removals. */
export const kClearing = Symbol('clearing');

/**
 * `ses.cookies`: the cookie store of one session (one Chrome browser context).
 *
 * Electron parity: both the Promise API and the callback forms of the 1.x
 * docs. The 'changed' event is derived (CDP has none): see CookieMonitor.
 */
interface QueuedSet {
  readonly param: Protocol.Network.CookieParam;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

export class Cookies extends TypedEmitter<CookiesEvents> {
  readonly #backend: BackendGetter;
  /** set() calls made in the same tick, sent as one Storage.setCookies. */
  #queued: QueuedSet[] = [];
  /** The batch being sent; reads and removals wait for it so they see its cookies. */
  #flushing: Promise<void> = Promise.resolve();
  readonly #monitor: CookieMonitor;
  /** The profile folder (null in memory): where flushStore() looks for the written cookies. */
  readonly #storagePath: string | null;

  /** The session's context if its Chrome runs, without starting one: for work nobody asked Chrome to start for. */
  readonly #current: () => ContextRef | undefined;

  constructor(backend: BackendGetter, storagePath: string | null, current: () => ContextRef | undefined) {
    super();
    this.#backend = backend;
    this.#storagePath = storagePath;
    this.#current = current;
    this.#monitor = new CookieMonitor(backend, (cookie, cause, removed) => this.emit('changed', new ElectronEvent(), cookie, cause, removed), current);
    // The monitor runs only while someone listens to 'changed'.
    EventEmitter.prototype.on.call(this, 'newListener', (event: string | symbol) => {
      if (event === 'changed') void this.#monitor.start();
    });
    EventEmitter.prototype.on.call(this, 'removeListener', (event: string | symbol) => {
      if (event === 'changed' && this.listenerCount('changed') === 0) this.#monitor.stop();
    });
  }

  /**
   * Cookies matching `filter` (all of them for `{}`).
   * Returns `Promise<Cookie[]>`; or, with a callback, calls `callback(error, cookies)`.
   */
  get(filter: CookiesGetFilter): Promise<Cookie[]>;
  get(filter: CookiesGetFilter, callback: Callback<Cookie[]>): void;
  get(filter: CookiesGetFilter, callback?: Callback<Cookie[]>): Promise<Cookie[]> | undefined {
    return settle(keepAlive(this.#get(filter ?? {})), callback);
  }

  /** Sets a cookie; rejects with Electron's message when Chrome would refuse it. */
  set(details: CookiesSetDetails): Promise<void>;
  set(details: CookiesSetDetails, callback: Callback<void>): void;
  set(details: CookiesSetDetails, callback?: Callback<void>): Promise<void> | undefined {
    return settle(keepAlive(this.#set(details)), callback);
  }

  /** Removes the cookies matching `url` and `name`; resolves even when none matched. */
  remove(url: string, name: string): Promise<void>;
  remove(url: string, name: string, callback: Callback<void>): void;
  remove(url: string, name: string, callback?: Callback<void>): Promise<void> | undefined {
    return settle(keepAlive(this.#remove(url, name)), callback);
  }

  /**
   * Writes unwritten cookie data to disk: resolves once the profile's cookie
   * database holds every change made before the call (a kill right after
   * loses nothing). In-memory sessions resolve at once. See cookie-flush.ts
   * for how Chrome is made to commit.
   */
  flushStore(): Promise<void>;
  flushStore(callback: Callback<void>): void;
  flushStore(callback?: Callback<void>): Promise<void> | undefined {
    return settle(keepAlive(this.#flushStore()), callback);
  }

  async [kClearing](work: () => Promise<void>): Promise<void> {
    await this.#monitor.ready();
    this.#monitor.expectRemovals();
    await work();
    await this.#monitor.look('look');
  }

  async #flushStore(): Promise<void> {
    await this.#flushing;
    // A session whose Chrome is not running has nothing unwritten: no need to start one.
    const live = this.#current();
    if (live && !live.host.connection.closed) await flushCookieStore(live, this.#storagePath);
  }

  async #all() {
    await this.#flushing;
    const { host, browserContextId } = await this.#backend();
    const { cookies } = await host.connection.root.send('Storage.getCookies', browserContextId ? { browserContextId } : {});
    return cookies.filter((cookie) => !isFlushCookie(cookie));
  }

  async #get(filter: CookiesGetFilter): Promise<Cookie[]> {
    return filterCookies(await this.#all(), filter).map(toElectronCookie);
  }

  #set(details: CookiesSetDetails): Promise<void> {
    let param: Protocol.Network.CookieParam;
    try {
      param = toCookieParam(details);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<void>((resolve, reject) => {
      this.#queued.push({ param, resolve, reject });
      if (this.#queued.length === 1) {
        const previous = this.#flushing;
        this.#flushing = new Promise<void>((done) => queueMicrotask(() => void previous.then(() => this.#flush()).finally(done)));
      }
    });
  }

  /**
   * Sends the queued cookies in one call, in call order. Should Chrome refuse
   * the batch, each cookie is sent alone, so only the bad calls reject.
   */
  async #flush(): Promise<void> {
    const batch = this.#queued;
    this.#queued = [];
    let backend: Awaited<ReturnType<BackendGetter>>;
    try {
      backend = await this.#backend();
    } catch (error) {
      for (const item of batch) item.reject(error as Error);
      return;
    }
    const { host, browserContextId } = backend;
    // Watched, a write runs with no look meanwhile (see CookieMonitor.during).
    const send = (cookies: Protocol.Network.CookieParam[]) =>
      this.#monitor.during(() => host.connection.root.send('Storage.setCookies', { cookies, ...(browserContextId ? { browserContextId } : {}) }));
    try {
      await send(batch.map((item) => item.param));
      // Listeners hear of the change before set() resolves, as in Electron.
      await this.#monitor.look('write', batch.map((item) => item.param.name), batch.map((item) => keyOf(storedIdentity(item.param))));
      for (const item of batch) item.resolve();
      return;
    } catch (error) {
      // Not Chrome refusing a cookie (a timeout, a closed browser): every call of the batch fails with it.
      if (!(error instanceof ProtocolError)) {
        for (const item of batch) item.reject(error as Error);
        return;
      }
      if (batch.length === 1) {
        batch[0]!.reject(setFailure(batch[0]!.param.name, error));
        return;
      }
    }
    for (const item of batch) {
      await send([item.param]).then(
        () => this.#monitor.look('write', [item.param.name], [keyOf(storedIdentity(item.param))]).then(item.resolve),
        (error: unknown) => item.reject(setFailure(item.param.name, error)),
      );
    }
  }

  async #remove(url: string, name: string): Promise<void> {
    const matching = filterCookies(await this.#all(), { url, name });
    if (!matching.length) return;
    const { host, browserContextId } = await this.#backend();
    await this.#monitor.during(() =>
      host.connection.root.send('Storage.setCookies', {
        cookies: matching.map((cookie) => expiredCopy(cookie, url)),
        ...(browserContextId ? { browserContextId } : {}),
      }),
    );
    await this.#monitor.look('remove', [name]);
  }
}

/**
 * Chrome refusing a cookie (a protocol error of Storage.setCookies) in Chromium's wording, where we
 * can tell; any other failure (a timeout, a browser gone) as it is.
 */
function setFailure(name: string, error: unknown): Error {
  if (!(error instanceof ProtocolError)) return error as Error;
  const why = /^__(Host|Secure)-/i.test(name)
    ? 'The cookie was set with an invalid __Host- or __Secure- prefix.'
    : 'The cookie was malformed and could not be stored';
  return new Error(`Failed to set cookie - ${why}`, { cause: error });
}
