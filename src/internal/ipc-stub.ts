import { EventEmitter } from 'node:events';

/**
 * Electron's IpcMain shape for the `ipc` of frames and service workers:
 * listeners and handlers are kept (a second handler for a channel throws, as
 * in Electron), but nothing reaches them: pages and workers here have no
 * Electron IPC to send with.
 */
export class IpcMainStub extends EventEmitter {
  readonly #handlers = new Map<string, (...args: unknown[]) => unknown>();

  handle(channel: string, listener: (...args: any[]) => unknown): void {
    if (this.#handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.#handlers.set(channel, listener);
  }

  handleOnce(channel: string, listener: (...args: any[]) => unknown): void {
    this.handle(channel, listener);
  }

  removeHandler(channel: string): void {
    this.#handlers.delete(channel);
  }
}
