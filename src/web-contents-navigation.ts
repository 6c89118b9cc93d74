import { STATUS_CODES } from 'node:http';
import type { CdpSession } from '../protocol/cdp-session.js';
import { ElectronEvent } from './events.js';
import type { WebContents } from './web-contents.js';
import type { FrameTree, WebFrameMain } from './web-frame-main.js';

/** What Electron's navigation events carry on their event object. */
export interface NavigationDetails {
  url: string;
  isSameDocument: boolean;
  isMainFrame: boolean;
  frame: WebFrameMain | null;
  initiator: WebFrameMain | null;
}

export type NavigationEvent = ElectronEvent & NavigationDetails;

const SAME_DOCUMENT = new Set(['sameDocument', 'historySameDocument']);

/** Electron's frame process and routing ids of a frame (see WebFrameMain). */
export function frameIds(frame: WebFrameMain | null | undefined): [processId: number, routingId: number] {
  return frame ? [frame.processId, frame.routingId] : [-1, -1];
}

/** Electron's `httpResponseCode`, `httpStatusText` from a document's status: -1 and '' when it came by no HTTP response. */
export function httpStatus(code: number): [number, string] {
  return code > 0 ? [code, STATUS_CODES[code] ?? ''] : [-1, ''];
}

const STATUS_EXPRESSION = "performance.getEntriesByType('navigation')[0]?.responseStatus ?? 0";

/**
 * The HTTP status of the main frame's document that just committed, from its
 * Navigation Timing entry: one evaluation per navigation instead of the
 * Network domain's events for every request of every page.
 */
export async function navigationStatus(client: CdpSession): Promise<[number, string]> {
  const { result } = await client
    .send('Runtime.evaluate', { expression: STATUS_EXPRESSION, returnByValue: true })
    .catch(() => ({ result: { value: 0 } }));
  return httpStatus(typeof result.value === 'number' ? result.value : 0);
}

/**
 * A page's navigation events beyond the main frame's load events:
 * 'did-start-navigation' (Chrome's start of each navigation, any frame),
 * 'will-frame-navigate' and 'will-navigate' (asked by the document's
 * navigation guard, page/navigation-guard.ts, and able to prevent it),
 * 'did-frame-navigate' and 'did-frame-finish-load' for iframes (the main
 * frame's come with did-navigate and did-finish-load).
 */
export class NavigationEvents {
  readonly #contents: WebContents;
  readonly #frames: FrameTree;
  readonly #inOrder: (work: () => void | Promise<void>) => void;
  /** Navigations a document's guard announced, by frame: Chrome's start of them is not emitted again. */
  readonly #announced = new Map<string, string>();
  /** Frames whose same-document navigation Chrome reported the start of. */
  readonly #startedInPage = new Set<string>();

  constructor(contents: WebContents, frames: FrameTree, inOrder: (work: () => void | Promise<void>) => void) {
    this.#contents = contents;
    this.#frames = frames;
    this.#inOrder = inOrder;
  }

  /**
   * A document is about to navigate its frame itself (it waits on the answer):
   * did-start-navigation, will-frame-navigate, then will-navigate for the main
   * frame. True when a listener prevented it; then, as in Electron, the
   * navigation ends with did-fail-provisional-load (ERR_ABORTED).
   */
  willNavigate(frameId: string, url: string): boolean {
    const frame = this.#frames.frame(frameId) ?? null;
    const isMainFrame = frameId === this.#frames.mainFrameId;
    const ids = frameIds(frame);
    const details = (): NavigationDetails => ({ url, isSameDocument: false, isMainFrame, frame, initiator: frame });
    this.#announced.set(frameId, url);
    this.#emitStarted(details());
    const frameEvent: NavigationEvent = Object.assign(new ElectronEvent(), details());
    this.#contents.emit('will-frame-navigate', frameEvent);
    let prevented = frameEvent.defaultPrevented;
    if (!prevented && isMainFrame) {
      const event: NavigationEvent = Object.assign(new ElectronEvent(), details());
      this.#contents.emit('will-navigate', event, url, false, isMainFrame, ...ids);
      prevented = event.defaultPrevented;
    }
    if (prevented) {
      this.#announced.delete(frameId);
      this.#contents.emit('did-fail-provisional-load', new ElectronEvent(), -3, 'ERR_ABORTED', url, isMainFrame, ...ids);
    }
    return prevented;
  }

