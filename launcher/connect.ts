import CDP from 'chrome-remote-interface';
import { redactUrl } from '../protocol/errors.js';
import { WebSocketTransport } from '../protocol/websocket-transport.js';
import { isWebDriverServer, startWebDriverSession, webDriverChromeArgs, type WebDriverSession } from './webdriver.js';

export interface ConnectOptions {
  timeoutMs?: number | undefined;
  /** A gateway's credentials: sent with discovery, WebDriver calls and the WebSocket upgrade. */
  headers?: Record<string, string> | undefined;
  /** WebDriver capabilities: the endpoint is then a WebDriver server (Selenium Grid) without asking. */
  capabilities?: Record<string, unknown> | undefined;
  /** Chrome switches for a browser a WebDriver server starts for us. */
  args?: string[] | undefined;
  keepAliveMs?: number | undefined;
}

export interface ConnectedBrowser {
  transport: WebSocketTransport;
  /** Set when a WebDriver server started this browser for us: end it when done. */
  webDriver: WebDriverSession | undefined;
}

/**
 * Connects to a running browser: a `ws://`/`wss://` endpoint is used as is;
 * an `http(s)://host:port` endpoint is asked for its `webSocketDebuggerUrl`
 * (`/json/version`, via chrome-remote-interface's discovery). With `headers`
 * (a gateway's credentials), both the discovery and the WebSocket upgrade
 * send them; chrome-remote-interface cannot, so discovery then uses fetch.
 */
export async function connect(endpoint: string, timeoutMs = 30_000, headers?: Record<string, string>): Promise<WebSocketTransport> {
  const url = new URL(endpoint);
  if (url.protocol === 'ws:' || url.protocol === 'wss:') return WebSocketTransport.connect(endpoint, timeoutMs, headers);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`Browser endpoint must be ws://, wss://, http:// or https://, got '${redactUrl(endpoint, { query: true })}'`);
  }
  if (headers) {
    const response = await fetch(new URL('/json/version', url), { headers, signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`${redactUrl(endpoint, { query: true })}/json/version answered ${response.status}`);
    const { webSocketDebuggerUrl } = (await response.json()) as { webSocketDebuggerUrl?: string };
    if (!webSocketDebuggerUrl) throw new Error(`${redactUrl(endpoint, { query: true })}/json/version has no webSocketDebuggerUrl`);
    return WebSocketTransport.connect(webSocketDebuggerUrl, timeoutMs, headers);
  }
  const secure = url.protocol === 'https:';
  const version = (await CDP.Version({
    host: url.hostname,
    port: Number(url.port || (secure ? 443 : 80)),
    secure,
  })) as { webSocketDebuggerUrl?: string };
  if (!version.webSocketDebuggerUrl) throw new Error(`${redactUrl(endpoint, { query: true })}/json/version has no webSocketDebuggerUrl`);
  return WebSocketTransport.connect(version.webSocketDebuggerUrl, timeoutMs);
}

/**
 * `connect`, and WebDriver servers too: an `http(s)://` endpoint that is not
 * a DevTools endpoint but answers WebDriver's `/status` (Selenium Grid 4, a
 * chromedriver) gets a new WebDriver session, and we connect to its CDP
 * address. The caller ends that session when done with the browser.
 */
export async function connectBrowser(endpoint: string, options: ConnectOptions = {}): Promise<ConnectedBrowser> {
  const { timeoutMs = 30_000, headers } = options;
  const webDriver = async (): Promise<ConnectedBrowser> => {
    const session = await startWebDriverSession(endpoint, {
      headers,
      capabilities: options.capabilities,
      args: webDriverChromeArgs(options.args ?? []),
      keepAliveMs: options.keepAliveMs,
      timeoutMs: Math.max(timeoutMs, 60_000),
    });
    try {
      return { transport: await connect(session.cdpUrl, timeoutMs, headers), webDriver: session };
    } catch (error) {
      await session.end();
      throw error;
    }
  };
  if (options.capabilities) return webDriver();
  try {
    return { transport: await connect(endpoint, timeoutMs, headers), webDriver: undefined };
  } catch (error) {
    if (/^https?:$/.test(new URL(endpoint).protocol) && (await isWebDriverServer(endpoint, headers))) return webDriver();
    throw error;
  }
}
