import net from 'node:net';
import { debug } from '../../protocol/debug.js';

/**
 * The forwarder's fast lane: plain-HTTP requests whose route is an upstream
 * HTTP proxy (no credentials) or their origin are piped as bytes, not parsed
 * and written out again. Only each request's head is read (to route it, and to
 * find where its body ends); the answer comes back untouched, so what Chrome
 * gets is what the upstream sent, and the forwarder adds next to nothing to a
 * page's load. Chrome never pipelines, so when the next request comes on a
 * connection the previous answer is complete, and that request may be routed
 * elsewhere (a new setProxy takes effect on pooled connections too). Anything
 * else (tunnels, chunked or upgrade requests, proxies that want credentials,
 * SOCKS and HTTPS upstreams, a connection that cannot be made) is handed to
 * the full forwarder (proxy-forwarder.ts) with the bytes it has not read.
 *
 * Written here because no proxy library routes each request of a kept-alive
 * connection and then gets out of the way; proxy-chain parses and re-sends
 * every request and answer (see the benchmark's scenario 6).
 */

/** Where a plain request is piped: an upstream HTTP proxy (the request as Chrome wrote it) or its origin (origin-form). */
export interface LaneTarget {
  readonly host: string;
  readonly port: number;
  readonly origin: boolean;
}

export interface LaneHooks {
  /** Where a request goes; `undefined` hands the connection to the full forwarder. */
  route(url: URL): Promise<LaneTarget | undefined>;
  /** Takes a connection over, its unread bytes put back on it. */
  handOff(socket: net.Socket): void;
  /**
   * A connection to `target` could not be made. For an origin the request then fails
   * (`false`: Chrome's connection is dropped); for a proxy, `true` hands it on.
   */
  unreachable(target: LaneTarget, error: NodeJS.ErrnoException): boolean;
}

/** A request head, as far as the lane needs it. */
export interface RequestHead {
  readonly url: URL;
  /** The head's bytes, through the blank line. */
  readonly length: number;
  readonly bodyLength: number;
  /** The head as an origin would get it: origin-form request line, `Proxy-Connection` as `Connection`. */
  originForm(): Buffer;
}

const MAX_HEAD_BYTES = 64 * 1024;
const REQUEST_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) (http:\/\/[^/\s]+)(\/\S*)? (HTTP\/1\.[01])$/;

/**
 * The head at the start of `buffer`: `'more'` when it is not all there yet,
 * `'other'` for what the lane leaves to the full forwarder.
 */
export function readHead(buffer: Buffer): RequestHead | 'more' | 'other' {
  const end = buffer.indexOf('\r\n\r\n');
  if (end < 0) return buffer.length > MAX_HEAD_BYTES ? 'other' : 'more';
  const lines = buffer.toString('latin1', 0, end).split('\r\n');
  const line = REQUEST_LINE.exec(lines[0]!);
  if (!line) return 'other';
  let bodyLength = 0;
  let sawLength = false;
  for (const header of lines.slice(1)) {
    const colon = header.indexOf(':');
    if (colon <= 0) return 'other';
    const name = header.slice(0, colon).trim().toLowerCase();
    if (name === 'transfer-encoding' || name === 'upgrade' || name === 'expect' || name === 'proxy-authorization') return 'other';
    if (name === 'content-length') {
      const value = header.slice(colon + 1).trim();
      if (!/^\d{1,15}$/.test(value) || (sawLength && Number(value) !== bodyLength)) return 'other';
      sawLength = true;
      bodyLength = Number(value);
    }
  }
  let url: URL;
  try {
    url = new URL(`${line[2]}${line[3] ?? '/'}`);
  } catch {
    return 'other';
  }
  const [, method, , path = '/', version] = line;
  return {
    url,
    length: end + 4,
    bodyLength,
    originForm: () => {
      const headers = lines.slice(1);
      const hasConnection = headers.some((header) => /^connection\s*:/i.test(header));
      const kept = headers.flatMap((header) => (!/^proxy-connection\s*:/i.test(header) ? [header] : hasConnection ? [] : [header.replace(/^proxy-connection/i, 'Connection')]));
      return Buffer.from(`${method!} ${path} ${version!}\r\n${kept.map((header) => `${header}\r\n`).join('')}\r\n`, 'latin1');
    },
  };
}

const EMPTY = Buffer.alloc(0);

/** One connection from Chrome, while the lane has it. */
class LaneConnection {
  readonly #socket: net.Socket;
  readonly #hooks: LaneHooks;
  readonly #done: () => void;
  /** Bytes from Chrome not dealt with yet. */
  #pending: Buffer = EMPTY;
  /** Bytes of the current request's body still to pass through. */
  #bodyLeft = 0;
  #routing = false;
  /** The upstream has no room: Chrome's socket waits for its 'drain'. */
  #draining = false;
  #upstream: net.Socket | undefined;
  #upstreamKey = '';
  /** The current request's bytes, kept until its upstream is connected (to hand them on should it not be). */
  #unsent: Buffer[] | undefined;
  #target: LaneTarget | undefined;
  readonly #onData = (chunk: Buffer): void => this.#take(chunk);
  readonly #onEnd = (): void => void this.#upstream?.end();
  readonly #onClose = (): void => this.#close();

