import CDP from 'chrome-remote-interface';
import { WebSocketTransport } from '../protocol/websocket-transport.js';

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
    throw new TypeError(`Browser endpoint must be ws://, wss://, http:// or https://, got '${endpoint}'`);
  }
  if (headers) {
    const response = await fetch(new URL('/json/version', url), { headers, signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`${endpoint}/json/version answered ${response.status}`);
    const { webSocketDebuggerUrl } = (await response.json()) as { webSocketDebuggerUrl?: string };
    if (!webSocketDebuggerUrl) throw new Error(`${endpoint}/json/version has no webSocketDebuggerUrl`);
    return WebSocketTransport.connect(webSocketDebuggerUrl, timeoutMs, headers);
  }
  const secure = url.protocol === 'https:';
  const version = (await CDP.Version({
    host: url.hostname,
    port: Number(url.port || (secure ? 443 : 80)),
    secure,
  })) as { webSocketDebuggerUrl?: string };
  if (!version.webSocketDebuggerUrl) throw new Error(`${endpoint}/json/version has no webSocketDebuggerUrl`);
  return WebSocketTransport.connect(version.webSocketDebuggerUrl, timeoutMs);
}
