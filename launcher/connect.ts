import CDP from 'chrome-remote-interface';
import { WebSocketTransport } from '../protocol/websocket-transport.js';

/**
 * Connects to a running browser: a `ws://`/`wss://` endpoint is used as is;
 * an `http(s)://host:port` endpoint is asked for its `webSocketDebuggerUrl`
 * (`/json/version`, via chrome-remote-interface's discovery).
 */
export async function connect(endpoint: string, timeoutMs = 30_000): Promise<WebSocketTransport> {
  const url = new URL(endpoint);
  if (url.protocol === 'ws:' || url.protocol === 'wss:') return WebSocketTransport.connect(endpoint, timeoutMs);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`Browser endpoint must be ws://, wss://, http:// or https://, got '${endpoint}'`);
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
