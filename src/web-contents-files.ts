import { resolve } from 'node:path';
import { format } from 'node:url';
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

/** The `file:` URL Electron's `loadFile` makes (Node's `url.format`, as Electron calls it). */
export function fileURLFor(filePath: string, options: LoadFileOptions = {}): string {
  const { query, search, hash } = typeof options === 'object' && options !== null ? options : ({} as LoadFileOptions);
  return format({ protocol: 'file', slashes: true, pathname: resolve(app.getAppPath(), filePath), query, search, hash });
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
