import { TypedEventEmitter } from './subscriptions.js';
import type { CommandName, CommandParams, CommandResult, ProtocolMapping } from './cdp-types.js';
import { TargetClosedError } from './errors.js';
import { debug } from './debug.js';

/** Lifecycle events of a CdpSession; Symbols, so they never clash with CDP event names. */
const Detached: unique symbol = Symbol('CdpSession.Detached');
export const CdpSessionEvent = { Detached } as const;

export type CdpSessionEvents = ProtocolMapping.Events & {
  [Detached]: [];
};

export type RawSender = (method: string, params: object | undefined, sessionId: string) => Promise<unknown>;

/**
 * One CDP session: the browser's root session (id `''`) or a flat child session
 * attached to a target. Commands and events are typed from devtools-protocol.
 */
export class CdpSession extends TypedEventEmitter<CdpSessionEvents> {
  readonly id: string;
  readonly targetType: string;
  readonly parent: CdpSession | undefined;
  readonly #send: RawSender;
  #detached = false;
  /**
   * Set on a session a user drives (webContents.debugger): each event of it and of the sessions
   * attached under it, with the session it came on; their commands have no timeout.
   */
  tap: ((method: string, params: unknown, sessionId: string) => void) | undefined;

  constructor(send: RawSender, id: string, targetType: string, parent?: CdpSession) {
    super();
    this.#send = send;
    this.id = id;
    this.targetType = targetType;
    this.parent = parent;
  }

  get detached(): boolean {
    return this.#detached;
  }

  send<M extends CommandName>(method: M, ...params: CommandParams<M>): Promise<CommandResult<M>> {
    return this.sendRaw(method, params[0]) as Promise<CommandResult<M>>;
  }

  /** For experimental commands that devtools-protocol does not type yet. */
  sendRaw(method: string, params?: object): Promise<unknown> {
    return this.#send(method, params, this.id);
  }

  /** Marks the session gone; safe to call twice. Called by the connection. */
  didDetach(): void {
    if (this.#detached) return;
    this.#detached = true;
    this.emit(CdpSessionEvent.Detached);
    this.removeAllListeners();
  }
}

/**
 * Fire-and-forget: sends a command whose failure is not the caller's concern.
 * Ignores TargetClosedError (the target is gone, so is the need); anything else
 * goes to the `cdp-ignored` debug log with the method and target.
 */
export function sendMayFail<M extends CommandName>(
  client: CdpSession,
  method: M,
  ...params: CommandParams<M>
): Promise<CommandResult<M> | undefined> {
  return client.send(method, ...params).catch((error: unknown) => {
    if (!(error instanceof TargetClosedError)) debug.ignored('%s on %s %s failed: %s', method, client.targetType, client.id, error);
    return undefined;
  });
}
