import { EventEmitter } from 'node:events';
import type { CdpSession } from '../../protocol/cdp-session.js';
import { sendMayFail } from '../../protocol/cdp-session.js';
import type { Protocol } from '../../protocol/cdp-types.js';

/** One frame as a target's session reports it. */
export interface FrameEntry {
  readonly id: string;
  parentId: string | undefined;
  name: string;
  url: string;
  /** Chrome's serialization of the frame's security origin (`://` or empty for opaque ones). */
  origin: string;
  /** Its document lives in another target now (an out-of-process iframe), whose session reports it. */
  remote: boolean;
}

export interface SessionFramesEvents {
  /** A frame appeared in this session (attached or first seen navigating). */
  attached: [id: string];
  /** A frame was removed from its document (with each frame under it). */
  removed: [id: string];
  /** A frame's default (main-world) execution context was made. */
  context: [frameId: string];
  /** A navigation of the frame started (Chrome's `navigationType`: `differentDocument`, `sameDocument`, `reload`...). */
  started: [frameId: string, url: string, navigationType: string];
  /** A document committed in the frame (its entry holds the new URL). */
  navigated: [frameId: string];
  /** The frame stopped loading. */
  stopped: [frameId: string];
}

/**
 * The frames one page or out-of-process-iframe target hosts, from its Page
 * and Runtime events: id, parent, name, URL and origin, and each frame's
 * main-world execution context (for evaluating in it). Watched from the hook
 * that enables those domains while the target is paused, so nothing is missed.
 */
export class SessionFrames extends EventEmitter<SessionFramesEvents> {
  readonly client: CdpSession;
  readonly frames = new Map<string, FrameEntry>();
  readonly #contexts = new Map<string, number>();
  /** The target's renderer crashed and no document of a new one has a context yet. */
  crashed = false;

  constructor(client: CdpSession) {
    super();
    this.client = client;
    client.subscribe('Page.frameAttached', ({ frameId, parentFrameId }) => {
      const entry = this.#entry(frameId, parentFrameId);
      entry.parentId = parentFrameId;
    });
    client.subscribe('Page.frameNavigated', ({ frame }) => {
      // The frames of the document it replaced went with it (Chrome does not always say so).
      for (const child of [...this.frames.values()]) if (child.parentId === frame.id) this.#remove(child.id);
      this.#navigated(frame);
      this.emit('navigated', frame.id);
    });
    client.subscribe('Page.frameStartedNavigating', ({ frameId, url, navigationType }) => this.emit('started', frameId, url, navigationType));
    client.subscribe('Page.frameStoppedLoading', ({ frameId }) => this.emit('stopped', frameId));
    client.subscribe('Page.navigatedWithinDocument', ({ frameId, url }) => {
      const entry = this.frames.get(frameId);
      if (entry) entry.url = url;
    });
    client.subscribe('Page.frameDetached', ({ frameId, reason }) => {
      const entry = this.frames.get(frameId);
      if (!entry) return;
      if (reason === 'swap') entry.remote = true;
      else this.#remove(frameId);
    });
    client.subscribe('Runtime.executionContextCreated', ({ context }) => {
      const aux = context.auxData as { frameId?: string; isDefault?: boolean } | undefined;
      if (!aux?.frameId || !aux.isDefault) return;
      this.crashed = false;
      this.#contexts.set(aux.frameId, context.id);
      this.emit('context', aux.frameId);
    });
    client.subscribe('Runtime.executionContextDestroyed', ({ executionContextId }) => {
      for (const [frameId, id] of this.#contexts) if (id === executionContextId) this.#contexts.delete(frameId);
    });
    client.subscribe('Runtime.executionContextsCleared', () => this.#contexts.clear());
  }

  /** Its renderer is gone: its contexts went with it (Chrome would hold calls into them until a new renderer runs). */
  markCrashed(): void {
    this.crashed = true;
    this.#contexts.clear();
  }

  /** The frame's main-world context, while it has a document. */
  contextOf(frameId: string): number | undefined {
    return this.#contexts.get(frameId);
  }

  /** The frame whose main world `contextId` is. */
  frameIdOfContext(contextId: number): string | undefined {
    for (const [frameId, id] of this.#contexts) if (id === contextId) return frameId;
    return undefined;
  }

  /** What the target showed before its events were heard (a page taken from the spare pool, say). */
  seed(tree: Protocol.Page.FrameTree): void {
    if (!this.frames.has(tree.frame.id)) this.#navigated(tree.frame);
    for (const child of tree.childFrames ?? []) this.seed(child);
  }

  /** The frame's entry; a new one (parent known, so that 'attached' listeners see it) is announced. */
  #entry(id: string, parentId?: string): FrameEntry {
    let entry = this.frames.get(id);
    if (!entry) {
      entry = { id, parentId, name: '', url: '', origin: '', remote: false };
      this.frames.set(id, entry);
      this.emit('attached', id);
    }
    return entry;
  }

  #navigated(frame: Protocol.Page.Frame): void {
    const entry = this.#entry(frame.id, frame.parentId);
    entry.parentId = frame.parentId;
    entry.name = frame.name ?? '';
    entry.url = frame.url + (frame.urlFragment ?? '');
    entry.origin = frame.securityOrigin;
    entry.remote = false;
  }

  #remove(id: string): void {
    for (const child of [...this.frames.values()]) if (child.parentId === id) this.#remove(child.id);
    this.frames.delete(id);
    this.#contexts.delete(id);
    this.emit('removed', id);
  }
}

const watched = new WeakMap<CdpSession, SessionFrames>();

/**
 * Starts watching a page's or out-of-process iframe's frames (before Page and
 * Runtime are enabled, in the same hook); an iframe target gets those domains here.
 */
export function watchFrames(client: CdpSession, info: Protocol.Target.TargetInfo): Promise<unknown> {
  if (info.type !== 'page' && info.type !== 'iframe') return Promise.resolve();
  const frames = new SessionFrames(client);
  watched.set(client, frames);
  const steps: Array<Promise<unknown>> = [
    sendMayFail(client, 'Page.getFrameTree').then((result) => result && frames.seed(result.frameTree)),
  ];
  if (info.type === 'iframe') steps.push(client.send('Page.enable'), client.send('Runtime.enable'));
  return Promise.all(steps);
}

/** The frames a target's session hosts, if it is a page or an out-of-process iframe of ours. */
export function framesOf(client: CdpSession): SessionFrames | undefined {
  return watched.get(client);
}
