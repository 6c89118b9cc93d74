import type { CdpSession } from '../../protocol/cdp-session.js';
import type { Protocol } from '../../protocol/cdp-types.js';
import { beforeWorkerScript } from './worker-scripts.js';
import { debug } from '../../protocol/debug.js';
import type { Cookie } from '../structures.js';
import { siteOf, toElectronCookie } from './cookie-convert.js';
import { isFlushCookie } from './cookie-flush.js';
import type { ContextRef } from './session-backend.js';

export type CookieChangeCause = 'explicit' | 'overwrite' | 'expired' | 'evicted' | 'expired-overwrite';
export type ChangeListener = (cookie: Cookie, cause: CookieChangeCause, removed: boolean) => void;

/** What prompted a look at the store, with the cookie names written or removed: they decide why a cookie is gone. */
export type Trigger = 'write' | 'remove' | 'look';

/** How long the watch script gathers finished loads before it reports them. */
const LOADS_SETTLE_MS = 30;
/** Called by the watch script: with a cookie name after a page's own write, with '' when loads finished. */
const BINDING = '__chromeSessionCookieWrite';
/**
 * Run in every page, frame and worker of a watched session, before its
 * scripts. It reports `document.cookie` and CookieStore writes by name, and
 * every batch of finished loads (a PerformanceObserver of resource entries,
 * and once at start for the document's or worker's own response): Chrome has
 * stored a response's Set-Cookie before the page sees the response, so a
 * look then finds it.
 */
const WATCH_SCRIPT = `(() => {
  const notify = globalThis[${JSON.stringify(BINDING)}];
  if (typeof notify !== 'function' || globalThis.__chromeSessionCookieHooks) return;
  globalThis.__chromeSessionCookieHooks = true;
  const property = typeof Document === 'function' && Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  if (property && property.set) {
    Object.defineProperty(Document.prototype, 'cookie', {
      ...property,
      set(value) { property.set.call(this, value); notify(String(value).split('=')[0].trim()); },
    });
  }
  const store = globalThis.CookieStore && globalThis.CookieStore.prototype;
  for (const method of ['set', 'delete']) {
    const original = store && store[method];
    if (typeof original !== 'function') continue;
    store[method] = function (...args) {
      const done = original.apply(this, args);
      const name = typeof args[0] === 'object' && args[0] !== null ? args[0].name : args[0];
      done.then(() => notify(String(name)), () => {});
      return done;
    };
  }
  notify('');
  // One report per burst of loads (the page's own timers may be faked later: ours is taken now).
  const later = setTimeout.bind(globalThis);
  let waiting = false;
  const loaded = () => {
    if (waiting) return;
    waiting = true;
    later(() => { waiting = false; notify(''); }, ${LOADS_SETTLE_MS});
  };
  try {
    new PerformanceObserver(loaded).observe({ type: 'resource' });
  } catch {}
})()`;
const PAGE_WRITE_SETTLE_MS = 100;
/** A look this often while watching, for what no script sees (a WebSocket handshake's or a favicon's Set-Cookie). */
const POLL_MS = 1_000;
const RECENT_MS = 5_000;
/** Chrome keeps at most 180 cookies per registrable domain (purging to 150) and 3,300 in all (to 3,000). */
const SITE_PURGED_TO = 150;
const ALL_PURGED_TO = 3_000;
/** In `#recent`: a clear of the whole store (any name). */
const ANY = '\u0000any';
const WATCHED_TYPES = new Set(['page', 'iframe', 'worker', 'shared_worker', 'service_worker']);

