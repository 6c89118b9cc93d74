import { randomUUID } from 'node:crypto';
import { sendMayFail, type CdpSession } from '../protocol/cdp-session.js';
import type { TargetRecord } from '../protocol/target-manager.js';
import { evaluateForElectron } from './internal/evaluate.js';
import { keepAlive } from './internal/keep-alive.js';
import { frameDisposed, whileRendererLives } from './internal/renderer-alive.js';
import { NativeImage, nativeImage } from './native-image.js';
import { kContentsReady, WebContents } from './web-contents.js';

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PrintToPDFOptions {
  landscape?: boolean;
  displayHeaderFooter?: boolean;
  printBackground?: boolean;
  scale?: number;
  /** A name (`A0`-`A6`, `Letter`, `Legal`, `Tabloid`, `Ledger`) or `{ width, height }` in inches. */
  pageSize?: string | { width: number; height: number };
  /** In inches; 0.4 each by default. */
  margins?: { top?: number; bottom?: number; left?: number; right?: number };
  pageRanges?: string;
  headerTemplate?: string;
  footerTemplate?: string;
  preferCSSPageSize?: boolean;
  generateTaggedPDF?: boolean;
  generateDocumentOutline?: boolean;
}

declare module './web-contents.js' {
  interface WebContents {
    /** Reloads the page. */
    reload(): void;
    /** Reloads the page, bypassing the cache. */
    reloadIgnoringCache(): void;
    /** Stops any pending navigation. */
    stop(): void;
    /** This page's user agent: its own override, else its session's. */
    getUserAgent(): string;
    /** Overrides the user agent of this page (its requests and `navigator.userAgent`). */
    setUserAgent(userAgent: string): void;
    /** Adds a style sheet to the current document; resolves with a key for `removeInsertedCSS`. */
    insertCSS(css: string, options?: { cssOrigin?: 'user' | 'author' }): Promise<string>;
    removeInsertedCSS(key: string): Promise<void>;
    /** The page printed as PDF by Chrome (Electron's options). */
    printToPDF(options?: PrintToPDFOptions): Promise<Buffer>;
    /** A screenshot of the page's viewport, or of `rect` in it. */
    capturePage(rect?: Rectangle, opts?: { stayHidden?: boolean; stayAwake?: boolean }): Promise<NativeImage>;
    /** @deprecated Use navigationHistory.canGoBack(). */
    canGoBack(): boolean;
    /** @deprecated Use navigationHistory.canGoForward(). */
    canGoForward(): boolean;
    /** @deprecated Use navigationHistory.canGoToOffset(). */
    canGoToOffset(offset: number): boolean;
    /** @deprecated Use navigationHistory.clear(). */
    clearHistory(): void;
    /** @deprecated Use navigationHistory.goBack(). */
    goBack(): void;
    /** @deprecated Use navigationHistory.goForward(). */
    goForward(): void;
    /** @deprecated Use navigationHistory.goToIndex(). */
    goToIndex(index: number): void;
    /** @deprecated Use navigationHistory.goToOffset(). */
    goToOffset(offset: number): void;
  }
}

const userAgents = new WeakMap<WebContents, string>();
/** The isolated world inserted style sheets are kept in (the page cannot reach them there). */
const CSS_WORLD = 'chrome-session-css';

export function alive(contents: WebContents): void {
  if (contents.isDestroyed()) throw new Error('Object has been destroyed');
}

export async function clientOf(contents: WebContents): Promise<CdpSession> {
  alive(contents);
  const record = (await contents[kContentsReady]()) as TargetRecord;
  return record.client;
}

/** Sends without waiting: for Electron's synchronous navigation methods. */
function fire(contents: WebContents, method: 'Page.reload' | 'Page.stopLoading', params: { ignoreCache?: boolean } = {}): void {
  alive(contents);
  void clientOf(contents).then((client) => sendMayFail(client, method, params), () => undefined);
}

WebContents.prototype.reload = function reload(this: WebContents) {
  fire(this, 'Page.reload');
};

