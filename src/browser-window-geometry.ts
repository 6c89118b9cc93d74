import type { CdpSession } from '../protocol/cdp-session.js';
import type { Protocol } from '../protocol/cdp-types.js';
import type { TargetRecord } from '../protocol/target-manager.js';
import { BrowserWindow, windowCreated } from './browser-window.js';
import { keepAlive } from './internal/keep-alive.js';
import { backendOf } from './internal/session-backend.js';
import { kContentsReady } from './web-contents.js';
import type { Rectangle } from './web-contents-extras.js';

type WindowState = 'normal' | 'minimized' | 'maximized' | 'fullscreen';

declare module './browser-window.js' {
  interface BrowserWindow {
    /** The window's bounds on the (headless) screen; synchronous, as Electron's, from what was last set or read. */
    getBounds(): Rectangle;
    setBounds(bounds: Partial<Rectangle>, animate?: boolean): void;
    getSize(): [number, number];
    setSize(width: number, height: number, animate?: boolean): void;
    getPosition(): [number, number];
    setPosition(x: number, y: number, animate?: boolean): void;
    /** The page's part of the window (the window less Chrome's own frame). */
    getContentBounds(): Rectangle;
    setContentBounds(bounds: Partial<Rectangle>, animate?: boolean): void;
    getContentSize(): [number, number];
    setContentSize(width: number, height: number, animate?: boolean): void;
    setMinimumSize(width: number, height: number): void;
    getMinimumSize(): [number, number];
    setMaximumSize(width: number, height: number): void;
    getMaximumSize(): [number, number];
    minimize(): void;
    maximize(): void;
    unmaximize(): void;
    restore(): void;
    isMinimized(): boolean;
    isMaximized(): boolean;
    isNormal(): boolean;
    setFullScreen(flag: boolean): void;
    isFullScreen(): boolean;
  }
}

interface Geometry {
  bounds: Rectangle;
  /** How much of the window is Chrome's frame, not the page: measured once the page is there. */
  frame: { width: number; height: number };
  state: WindowState;
  min: [number, number];
  max: [number, number];
  /** Chrome's window, once looked up. */
  window?: Promise<ChromeWindow> | undefined;
  frameMeasured: boolean;
  /** Changes sent to Chrome one after another. */
  queue: Promise<unknown>;
  read: boolean;
  /** Changes queued and not yet sent: until they are, what Chrome reports is older than what was set. */
  pending: number;
}

const geometries = new WeakMap<BrowserWindow, Geometry>();
const STATE_EVENTS: Record<WindowState, 'restore' | 'minimize' | 'maximize' | 'enter-full-screen'> = { normal: 'restore', minimized: 'minimize', maximized: 'maximize', fullscreen: 'enter-full-screen' };

function alive(win: BrowserWindow): void {
  if (win.isDestroyed()) throw new TypeError('Object has been destroyed');
}

function integer(value: unknown, index: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new TypeError(`Error processing argument at index ${index}, conversion failure`);
  return Math.round(value);
}

/**
 * The window's geometry record (made with the window: see the hook below). The
 * first use reads Chrome's window and the page's frame in the background, so
 * windows nobody measures cost no command.
 */
function geometryOf(win: BrowserWindow): Geometry {
  const geometry = geometries.get(win);
  if (!geometry) throw new TypeError('Object has been destroyed');
  if (!geometry.read) {
    geometry.read = true;
    geometry.queue = geometry.queue.then(() => readWindow(win, geometry)).catch(() => undefined);
  }
  return geometry;
}

// Each new window: its size as asked; `x`/`y`, the size limits and full screen of the options applied.
windowCreated.add((win, options) => {
  const bounds = { x: 0, y: 0, width: options.width ?? 800, height: options.height ?? 600 };
  geometries.set(win, { bounds, frame: { width: 0, height: 0 }, state: 'normal', min: [0, 0], max: [0, 0], queue: Promise.resolve(), read: false, pending: 0, frameMeasured: false });
  if (options.minWidth !== undefined || options.minHeight !== undefined) win.setMinimumSize(options.minWidth ?? 0, options.minHeight ?? 0);
  if (options.maxWidth !== undefined || options.maxHeight !== undefined) win.setMaximumSize(options.maxWidth ?? 0, options.maxHeight ?? 0);
  if (options.x !== undefined && options.y !== undefined) win.setPosition(options.x, options.y);
  if (options.fullscreen) win.setFullScreen(true);
});

type ChromeWindow = { root: CdpSession; windowId: number; record: TargetRecord };

