import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { connectTarget } from './host-rules.js';
import { netErrorOf, recordFailure } from './net-failures.js';

/**
 * The forwarder's direct path, for sessions (or URLs) with no proxy. A proxy
 * that answers a failed connection with an error page would make Chrome show
 * that page; Chrome without a proxy would fail the request instead. So here a
 * failed plain request drops Chrome's connection (the request fails), a failed
 * tunnel is refused with 502 (ERR_TUNNEL_CONNECTION_FAILED, which Chrome does
 * not take as the proxy failing), and the real cause is kept for the API to
 * report (net-failures.ts): `ERR_NAME_NOT_RESOLVED`, `ERR_CONNECTION_REFUSED`...
 */

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
  const to = connectTarget(target.hostname.replace(/^\[|\]$/g, ''), port);
  if (to === 'notFound') {
    recordFailure(target.hostname, port, 'net::ERR_NAME_NOT_RESOLVED');
    return void request.socket.destroy();
  }
  const outgoing = http.request({
    host: to.host,
    port: to.port,
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
  const to = connectTarget(host, port);
  if (to === 'notFound') {
    recordFailure(host, port, 'net::ERR_NAME_NOT_RESOLVED');
    return void socket.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  }
  const target = net.connect(to);
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
