import PQueue from 'p-queue';
import type { Protocol } from './cdp-types.js';
import { CallbackRegistry } from './callback-registry.js';
import { CdpSession } from './cdp-session.js';
import { ConnectionClosedError, TargetClosedError, classifyProtocolError, redactText } from './errors.js';
import { debug, masked } from './debug.js';
import type { Transport, TransportCloseReason } from './transport.js';

export interface ConnectionOptions {
  /** Milliseconds a command may wait for its reply (0: forever). Default 30 000. */
  protocolTimeout?: number;
  /** Commands in flight at once, besides those that wait on pages (UNBOUNDED_COMMANDS); more wait in a queue. Default 512. */
  maxInFlight?: number;
  /** Tail of the browser's stderr, attached to the close error. */
  browserLogs?: () => string;
  /**
   * Why the browser went away (its exit), when the connection closes without
   * our asking: pending commands wait for it (at most CAUSE_WAIT_MS) so their
   * errors can say.
   */
  closeCause?: () => Promise<string | undefined>;
}

/** How long failing commands wait for `closeCause` before failing without it. */
const CAUSE_WAIT_MS = 500;

/**
 * Commands that wait on page work rather than on Chrome itself (a navigation
 * waits for the server, an evaluation for the page's promise). Electron puts
 * no deadline on loadURL or executeJavaScript, so neither do we; they still
 * fail when the target detaches or the connection closes.
 */
const UNBOUNDED_COMMANDS = new Set(['Page.navigate', 'Runtime.evaluate', 'Runtime.callFunctionOn', 'Runtime.awaitPromise']);

interface Message {
  id?: number;
  method?: string;
  params?: unknown;
  sessionId?: string;
  result?: unknown;
  error?: { code: number; message: string; data?: string };
}

/**
 * One CDP connection to one browser, in flat mode. Child sessions are created
 * synchronously when `Target.attachedToTarget` arrives, before the event is
 * dispatched, so no message for a new session can arrive before it exists.
 */
export class Connection {
  readonly #transport: Transport;
  readonly #callbacks = new CallbackRegistry();
  readonly #sessions = new Map<string, CdpSession>();
  readonly #queue: PQueue;
  readonly #timeout: number;
  readonly #browserLogs: (() => string) | undefined;
  readonly #closeListeners = new Set<(error: ConnectionClosedError) => void>();
  readonly #closeCause: (() => Promise<string | undefined>) | undefined;
  readonly root: CdpSession;
  #closedError: ConnectionClosedError | undefined;
  #closedMessage: string | undefined;
  /** Set from the moment the transport closed until the close error (with its cause) is known. */
  #closing: Promise<void> | undefined;
  /**
   * Who a command was for (a session's name), from its CDP session or its
   * `browserContextId`: errors of commands cut off by a close name it.
   */
  describeOwner: ((sessionId: string, params: unknown) => string | undefined) | undefined;