  constructor(socket: net.Socket, hooks: LaneHooks, done: () => void) {
    this.#socket = socket;
    this.#hooks = hooks;
    this.#done = done;
    socket.on('data', this.#onData);
    socket.on('end', this.#onEnd);
    socket.on('close', this.#onClose);
    socket.on('error', this.#onClose);
  }

  destroy(): void {
    this.#socket.destroy();
    this.#upstream?.destroy();
  }

  #take(chunk: Buffer): void {
    this.#pending = this.#pending.length ? Buffer.concat([this.#pending, chunk]) : chunk;
    this.#advance();
  }

  /** Passes body bytes on, and routes each new head, as far as the bytes go. */
  #advance(): void {
    while (!this.#routing && this.#pending.length > 0) {
      if (this.#bodyLeft > 0) {
        const part = this.#pending.subarray(0, this.#bodyLeft);
        this.#pending = this.#pending.subarray(part.length);
        this.#bodyLeft -= part.length;
        this.#send(part);
        continue;
      }
      const head = readHead(this.#pending);
      if (head === 'more') return;
      if (head === 'other') return this.#handOff();
      this.#routing = true;
      this.#socket.pause();
      void this.#hooks.route(head.url).then(
        (target) => this.#routed(head, target),
        (error: unknown) => {
          debug.ignored('proxy lane route for %s: %s', head.url.href, error);
          this.#routed(head, undefined);
        },
      );
      return;
    }
  }

  #routed(head: RequestHead, target: LaneTarget | undefined): void {
    this.#routing = false;
    if (this.#socket.destroyed) return;
    if (!target) return this.#handOff();
    const bytes = target.origin ? head.originForm() : this.#pending.subarray(0, head.length);
    this.#pending = this.#pending.subarray(head.length);
    this.#bodyLeft = head.bodyLength;
    this.#upstreamFor(target);
    this.#send(bytes);
    // Chrome's bytes wait in its socket until the upstream is connected (and has room).
    if (this.#unsent || this.#draining) return;
    this.#socket.resume();
    this.#advance();
  }

  /** The upstream connection for `target`: the one open already if it goes there, else a new one. */
  #upstreamFor(target: LaneTarget): void {
    const key = `${target.origin ? 'origin' : 'proxy'} ${target.host} ${target.port}`;
    if (this.#upstream && !this.#upstream.destroyed && this.#upstreamKey === key) return;
    this.#dropUpstream();
    const upstream = net.connect({ host: target.host.replace(/^\[|\]$/g, ''), port: target.port, noDelay: true });
    upstream.unref();
    this.#upstream = upstream;
    this.#upstreamKey = key;
    this.#target = target;
    this.#unsent = [];
    upstream.once('connect', () => {
      const unsent = this.#unsent ?? [];
      this.#unsent = undefined;
      for (const bytes of unsent) this.#send(bytes);
      if (this.#draining || this.#routing) return;
      this.#socket.resume();
      this.#advance();
    });
    upstream.pipe(this.#socket, { end: false });
    upstream.on('error', (error: NodeJS.ErrnoException) => this.#upstreamFailed(upstream, error));
    // The upstream closed: so does Chrome's connection, after what came before (as a direct one would).
    upstream.on('close', (failed) => {
      if (upstream !== this.#upstream) return;
      if (failed) this.#socket.destroy();
      else this.#socket.end();
    });
  }

  #upstreamFailed(upstream: net.Socket, error: NodeJS.ErrnoException): void {
    if (upstream !== this.#upstream) return;
    const unsent = this.#unsent;
    // Connected already (the request may have gone): the connection fails as Chrome's own would.
    if (!unsent || !this.#target || !this.#hooks.unreachable(this.#target, error)) return void this.#socket.destroy();
    // A proxy that could not be reached: the full forwarder takes the request (what came of it so far) and fails over.
    this.#pending = Buffer.concat([...unsent, this.#pending]);
    this.#bodyLeft = 0;
    this.#dropUpstream();
    this.#handOff();
  }

  #send(bytes: Buffer): void {
    if (this.#unsent) {
      this.#unsent.push(bytes);
      this.#socket.pause();
      return;
    }
    const upstream = this.#upstream;
    if (upstream?.write(bytes) === false && !this.#draining) {
      this.#draining = true;
      this.#socket.pause();
      upstream.once('drain', () => {
        this.#draining = false;
        if (upstream !== this.#upstream || this.#routing) return;
        this.#socket.resume();
        this.#advance();
      });
    }
  }

  #dropUpstream(): void {
    const upstream = this.#upstream;
    this.#upstream = undefined;
    this.#upstreamKey = '';
    this.#unsent = undefined;
    this.#draining = false;
    if (!upstream) return;
    upstream.unpipe(this.#socket);
    upstream.destroy();
  }

  /** At a head's start, with no answer outstanding: the full forwarder takes the connection from here. */
  #handOff(): void {
    this.#dropUpstream();
    const socket = this.#socket;
    socket.off('data', this.#onData);
    socket.off('end', this.#onEnd);
    socket.off('close', this.#onClose);
    socket.off('error', this.#onClose);
    this.#done();
    socket.pause();
    if (this.#pending.length) socket.unshift(this.#pending);
    this.#pending = EMPTY;
    this.#hooks.handOff(socket);
    socket.resume();
  }

  #close(): void {
    this.#dropUpstream();
    this.#done();
  }
}

/** The connections the lane has, so that they can all be dropped (closeAllConnections). */
export class ProxyLane {
  readonly #hooks: LaneHooks;
  readonly #open = new Set<LaneConnection>();

  constructor(hooks: LaneHooks) {
    this.#hooks = hooks;
  }

  accept(socket: net.Socket): void {
    const connection: LaneConnection = new LaneConnection(socket, this.#hooks, () => this.#open.delete(connection));
    this.#open.add(connection);
  }

  closeAll(): void {
    for (const connection of this.#open) connection.destroy();
    this.#open.clear();
  }
}