/**
 * Electron's cookie 'changed' events, derived: CDP has no cookie event.
 *
 * While the session's Cookies has a 'changed' listener, the monitor keeps a
 * snapshot of the store and diffs it against `Storage.getCookies` whenever the
 * store may have changed: after this API's own sets and removals, after the
 * loads of any page, frame or worker of the session finish (responses may
 * have carried Set-Cookie) and after their `document.cookie` and CookieStore
 * writes (WATCH_SCRIPT reports both through a binding), when the next expiry
 * time passes, and once a second for what no script sees. No Network domain:
 * its events for every request cost a page load about a third more. Looks
 * are serialised and coalesced, so a burst of writes costs one read. The diff
 * gives the causes: a new cookie is `explicit`; a changed one `overwrite`
 * (old) then `explicit` (new); a cookie that is gone is `expired` when its
 * time passed, `explicit` when a removal named it, `expired-overwrite` when a
 * write named it (an expired cookie over it), `evicted` when its site or the
 * whole store was over Chrome's limits, and `expired-overwrite` otherwise
 * (a Set-Cookie with a date in the past: the only other way a cookie goes).
 * Nothing of this runs, and nothing costs, while nobody listens.
 */
export class CookieMonitor {
  readonly #backend: () => Promise<ContextRef>;
  readonly #emit: ChangeListener;
  readonly #current: () => ContextRef | undefined;
  #snapshot: Map<string, Protocol.Network.Cookie> | undefined;
  #active = false;
  #looking: Promise<void> = Promise.resolve();
  #pending: { written: Set<string>; removed: Set<string>; rewritten: Set<string>; done: Promise<void> } | undefined;
  #expiry: NodeJS.Timeout | undefined;
  #poll: NodeJS.Timeout | undefined;
  /** The Chrome whose targets report to us. */
  #watched: ContextRef['host'] | undefined;
  #stops: Array<() => void> = [];
  #generation = 0;
  /** Names recently written or removed, and when: a write reaches the store a little after it is reported. */
  readonly #recent = new Map<string, { cause: 'write' | 'remove'; at: number }>();

  /** `current`: the session's context if it runs, without starting one (for the looks nobody asked for). */
  constructor(backend: () => Promise<ContextRef>, emit: ChangeListener, current: () => ContextRef | undefined) {
    this.#backend = backend;
    this.#emit = emit;
    this.#current = current;
  }

  get active(): boolean {
    return this.#active;
  }

