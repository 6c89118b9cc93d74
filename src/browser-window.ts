import { ElectronEvent, TypedEmitter } from './events.js';
import { app } from './app.js';
import { runtime } from './internal/runtime.js';
import { session as sessionModule } from './partitions.js';
import type { Session } from './session.js';
import { kContentsReady, kCreateWebContents, WebContents, type LoadURLOptions } from './web-contents.js';
import { sendMayFail } from '../protocol/cdp-session.js';
import { settlesWithin } from './internal/within.js';
import type { TargetRecord } from '../protocol/target-manager.js';

export interface WebPreferences {
  /** The partition of the window's session; `persist:` for a persistent one. Default: the default session. */
  partition?: string;
  /** The window's session; wins over `partition`. */
  session?: Session;
}

export interface BrowserWindowConstructorOptions {
  width?: number;
  height?: number;
  x?: number;
  y?: number;
  minWidth?: number;
  minHeight?: number;
  maxWidth?: number;
  maxHeight?: number;
  fullscreen?: boolean;
  /** Headless windows are never shown; kept for `isVisible()`. Default true. */
  show?: boolean;
  title?: string;
  webPreferences?: WebPreferences;
}

export interface BrowserWindowEvents {
  /** Emitted when the window is going to be closed; `event.preventDefault()` cancels. */
  close: [event: ElectronEvent];
  /** Emitted when the window is closed; drop references to it. */
  closed: [];
  /** The page named itself; `preventDefault()` keeps the window's title. */
  'page-title-updated': [event: ElectronEvent, title: string, explicitSet: boolean];
  'ready-to-show': [];
  resize: [];
  move: [];
  minimize: [];
  maximize: [];
  unmaximize: [];
  restore: [];
  'enter-full-screen': [];
  'leave-full-screen': [];
  show: [];
  hide: [];
  focus: [];
  blur: [];
}

const windows = new Map<number, BrowserWindow>();
let focused: BrowserWindow | null = null;
/** Run for each new window with its options (browser-window-geometry.ts keeps its bounds). */
export const windowCreated = new Set<(win: BrowserWindow, options: BrowserWindowConstructorOptions) => void>();
let adopting: TargetRecord | undefined;

/** Makes the BrowserWindow `make` creates show `page` (a window a page opened, already running) instead of a new page. */
export function adoptingPage<T>(page: TargetRecord, make: () => T): T {
  adopting = page;
  try {
    return make();
  } finally {
    adopting = undefined;
  }
}
let lastId = 0;
/** How long quit waits for each window to close (unload handlers) before it closes the browsers. */
const QUIT_CLOSE_WAIT_MS = 5_000;

/**
 * A window: here, a Chrome page (a tab of a headless browser) in the
 * window's session.
 *
 * Electron parity: windows are headless; size is the page's viewport;
 * `show`, `hide` and `focus` only change what `isVisible()`/`isFocused()` report.
 */
export class BrowserWindow extends TypedEmitter<BrowserWindowEvents> {
  readonly id: number;
  readonly webContents: WebContents;
  #visible: boolean;
  /** What `setTitle` gave, until the page names itself again. */
  #title: string | undefined;
  #closing = false;
  #destroyed = false;

  static getAllWindows(): BrowserWindow[] {
    return [...windows.values()];
  }

  static fromId(id: number): BrowserWindow | null {
    return windows.get(id) ?? null;
  }

  static fromWebContents(contents: WebContents): BrowserWindow | null {
    return [...windows.values()].find((w) => w.webContents === contents) ?? null;
  }

