import { CdpSessionEvent, sendMayFail, type CdpSession } from '../protocol/cdp-session.js';
import type { Protocol } from '../protocol/cdp-types.js';
import type { TargetManager, TargetRecord } from '../protocol/target-manager.js';
import { adoptingPage, BrowserWindow, type BrowserWindowConstructorOptions } from './browser-window.js';
import { answerGuard } from './internal/dialogs.js';
import { kContentsReady, pageWatchers, webContentsOfTarget, WebContents } from './web-contents.js';
import { frameById, type WebFrameMain } from './web-frame-main.js';

/** What Electron's window-open handler is told of a window a page wants. */
export interface HandlerDetails {
  url: string;
  frameName: string;
  features: string;
  disposition: 'default' | 'foreground-tab' | 'background-tab' | 'new-window' | 'other';
  referrer: { url: string; policy: string };
  postBody?: { data: unknown[]; contentType: string; boundary?: string };
}

export type WindowOpenHandlerResponse =
  | { action: 'deny' }
  | {
      action: 'allow';
      overrideBrowserWindowOptions?: BrowserWindowConstructorOptions;
      outlivesOpener?: boolean;
      createWindow?: (options: BrowserWindowConstructorOptions) => WebContents;
    };

export interface DidCreateWindowDetails extends Omit<HandlerDetails, 'features'> {
  options: BrowserWindowConstructorOptions;
}

declare module './web-contents.js' {
  interface WebContents {
    /**
     * Decides the windows the page opens (`window.open`, links and forms with a target):
     * `{ action: 'deny' }` keeps them from being made, `{ action: 'allow', overrideBrowserWindowOptions,
     * outlivesOpener }` makes a BrowserWindow of the page Chrome opened. No handler allows.
     */
    setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void;
    /** The frame that opened this window (null for windows made with `new BrowserWindow`). */
    readonly opener: WebFrameMain | null;
  }
}

interface Decision {
  allowed: boolean;
  details: HandlerDetails;
  options: BrowserWindowConstructorOptions;
  outlivesOpener: boolean;
}

/** Decided from the page's own `window.open()` (it waited on the answer), for the window Chrome makes next. */
interface Decided {
  decision: Decision;
  at: number;
}

const DECIDED_KEEP_MS = 5_000;
const HANDLER_RESPONSE_ERROR = "The window open handler response must be an object with an 'action' property of 'allow' or 'deny'.";

const handlers = new WeakMap<WebContents, ((details: HandlerDetails) => WindowOpenHandlerResponse) | null>();
const openerFrames = new WeakMap<WebContents, string>();
/** Per opener page: Chrome's `Page.windowOpen` events not yet matched with their window, and decisions made ahead. */
const announced = new Map<string, Protocol.Page.WindowOpenEvent[]>();
const decidedAhead = new Map<string, Decided[]>();
const watched = new WeakSet<TargetManager>();

WebContents.prototype.setWindowOpenHandler = function setWindowOpenHandler(this: WebContents, handler) {
  handlers.set(this, typeof handler === 'function' ? handler : null);
};

Object.defineProperty(WebContents.prototype, 'opener', {
  configurable: true,
  get(this: WebContents): WebFrameMain | null {
    return frameById(openerFrames.get(this));
  },
});

/** Electron's `_callWindowOpenHandler`: a handler that throws or answers badly denies. */
function decide(opener: WebContents, details: HandlerDetails): Decision {
  const denied: Decision = { allowed: false, details, options: {}, outlivesOpener: false };
  if (!['foreground-tab', 'new-window', 'background-tab'].includes(details.disposition)) return denied;
  const handler = handlers.get(opener);
  if (!handler) return { ...denied, allowed: true };
  let response: unknown;
  try {
    response = handler(details);
  } catch (error) {
    const warning = error instanceof Error ? error : new Error(String(error));
    warning.name = 'WindowOpenHandlerError';
    process.emitWarning(warning);
    return denied;
  }
  if (typeof response !== 'object') {
    console.error(`The window open handler response must be an object, but was instead of type '${typeof response}'.`);
    return denied;
  }
  if (response === null) {
    console.error('The window open handler response must be an object, but was instead null.');
    return denied;
  }
  const answer = response as Record<string, unknown>;
  if (answer.action === 'deny') return denied;
  if (answer.action !== 'allow') {
    console.error(HANDLER_RESPONSE_ERROR);
    return denied;
  }
  const override = answer.overrideBrowserWindowOptions;
  return {
    allowed: true,
    details,
    options: typeof override === 'object' && override !== null ? (override as BrowserWindowConstructorOptions) : {},
    outlivesOpener: answer.outlivesOpener === true,
  };
}

