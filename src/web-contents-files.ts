import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app } from './app.js';
import { BrowserWindow } from './browser-window.js';
import { WebContents } from './web-contents.js';
import type { NativeImage } from './native-image.js';
import type { Rectangle } from './web-contents-extras.js';

/** Electron's `loadFile` options: the file URL's query (an object, or `search` as a string) and hash. */
export interface LoadFileOptions {
  query?: Record<string, string>;
  search?: string;
  hash?: string;
}

declare module './web-contents.js' {
  interface WebContents {
    /** Loads a local file, its path relative to the app's folder (`app.getAppPath()`), as Electron does. */
    loadFile(filePath: string, options?: LoadFileOptions): Promise<void>;
  }
}

declare module './browser-window.js' {
  interface BrowserWindow {
    /** Same as `webContents.loadFile(filePath, options)`. */
    loadFile(filePath: string, options?: LoadFileOptions): Promise<void>;
    /** Same as `webContents.reload()`. */
    reload(): void;
    /** Same as `webContents.capturePage(rect, opts)`. */
    capturePage(rect?: Rectangle, opts?: { stayHidden?: boolean; stayAwake?: boolean }): Promise<NativeImage>;
  }
}

/** The `file:` URL Electron's `loadFile` makes. */
export function fileURLFor(filePath: string, options: LoadFileOptions = {}): string {
  const url = pathToFileURL(resolve(app.getAppPath(), filePath));
  const { query, search, hash } = typeof options === 'object' && options !== null ? options : ({} as LoadFileOptions);
  if (typeof search === 'string') url.search = search;
  else if (query && typeof query === 'object') url.search = new URLSearchParams(query).toString();
  if (typeof hash === 'string') url.hash = hash;
  return url.href;
}

WebContents.prototype.loadFile = function loadFile(this: WebContents, filePath: string, options?: LoadFileOptions) {
  if (typeof filePath !== 'string') throw new TypeError('Must pass filePath as a string');
  return this.loadURL(fileURLFor(filePath, options));
};

BrowserWindow.prototype.loadFile = function loadFile(this: BrowserWindow, filePath: string, options?: LoadFileOptions) {
  return this.webContents.loadFile(filePath, options);
};

BrowserWindow.prototype.reload = function reload(this: BrowserWindow) {
  this.webContents.reload();
};

BrowserWindow.prototype.capturePage = function capturePage(this: BrowserWindow, rect?: Rectangle, opts?: { stayHidden?: boolean; stayAwake?: boolean }) {
  return this.webContents.capturePage(rect, opts);
};
