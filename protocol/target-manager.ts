import { TypedEventEmitter } from './subscriptions.js';
import type { Protocol } from './cdp-types.js';
import { CdpSession, CdpSessionEvent, sendMayFail } from './cdp-session.js';
import { TargetClosedError } from './errors.js';
import { debug } from './debug.js';

export type TargetStatus = 'attaching' | 'ready' | 'gone';

export interface TargetRecord {
  readonly targetId: string;
  targetInfo: Protocol.Target.TargetInfo;
  readonly client: CdpSession;
  readonly parent: TargetRecord | undefined;
  readonly children: Set<TargetRecord>;
  status: TargetStatus;
}

/** Runs against a paused target; the target starts only once every hook settled. */
export type AttachHook = (client: CdpSession, info: Protocol.Target.TargetInfo) => Promise<unknown>;

export interface AttachHookFailure {
  targetId: string;
  type: string;
  url: string;
  hook: string;
  error: unknown;
}

const Attached: unique symbol = Symbol('TargetManager.Attached');
const Detached: unique symbol = Symbol('TargetManager.Detached');
const InfoChanged: unique symbol = Symbol('TargetManager.InfoChanged');
const Crashed: unique symbol = Symbol('TargetManager.Crashed');
const HookFailed: unique symbol = Symbol('TargetManager.HookFailed');

/** Internal events of a TargetManager; unique Symbols, so payload types follow the key. */
export const TargetManagerEvent = { Attached, Detached, InfoChanged, Crashed, HookFailed } as const;

export interface TargetManagerEvents {
  [Attached]: [record: TargetRecord];
  [Detached]: [record: TargetRecord];
  [InfoChanged]: [record: TargetRecord, previous: Protocol.Target.TargetInfo];
  [Crashed]: [record: TargetRecord, details: Protocol.Target.TargetCrashedEvent];
  [HookFailed]: [failure: AttachHookFailure];
}

/** Target types whose network and settings a session must control; the rest are released at once. */
const KEPT_TYPES = new Set(['page', 'iframe', 'worker', 'shared_worker', 'service_worker']);
/** Types that can have children of their own (OOPIFs, dedicated workers). */
const PARENT_TYPES = new Set(['page', 'iframe']);

const AUTO_ATTACH = { autoAttach: true, waitForDebuggerOnStart: true, flatten: true } as const;

interface TargetWaiter {
  resolve: (record: TargetRecord) => void;
  reject: (error: unknown) => void;
}

/** The method named in the error of a wait for a target that never came. */
const WAIT_METHOD = 'Target.attachedToTarget';

/**
 * The targets of one browser context, and the only code that touches `Target.*`
 * for them. Every target arrives paused (auto-attach with waitForDebuggerOnStart);
 * the attach hooks configure it in parallel, children get auto-attach too, and
 * `Runtime.runIfWaitingForDebugger` is always sent afterwards, even when a hook
 * failed, so no target is ever left paused. A window opened without an opener
 * has no renderer until it runs: it is resumed once its hooks sent their
 * commands (Chrome applies them first), and counts as attached once answered.
 *
 * Kept: pages, iframes (OOPIFs), dedicated, shared and service workers. Other
 * target types are released and detached at once.
 */
export class TargetManager extends TypedEventEmitter<TargetManagerEvents> {
  readonly browserContextId: string;
  readonly #byTargetId = new Map<string, TargetRecord>();
  readonly #hooks = new Set<AttachHook>();
  /** Who waits for a target to be attached and running: each rejected if it never will be. */
  readonly #waiters = new Map<string, Set<TargetWaiter>>();
  /** New targets a hook closes, with the session to close them with (see closeNew). */
  readonly #closing = new Map<string, CdpSession>();
  readonly #lookupSession: (sessionId: string) => CdpSession | undefined;
  #disposed = false;
  /** Who uses this context (a session's name), for errors of commands a closing browser cut off. */
  owner: string | undefined;

  /** `lookupSession` finds the CdpSession the connection created for an attach event. */
  constructor(browserContextId: string, lookupSession: (sessionId: string) => CdpSession | undefined) {
    super();
    // Each window of the context listens here (for its own target's end): no fixed limit fits.
    this.setMaxListeners(0);
    this.browserContextId = browserContextId;
    this.#lookupSession = lookupSession;
  }

  /** Adds a hook run on every new target while it is paused. Returns a disposer. */
  addAttachHook(hook: AttachHook): () => void {
    this.#hooks.add(hook);
    return () => this.#hooks.delete(hook);
  }

