import type { BrowserHost } from './browser-host.js';
import type { TargetManager } from '../../protocol/target-manager.js';
import type { PagePool } from './page-pool.js';
import type { ProxyForwarder } from './proxy-forwarder.js';

/** One Chrome, one browser context in it, and that context's targets. */
export interface ContextRef {
  readonly host: BrowserHost;
  readonly targets: TargetManager;
  /** Omitted in commands for a Chrome's default context. */
  readonly browserContextId: string | undefined;
  /** The local proxy Chrome sends this context's connections to (the session's setProxy steers it). */
  readonly forwarder: ProxyForwarder | undefined;
}

/** What a Session runs on: its context, and the pages its windows are made from. */
export interface SessionBackend extends ContextRef {
  readonly pages: PagePool;
}

export type BackendGetter = () => Promise<SessionBackend>;

// Internal wiring between public classes, out of users' reach (not on the objects).
const backends = new WeakMap<object, BackendGetter>();

export function registerBackend(session: object, getter: BackendGetter): void {
  backends.set(session, getter);
}

export function backendOf(session: object): Promise<SessionBackend> {
  const getter = backends.get(session);
  if (!getter) return Promise.reject(new TypeError('Not a Session'));
  return getter();
}
