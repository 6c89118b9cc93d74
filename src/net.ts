import { app } from './app.js';
import { session } from './partitions.js';
import { ClientRequest, type ClientRequestConstructorOptions } from './net-request.js';
import type { IncomingMessage } from './net-incoming-message.js';
import type { Session } from './session.js';

function whenReady(): void {
  if (!app.isReady()) throw new Error('net module can only be used after app is ready');
}

/** Electron's `net` module: `fetch` on the default session (see `Session.fetch`), `request` (ClientRequest). */
export const net = {
  /** A ClientRequest (see net-request.ts): the default session's unless `session` or `partition` says otherwise. */
  request(options: ClientRequestConstructorOptions | string, callback?: (response: IncomingMessage) => void): ClientRequest {
    whenReady();
    return new ClientRequest(options, callback);
  },
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