  /** Applies a changed setting to every live target; closed targets are skipped. */
  async forEachClient(fn: (client: CdpSession, record: TargetRecord) => Promise<unknown>): Promise<void> {
    const live = [...this.#byTargetId.values()].filter((r) => r.status !== 'gone');
    await Promise.all(
      live.map((record) =>
        fn(record.client, record).catch((error: unknown) => {
          if (!(error instanceof TargetClosedError)) throw error;
        }),
      ),
    );
  }

  /** Whether `sessionId` is the CDP session of one of this context's targets (or of a target's child). */
  hasSession(sessionId: string): boolean {
    const clients = new Set([...this.#byTargetId.values()].map((record) => record.client));
    for (let client = this.#lookupSession(sessionId); client; client = client.parent) if (clients.has(client)) return true;
    return false;
  }

  get(targetId: string): TargetRecord | undefined {
    return this.#byTargetId.get(targetId);
  }

  records(): TargetRecord[] {
    return [...this.#byTargetId.values()];
  }

  /**
   * Closes a target still paused in its attach hooks (called from a hook). One without a renderer
   * yet (see startsWithoutRenderer) is not resumed, so it never runs; another is resumed first, as
   * its opener's `window.open()` waits for it to run, and closed right after.
   */
  closeNew(targetId: string, root: CdpSession): void {
    this.#closing.set(targetId, root);
  }

  /**
   * Resolves once the target is attached and running; rejects if it is gone first (closed, its
   * context disposed, the connection closed), so that nobody waits on a target that never comes.
   */
  waitForTarget(targetId: string, signal?: AbortSignal): Promise<TargetRecord> {
    const known = this.#byTargetId.get(targetId);
    if (known?.status === 'ready') return Promise.resolve(known);
    if (this.#disposed) return Promise.reject(new TargetClosedError(WAIT_METHOD, 'Browser context closed'));
    return new Promise((resolve, reject) => {
      const waiters = this.#waiters.get(targetId) ?? new Set();
      this.#waiters.set(targetId, waiters);
      const settle = (): void => {
        waiters.delete(waiter);
        if (!waiters.size && this.#waiters.get(targetId) === waiters) this.#waiters.delete(targetId);
        signal?.removeEventListener('abort', onAbort);
      };
      const waiter: TargetWaiter = {
        resolve: (record) => (settle(), resolve(record)),
        reject: (error) => (settle(), reject(error)),
      };
      const onAbort = (): void => waiter.reject(signal?.reason);
      waiters.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Fails whoever waits for `targetId` (every target when none is given): it will not come. */
  failWaiters(error: Error, targetId?: string): void {
    const sets = targetId === undefined ? [...this.#waiters.values()] : [this.#waiters.get(targetId) ?? new Set<TargetWaiter>()];
    for (const waiter of sets.flatMap((set) => [...set])) waiter.reject(error);
  }

  /** Chrome destroyed a target: whoever waits for it and has not got it yet never will. */
  destroyed(targetId: string): void {
    if (this.#byTargetId.get(targetId)?.status !== 'ready') this.failWaiters(new TargetClosedError(WAIT_METHOD), targetId);
  }

  /** Takes a newly attached target (from the router, or from a parent's auto-attach). */
  attach(event: Protocol.Target.AttachedToTargetEvent, client: CdpSession, parent?: TargetRecord): void {
    const info = event.targetInfo;
    // Workers can be attached twice: at the browser level and under their page. One session is
    // enough; the second is detached without resuming the worker, which waits for the first's hooks.
    const known = this.#byTargetId.get(info.targetId);
    if (known && known.status !== 'gone' && !this.#disposed) {
      void this.#detach(client, parent);
      return;
    }
    if (this.#disposed || !KEPT_TYPES.has(info.type)) {
      void this.#release(client, parent);
      return;
    }
    const record: TargetRecord = {
      targetId: info.targetId,
      targetInfo: info,
      client,
      parent,
      children: new Set(),
      status: 'attaching',
    };
    this.#byTargetId.set(info.targetId, record);
    this.#see(record);
    parent?.children.add(record);
    client.once(CdpSessionEvent.Detached, () => this.#didDetach(record));
    if (PARENT_TYPES.has(info.type)) {
      client.on('Target.attachedToTarget', (child) => {
        const session = this.#lookupSession(child.sessionId);
        if (session) this.attach(child, session, record);
      });
    }
    void this.#initialize(record, event.waitingForDebugger);
  }

  /** Called by the router for `Target.targetInfoChanged`. */
  infoChanged(info: Protocol.Target.TargetInfo): void {
    const record = this.#byTargetId.get(info.targetId);
    if (!record) return;
    const previous = record.targetInfo;
    record.targetInfo = info;
    this.#see(record);
    this.emit(TargetManagerEvent.InfoChanged, record, previous);
  }

  /** Called by the router for `Target.targetCrashed`. */
  crashed(event: Protocol.Target.TargetCrashedEvent): void {
    const record = this.#byTargetId.get(event.targetId);
    if (record) this.emit(TargetManagerEvent.Crashed, record, event);
  }

  /** Every origin a target of this manager has been at (pages, frames, workers): where storage may have been made. */
  readonly originsSeen = new Set<string>();
  /**
   * The embedded contexts seen: a frame's or worker's origin, then its ancestors'
   * origins up to the top one, JSON-encoded. Partitioned storage is keyed by them.
   */
  readonly embeddedSeen = new Set<string>();

  #see(record: TargetRecord): void {
    const own = originOf(record.targetInfo.url);
    if (own === undefined) return;
    this.originsSeen.add(own);
    const origins = [own];
    for (let at = record.parent; at; at = at.parent) {
      const origin = originOf(at.targetInfo.url);
      if (origin === undefined) return;
      origins.push(origin);
    }
    if (origins.length > 1) this.embeddedSeen.add(JSON.stringify(origins));
  }

  /** Stops taking targets and forgets the ones it has; safe to call twice. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const record of this.#byTargetId.values()) record.status = 'gone';
    this.#byTargetId.clear();
    this.#hooks.clear();
    this.failWaiters(new TargetClosedError(WAIT_METHOD, 'Browser context closed'));
    this.removeAllListeners();
  }

  async #initialize(record: TargetRecord, waitingForDebugger: boolean): Promise<void> {
    const { client, targetInfo } = record;
    const steps: Array<[string, Promise<unknown>]> = [...this.#hooks].map((hook) => [
      hook.name || 'anonymous hook',
      hook(client, targetInfo),
    ]);
    if (PARENT_TYPES.has(targetInfo.type)) steps.push(['Target.setAutoAttach', client.send('Target.setAutoAttach', AUTO_ATTACH)]);
    let resumed: Promise<unknown> | undefined;
    const resume = async (): Promise<unknown> => {
      const closeWith = this.#closing.get(record.targetId);
      this.#closing.delete(record.targetId);
      if (!closeWith || !startsWithoutRenderer(targetInfo)) await sendMayFail(client, 'Runtime.runIfWaitingForDebugger');
      return closeWith && sendMayFail(closeWith, 'Target.closeTarget', { targetId: record.targetId });
    };
    if (waitingForDebugger && startsWithoutRenderer(targetInfo)) {
      // Its renderer-side commands are answered only once it runs: the hooks' commands, sent in order
      // ahead of the resume, are applied first; the resume waits for their sending, not their answers.
      await new Promise((resolve) => setImmediate(resolve));
      resumed = resume();
    }
    try {
      const results = await Promise.allSettled(steps.map(([, p]) => p));
      results.forEach((result, i) => {
        if (result.status === 'fulfilled' || result.reason instanceof TargetClosedError) return;
        this.emit(TargetManagerEvent.HookFailed, {
          targetId: record.targetId,
          type: targetInfo.type,
          url: targetInfo.url,
          hook: steps[i]![0],
          error: result.reason,
        });
      });
    } finally {
      if (resumed) await resumed;
      else if (waitingForDebugger || this.#closing.has(record.targetId)) await resume();
    }
    if (record.status !== 'attaching') return;
    record.status = 'ready';
    this.emit(TargetManagerEvent.Attached, record);
    for (const waiter of [...(this.#waiters.get(record.targetId) ?? [])]) waiter.resolve(record);
  }

  async #release(client: CdpSession, parent?: TargetRecord): Promise<void> {
    await sendMayFail(client, 'Runtime.runIfWaitingForDebugger');
    await this.#detach(client, parent);
  }

  async #detach(client: CdpSession, parent?: TargetRecord): Promise<void> {
    const owner = parent?.client ?? client.parent;
    if (owner) await sendMayFail(owner, 'Target.detachFromTarget', { sessionId: client.id });
    debug.ignored('released target session %s (%s)', client.id, client.targetType);
  }

  #didDetach(record: TargetRecord): void {
    if (record.status === 'gone') return;
    record.status = 'gone';
    this.#byTargetId.delete(record.targetId);
    record.parent?.children.delete(record);
    this.failWaiters(new TargetClosedError(WAIT_METHOD), record.targetId);
    this.emit(TargetManagerEvent.Detached, record);
  }
}

/**
 * A window a page opened without an opener (`noopener`, a link's `target=_blank`, a form's) gets its
 * renderer only when its navigation goes on, after the resume: until then Chrome holds the commands
 * that need one, unanswered.
 */
function startsWithoutRenderer(info: Protocol.Target.TargetInfo): boolean {
  return info.type === 'page' && info.openerId !== undefined && info.canAccessOpener === false;
}

/** A URL's origin, or undefined for about:blank and the like (they hold nothing). */
function originOf(url: string): string | undefined {
  try {
    const { origin } = new URL(url);
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}