  constructor(transport: Transport, options: ConnectionOptions = {}) {
    this.#transport = transport;
    this.#timeout = options.protocolTimeout ?? 30_000;
    this.#queue = new PQueue({ concurrency: options.maxInFlight ?? 512 });
    this.#browserLogs = options.browserLogs;
    this.#closeCause = options.closeCause;
    this.root = new CdpSession(this.#rawSend, '', 'browser');
    this.#sessions.set('', this.root);
    transport.onmessage = (text) => this.#onMessage(text);
    transport.onclose = (reason) => this.#didClose(reason);
  }

  get closed(): boolean {
    return this.#closedError !== undefined || this.#closing !== undefined;
  }

  session(sessionId: string): CdpSession | undefined {
    return this.#sessions.get(sessionId);
  }

  /** Runs `listener` once the connection is closed (now, if it already is). Returns a disposer. */
  onClose(listener: (error: ConnectionClosedError) => void): () => void {
    if (this.#closedError) {
      listener(this.#closedError);
      return () => undefined;
    }
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }

  close(): void {
    this.#transport.close();
    this.#didClose({ reason: 'closed by client' }, true);
  }

  readonly #rawSend = (method: string, params: object | undefined, sessionId: string): Promise<unknown> => {
    if (this.#closing && !this.#closedError) return this.#closing.then(() => Promise.reject(this.#closedFor(method, sessionId, params)));
    if (this.#closedError) return Promise.reject(this.#closedFor(method, sessionId, params));
    if (!this.#sessions.has(sessionId)) return Promise.reject(new TargetClosedError(method, 'Session closed'));
    const callerError = new Error(`while calling ${method}`);
    const unbounded = UNBOUNDED_COMMANDS.has(method) || Boolean(this.#sessions.get(sessionId)?.tap);
    const send = (): Promise<unknown> =>
      this.#callbacks.create(method, sessionId, unbounded ? 0 : this.#timeout, callerError, (id) => {
        const message: Message & { params: unknown } = { id, method, params: params ?? {} };
        if (sessionId) message.sessionId = sessionId;
        if (debug.send.enabled) debug.send('%s %s %o', sessionId || 'browser', method, masked(params ?? {}));
        this.#transport.send(JSON.stringify(message));
      }, params);
    // Commands that wait on pages do not take a place in the queue: hundreds of them waiting
    // (evaluations of pages whose requests are paused) would hold back, with no deadline, the very
    // commands that let them go (Fetch.continueRequest). Chrome answers the rest in bounded time.
    if (unbounded) return send();
    return this.#queue.add(() => {
      // The connection may have closed while this command waited in the queue.
      if (this.#closedError) return Promise.reject(this.#closedFor(method, sessionId, params));
      return send();
    });
  };

  #onMessage(text: string): void {
    const message = JSON.parse(text) as Message;
    if (message.id !== undefined) {
      if (message.error) {
        const session = this.#sessions.get(message.sessionId ?? '');
        const { error } = message;
        this.#callbacks.reject(message.id, (method) =>
          classifyProtocolError(method, error, message.sessionId, session?.targetType),
        );
      } else {
        this.#callbacks.resolve(message.id, message.result ?? {});
      }
      return;
    }
    if (!message.method) return;
    if (debug.recv.enabled) debug.recv('%s %s %o', message.sessionId || 'browser', message.method, masked(message.params ?? {}));
    const session = this.#sessions.get(message.sessionId ?? '');
    if (!session) {
      debug.ignored('event %s for unknown session %s', message.method, message.sessionId);
      return;
    }
    if (message.method === 'Target.attachedToTarget') {
      const event = message.params as Protocol.Target.AttachedToTargetEvent;
      const child = new CdpSession(this.#rawSend, event.sessionId, event.targetInfo.type, session);
      child.tap = session.tap;
      this.#sessions.set(event.sessionId, child);
    }
    // A crashed renderer never answers what it was running (an evaluation waiting on a promise): fail it.
    if (message.method === 'Inspector.targetCrashed' && message.sessionId) {
      this.#callbacks.rejectAll((method) => new TargetClosedError(method, 'Target crashed'), message.sessionId);
    }
    (session.emit as (name: string, payload: unknown) => boolean)(message.method, message.params);
    if (message.method === 'Target.detachedFromTarget') {
      const { sessionId } = message.params as Protocol.Target.DetachedFromTargetEvent;
      this.#didDetach(sessionId);
    }
    if (session.tap) {
      // After our bookkeeping; whatever it throws never stops the transport's loop.
      try {
        session.tap(message.method, message.params ?? {}, message.sessionId ?? '');
      } catch (error) {
        debug.ignored('tap of %s threw: %s', message.method, error);
      }
    }
  }

  #didDetach(sessionId: string): void {
    const child = this.#sessions.get(sessionId);
    if (!child) return;
    this.#sessions.delete(sessionId);
    this.#callbacks.rejectAll((method) => new TargetClosedError(method), sessionId);
    // Sessions attached through it go with it (Chrome tells of them on the session that is gone).
    for (const [id, session] of this.#sessions) if (session.parent === child) this.#didDetach(id);
    child.didDetach();
  }

  #closedFor(method: string, sessionId: string, params: unknown): ConnectionClosedError {
    const closed = this.#closedError;
    let owner: string | undefined;
    try {
      owner = this.describeOwner?.(sessionId, params);
    } catch {
      owner = undefined;
    }
    return new ConnectionClosedError(`Protocol error (${method})${owner ? ` in ${owner}` : ''}: ${this.#closedMessage ?? 'Connection closed'}`, {
      closeCode: closed?.closeCode,
      closeReason: closed?.closeReason,
      browserLogs: closed?.browserLogs,
    });
  }

  #didClose(reason: TransportCloseReason, byUs = false): void {
    if (this.#closedError || this.#closing) return;
    if (byUs || !this.#closeCause) return this.#finishClose(reason, undefined);
    const timer = (ms: number): Promise<undefined> => new Promise((resolve) => (setTimeout(resolve, ms) as unknown as NodeJS.Timeout).unref());
    const cause = this.#closeCause().catch(() => undefined);
    this.#closing = Promise.race([cause, timer(CAUSE_WAIT_MS)]).then((why) => this.#finishClose(reason, why));
  }

  #finishClose(reason: TransportCloseReason, cause: string | undefined): void {
    const raw = this.#browserLogs?.();
    const logs = raw === undefined ? undefined : redactText(raw);
    const closed = `connection to the browser closed (${reason.reason || 'no reason given'})`;
    // Without the browser's logs: the errors made from it attach those themselves.
    this.#closedMessage = cause ? `${cause}: ${closed}` : closed[0]!.toUpperCase() + closed.slice(1);
    this.#closedError = new ConnectionClosedError(this.#closedMessage, {
      closeCode: reason.code,
      closeReason: reason.reason,
      browserLogs: logs,
    });
    this.#callbacks.rejectAll((method, sessionId, params) => this.#closedFor(method, sessionId, params));
    for (const id of [...this.#sessions.keys()]) if (id) this.#didDetach(id);
    this.root.didDetach();
    for (const listener of this.#closeListeners) listener(this.#closedError);
    this.#closeListeners.clear();
  }
}
