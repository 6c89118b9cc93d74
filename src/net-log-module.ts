import { app } from './app.js';
import type { NetLogOptions } from './net-log.js';
import { session } from './partitions.js';

/**
 * Electron's `netLog` module: the default session's `netLog`. Before the app
 * is ready, `startLogging` and `stopLogging` resolve without doing anything
 * and `currentlyLogging` is false, as in Electron.
 */
export const netLog = {
  get currentlyLogging(): boolean {
    return app.isReady() ? session.defaultSession.netLog.currentlyLogging : false;
  },
  startLogging(path: string, options?: NetLogOptions): Promise<void> {
    return app.isReady() ? session.defaultSession.netLog.startLogging(path, options) : Promise.resolve();
  },
  stopLogging(): Promise<void> {
    return app.isReady() ? session.defaultSession.netLog.stopLogging() : Promise.resolve();
  },
};
