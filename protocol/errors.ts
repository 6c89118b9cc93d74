/**
 * The protocol layer's error taxonomy. Callers classify by class, never by
 * message text; `classifyProtocolError` is the one place that reads CDP's
 * error codes and messages.
 */

export class CdpError extends Error {
  /** Chrome's own `message` when the error is Chrome's answer to a command (what a client of CDP would see). */
  chromeMessage: string | undefined;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

export interface ProtocolErrorDetails {
  method: string;
  code: number;
  originalMessage: string;
  sessionId?: string | undefined;
  targetType?: string | undefined;
}

/** Chrome answered a command with an error. */
export class ProtocolError extends CdpError {
  readonly method: string;
  readonly code: number;
  readonly originalMessage: string;
  readonly sessionId: string | undefined;
  readonly targetType: string | undefined;

  constructor(details: ProtocolErrorDetails) {
    super(`Protocol error (${details.method}): ${details.originalMessage}`);
    this.method = details.method;
    this.code = details.code;
    this.originalMessage = details.originalMessage;
    this.sessionId = details.sessionId;
    this.targetType = details.targetType;
  }
}

/** The target a command was sent to is gone (closed, crashed or detached). */
export class TargetClosedError extends CdpError {
  readonly method: string;
  constructor(method: string, reason = 'Target closed') {
    super(`Protocol error (${method}): ${reason}`);
    this.method = method;
  }
}

export interface ConnectionClosedDetails {
  closeCode?: number | undefined;
  closeReason?: string | undefined;
  browserLogs?: string | undefined;
}

/** The connection to the browser is closed; nothing more can be sent on it. */
export class ConnectionClosedError extends CdpError {
  readonly closeCode: number | undefined;
  readonly closeReason: string | undefined;
  readonly browserLogs: string | undefined;

  constructor(message: string, details: ConnectionClosedDetails = {}) {
    const logs = details.browserLogs ? `\nBrowser logs:\n${details.browserLogs}` : '';
    super(`${message}${logs}`);
    this.closeCode = details.closeCode;
    this.closeReason = details.closeReason;
    this.browserLogs = details.browserLogs;
  }
}

/** A command got no answer within its deadline. */
export class ProtocolTimeoutError extends CdpError {
  readonly method: string;
  readonly timeoutMs: number;
  constructor(method: string, timeoutMs: number) {
    super(
      `Protocol timeout (${method}): no answer within ${timeoutMs} ms. ` +
        'Raise it with the protocolTimeout option if the browser is just slow.',
    );
    this.method = method;
    this.timeoutMs = timeoutMs;
  }
}

// Chrome reports a vanished session as a plain -32001 ("Session with given id
// not found") or as -32000 with one of these texts; they all mean the target
// went away while the command was in flight.
const TARGET_GONE_CODES = new Set([-32001]);
const TARGET_GONE_TEXTS = [
  'Session with given id not found',
  'Target closed',
  'No target with given id found',
  'Inspected target navigated or closed',
  'Execution context was destroyed',
];

/** Maps a CDP error response to the right error class. The only place that reads CDP error text. */
export function classifyProtocolError(
  method: string,
  error: { code: number; message: string; data?: string },
  sessionId?: string,
  targetType?: string,
): CdpError {
  const message = error.data ? `${error.message} ${error.data}` : error.message;
  const classified =
    TARGET_GONE_CODES.has(error.code) || TARGET_GONE_TEXTS.some((t) => error.message.includes(t))
      ? new TargetClosedError(method, message)
      : new ProtocolError({ method, code: error.code, originalMessage: message, sessionId, targetType });
  classified.chromeMessage = error.message;
  return classified;
}

const MASK = '***';

/**
 * A URL fit for an error message or a log: its password (`user:***@`) masked,
 * and with `query: true` (browser endpoints, whose services put keys there:
 * `wss://host?token=…`) every query value too. Text that is no URL has its
 * `user:password@` parts masked all the same.
 */
export function redactUrl(url: string, { query = false }: { query?: boolean } = {}): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return redactText(url);
  }
  if (!parsed.password && !(query && parsed.search)) return url;
  if (parsed.password) parsed.password = MASK;
  if (query) for (const key of [...parsed.searchParams.keys()]) parsed.searchParams.set(key, MASK);
  return parsed.href.replaceAll('%2A%2A%2A', MASK);
}

/** Masks the password of every `scheme://user:password@` in a text. */
export function redactText(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:)[^\s/@]*@/gi, `$1${MASK}@`);
}
