import { redactUrl } from '../protocol/errors.js';
import { mergeFeatureSwitches } from './chrome-args.js';

/**
 * A browser from a WebDriver server (Selenium Grid 4, or a chromedriver):
 * created with `POST /session`, reached over CDP at the address the server
 * gives (`se:cdp`), ended with `DELETE /session/{id}`.
 */
export interface WebDriverSession {
  readonly id: string;
  /** The WebDriver server's URL (the Grid's). */
  readonly server: string;
  /** The browser-level CDP address: a `ws(s)://` URL, or an `http://` one to resolve through `/json/version`. */
  readonly cdpUrl: string;
  /** Stops the keep-alive and deletes the session (the server then closes that Chrome). Never rejects. */
  end(): Promise<void>;
}

export interface WebDriverOptions {
  headers?: Record<string, string> | undefined;
  /** Capabilities merged over ours (`browserName: 'chrome'` and our Chrome switches in `goog:chromeOptions.args`). */
  capabilities?: Record<string, unknown> | undefined;
  /** Chrome switches for the new browser. */
  args: string[];
  /**
   * Grid counts only WebDriver commands as a session's activity, not CDP
   * traffic (SeleniumHQ/selenium#12223): without one now and then it ends the
   * session after its `--session-timeout` (300 s by default).
   */
  keepAliveMs?: number | undefined;
  timeoutMs?: number | undefined;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** Whether `server` speaks WebDriver: its `/status` answers `{ value: { ready } }`. */
export async function isWebDriverServer(server: string, headers?: Record<string, string>, timeoutMs = 10_000): Promise<boolean> {
  try {
    const response = await fetch(endpointUrl(server, 'status'), { headers, signal: AbortSignal.timeout(timeoutMs) });
    const body = (await response.json()) as { value?: { ready?: unknown } };
    return typeof body?.value?.ready === 'boolean';
  } catch {
    return false;
  }
}

/** Switches we give a Chrome that a WebDriver server starts (it adds its own port and profile). */
export function webDriverChromeArgs(args: string[]): string[] {
  const owned = ['--remote-debugging-pipe', '--enable-unsafe-extension-debugging'];
  return args.filter((arg) => !owned.includes(arg) && !arg.startsWith('--user-data-dir='));
}

export async function startWebDriverSession(server: string, options: WebDriverOptions): Promise<WebDriverSession> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const capabilities = mergeCapabilities(options.args, options.capabilities);
  const response = await fetch(endpointUrl(server, 'session'), {
    method: 'POST',
    headers: { ...options.headers, 'content-type': JSON_TYPE },
    body: JSON.stringify({ capabilities: { alwaysMatch: capabilities } }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await response.json().catch(() => ({}))) as { value?: Record<string, unknown> };
  const value = body.value ?? {};
  const id = typeof value.sessionId === 'string' ? value.sessionId : undefined;
  if (!response.ok || !id) {
    const reason = typeof value.message === 'string' ? `${String(value.error ?? response.status)}: ${value.message.split('\n')[0]}` : `HTTP ${response.status}`;
    throw new Error(`WebDriver server ${redactUrl(server, { query: true })} did not create a session (${reason})`);
  }
  const cdpUrl = cdpAddress(server, (value.capabilities ?? {}) as Record<string, unknown>);
  if (!cdpUrl) {
    await quietly(server, `session/${id}`, 'DELETE', options.headers);
    throw new Error(
      `WebDriver server ${server} gave no CDP address: Selenium Grid 4 gives 'se:cdp'; a chromedriver's 'debuggerAddress' is reachable only on its own machine`,
    );
  }
  return new Session(server, id, cdpUrl, options.headers, options.keepAliveMs ?? 60_000);
}

/** A WebDriver call whose answer does not matter (it never rejects). */
async function quietly(server: string, path: string, method: 'GET' | 'DELETE', headers: Record<string, string> | undefined): Promise<void> {
  await fetch(endpointUrl(server, path), { method, headers, signal: AbortSignal.timeout(10_000) })
    .then((response) => response.body?.cancel())
    .catch(() => undefined);
}

class Session implements WebDriverSession {
  readonly server: string;
  readonly id: string;
  readonly cdpUrl: string;
  readonly #headers: Record<string, string> | undefined;
  readonly #timer: NodeJS.Timeout;
  #ended: Promise<void> | undefined;

  constructor(server: string, id: string, cdpUrl: string, headers: Record<string, string> | undefined, keepAliveMs: number) {
    this.server = server;
    this.id = id;
    this.cdpUrl = cdpUrl;
    this.#headers = headers;
    // Unref'd: the keep-alive must never keep Node running.
    this.#timer = setInterval(() => void quietly(server, `session/${id}/url`, 'GET', headers), keepAliveMs).unref();
  }

  end(): Promise<void> {
    clearInterval(this.#timer);
    this.#ended ??= quietly(this.server, `session/${this.id}`, 'DELETE', this.#headers);
    return this.#ended;
  }
}

function mergeCapabilities(args: string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  const theirs = (extra['goog:chromeOptions'] ?? {}) as { args?: unknown };
  const theirArgs = Array.isArray(theirs.args) ? theirs.args.map(String) : [];
  return {
    browserName: 'chrome',
    ...extra,
    'goog:chromeOptions': { ...theirs, args: mergeFeatureSwitches([...args, ...theirArgs]) },
  };
}

/** Grid's `se:cdp`; else a chromedriver's `debuggerAddress`, only when that server is on this machine (the address is its loopback). */
function cdpAddress(server: string, capabilities: Record<string, unknown>): string | undefined {
  const seCdp = capabilities['se:cdp'];
  if (typeof seCdp === 'string' && seCdp) return seCdp;
  const address = (capabilities['goog:chromeOptions'] as { debuggerAddress?: unknown } | undefined)?.debuggerAddress;
  if (typeof address !== 'string' || !isLoopbackUrl(server)) return undefined;
  // Chrome answers /json/version only for an IP or "localhost" in Host: use the IP.
  return `http://${address.replace(/^localhost:/, '127.0.0.1:')}`;
}

/** Whether `url` names this machine (loopback): a browser there shares our disk, loopback and user. */
export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || host.startsWith('127.');
  } catch {
    return false;
  }
}

/** `path` under the server's URL, which may carry a base path (`/wd/hub`). */
function endpointUrl(server: string, path: string): URL {
  const base = new URL(server);
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  return new URL(path, base);
}