/** Chrome's window of the page, and the root session that moves it: looked up once per window (a page keeps its window). */
function windowOf(win: BrowserWindow, geometry: Geometry): Promise<ChromeWindow> {
  geometry.window ??= (async () => {
    const record = (await win.webContents[kContentsReady]()) as TargetRecord;
    const { host } = await backendOf(win.webContents.session);
    const root = host.connection.root;
    const { windowId } = await root.send('Browser.getWindowForTarget', { targetId: record.targetId });
    return { root, windowId, record };
  })();
  // A failed lookup (the page closing) is not kept.
  geometry.window.catch(() => (geometry.window = undefined));
  return geometry.window;
}

/** Reads the window's bounds and state, and, until it is known, the page's viewport (the frame is what is left). */
async function readWindow(win: BrowserWindow, geometry: Geometry): Promise<void> {
  const { root, windowId, record } = await windowOf(win, geometry);
  const { bounds } = await root.send('Browser.getWindowBounds', { windowId });
  const read = { x: bounds.left ?? 0, y: bounds.top ?? 0, width: bounds.width ?? 0, height: bounds.height ?? 0 };
  const state = (bounds.windowState as WindowState | undefined) ?? 'normal';
  // Measured from the page, on a later read if its renderer is crashed (Chrome would hold the evaluation until a new one runs).
  if (!geometry.frameMeasured && state === 'normal' && !win.webContents.isCrashed()) {
    const { result } = await record.client.send('Runtime.evaluate', { expression: '[innerWidth, innerHeight]', returnByValue: true });
    const [innerWidth, innerHeight] = (result.value as [number, number] | undefined) ?? [0, 0];
    if (innerWidth > 0) {
      geometry.frame = { width: Math.max(0, read.width - innerWidth), height: Math.max(0, read.height - innerHeight) };
      geometry.frameMeasured = true;
    }
  }
  if (geometry.pending > 0) return;
  geometry.bounds = read;
  geometry.state = state;
}

/**
 * Sends bounds (or a state) to Chrome after what was sent before, then reads
 * back what Chrome made of it. `bounds` is worked out when it is sent, with
 * the frame measured by then.
 */
function apply(win: BrowserWindow, bounds: Protocol.Browser.Bounds | ((geometry: Geometry) => Protocol.Browser.Bounds)): void {
  const geometry = geometryOf(win);
  geometry.pending++;
  geometry.queue = keepAlive(
    geometry.queue
      .then(async () => {
        let found: Awaited<ReturnType<typeof windowOf>>;
        try {
          found = await windowOf(win, geometry);
        } finally {
          geometry.pending--;
        }
        const sent = typeof bounds === 'function' ? bounds(geometry) : bounds;
        // Chrome moves or sizes only a window in the normal state.
        if (sent.windowState === undefined && geometry.state !== 'normal') await found.root.send('Browser.setWindowBounds', { windowId: found.windowId, bounds: { windowState: 'normal' } });
        await found.root.send('Browser.setWindowBounds', { windowId: found.windowId, bounds: sent });
        await readWindow(win, geometry);
      })
      .catch(() => undefined),
  );
}

/** The size within the window's minimum and maximum (0: no limit). */
function clamp(geometry: Geometry, width: number, height: number): [number, number] {
  const [minW, minH] = geometry.min;
  const [maxW, maxH] = geometry.max;
  const w = Math.max(minW, maxW ? Math.min(maxW, width) : width);
  const h = Math.max(minH, maxH ? Math.min(maxH, height) : height);
  return [w, h];
}

const proto = BrowserWindow.prototype;

proto.getBounds = function getBounds(this: BrowserWindow) {
  return { ...geometryOf(this).bounds };
};

proto.setBounds = function setBounds(this: BrowserWindow, bounds: Partial<Rectangle>) {
  alive(this);
  if (!bounds || typeof bounds !== 'object') throw new TypeError('Error processing argument at index 0, conversion failure');
  const geometry = geometryOf(this);
  const before = geometry.bounds;
  const next = { ...before };
  for (const [key, index] of [['x', 0], ['y', 0], ['width', 0], ['height', 0]] as const) if (bounds[key] !== undefined) next[key] = integer(bounds[key], index);
  [next.width, next.height] = clamp(geometry, next.width, next.height);
  geometry.bounds = next;
  apply(this, { left: next.x, top: next.y, width: next.width, height: next.height });
  if (next.width !== before.width || next.height !== before.height) this.emit('resize');
  if (next.x !== before.x || next.y !== before.y) this.emit('move');
};

proto.getSize = function getSize(this: BrowserWindow) {
  const { width, height } = geometryOf(this).bounds;
  return [width, height];
};

proto.setSize = function setSize(this: BrowserWindow, width: number, height: number) {
  this.setBounds({ width: integer(width, 0), height: integer(height, 1) });
};

proto.getPosition = function getPosition(this: BrowserWindow) {
  const { x, y } = geometryOf(this).bounds;
  return [x, y];
};