  /**
   * A document's request of a frame got a server redirect to `url` (Chrome waits on the answer):
   * will-redirect; true when a listener prevented it (the navigation then fails, ERR_ABORTED).
   */
  willRedirect(frameId: string, url: string): boolean {
    const details = this.#redirectDetails(frameId, url);
    const event: NavigationEvent = Object.assign(new ElectronEvent(), details);
    this.#contents.emit('will-redirect', event, url, false, details.isMainFrame, ...frameIds(details.frame));
    return event.defaultPrevented;
  }

  /** The redirect is followed: did-redirect-navigation. */
  redirected(frameId: string, url: string): void {
    const details = this.#redirectDetails(frameId, url);
    const event: NavigationEvent = Object.assign(new ElectronEvent(), details);
    this.#contents.emit('did-redirect-navigation', event, url, false, details.isMainFrame, ...frameIds(details.frame));
  }

  #redirectDetails(frameId: string, url: string): NavigationDetails {
    const frame = this.#frames.frame(frameId) ?? null;
    return { url, isSameDocument: false, isMainFrame: frameId === this.#frames.mainFrameId, frame, initiator: null };
  }

  /** Chrome started a navigation in one of the page's frames (any kind, the session's own loads included). */
  started(frameId: string, url: string, navigationType: string): void {
    const isSameDocument = SAME_DOCUMENT.has(navigationType);
    if (isSameDocument) this.#startedInPage.add(frameId);
    const announced = this.#announced.get(frameId);
    this.#announced.delete(frameId);
    if (!isSameDocument && announced === url) return;
    const frame = this.#frames.frame(frameId) ?? null;
    const isMainFrame = frameId === this.#frames.mainFrameId;
    this.#inOrder(() => this.#emitStarted({ url, isSameDocument, isMainFrame, frame, initiator: null }));
  }

  /** A same-document navigation happened (called in order, before did-navigate-in-page): its start, if Chrome did not report one. */
  inPage(frameId: string, url: string): void {
    if (this.#startedInPage.delete(frameId)) return;
    const frame = this.#frames.frame(frameId) ?? null;
    this.#emitStarted({ url, isSameDocument: true, isMainFrame: frameId === this.#frames.mainFrameId, frame, initiator: frame });
  }

  /** A document committed in an iframe: did-frame-navigate with its HTTP status (read only when someone listens). */
  navigated(frameId: string): void {
    if (frameId === this.#frames.mainFrameId || this.#contents.listenerCount('did-frame-navigate') === 0) return;
    const frame = this.#frames.frame(frameId);
    if (!frame) return;
    const url = frame.url;
    const status = /^https?:/.test(url)
      ? frame.executeJavaScript(STATUS_EXPRESSION).then((code) => (typeof code === 'number' ? code : 0), () => 0)
      : Promise.resolve(0);
    this.#inOrder(async () => {
      const [code, text] = httpStatus(await status);
      this.#contents.emit('did-frame-navigate', new ElectronEvent(), url, code, text, false, ...frameIds(frame));
    });
  }

  /** An iframe finished loading its document. */
  stopped(frameId: string): void {
    if (frameId === this.#frames.mainFrameId) return;
    const frame = this.#frames.frame(frameId);
    if (frame) this.#inOrder(() => void this.#contents.emit('did-frame-finish-load', new ElectronEvent(), false, ...frameIds(frame)));
  }

  #emitStarted(details: NavigationDetails): void {
    const event: NavigationEvent = Object.assign(new ElectronEvent(), details);
    this.#contents.emit('did-start-navigation', event, details.url, details.isSameDocument, details.isMainFrame, ...frameIds(details.frame));
  }
}
