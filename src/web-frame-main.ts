import { EventEmitter } from 'node:events';
import type { CdpSession } from '../protocol/cdp-session.js';
import { TargetManagerEvent, type TargetManager, type TargetRecord } from '../protocol/target-manager.js';
import { framesOf, type FrameEntry, type SessionFrames } from './internal/frame-states.js';
import { evaluateForElectron } from './internal/evaluate.js';
import { IpcMainStub } from './internal/ipc-stub.js';
import { keepAlive } from './internal/keep-alive.js';
import { frameDisposed } from './internal/renderer-alive.js';
import { warnOnce } from './internal/unsupported.js';

/** How long `executeJavaScript` waits for a frame that is between documents to get its next one. */
const CONTEXT_WAIT_MS = 10_000;

/** Electron's per-frame IPC (`frame.ipc`): listeners and handlers are kept; no page here sends to them. */
export class IpcMainFrame extends IpcMainStub {}

/** Numbers for what Electron numbers: render processes (one per target session here) and frames. */
let lastProcessId = 0;
let lastFrameNumber = 0;
const processIds = new WeakMap<SessionFrames, number>();
function processIdOf(host: SessionFrames): number {
  let id = processIds.get(host);
  if (id === undefined) processIds.set(host, (id = ++lastProcessId));
  return id;
}

/** What a page's frame tree tells its WebContents: new iframes, and each frame's navigations. */
export interface FrameTreeListener {
  created(frame: WebFrameMain): void;
  started(frameId: string, url: string, navigationType: string): void;
  navigated(frameId: string): void;
  stopped(frameId: string): void;
}

/**
 * The frames of one page: its own target's and those of its out-of-process
 * iframes (each its own target), merged by frame id. A frame whose document
 * moved to another process is reported by the target that now hosts it.
 */
export class FrameTree {
  readonly mainFrameId: string;
  readonly #page: TargetRecord;
  readonly #frames = new Map<string, WebFrameMain>();
  readonly #seen = new Set<string>();
  /** What each watched target's frames are heard with, to stop when the target goes. */
  readonly #watched = new Map<SessionFrames, () => void>();
  readonly #watch: (host: SessionFrames | undefined) => void;
  #destroyed = false;

