import type { BrowserHost } from './browser-host.js';
import type { TargetManager } from '../../protocol/target-manager.js';

/** What a Session runs on: one Chrome, one browser context in it, and that context's targets. */
export interface SessionBackend {
  readonly host: BrowserHost;
  readonly targets: TargetManager;
  /** Omitted in commands for a Chrome's default context. */
  readonly browserContextId: string | undefined;
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
