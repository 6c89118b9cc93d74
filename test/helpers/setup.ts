import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext, TestFn } from 'ava';
import { app, BrowserWindow, type Session } from '../../src/index.js';
import { TestServer } from './server.js';
import { findChrome } from '../../launcher/index.js';

/**
 * Points the app at a fresh userData directory and makes it ready. Fails
 * (never skips) when no Chromium is installed, naming the way to get one.
 */
export async function readyApp(): Promise<string> {
  try {
    findChrome();
  } catch (error) {
    throw new Error(`Browser tests need Chromium: run 'bash scripts/setup.sh' or set CHROME_PATH.\n${String(error)}`);
  }
  const userData = freshDir('cs-test-');
  app.setPath('userData', userData);
  await app.whenReady();
  return userData;
}

export function freshDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(path: string): void {
  // Retries: a process that just exited may still have had a file open in it.
  rmSync(path, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
}

let counter = 0;
/** A partition name no other test in this process uses. */
export function uniquePartition(label = 'test'): string {
  return `${label}-${process.pid}-${++counter}`;
}

/**
 * The usual frame of a browser test file: a local server (routes set by
 * `routes`) and a ready app before the tests, both stopped after them.
 * Returns the server, valid once the hooks ran.
 */
export function serverAndApp(test: TestFn, routes: (server: TestServer) => void = () => undefined): { readonly server: TestServer } {
  const holder = {} as { server: TestServer };
  test.before(async () => {
    holder.server = await TestServer.start();
    routes(holder.server);
    await readyApp();
  });
  test.after.always(async () => {
    // Chrome first: while it runs, it may open new connections that keep the server from closing.
    await app.quit();
    await holder.server?.stop();
  });
  return holder;
}

/** A hidden window on `ses`, destroyed when the test ends; loads `url` when given. */
export async function openWindow(t: ExecutionContext, ses: Session, url?: string): Promise<BrowserWindow> {
  const win = new BrowserWindow({ show: false, webPreferences: { session: ses } });
  t.teardown(() => win.destroy());
  if (url !== undefined) await win.loadURL(url);
  return win;
}

/** Resolves with the arguments of the next `event` of `emitter`; rejects when none comes within `timeoutMs`. */
export function nextEvent<T extends unknown[] = unknown[]>(emitter: object, event: string, timeoutMs = 10_000): Promise<T> {
  const target = emitter as NodeJS.EventEmitter;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      target.off(event, heard);
      reject(new Error(`no '${event}' within ${timeoutMs} ms`));
    }, timeoutMs);
    function heard(...args: unknown[]): void {
      clearTimeout(timer);
      resolve(args as T);
    }
    target.once(event, heard);
  });
}
