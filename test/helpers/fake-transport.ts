import type { Protocol } from '../../protocol/cdp-types.js';
import type { Transport, TransportCloseReason } from '../../protocol/transport.js';

export interface SentCommand {
  id: number;
  method: string;
  params: Record<string, unknown>;
  sessionId?: string;
}

type Responder = (command: SentCommand) => unknown | { error: { code: number; message: string } } | typeof NO_REPLY;
export const NO_REPLY = Symbol('no reply');

/** A scripted CDP peer: answers commands from handlers and emits events on demand. */
export class FakeTransport implements Transport {
  readonly sent: SentCommand[] = [];
  readonly #responders = new Map<string, Responder>();
  onmessage?: ((message: string) => void) | undefined;
  onclose?: ((reason: TransportCloseReason) => void) | undefined;

  /** How to answer `method`; unscripted commands get `{}`. */
  respond(method: string, responder: Responder): void {
    this.#responders.set(method, responder);
  }

  send(message: string): void {
    const command = JSON.parse(message) as SentCommand;
    this.sent.push(command);
    const responder = this.#responders.get(command.method);
    const answer = responder ? responder(command) : {};
    if (answer === NO_REPLY) return;
    queueMicrotask(() => {
      const reply: Record<string, unknown> = { id: command.id, sessionId: command.sessionId };
      if (answer && typeof answer === 'object' && 'error' in answer) reply.error = answer.error;
      else reply.result = answer;
      this.onmessage?.(JSON.stringify(reply));
    });
  }

  emit(method: string, params: unknown, sessionId?: string): void {
    this.onmessage?.(JSON.stringify({ method, params, sessionId }));
  }

  close(): void {
    this.onclose?.({ reason: 'closed by test' });
  }

  sentTo(sessionId: string): string[] {
    return this.sent.filter((c) => (c.sessionId ?? '') === sessionId).map((c) => c.method);
  }
}

let targetCounter = 0;
/** Target.attachedToTarget with sensible defaults; state only what the test is about. */
export function attachedToTarget(
  overrides: Partial<Protocol.Target.TargetInfo> & { sessionId?: string; waitingForDebugger?: boolean } = {},
): Protocol.Target.AttachedToTargetEvent {
  const n = ++targetCounter;
  const { sessionId = `session-${n}`, waitingForDebugger = true, ...info } = overrides;
  return {
    sessionId,
    waitingForDebugger,
    targetInfo: {
      targetId: `target-${n}`,
      type: 'page',
      title: '',
      url: 'about:blank',
      attached: true,
      canAccessOpener: false,
      browserContextId: 'ctx-default',
      ...info,
    },
  };
}