WebContents.prototype.reloadIgnoringCache = function reloadIgnoringCache(this: WebContents) {
  fire(this, 'Page.reload', { ignoreCache: true });
};

WebContents.prototype.stop = function stop(this: WebContents) {
  fire(this, 'Page.stopLoading');
};

WebContents.prototype.getUserAgent = function getUserAgent(this: WebContents) {
  return userAgents.get(this) ?? this.session.getUserAgent();
};

WebContents.prototype.setUserAgent = function setUserAgent(this: WebContents, userAgent: string) {
  if (typeof userAgent !== 'string') throw new TypeError('Error processing argument at index 0, conversion failure');
  alive(this);
  userAgents.set(this, userAgent);
  void clientOf(this).then((client) => sendMayFail(client, 'Network.setUserAgentOverride', { userAgent }), () => undefined);
};

/**
 * The isolated world `worldName` of the page's main frame (Chrome keeps one per
 * name and document, so what one evaluation leaves there the next one sees).
 */
export async function mainFrameWorld(contents: WebContents, worldName: string): Promise<{ client: CdpSession; contextId: number }> {
  const client = await clientOf(contents);
  const frameId = contents.mainFrame?.frameToken;
  if (!frameId) throw new Error('Object has been destroyed');
  const { executionContextId } = await client.send('Page.createIsolatedWorld', { frameId, worldName });
  return { client, contextId: executionContextId };
}

/** Runs `expression` in our isolated world of the page's main frame. */
async function inCssWorld(contents: WebContents, expression: string): Promise<void> {
  await whileRendererLives(contents, frameDisposed, async () => {
    const { client, contextId } = await mainFrameWorld(contents, CSS_WORLD);
    await evaluateForElectron(client, expression, false, contextId);
  });
}

WebContents.prototype.insertCSS = function insertCSS(this: WebContents, css: string, options = {}) {
  if (typeof css !== 'string') return Promise.reject(new TypeError('Error processing argument at index 0, conversion failure'));
  void options;
  const key = randomUUID();
  // A constructed sheet adopted by the document: not an element the page's DOM shows.
  const expression = `{ const sheet = new CSSStyleSheet(); sheet.replaceSync(${JSON.stringify(css)});
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    (globalThis.__chromeSessionSheets ??= new Map()).set(${JSON.stringify(key)}, sheet); }`;
  return keepAlive(inCssWorld(this, expression).then(() => key));
};

WebContents.prototype.removeInsertedCSS = function removeInsertedCSS(this: WebContents, key: string) {
  if (typeof key !== 'string') return Promise.reject(new TypeError('Error processing argument at index 0, conversion failure'));
  const expression = `{ const sheets = globalThis.__chromeSessionSheets; const sheet = sheets && sheets.get(${JSON.stringify(key)});
    if (sheet) { sheets.delete(${JSON.stringify(key)}); document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet); } }`;
  return keepAlive(inCssWorld(this, expression));
};

/** Electron's paper sizes, in inches. */
const PAGE_SIZES: Record<string, [number, number]> = {
  letter: [8.5, 11],
  legal: [8.5, 14],
  tabloid: [11, 17],
  ledger: [17, 11],
  a0: [33.1, 46.8],
  a1: [23.4, 33.1],
  a2: [16.54, 23.4],
  a3: [11.7, 16.54],
  a4: [8.27, 11.7],
  a5: [5.83, 8.27],
  a6: [4.13, 5.83],
};

function checked<T>(value: T | undefined, type: string, name: string, fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== type) throw new TypeError(`${name} must be a ${type}`);
  return value;
}

