import { app } from './app.js';
import { session } from './partitions.js';
import type { Session } from './session.js';

/**
 * Electron's `net` module: `fetch` on the default session (see `Session.fetch`).
 * `net.request` (ClientRequest) is not built yet.
 */
export const net = {
  fetch(input: string | Request, init?: RequestInit & { bypassCustomProtocolHandlers?: boolean }): Promise<Response> {
    if (!app.isReady()) return Promise.reject(new Error('net module can only be used after app is ready'));
    return session.defaultSession.fetch(input, init);
  },
  /** The default session's `resolveHost`. */
  resolveHost(host: string, options?: Parameters<Session['resolveHost']>[1]): ReturnType<Session['resolveHost']> {
    return session.defaultSession.resolveHost(host, options);
  },
  /** Whether the machine has a network connection; Chrome here always reports one. */
  isOnline(): boolean {
    return true;
  },
  get online(): boolean {
    return true;
  },
};