/** The HTML standard's "is a popup window requested" for a features string (`noopener`/`noreferrer` aside). */
function isPopup(features: string): boolean {
  const tokens = new Map<string, string>();
  for (const part of features.split(/[\s,]+/)) {
    const [key, value = ''] = part.split('=');
    if (key && key !== 'noopener' && key !== 'noreferrer') tokens.set(key.toLowerCase(), value.toLowerCase());
  }
  if (tokens.size === 0) return false;
  const on = (key: string): boolean => {
    const value = tokens.get(key);
    return value !== undefined && (value === '' || value === 'yes' || value === 'true' || (Number.parseInt(value, 10) || 0) !== 0);
  };
  if (tokens.has('popup')) return on('popup');
  return (!on('location') && !on('toolbar')) || ['menubar', 'resizable', 'scrollbars', 'status'].some((key) => !on(key));
}

/** BrowserWindow options from a features string, as Electron reads `width` and `height`. */
function optionsFromFeatures(features: string): BrowserWindowConstructorOptions {
  const options: BrowserWindowConstructorOptions = {};
  for (const part of features.split(/[\s,]+/)) {
    const [key, value] = part.split('=');
    const number = Number.parseInt(value ?? '', 10);
    if ((key === 'width' || key === 'height') && number > 0) options[key] = number;
  }
  return options;
}

function referrerOf(opener: WebContents, frameId: string | undefined, features: string): HandlerDetails['referrer'] {
  const url = /(^|[\s,])noreferrer($|[\s,=])/.test(features) ? '' : (frameById(frameId)?.url ?? opener.getURL());
  return { url, policy: 'strict-origin-when-cross-origin' };
}

/** The page target a target belongs to (itself, or the page above an iframe). */
function pageIdOf(targets: TargetManager, targetId: string): string {
  let record: TargetRecord | undefined = targets.get(targetId);
  while (record && record.targetInfo.type !== 'page') record = record.parent;
  return record?.targetId ?? targetId;
}

// The page's own window.open() (top frame's origin): decided while the page waits, so a denied one gives null.
answerGuard('open', (pageTargetId, frameId, asked) => {
  const opener = webContentsOfTarget(pageTargetId);
  if (!opener) return false;
  const features = String(asked.features ?? '');
  const details: HandlerDetails = {
    url: String(asked.url),
    frameName: String(asked.frameName ?? ''),
    features,
    disposition: isPopup(features) ? 'new-window' : 'foreground-tab',
    referrer: referrerOf(opener, frameId, features),
  };
  const decision = decide(opener, details);
  if (!decision.allowed) return true;
  const now = Date.now();
  const list = (decidedAhead.get(pageTargetId) ?? []).filter((entry) => now - entry.at < DECIDED_KEEP_MS);
  list.push({ decision, at: now });
  decidedAhead.set(pageTargetId, list);
  return false;
});

/** The decision made ahead for the window Chrome announced, if the page's window.open() asked. */
function takeDecided(pageId: string, event: Protocol.Page.WindowOpenEvent | undefined): Decision | undefined {
  const list = decidedAhead.get(pageId);
  if (!list || !event) return undefined;
  const index = list.findIndex(({ decision, at }) => decision.details.url === event.url && Date.now() - at < DECIDED_KEEP_MS);
  if (index < 0) return undefined;
  const [entry] = list.splice(index, 1);
  if (list.length === 0) decidedAhead.delete(pageId);
  return entry!.decision;
}