/** Electron's option checks, then Chrome's `Page.printToPDF` with the same settings. */
function printSettings(options: PrintToPDFOptions): Record<string, unknown> {
  const size = options.pageSize ?? 'letter';
  let paper: [number, number];
  if (typeof size === 'string') {
    const known = PAGE_SIZES[size.toLowerCase()];
    if (!known) throw new Error(`Invalid pageSize ${size}`);
    paper = known;
  } else if (typeof size === 'object' && size !== null) {
    if (!size.height || !size.width) throw new Error('height and width properties are required for pageSize');
    paper = [size.width, size.height];
  } else {
    throw new TypeError('pageSize must be a string or an object');
  }
  const margins = checked(options.margins, 'object', 'margins', {});
  const [top, bottom, left, right] = (['top', 'bottom', 'left', 'right'] as const).map((side) => checked(margins[side], 'number', `margins.${side}`, 0.4));
  if ([top!, bottom!].some((m) => m > paper[1]) || [left!, right!].some((m) => m > paper[0])) throw new Error('margins must be less than or equal to pageSize');
  return {
    landscape: checked(options.landscape, 'boolean', 'landscape', false),
    displayHeaderFooter: checked(options.displayHeaderFooter, 'boolean', 'displayHeaderFooter', false),
    headerTemplate: checked(options.headerTemplate, 'string', 'headerTemplate', ''),
    footerTemplate: checked(options.footerTemplate, 'string', 'footerTemplate', ''),
    printBackground: checked(options.printBackground, 'boolean', 'printBackground', false),
    scale: checked(options.scale, 'number', 'scale', 1),
    paperWidth: paper[0],
    paperHeight: paper[1],
    marginTop: top,
    marginBottom: bottom,
    marginLeft: left,
    marginRight: right,
    pageRanges: checked(options.pageRanges, 'string', 'pageRanges', ''),
    preferCSSPageSize: checked(options.preferCSSPageSize, 'boolean', 'preferCSSPageSize', false),
    generateTaggedPDF: checked(options.generateTaggedPDF, 'boolean', 'generateTaggedPDF', false),
    generateDocumentOutline: checked(options.generateDocumentOutline, 'boolean', 'generateDocumentOutline', false),
  };
}

WebContents.prototype.printToPDF = function printToPDF(this: WebContents, options = {}) {
  let settings: Record<string, unknown>;
  try {
    settings = printSettings(options);
  } catch (error) {
    return Promise.reject(error);
  }
  // Never sent to a crashed renderer: Chrome 156 then crashes as a whole (SIGTRAP).
  const printed = whileRendererLives(this, () => new Error('Failed to generate PDF: Printing failed'), async () => {
    const client = await clientOf(this);
    const { data } = await client.send('Page.printToPDF', settings);
    return Buffer.from(data, 'base64');
  });
  return keepAlive(printed);
};

WebContents.prototype.capturePage = function capturePage(this: WebContents, rect?: Rectangle) {
  // A crashed page has no view to copy: Electron gives an empty image.
  if (this.isCrashed()) return Promise.resolve(nativeImage.createEmpty());
  return keepAlive(
    (async () => {
      const client = await clientOf(this);
      const clip = rect && rect.width > 0 && rect.height > 0 ? { x: rect.x, y: rect.y, width: rect.width, height: rect.height, scale: 1 } : undefined;
      const { data } = await client.send('Page.captureScreenshot', { format: 'png', ...(clip ? { clip } : {}) });
      return new NativeImage(Buffer.from(data, 'base64'));
    })(),
  );
};

const deprecationsWarned = new Set<string>();

/** Electron's deprecated history methods of WebContents: each warns once, then asks `navigationHistory`. */
for (const [name, member] of [
  ['canGoBack', 'canGoBack'],
  ['canGoForward', 'canGoForward'],
  ['canGoToOffset', 'canGoToOffset'],
  ['clearHistory', 'clear'],
  ['goBack', 'goBack'],
  ['goForward', 'goForward'],
  ['goToIndex', 'goToIndex'],
  ['goToOffset', 'goToOffset'],
] as const) {
  Object.defineProperty(WebContents.prototype, name, {
    configurable: true,
    writable: true,
    value(this: WebContents, ...args: [number]) {
      if (!deprecationsWarned.has(name)) {
        deprecationsWarned.add(name);
        process.emitWarning(`'webContents.${name}' is deprecated and will be removed. Please use 'webContents.navigationHistory.${member}' instead.`, 'DeprecationWarning');
      }
      const method = this.navigationHistory[member] as (...values: [number]) => unknown;
      return method.apply(this.navigationHistory, args);
    },
  });
}
