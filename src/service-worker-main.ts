import { IpcMainStub } from './internal/ipc-stub.js';
import { warnOnce } from './internal/unsupported.js';
export const kCreateServiceWorkerMain = Symbol('createServiceWorkerMain');
export const kDestroyServiceWorkerMain = Symbol('destroyServiceWorkerMain');

/**
 * Electron's ServiceWorkerMain (experimental there): one version of a
 * service worker script for a scope, from `ses.serviceWorkers`.
 *
 * Electron parity: `scope`, `scriptURL`, `versionId`, `isDestroyed()` (once
 * Chrome made the version redundant: unregistered or replaced) and
 * `startTask()`. Tasks are counted, but they are not what keeps the worker
 * alive here: Chrome lets no worker idle out while DevTools is attached to
 * it, and the session is attached to every one of its workers. `ipc` and
 * `send()` are there for Electron's shape, but nothing goes through them:
 * there is no Electron IPC in a Chrome worker (`send()` warns once).
 */
/** Electron's IpcMainServiceWorker: listeners and handlers kept; no worker here can send to them. */
export class IpcMainServiceWorker extends IpcMainStub {}

export class ServiceWorkerMain {
  readonly ipc = new IpcMainServiceWorker();
  readonly scope: string;
  readonly scriptURL: string;
  readonly versionId: number;
  #destroyed = false;
  #tasks = 0;

  constructor(token: symbol, init: { scope: string; scriptURL: string; versionId: number }) {
    if (token !== kCreateServiceWorkerMain) throw new TypeError('ServiceWorkerMain objects cannot be created with new');
    this.scope = init.scope;
    this.scriptURL = init.scriptURL;
    this.versionId = init.versionId;
  }

  isDestroyed(): boolean {
    return this.#destroyed;
  }

  /** Sends nothing: a Chrome worker has no Electron IPC to receive it (warns once). */
  send(channel: string, ..._args: unknown[]): void {
    if (typeof channel !== 'string') throw new TypeError('Error processing argument at index 0, conversion failure');
    warnOnce('ServiceWorkerMain.send()', 'there is no Electron IPC in a Chrome service worker; the message goes nowhere');
  }

  /** A task keeping the worker alive until `end()`; throws on a destroyed worker, as Electron does. */
  startTask(): { end: () => void } {
    if (this.#destroyed) throw new Error('Unable to start service worker task.');
    this.#tasks++;
    let ended = false;
    return {
      end: () => {
        if (this.#destroyed) throw new Error('Unable to end service worker task.');
        if (ended) return;
        ended = true;
        this.#tasks--;
      },
    };
  }

  /** @internal Electron's test hook of the same use: tasks not yet ended. */
  _countExternalRequests(): number {
    return this.#tasks;
  }

  /** @internal Chrome made the version redundant. */
  [kDestroyServiceWorkerMain](): void {
    this.#destroyed = true;
    this.#tasks = 0;
  }
}