  constructor(options: BrowserWindowConstructorOptions = {}) {
    super();
    const prefs = options.webPreferences ?? {};
    const ses = prefs.session ?? sessionModule.fromPartition(prefs.partition ?? '');
    this.id = ++lastId;
    this.#visible = options.show ?? true;
    const adopt = adopting;
    adopting = undefined;
    this.webContents = new WebContents(kCreateWebContents, ses, {
      width: options.width ?? 800,
      height: options.height ?? 600,
      ...(adopt ? { adopt } : {}),
    });
    windows.set(this.id, this);
    runtime.quitHooks.add(this.#quitHook);
    let pageTitle = '';
    this.webContents.on('page-title-updated', (event, title, explicitSet) => {
      const shown = this.#title ?? pageTitle;
      pageTitle = title;
      const forwarded = new ElectronEvent();
      this.emit('page-title-updated', forwarded, title, explicitSet);
      this.#title = forwarded.defaultPrevented ? shown : undefined;
      void event;
    });
    this.webContents.once('did-finish-load', () => this.emit('ready-to-show'));
    this.webContents.once('destroyed', () => this.#didClose());
    if (options.title !== undefined) this.#title = String(options.title);
    for (const created of windowCreated) created(this, options);
    app.emit('web-contents-created', new ElectronEvent(), this.webContents);
    app.emit('browser-window-created', new ElectronEvent(), this);
    // A window made shown gets the focus, as in Electron.
    if (this.#visible) this.focus();
  }

  /** Same as `webContents.loadURL(url, options)`. */
  loadURL(url: string, options?: LoadURLOptions): Promise<void> {
    return this.webContents.loadURL(url, options);
  }

  /** The window's title: the page's, or what `setTitle` gave since the page last named itself. */
  getTitle(): string {
    return this.#title ?? this.webContents.getTitle();
  }

  setTitle(title: string): void {
    if (typeof title !== 'string') throw new TypeError('Error processing argument at index 0, conversion failure');
    this.#title = title;
  }

  /** Tries to close the window: 'close' (preventable), then the page closes and 'closed' follows. */
  close(): void {
    if (this.#destroyed || this.#closing) return;
    const event = new ElectronEvent();
    this.emit('close', event);
    if (event.defaultPrevented) return;
    this.#closing = true;
    this.blur();
    this.webContents.destroy();
  }

  /** Closes at once: no 'close' event, no unload handlers. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#closing = true;
    this.blur();
    this.webContents.destroy();
  }

  isDestroyed(): boolean {
    return this.#destroyed;
  }

  /** Shows the window (headless: what `isVisible()` says) and focuses it, as Electron's does. */
  show(): void {
    if (this.#destroyed) return;
    const shown = this.#visible;
    this.#visible = true;
    if (!shown) this.emit('show');
    this.focus();
  }

  hide(): void {
    if (this.#destroyed || !this.#visible) return;
    this.#visible = false;
    this.blur();
    this.emit('hide');
  }

  /** Makes this the focused window (its page the active one in Chrome's window); 'blur' on the one before, 'focus' here. */
  focus(): void {
    if (this.#destroyed || this.#closing || focused === this) return;
    const previous = focused;
    focused = this;
    previous?.emit('blur');
    this.emit('focus');
    // The page becomes the active one of its Chrome window.
    void this.webContents[kContentsReady]().then((record) => sendMayFail((record as TargetRecord).client, 'Page.bringToFront'), () => undefined);
  }

  blur(): void {
    if (focused !== this) return;
    focused = null;
    this.emit('blur');
  }

  isFocused(): boolean {
    return focused === this;
  }

  /** The window focused last (by `focus()`, `show()` or its creation shown), if it is still open. */
  static getFocusedWindow(): BrowserWindow | null {
    return focused;
  }

  isVisible(): boolean {
    return this.#visible;
  }

  /** `false` when the window stays (its 'close' was prevented): that cancels an app.quit(). */
  readonly #quitHook = async (): Promise<boolean> => {
    if (this.#destroyed) return true;
    let onClosed = (): void => undefined;
    const closed = new Promise<void>((resolve) => this.once('closed', (onClosed = resolve)));
    this.close();
    if (!this.#closing) {
      this.off('closed', onClosed);
      return false;
    }
    // Quit closes the whole browser next: a window that is slow to go must not hold that up.
    await settlesWithin(closed, QUIT_CLOSE_WAIT_MS);
    return true;
  };

  #didClose(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    if (focused === this) focused = null;
    windows.delete(this.id);
    runtime.quitHooks.delete(this.#quitHook);
    this.emit('closed');
  }
}

declare module './web-contents.js' {
  interface WebContents {
    /** Whether its window is the focused one. */
    isFocused(): boolean;
    /** Focuses its window. */
    focus(): void;
    /** The window it is the page of (null once the window is gone). */
    getOwnerBrowserWindow(): BrowserWindow | null;
  }
}

WebContents.prototype.isFocused = function isFocused(this: WebContents) {
  return focused !== null && focused.webContents === this;
};

WebContents.prototype.focus = function focus(this: WebContents) {
  BrowserWindow.fromWebContents(this)?.focus();
};

WebContents.prototype.getOwnerBrowserWindow = function getOwnerBrowserWindow(this: WebContents) {
  return BrowserWindow.fromWebContents(this);
};
