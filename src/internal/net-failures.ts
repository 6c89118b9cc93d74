/**
 * Why a connection really failed, for the errors the API reports. Chrome only
 * sees how it failed on its side: a forwarder that gave up on a connection
 * (`ERR_EMPTY_RESPONSE`, `ERR_TUNNEL_CONNECTION_FAILED`), a certificate error
 * we cancelled (`ERR_ABORTED`). Whoever made it fail records the error Chrome
 * would have given on its own (`ERR_NAME_NOT_RESOLVED`, the verify proc's
 * verdict...) for the host and port, for a few seconds; `explainNetError`
 * puts it in place of Chrome's stand-in in `loadURL`, `did-fail-load`,
 * `onErrorOccurred` and `ses.fetch`.
 */

const FAILURE_TTL_MS = 10_000;
const failures = new Map<string, { error: string; at: number }>();

/** Node's socket errors as Chrome's net errors. */
const NET_ERRORS: Readonly<Record<string, string>> = {
  ENOTFOUND: 'net::ERR_NAME_NOT_RESOLVED',
  EAI_AGAIN: 'net::ERR_NAME_NOT_RESOLVED',
  EAI_NONAME: 'net::ERR_NAME_NOT_RESOLVED',
  ECONNREFUSED: 'net::ERR_CONNECTION_REFUSED',
  ECONNRESET: 'net::ERR_CONNECTION_RESET',
  ETIMEDOUT: 'net::ERR_CONNECTION_TIMED_OUT',
  EHOSTUNREACH: 'net::ERR_ADDRESS_UNREACHABLE',
  ENETUNREACH: 'net::ERR_ADDRESS_UNREACHABLE',
  EADDRNOTAVAIL: 'net::ERR_ADDRESS_INVALID',
};

/** The errors Chrome reports for a failure made on our side, which a record replaces. */
const STAND_INS = new Set(['net::ERR_EMPTY_RESPONSE', 'net::ERR_TUNNEL_CONNECTION_FAILED', 'net::ERR_CONNECTION_CLOSED', 'net::ERR_ABORTED']);

function key(host: string, port: number): string {
  return `${host.replace(/^\[|\]$/g, '').toLowerCase()}:${port}`;
}

/** The port a connection for `url` goes to: its own, or its scheme's default. */
export function portOf(url: URL): number {
  return Number(url.port) || (url.protocol === 'https:' || url.protocol === 'wss:' ? 443 : 80);
}

/** Keeps the error Chrome would have given for a connection to `host:port` (a net error name), for a few seconds. */
export function recordFailure(host: string, port: number, error: string): void {
  failures.delete(key(host, port));
  failures.set(key(host, port), { error, at: Date.now() });
  if (failures.size > 1_000) failures.delete(failures.keys().next().value!);
}

/** The same, for the host and port of `url`. */
export function recordFailureFor(url: URL, error: string): void {
  recordFailure(url.hostname, portOf(url), error);
}

export function netErrorOf(error: NodeJS.ErrnoException): string {
  return NET_ERRORS[error.code ?? ''] ?? 'net::ERR_CONNECTION_FAILED';
}

/** Chrome's error for a request to `url`, with a stand-in replaced by what really went wrong. */
export function explainNetError(errorText: string, url: string): string {
  if (!STAND_INS.has(errorText) || failures.size === 0) return errorText;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return errorText;
  }
  const failure = failures.get(key(parsed.hostname, portOf(parsed)));
  return failure && Date.now() - failure.at < FAILURE_TTL_MS ? failure.error : errorText;
}
