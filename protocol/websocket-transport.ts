import WebSocket from 'ws';
import { redactText, redactUrl } from './errors.js';
import type { Transport, TransportCloseReason } from './transport.js';

/**
 * CDP over a WebSocket (`ws://…/devtools/browser/<id>`), for browsers we
 * connect to rather than launch. Uses `ws` directly: chrome-remote-interface
 * registers a reply callback only after the socket write completes, so a fast
 * reply can be dropped (its `_enqueueCommand`).
 */
export class WebSocketTransport implements Transport {
  readonly #ws: WebSocket;
  onmessage?: ((message: string) => void) | undefined;
  onclose?: ((reason: TransportCloseReason) => void) | undefined;

  /** `headers` go with the upgrade request (a gateway's credentials). */
  static connect(url: string, timeoutMs = 30_000, headers?: Record<string, string>): Promise<WebSocketTransport> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, [], {
        maxPayload: 256 * 1024 * 1024,
        perMessageDeflate: false,
        handshakeTimeout: timeoutMs,
        ...(headers ? { headers } : {}),
      });
      ws.once('open', () => {
        ws.removeAllListeners('error');
        resolve(new WebSocketTransport(ws));
      });
      ws.once('error', (error) => reject(new Error(`Cannot connect to ${redactUrl(url, { query: true })}: ${redactText(error.message)}`, { cause: error })));
    });
  }

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.on('message', (data) => this.onmessage?.(data.toString()));
    ws.on('close', (code, reason) => this.onclose?.({ code, reason: reason.toString() }));
    // An 'error' is always followed by 'close', which is what callers act on.
    ws.on('error', () => undefined);
  }

  send(message: string): void {
    if (this.#ws.readyState === WebSocket.OPEN) this.#ws.send(message);
  }

  close(): void {
    this.#ws.close();
  }
}