  constructor(page: TargetRecord, targets: TargetManager, listener: FrameTreeListener) {
    this.#page = page;
    this.mainFrameId = page.targetId;
    const watch = (this.#watch = (host: SessionFrames | undefined): void => {
      if (!host || this.#watched.has(host)) return;
      const onAttached = (id: string): void => {
        if (this.#seen.has(id)) return;
        this.#seen.add(id);
        const frame = id === this.mainFrameId ? undefined : this.frame(id);
        if (frame) listener.created(frame);
      };
      // An out-of-process iframe's frames made before its target was announced are new too.
      for (const id of [...host.frames.keys()]) onAttached(id);
      const onRemoved = (): void => this.#forgetGone();
      // A frame's navigation events, from the target hosting its document only (a parent may report a remote child too).
      const own = (id: string): boolean => this.entry(id)?.host === host;
      const onStarted = (id: string, url: string, type: string): void => void (own(id) && listener.started(id, url, type));
      const onNavigated = (id: string): void => void (own(id) && listener.navigated(id));
      const onStopped = (id: string): void => void (own(id) && listener.stopped(id));
      host.on('attached', onAttached).on('removed', onRemoved).on('started', onStarted).on('navigated', onNavigated).on('stopped', onStopped);
      this.#watched.set(host, () =>
        host.off('attached', onAttached).off('removed', onRemoved).off('started', onStarted).off('navigated', onNavigated).off('stopped', onStopped),
      );
    });
    watch(framesOf(page.client));
    for (const record of this.#iframes()) watch(framesOf(record.client));
    watchTargets(targets);
    trees.add(this);
  }

  /** An iframe target of the same context attached or went away (one listener per context serves every page). */
  targetChanged(record: TargetRecord, attached: boolean): void {
    if (record.targetInfo.type !== 'iframe' || !this.#owns(record)) return;
    if (attached) return this.#watch(framesOf(record.client));
    const host = framesOf(record.client);
    if (host) {
      this.#watched.get(host)?.();
      this.#watched.delete(host);
    }
    queueMicrotask(() => this.#forgetGone());
  }

  /** The WebFrameMain of a frame of this page, while it has it. */
  frame(id: string): WebFrameMain | undefined {
    if (this.#destroyed || !this.entry(id)) return undefined;
    let frame = this.#frames.get(id);
    if (!frame) this.#frames.set(id, (frame = new WebFrameMain(kCreate, this, id)));
    return frame;
  }

  /** The frame's entry from the target hosting its document, with that target's frames. */
  entry(id: string): { entry: FrameEntry; host: SessionFrames } | undefined {
    if (this.#destroyed) return undefined;
    let fallback: { entry: FrameEntry; host: SessionFrames } | undefined;
    for (const host of this.#hosts()) {
      const entry = host.frames.get(id);
      if (!entry) continue;
      if (!entry.remote) return { entry, host };
      fallback ??= { entry, host };
    }
    // Its process changed, and its new target is not attached yet.
    return fallback;
  }

  /** The ids of a frame's children, in the order they were attached. */
  childrenOf(id: string): string[] {
    const children = new Set<string>();
    for (const host of this.#hosts()) for (const entry of host.frames.values()) if (entry.parentId === id) children.add(entry.id);
    return [...children];
  }

  destroy(): void {
    this.#destroyed = true;
    for (const stop of this.#watched.values()) stop();
    this.#watched.clear();
    this.#frames.clear();
    trees.delete(this);
  }

  /** The targets whose frames make up the page, attached iframes not yet announced included. */
  #hosts(): SessionFrames[] {
    const hosts = [framesOf(this.#page.client), ...this.#iframes().map((record) => framesOf(record.client))];
    return hosts.filter((host): host is SessionFrames => host !== undefined && !host.client.detached);
  }

  #iframes(): TargetRecord[] {
    const found: TargetRecord[] = [];
    const visit = (record: TargetRecord): void => {
      for (const child of record.children) {
        if (child.targetInfo.type !== 'iframe' || child.status === 'gone') continue;
        found.push(child);
        visit(child);
      }
    };
    visit(this.#page);
    return found;
  }

  #owns(record: TargetRecord): boolean {
    for (let up = record.parent; up; up = up.parent) if (up === this.#page) return true;
    return false;
  }

  #forgetGone(): void {
    for (const id of this.#frames.keys()) if (!this.entry(id)) this.#frames.delete(id);
  }
}

const trees = new Set<FrameTree>();
const watchedTargets = new WeakSet<TargetManager>();

function watchTargets(targets: TargetManager): void {
  if (watchedTargets.has(targets)) return;
  watchedTargets.add(targets);
  targets.subscribe(TargetManagerEvent.Attached, (record) => {
    for (const tree of trees) tree.targetChanged(record, true);
  });
  targets.subscribe(TargetManagerEvent.Detached, (record) => {
    for (const tree of trees) tree.targetChanged(record, false);
  });
  targets.subscribe(TargetManagerEvent.Crashed, (record) => framesOf(record.client)?.markCrashed());
}
const kCreate = Symbol('createWebFrameMain');

/**
 * Electron's WebFrameMain: a frame of a page (the main frame, an iframe, an
 * iframe in another process), read live from Chrome's frame events.
 *
 * Electron parity: `processId` numbers the target hosting the frame's document
 * (frames in one process share it; it is not Chrome's render-process id) and
 * `routingId` the frame; `osProcessId` is -1 (CDP does not say which OS process
 * hosts a frame); `frameToken` is Chrome's DevTools frame id. No page here talks
 * IPC: `send` and `postMessage` deliver nothing and say so once, `ipc` never
 * hears anything. One object stands for a frame for its whole life, across its
 * navigations.
 */
export class WebFrameMain extends EventEmitter {
  readonly frameTreeNodeId: number;
  readonly routingId: number;
  readonly frameToken: string;
  readonly osProcessId = -1;
  readonly ipc = new IpcMainFrame();
  readonly #tree: FrameTree;

  constructor(token: symbol, tree: FrameTree, id: string) {
    if (token !== kCreate) throw new TypeError('WebFrameMain cannot be created with new; use webContents.mainFrame');
    super();
    this.#tree = tree;
    this.frameToken = id;
    this.frameTreeNodeId = ++lastFrameNumber;
    this.routingId = this.frameTreeNodeId;
  }

  get url(): string {
    return this.#tree.entry(this.frameToken)?.entry.url ?? '';
  }

  /** RFC 6454's serialization; `null` for opaque origins. */
  get origin(): string {
    const origin = this.#tree.entry(this.frameToken)?.entry.origin ?? '';
    return origin === '' || origin === '://' ? 'null' : origin;
  }

  get name(): string {
    return this.#tree.entry(this.frameToken)?.entry.name ?? '';
  }

  get processId(): number {
    const found = this.#tree.entry(this.frameToken);
    return found ? processIdOf(found.host) : -1;
  }

  get top(): WebFrameMain | null {
    return this.#tree.frame(this.#tree.mainFrameId) ?? null;
  }

  get parent(): WebFrameMain | null {
    const parentId = this.#tree.entry(this.frameToken)?.entry.parentId;
    return (parentId && this.#tree.frame(parentId)) || null;
  }

  get frames(): WebFrameMain[] {
    if (this.detached) return [];
    return this.#tree.childrenOf(this.frameToken).flatMap((id) => this.#tree.frame(id) ?? []);
  }

  get framesInSubtree(): WebFrameMain[] {
    return this.detached ? [] : [this, ...this.frames.flatMap((child) => child.framesInSubtree)];
  }

  /** Headless windows are never hidden: pages see `visible`. */
  get visibilityState(): 'visible' | 'hidden' | 'prerender' | 'unknown' {
    return this.detached ? 'unknown' : 'visible';
  }

  /** Removed from its page (or its page closed). */
  get detached(): boolean {
    return !this.#tree.entry(this.frameToken);
  }

  isDestroyed(): boolean {
    return this.detached;
  }

  /** Evaluates `code` in the frame's main world; resolves with the (awaited) result, rejects with what it threw. */
  executeJavaScript(code: string, userGesture = false): Promise<unknown> {
    return keepAlive(this.#executeJavaScript(String(code), userGesture));
  }

  /** Reloads the frame's document; false when the frame is gone. */
  reload(): boolean {
    if (this.detached) return false;
    void this.#executeJavaScript('location.reload()', false).catch(() => undefined);
    return true;
  }

  send(channel: string, ..._args: unknown[]): void {
    if (typeof channel !== 'string') throw new TypeError('Missing required channel argument');
    warnOnce('WebFrameMain.send()', 'pages here have no ipcRenderer: nothing receives the message');
  }

  postMessage(channel: string, _message: unknown, _transfer?: unknown[]): void {
    if (typeof channel !== 'string') throw new TypeError('Missing required channel argument');
    warnOnce('WebFrameMain.postMessage()', 'pages here have no ipcRenderer: nothing receives the message');
  }

  /** Electron samples a hung renderer's stack; CDP cannot without pausing the page, so this resolves with nothing. */
  collectJavaScriptCallStack(): Promise<void> {
    return Promise.resolve();
  }

  async #executeJavaScript(code: string, userGesture: boolean): Promise<unknown> {
    const { client, contextId } = await this.#context();
    return evaluateForElectron(client, code, userGesture, contextId);
  }

  /** The frame's main-world context, waiting for it while the frame is between documents. */
  async #context(): Promise<{ client: CdpSession; contextId: number }> {
    const deadline = Date.now() + CONTEXT_WAIT_MS;
    for (;;) {
      const found = this.#tree.entry(this.frameToken);
      if (!found || found.host.crashed) throw frameDisposed();
      const contextId = found.entry.remote ? undefined : found.host.contextOf(this.frameToken);
      if (contextId !== undefined) return { client: found.host.client, contextId };
      const left = deadline - Date.now();
      if (left <= 0) throw frameDisposed();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(left, 250));
        function done(): void {
          clearTimeout(timer);
          found!.host.off('context', done);
          resolve();
        }
        found.host.on('context', done);
      });
    }
  }
}

/** The WebFrameMain of a frame of a live page, by its Chrome frame id. */
export function frameById(frameId: string | undefined): WebFrameMain | null {
  if (!frameId) return null;
  for (const tree of trees) {
    const frame = tree.frame(frameId);
    if (frame) return frame;
  }
  return null;
}

/** The WebFrameMain whose main world is `contextId` in the target of `client` (a page's script calling us, say). */
export function frameOfContext(client: CdpSession, contextId: number): WebFrameMain | null {
  return frameById(framesOf(client)?.frameIdOfContext(contextId));
}

/** Electron's `webFrameMain` module. */
export const webFrameMain = {
  fromId(processId: number, routingId: number): WebFrameMain | undefined {
    for (const tree of trees) {
      for (const frame of tree.frame(tree.mainFrameId)?.framesInSubtree ?? []) {
        if (frame.processId === processId && frame.routingId === routingId) return frame;
      }
    }
    return undefined;
  },
  fromFrameToken(processId: number, frameToken: string): WebFrameMain | null {
    const frame = frameById(frameToken);
    return frame && frame.processId === processId ? frame : null;
  },
};