/** What the handler is told of a window nobody asked about before (a link's or a form's target, a cross-origin frame's open()). */
function detailsOf(opener: WebContents, event: Protocol.Page.WindowOpenEvent | undefined, info: Protocol.Target.TargetInfo): HandlerDetails {
  const given = event?.windowFeatures ?? [];
  const popup = given.length > 0 && !['menubar', 'toolbar', 'status', 'scrollbars'].every((flag) => given.includes(flag));
  const features = popup ? given.filter((token) => token.includes('=')).join(',') : '';
  return {
    url: event?.url ?? (info.url || 'about:blank'),
    frameName: event && event.windowName !== '_blank' ? event.windowName : '',
    features,
    disposition: popup ? 'new-window' : 'foreground-tab',
    referrer: referrerOf(opener, info.openerFrameId, given.join(',')),
  };
}

/** A new page of the context that a page of ours opened: the handler decides while it is paused. */
async function onPopup(targets: TargetManager, client: CdpSession, info: Protocol.Target.TargetInfo): Promise<void> {
  const pageId = pageIdOf(targets, info.openerId!);
  const opener = webContentsOfTarget(pageId);
  const root = client.parent;
  if (!opener || opener.isDestroyed() || !root) return;
  const event = announced.get(pageId)?.shift();
  const decision = takeDecided(pageId, event) ?? decide(opener, detailsOf(opener, event, info));
  const record = targets.get(info.targetId);
  // Denied: closed before it runs (decided at once, before the target manager resumes it), or as it
  // starts when its opener's window.open() waits for it (a cross-origin frame's, not asked ahead).
  if (!decision.allowed || !record) return targets.closeNew(info.targetId, root);
  const { details } = decision;
  const options: BrowserWindowConstructorOptions = {
    ...optionsFromFeatures(details.features),
    ...decision.options,
    webPreferences: { ...decision.options.webPreferences, session: opener.session },
  };
  const win = adoptingPage(record, () => new BrowserWindow(options));
  if (info.openerFrameId) openerFrames.set(win.webContents, info.openerFrameId);
  if (!decision.outlivesOpener) {
    const closeWithOpener = (): void => void (win.isDestroyed() || win.destroy());
    opener.once('destroyed', closeWithOpener);
    win.once('closed', () => opener.off('destroyed', closeWithOpener));
  }
  const sized = decision.options.width !== undefined || decision.options.height !== undefined;
  await Promise.all([win.webContents[kContentsReady]().catch(() => undefined), sized ? resize(root, info.targetId, options) : undefined]);
  const { features: _features, ...rest } = details;
  opener.emit('did-create-window', win, { ...rest, options });
}

async function resize(root: CdpSession, targetId: string, options: BrowserWindowConstructorOptions): Promise<void> {
  const found = await sendMayFail(root, 'Browser.getWindowForTarget', { targetId });
  if (!found) return;
  await sendMayFail(root, 'Browser.setWindowBounds', {
    windowId: found.windowId,
    bounds: { ...(options.width ? { width: options.width } : {}), ...(options.height ? { height: options.height } : {}) },
  });
}

/** Hears `Page.windowOpen` of a page or iframe target: what Chrome was asked to open, before the window exists. */
function hearWindowOpens(targets: TargetManager, client: CdpSession, targetId: string): void {
  client.on('Page.windowOpen', (event) => {
    const pageId = pageIdOf(targets, targetId);
    const list = announced.get(pageId) ?? [];
    list.push(event);
    announced.set(pageId, list.slice(-8));
  });
  client.once(CdpSessionEvent.Detached, () => {
    announced.delete(targetId);
    decidedAhead.delete(targetId);
  });
}

// Each context with a window of ours: popups are decided while paused, and become BrowserWindows.
pageWatchers.add((_contents, targets) => {
  if (watched.has(targets)) return;
  watched.add(targets);
  for (const record of targets.records()) {
    if (record.targetInfo.type === 'page' || record.targetInfo.type === 'iframe') hearWindowOpens(targets, record.client, record.targetId);
  }
  targets.addAttachHook(async (client, info) => {
    if (info.type === 'page' || info.type === 'iframe') hearWindowOpens(targets, client, info.targetId);
    if (info.type === 'page' && info.openerId) await onPopup(targets, client, info);
  });
});