  /** Starts watching (a first listener); resolves once the first snapshot is taken. */
  start(): Promise<void> {
    if (this.#active) return this.#looking;
    this.#active = true;
    const generation = ++this.#generation;
    this.#looking = this.#looking.then(() => this.#watch(generation)).catch((error: unknown) => debug.ignored('cookie monitor: %s', error));
    // Not while the session's Chrome is gone: a look would start it again, and only a call of the app should.
    this.#poll = setInterval(() => {
      const live = this.#current();
      if (live && !live.host.connection.closed) void this.look('look');
    }, POLL_MS);
    this.#poll.unref();
    return this.#looking;
  }

  /** Stops watching (the last listener left). */
  stop(): void {
    if (!this.#active) return;
    this.#active = false;
    this.#generation++;
    this.#snapshot = undefined;
    this.#recent.clear();
    clearTimeout(this.#expiry);
    clearInterval(this.#poll);
    this.#watched = undefined;
    for (const stop of this.#stops.splice(0)) stop();
  }

  /** Resolves once the monitor has its snapshot (and earlier looks are done): a write sent after it is seen as a change. */
  ready(): Promise<void> {
    return this.#active ? this.#looking : Promise.resolve();
  }

  /**
   * Runs a write of this API with no look in progress meanwhile: a look that
   * starts later diffs from a snapshot taken before the write, so the write's
   * own look (queued right after) sees all of it, identical re-sets included.
   */
  during<T>(write: () => Promise<T>): Promise<T> {
    if (!this.#active) return write();
    const run = this.#looking.then(write);
    this.#looking = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** A clear of the store is coming: the cookies gone in the next looks were removed on purpose ('explicit'). */
  expectRemovals(): void {
    if (this.#active) this.#recent.set(ANY, { cause: 'remove', at: Date.now() });
  }

  /**
   * Looks at the store soon; resolves once the changes up to now were emitted.
   * Calls made meanwhile are coalesced into one look; `names` are the cookies
   * a write or removal touched, so that a cookie gone with them is not 'evicted';
   * `rewritten` the exact cookies (`keyOf`) this API set: Chrome reports an
   * overwrite of each even when the new one is identical to the old.
   */
  look(trigger: Trigger, names: Iterable<string> = [], rewritten: Iterable<string> = []): Promise<void> {
    if (!this.#active) return Promise.resolve();
    let pending = this.#pending;
    if (!pending) {
      const fresh = { written: new Set<string>(), removed: new Set<string>(), rewritten: new Set<string>(), done: Promise.resolve() };
      fresh.done = this.#looking.then(() => {
        this.#pending = undefined;
        return this.#diff(fresh.written, fresh.removed, fresh.rewritten);
      });
      this.#pending = pending = fresh;
      this.#looking = fresh.done.catch((error: unknown) => debug.ignored('cookie monitor: %s', error));
    }
    for (const key of rewritten) pending.rewritten.add(key);
    if (trigger !== 'look') {
      for (const name of names) {
        (trigger === 'write' ? pending.written : pending.removed).add(name);
        this.#recent.set(name, { cause: trigger, at: Date.now() });
      }
    }
    return this.#looking;
  }

  async #watch(generation: number): Promise<void> {
    const backend = await this.#backend();
    if (generation !== this.#generation) return;
    this.#watchTargets(backend, generation);
    await this.#read();
  }

  /** Gets every page, frame and worker of the context reporting, live ones and new ones. */
  #watchTargets(backend: ContextRef, generation: number): void {
    this.#watched = backend.host;
    const watchTarget = async (client: CdpSession, info: Protocol.Target.TargetInfo, paused: boolean): Promise<void> => {
      if (!WATCHED_TYPES.has(info.type) || generation !== this.#generation) return;
      this.#stops.push(
        client.subscribe('Runtime.bindingCalled', ({ name, payload }) => {
          if (name !== BINDING) return;
          if (!payload) return void this.look('look');
          // A page's cookie write reaches the store asynchronously: look now, and again shortly.
          void this.look('write', [payload]);
          setTimeout(() => void this.look('look'), PAGE_WRITE_SETTLE_MS).unref();
        }),
      );
      const install = async (): Promise<void> => {
        await client.send('Runtime.addBinding', { name: BINDING });
        if (info.type === 'page' || info.type === 'iframe') await client.send('Page.addScriptToEvaluateOnNewDocument', { source: WATCH_SCRIPT });
        // A worker starting has no global scope yet: the script goes in right before the worker's own.
        if (paused && (info.type === 'worker' || info.type === 'shared_worker' || info.type === 'service_worker')) return beforeWorkerScript(client, WATCH_SCRIPT);
        // The document or worker already there gets the script too.
        await client.send('Runtime.evaluate', { expression: WATCH_SCRIPT }).catch(() => undefined);
      };
      // A paused service worker answers only once it runs: waiting would hold it.
      if (info.type !== 'service_worker') await install();
      else install().catch((error: unknown) => debug.ignored('cookie monitor on a service worker: %s', error));
    };
    // One target that cannot be watched must not cost the others, nor the snapshot every diff starts from.
    const watchSafely = (client: CdpSession, info: Protocol.Target.TargetInfo, paused: boolean): Promise<void> =>
      watchTarget(client, info, paused).catch((error: unknown) => debug.ignored('cookie monitor on %s: %s', info.type, error));
    this.#stops.push(backend.targets.addAttachHook((client, info) => watchSafely(client, info, true)));
    // API calls wait for the snapshot only; the live targets are being watched meanwhile.
    void backend.targets.forEachClient((client, record) => watchSafely(client, record.targetInfo, false));
  }

  async #read(): Promise<Map<string, Protocol.Network.Cookie>> {
    const backend = await this.#backend();
    // The session's Chrome was started again (it died): its targets report from now on.
    if (this.#active && this.#watched && backend.host !== this.#watched) {
      for (const stop of this.#stops.splice(0)) stop();
      this.#watchTargets(backend, this.#generation);
    }
    const { host, browserContextId } = backend;
    const { cookies } = await host.connection.root.send('Storage.getCookies', browserContextId ? { browserContextId } : {});
    const now = Date.now() / 1000;
    const current = new Map<string, Protocol.Network.Cookie>();
    for (const cookie of cookies) if ((cookie.session || cookie.expires > now) && !isFlushCookie(cookie)) current.set(keyOf(cookie), cookie);
    if (!this.#snapshot) this.#snapshot = current;
    return current;
  }

  async #diff(written: Set<string>, removed: Set<string>, rewritten: Set<string>): Promise<void> {
    if (!this.#active) return;
    const before = this.#snapshot;
    const after = await this.#read();
    if (!this.#active || !before) return;
    this.#snapshot = after;
    const now = Date.now() / 1000;
    for (const [name, { at }] of this.#recent) if (at < Date.now() - RECENT_MS) this.#recent.delete(name);
    const touched = (name: string, cause: 'write' | 'remove'): boolean =>
      (cause === 'write' ? written : removed).has(name) || this.#recent.get(name)?.cause === cause || this.#recent.get(ANY)?.cause === cause;
    const overLimits = purgeCheck(before, after);
    for (const [key, old] of before) {
      const current = after.get(key);
      if (!current) {
        const cause =
          !old.session && old.expires <= now ? 'expired'
          : touched(old.name, 'remove') ? 'explicit'
          : touched(old.name, 'write') ? 'expired-overwrite'
          : overLimits(old) ? 'evicted'
          : 'expired-overwrite';
        this.#emit(toElectronCookie(old), cause, true);
      } else if (!sameCookie(old, current) || rewritten.has(key)) {
        this.#emit(toElectronCookie(old), 'overwrite', true);
        this.#emit(toElectronCookie(current), 'explicit', false);
      }
    }
    for (const [key, cookie] of after) if (!before.has(key)) this.#emit(toElectronCookie(cookie), 'explicit', false);
    this.#scheduleExpiry(after);
  }

  /** A look when the next cookie expires, so 'expired' comes when it passes. */
  #scheduleExpiry(cookies: Map<string, Protocol.Network.Cookie>): void {
    clearTimeout(this.#expiry);
    let next = Infinity;
    for (const cookie of cookies.values()) if (!cookie.session && cookie.expires < next) next = cookie.expires;
    if (next === Infinity) return;
    // Timers cannot wait longer than about 24.8 days; a look then schedules the rest.
    const ms = Math.min(Math.max(0, next * 1000 - Date.now()) + 5, 2 ** 31 - 1);
    this.#expiry = setTimeout(() => void this.look('look'), ms);
    this.#expiry.unref();
  }
}

/**
 * Whether Chrome may have purged a cookie that went: its site held more than
 * Chrome purges down to, or the whole store did (counting the cookies of
 * either snapshot). Sites are counted only when asked.
 */
function purgeCheck(before: Map<string, Protocol.Network.Cookie>, after: Map<string, Protocol.Network.Cookie>): (cookie: Protocol.Network.Cookie) => boolean {
  const union = new Map([...before, ...after]);
  let sites: Map<string, number> | undefined;
  return (cookie) => {
    if (union.size > ALL_PURGED_TO) return true;
    if (!sites) {
      sites = new Map();
      for (const { domain } of union.values()) sites.set(siteOf(domain), (sites.get(siteOf(domain)) ?? 0) + 1);
    }
    return (sites.get(siteOf(cookie.domain)) ?? 0) > SITE_PURGED_TO;
  };
}

export function keyOf(cookie: Pick<Protocol.Network.Cookie, 'name' | 'domain' | 'path' | 'partitionKey'>): string {
  return `${cookie.name}\u0000${cookie.domain}\u0000${cookie.path}\u0000${cookie.partitionKey?.topLevelSite ?? ''}`;
}

function sameCookie(a: Protocol.Network.Cookie, b: Protocol.Network.Cookie): boolean {
  return (
    a.value === b.value &&
    a.expires === b.expires &&
    a.session === b.session &&
    a.secure === b.secure &&
    a.httpOnly === b.httpOnly &&
    a.sameSite === b.sameSite
  );
}
