import type http from 'node:http';
import WebSocket, { WebSocketServer } from 'ws';

export interface CdpRelay {
  /** Ends every relayed connection and closes `server`. */
  stop(): Promise<void>;
}

/**
 * Relays the WebSocket upgrades `server` accepts to the Chrome at `chromeEndpoint`, CDP messages both
 * ways, as the gateways in front of remote browsers do; a refused upgrade gets 401. `closed` is told
 * when a client's side of the connection closes.
 */
export function relayCdp(
  server: http.Server,
  chromeEndpoint: string,
  options: { accept?: (request: http.IncomingMessage) => boolean; opened?: () => void; closed?: () => void } = {},
): CdpRelay {
  const sockets = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request, socket, head) => {
    if (options.accept && !options.accept(request)) return void socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
    sockets.handleUpgrade(request, socket, head, (client) => {
      options.opened?.();
      const chrome = new WebSocket(chromeEndpoint, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
      const pending: string[] = [];
      chrome.on('open', () => pending.splice(0).forEach((message) => chrome.send(message)));
      client.on('message', (data) => (chrome.readyState === WebSocket.OPEN ? chrome.send(data.toString()) : pending.push(data.toString())));
      chrome.on('message', (data) => client.send(data.toString()));
      client.on('close', () => {
        chrome.close();
        options.closed?.();
      });
      chrome.on('close', () => client.close());
    });
  });
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