proto.setPosition = function setPosition(this: BrowserWindow, x: number, y: number) {
  this.setBounds({ x: integer(x, 0), y: integer(y, 1) });
};

proto.getContentBounds = function getContentBounds(this: BrowserWindow) {
  const { bounds, frame } = geometryOf(this);
  return { x: bounds.x, y: bounds.y + frame.height, width: bounds.width - frame.width, height: bounds.height - frame.height };
};

proto.setContentBounds = function setContentBounds(this: BrowserWindow, bounds: Partial<Rectangle>) {
  alive(this);
  if (!bounds || typeof bounds !== 'object') throw new TypeError('Error processing argument at index 0, conversion failure');
  const inner: Partial<Rectangle> = {};
  for (const key of ['x', 'y', 'width', 'height'] as const) if (bounds[key] !== undefined) inner[key] = integer(bounds[key], 0);
  const outer = ({ bounds: current, frame }: Geometry): Rectangle => ({
    x: inner.x ?? current.x,
    y: inner.y === undefined ? current.y : inner.y - frame.height,
    width: inner.width === undefined ? current.width : inner.width + frame.width,
    height: inner.height === undefined ? current.height : inner.height + frame.height,
  });
  const geometry = geometryOf(this);
  const before = geometry.bounds;
  geometry.bounds = outer(geometry);
  // The frame may be measured only by the time this is sent: the bounds are worked out then.
  apply(this, (measured) => {
    const next = outer(measured);
    [next.width, next.height] = clamp(measured, next.width, next.height);
    measured.bounds = next;
    return { left: next.x, top: next.y, width: next.width, height: next.height };
  });
  if (geometry.bounds.width !== before.width || geometry.bounds.height !== before.height) this.emit('resize');
  if (geometry.bounds.x !== before.x || geometry.bounds.y !== before.y) this.emit('move');
};

proto.getContentSize = function getContentSize(this: BrowserWindow) {
  const { width, height } = this.getContentBounds();
  return [width, height];
};

proto.setContentSize = function setContentSize(this: BrowserWindow, width: number, height: number) {
  this.setContentBounds({ width: integer(width, 0), height: integer(height, 1) });
};

/** Sets a size limit (0: none), and brings the window within it. */
function limit(win: BrowserWindow, which: 'min' | 'max', width: number, height: number): void {
  const geometry = geometryOf(win);
  geometry[which] = [integer(width, 0), integer(height, 1)];
  const [w, h] = win.getSize();
  const [cw, ch] = clamp(geometry, w, h);
  if (cw !== w || ch !== h) win.setSize(cw, ch);
}

proto.setMinimumSize = function setMinimumSize(this: BrowserWindow, width: number, height: number) {
  limit(this, 'min', width, height);
};

proto.getMinimumSize = function getMinimumSize(this: BrowserWindow) {
  return [...geometryOf(this).min];
};

proto.setMaximumSize = function setMaximumSize(this: BrowserWindow, width: number, height: number) {
  limit(this, 'max', width, height);
};

proto.getMaximumSize = function getMaximumSize(this: BrowserWindow) {
  return [...geometryOf(this).max];
};

/** Puts the window in `state` (Chrome's window states), emitting Electron's events for the change. */
function setState(win: BrowserWindow, state: WindowState): void {
  alive(win);
  const geometry = geometryOf(win);
  const before = geometry.state;
  if (before === state) return;
  geometry.state = state;
  apply(win, { windowState: state });
  if (before === 'fullscreen') win.emit('leave-full-screen');
  if (before === 'maximized' && state !== 'minimized') win.emit('unmaximize');
  win.emit(STATE_EVENTS[state]);
}

proto.minimize = function minimize(this: BrowserWindow) {
  setState(this, 'minimized');
};
proto.maximize = function maximize(this: BrowserWindow) {
  setState(this, 'maximized');
};
proto.unmaximize = function unmaximize(this: BrowserWindow) {
  if (geometryOf(this).state === 'maximized') setState(this, 'normal');
};
proto.restore = function restore(this: BrowserWindow) {
  setState(this, 'normal');
};
proto.isMinimized = function isMinimized(this: BrowserWindow) {
  return geometryOf(this).state === 'minimized';
};
proto.isMaximized = function isMaximized(this: BrowserWindow) {
  return geometryOf(this).state === 'maximized';
};
proto.isNormal = function isNormal(this: BrowserWindow) {
  return geometryOf(this).state === 'normal';
};
proto.setFullScreen = function setFullScreen(this: BrowserWindow, flag: boolean) {
  if (flag) setState(this, 'fullscreen');
  else if (geometryOf(this).state === 'fullscreen') setState(this, 'normal');
};
proto.isFullScreen = function isFullScreen(this: BrowserWindow) {
  return geometryOf(this).state === 'fullscreen';
};
