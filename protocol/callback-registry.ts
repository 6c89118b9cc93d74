import { ProtocolTimeoutError, type CdpError } from './errors.js';

interface Pending {
  readonly method: string;
  readonly sessionId: string;
  /** The command's parameters (who it was for, when it fails on close). */
  readonly params: unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  /** Created when the command was issued, so the caller's stack survives. */
  readonly error: Error;
  readonly timer: NodeJS.Timeout | undefined;
}

/** Commands awaiting their reply: ids, deadlines and bulk rejection on close. */
export class CallbackRegistry {
  readonly #pending = new Map<number, Pending>();
  #lastId = 0;

  get size(): number {
    return this.#pending.size;
  }

  /** `error` must be created where the caller issued the command, so its stack is the caller's. */
  create(method: string, sessionId: string, timeoutMs: number, error: Error, send: (id: number) => void, params?: unknown): Promise<unknown> {
    const id = ++this.#lastId;
    return new Promise((resolve, reject) => {
      const timer =
        timeoutMs > 0
          ? setTimeout(() => this.#settleWithError(id, new ProtocolTimeoutError(method, timeoutMs)), timeoutMs)
          : undefined;
      this.#pending.set(id, { method, sessionId, params, resolve, reject, error, timer });
      send(id);
    });
  }

  resolve(id: number, result: unknown): void {
    const pending = this.#take(id);
    pending?.resolve(result);
  }

  reject(id: number, makeError: (method: string) => CdpError): void {
    const pending = this.#pending.get(id);
    if (pending) this.#settleWithError(id, makeError(pending.method));
  }

  /** Rejects every pending command (of one session, or all of them). */
  rejectAll(makeError: (method: string, sessionId: string, params: unknown) => CdpError, sessionId?: string): void {
    for (const [id, pending] of [...this.#pending]) {
      if (sessionId === undefined || pending.sessionId === sessionId) this.#settleWithError(id, makeError(pending.method, pending.sessionId, pending.params));
    }
  }

  #settleWithError(id: number, error: Error): void {
    const pending = this.#take(id);
    if (!pending) return;
    // Keep the issuing caller's stack under the protocol error's own message.
    const callerStack = pending.error.stack?.split('\n').slice(1).join('\n');
    if (callerStack) error.stack = `${error.name}: ${error.message}\n${callerStack}`;
    pending.reject(error);
  }

  #take(id: number): Pending | undefined {
    const pending = this.#pending.get(id);
    if (!pending) return undefined;
    this.#pending.delete(id);
    if (pending.timer) clearTimeout(pending.timer);
    return pending;
  }
}
