import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * The forwarder's direct path, for sessions (or URLs) with no proxy. A proxy
 * that answers a failed connection with an error page would make Chrome show
 * that page; Chrome without a proxy would fail the request instead. So here a
 * failed plain request drops Chrome's connection (the request fails), a failed
 * tunnel is refused with 502 (ERR_TUNNEL_CONNECTION_FAILED, which Chrome does
 * not take as the proxy failing), and the real cause is kept for the API to
 * report (`explainNetError`): `ERR_NAME_NOT_RESOLVED`, `ERR_CONNECTION_REFUSED`...
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

/** Errors Chrome reports when the forwarder gave up on a connection, which `explainNetError` replaces. */
const FORWARDER_ERRORS = new Set(['net::ERR_EMPTY_RESPONSE', 'net::ERR_TUNNEL_CONNECTION_FAILED', 'net::ERR_CONNECTION_CLOSED']);

function key(host: string, port: number): string {
  return `${host.replace(/^\[|\]$/g, '').toLowerCase()}:${port}`;
}

/** Keeps why a connection to `host:port` failed (a Chrome net error name) for a few seconds. */
export function recordFailure(host: string, port: number, error: string): void {
  failures.set(key(host, port), { error, at: Date.now() });
  if (failures.size > 1_000) failures.delete(failures.keys().next().value!);
}

export function netErrorOf(error: NodeJS.ErrnoException): string {
  return NET_ERRORS[error.code ?? ''] ?? 'net::ERR_CONNECTION_FAILED';
}

/** Chrome's error for a request to `url`, with the forwarder's stand-in replaced by what really went wrong. */
export function explainNetError(errorText: string, url: string): string {
  if (!FORWARDER_ERRORS.has(errorText) || failures.size === 0) return errorText;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return errorText;
  }
  const port = Number(parsed.port) || (parsed.protocol === 'https:' || parsed.protocol === 'wss:' ? 443 : 80);
  const failure = failures.get(key(parsed.hostname, port));
  return failure && Date.now() - failure.at < FAILURE_TTL_MS ? failure.error : errorText;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'proxy-authenticate', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

function endToEnd(raw: string[]): string[] {
  const kept: string[] = [];
  for (let index = 0; index < raw.length; index += 2) {
    if (!HOP_BY_HOP.has(raw[index]!.toLowerCase())) kept.push(raw[index]!, raw[index + 1]!);
  }
  return kept;
}

/** A plain (absolute-URL) request from Chrome, sent straight to its origin, the response streamed back. */
export function forwardDirect(request: http.IncomingMessage, response: http.ServerResponse, agent: http.Agent): void {
  const target = new URL(request.url ?? '');
  const port = Number(target.port) || 80;
  const outgoing = http.request({
    host: target.hostname.replace(/^\[|\]$/g, ''),
    port,
    method: request.method,
    path: `${target.pathname}${target.search}`,
    headers: endToEnd(request.rawHeaders),
    setHost: false,
    agent,
  });
  // The traffic is Chrome's: it never keeps Node running (see proxy-forwarder.ts).
  outgoing.on('socket', (socket) => socket.unref());
  outgoing.on('response', (incoming) => {
    response.writeHead(incoming.statusCode ?? 502, incoming.statusMessage, endToEnd(incoming.rawHeaders));
    // Headers go on at once, as a proxy's would (Node holds them until the first body byte otherwise).
    response.flushHeaders();
    incoming.pipe(response);
    incoming.on('error', () => response.destroy());
  });
  outgoing.on('error', (error: NodeJS.ErrnoException) => {
    if (!response.headersSent) recordFailure(target.hostname, port, netErrorOf(error));
    // No response at all: Chrome fails the request as it would have on its own connection.
    request.socket.destroy();
  });
  response.on('close', () => outgoing.destroy());
  request.pipe(outgoing);
}

/** A CONNECT tunnel straight to `host:port`; refused with 502 when the target cannot be reached. */
export function tunnelDirect(request: http.IncomingMessage, socket: Duplex, head: Buffer): void {
  const authority = new URL(`connect://${request.url ?? ''}`);
  const port = Number(authority.port);
  const host = authority.hostname.replace(/^\[|\]$/g, '');
  const target = net.connect({ host, port });
  target.unref();
  let connected = false;
  target.once('connect', () => {
    connected = true;
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length) target.write(head);
    target.pipe(socket);
    socket.pipe(target);
  });
  target.on('error', (error: NodeJS.ErrnoException) => {
    if (connected) return socket.destroy();
    recordFailure(host, port, netErrorOf(error));
    socket.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  });
  target.on('close', () => socket.destroy());
  socket.on('error', () => target.destroy());
  socket.on('close', () => target.destroy());
}
