import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { Server, type PrepareRequestFunctionOpts, type PrepareRequestFunctionResult } from 'proxy-chain';
import { debug } from '../../protocol/debug.js';
import { forwardDirect, tunnelDirect } from './proxy-direct.js';
import { connectTarget } from './host-rules.js';
import { ProxyLane, type LaneTarget } from './proxy-lane.js';
import { netErrorOf, portOf, recordFailure, recordFailureFor } from './net-failures.js';
import { probeUpstream, type UpstreamProbe } from './proxy-probe.js';
import { DIRECT, serverKey, upstreamUrl, type ProxyServer } from './proxy-server.js';

/** Picks the proxy list for a URL; `null` when the configuration cannot be had (a PAC that failed to load). */
export type ProxyChooser = (url: URL) => Promise<readonly ProxyServer[] | null>;

/** Chrome keeps a proxy that failed out of use this long (net::ProxyList's retry delay). */
const BAD_PROXY_MS = 5 * 60_000;
/** How long a probe's verdict on an upstream stands. */
const PROBE_TTL_MS = 30_000;

/** Forwarders by the port they listen on, so a proxy auth challenge from one can name the upstream that asked. */
const listening = new Map<number, ProxyForwarder>();

/** The upstream proxy behind a challenge Chrome reports from one of our forwarders (`127.0.0.1:<port>`). */
export function upstreamChallenger(host: string, port: number): ProxyServer | undefined {
  return host === '127.0.0.1' ? listening.get(port)?.lastChallenger : undefined;
}

/** proxy-chain's server, with the upstream picked before it handles a request and the direct path our own. */
class ForwardingServer extends Server {
  pick: ((request: http.IncomingMessage) => Promise<ProxyServer | undefined>) | undefined;
  agents = newAgents();

  override async onRequest(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const server = await this.#pick(request);
    if (server === undefined) return void request.socket.destroy();
    if (server.scheme === 'direct') return forwardDirect(request, response, this.agents.http);
    // proxy-chain relays an upstream's headers with the first body byte; a stalled body (long polling,
    // server-sent events) would hold them back, so they go on as soon as they are written.
    const writeHead = response.writeHead.bind(response) as (...args: unknown[]) => http.ServerResponse;
    response.writeHead = ((...args: unknown[]) => {
      const result = writeHead(...args);
      response.flushHeaders();
      return result;
    }) as unknown as typeof response.writeHead;
    return super.onRequest(request, response);
  }

  override async onConnect(request: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const server = await this.#pick(request);
    if (server === undefined) return void socket.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
    if (server.scheme === 'direct') return tunnelDirect(request, socket, head);
    return super.onConnect(request, socket as Parameters<Server['onConnect']>[1], head);
  }

  async #pick(request: http.IncomingMessage): Promise<ProxyServer | undefined> {
    try {
      return await this.pick!(request);
    } catch (error) {
      debug.ignored('proxy choice for %s: %s', request.url, error);
      return undefined;
    }
  }
}

/**
 * The local proxy one Chrome context is pointed at when it is created, so
 * that the session's proxy can change at any time: Chrome fixes a context's
 * proxy for its lifetime, this forwarder picks the upstream (or none) for
 * each new connection from the session's current configuration.
 *
 * Chrome connects to its fast lane (proxy-lane.ts), which pipes plain requests
 * bound for an HTTP upstream or their origin and hands proxy-chain the rest.
 * proxy-chain forwards through upstreams (plain HTTP, CONNECT tunnels,
 * HTTP/HTTPS/SOCKS upstreams); this class adds what Chrome does around it:
 * fail-over along a proxy list (a proxy that cannot be reached is skipped and
 * kept out of use for 5 minutes), proxy credentials asked of Chrome (Chrome
 * then fires its proxy auth challenge: the `login` event with `isProxy`), the
 * direct path with Chrome's failures (proxy-direct.ts), and dropping every
 * connection on `closeAllConnections()`.
 */
export class ProxyForwarder {
  readonly #server: ForwardingServer;
  #choose: ProxyChooser | undefined;
  readonly #chosen = new WeakMap<http.IncomingMessage, ProxyServer>();
  readonly #badUntil = new Map<string, number>();
  readonly #probes = new Map<string, { at: number; result: Promise<UpstreamProbe> }>();
  /** Upstreams that answered 407, with their realm: Chrome is asked for credentials before a request goes there. */
  readonly #needsAuth = new Map<string, string>();
  #state: 'open' | 'closed' = 'open';
  /** The upstream proxy that last asked for credentials, for the login event's `host` and `port`. */
  lastChallenger: ProxyServer | undefined;

  readonly #front: net.Server;
  readonly #lane: ProxyLane;

  private constructor(server: ForwardingServer) {
    this.#server = server;
    server.pick = (request) => this.#pickFor(request);
    this.#lane = new ProxyLane({
      route: (url) => this.#laneFor(url),
      // proxy-chain's HTTP server takes the connection as if it had accepted it.
      handOff: (socket) => void server.server.emit('connection', socket),
      unreachable: (target, error) => this.#unreachable(target, error),
    });
    this.#front = net.createServer({ noDelay: true }, (socket) => {
      // Neither the listener nor Chrome's connections keep Node running (see newAgents).
      socket.unref();
      this.#lane.accept(socket);
    });
  }

  static async start(): Promise<ProxyForwarder> {
    let forwarder: ProxyForwarder | undefined;
    const server = new ForwardingServer({
      port: 0,
      host: '127.0.0.1',
      verbose: false,
      authRealm: '',
      prepareRequestFunction: (options) => forwarder!.#prepare(options),
    });
    forwarder = new ProxyForwarder(server);
    // A failed upstream is Chrome's business (it gets the error response); nothing to crash on here.
    server.on('requestFailed', ({ error }: { error: Error }) => debug.ignored('proxy forwarder: %s', error.message));
    // Chrome connects to the lane (proxy-lane.ts), which hands proxy-chain what it does not pipe itself.
    const front = forwarder.#front;
    await new Promise<void>((resolve, reject) => {
      front.once('error', reject);
      front.listen(0, '127.0.0.1', () => {
        front.off('error', reject);
        resolve();
      });
    });
    // A failed accept (out of descriptors, say) costs that connection only.
    front.on('error', (error: Error) => debug.ignored('proxy forwarder: %s', error.message));
    front.unref();
    listening.set(forwarder.#port, forwarder);
    return forwarder;
  }

  get #port(): number {
    return (this.#front.address() as net.AddressInfo).port;
  }

  /** What Chrome is told to use: `http://127.0.0.1:<port>`. */
  get address(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  /** Takes a new configuration: new connections follow it, the failure marks of the old one are forgotten. */
  route(choose: ProxyChooser): void {
    this.#choose = choose;
    this.#badUntil.clear();
    this.#probes.clear();
    this.#needsAuth.clear();
  }

  /** Drops every connection Chrome has open through this forwarder (in flight or pooled) and the pooled upstream ones. */
  closeConnections(): void {
    this.#lane.closeAll();
    this.#server.closeConnections();
    const { http: plain, https: secure } = this.#server.agents;
    this.#server.agents = newAgents();
    plain.destroy();
    secure.destroy();
  }

  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    listening.delete(this.#port);
    const closed = new Promise<void>((resolve) => this.#front.close(() => resolve()));
    this.#lane.closeAll();
    this.#server.closeConnections();
    this.#server.agents.http.destroy();
    this.#server.agents.https.destroy();
    await closed;
  }

  /** The proxy a request goes through (`direct` for none); `undefined` when it must fail. */
  async #pickFor(request: http.IncomingMessage): Promise<ProxyServer | undefined> {
    const server = await this.#serverFor(targetUrl(request));
    if (server) this.#chosen.set(request, server);
    return server;
  }

  /** Where the lane pipes a plain request: its origin, or an HTTP upstream that asks no credentials; else the full forwarder. */
  async #laneFor(url: URL): Promise<LaneTarget | undefined> {
    const server = await this.#serverFor(url, false);
    if (server?.scheme === 'direct') {
      const to = connectTarget(url.hostname.replace(/^\[|\]$/g, ''), portOf(url));
      // An unresolvable name is failed by the full forwarder's direct path.
      return to === 'notFound' ? undefined : { ...to, origin: true };
    }
    if (server?.scheme === 'http' && !this.#needsAuth.has(serverKey(server))) return { host: server.host, port: server.port, origin: false };
    return undefined;
  }

  /** The lane could not connect: an origin's failure is kept for the API (the request fails); a proxy is kept out of use. */
  #unreachable(target: LaneTarget, error: NodeJS.ErrnoException): boolean {
    if (target.origin) {
      recordFailure(target.host, target.port, netErrorOf(error));
      return false;
    }
    this.#badUntil.set(serverKey({ scheme: 'http', host: target.host, port: target.port }), Date.now() + BAD_PROXY_MS);
    return true;
  }

  /** The proxy for `url` (`direct` for none); `undefined` when the request must fail (recorded when `record`). */
  async #serverFor(url: URL, record = true): Promise<ProxyServer | undefined> {
    // A context nobody steers yet (a spare, before its session takes it) goes direct.
    const list = this.#choose ? await this.#choose(url) : [DIRECT];
    // Chrome fails requests when a mandatory PAC script cannot be had.
    if (!list || list.length === 0) return void (record && recordFailureFor(url, 'net::ERR_MANDATORY_PROXY_CONFIGURATION_FAILED'));
    const server = await this.#firstUsable(list, `${url.hostname}:${portOf(url)}`);
    if (!server && record) recordFailureFor(url, 'net::ERR_PROXY_CONNECTION_FAILED');
    return server;
  }

  /** The first entry that is not known bad, as Chrome's fail-over picks; `undefined` when none can be reached. */
  async #firstUsable(list: readonly ProxyServer[], target: string): Promise<ProxyServer | undefined> {
    const now = Date.now();
    for (const server of list) {
      if (server.scheme === 'direct') return server;
      const key = serverKey(server);
      if ((this.#badUntil.get(key) ?? 0) > now) continue;
      const probe = await this.#probe(server, target);
      if (typeof probe === 'object') this.#needsAuth.set(key, probe.realm);
      if (probe !== 'unreachable') return server;
      this.#badUntil.set(key, now + BAD_PROXY_MS);
    }
    return undefined;
  }

  #probe(server: ProxyServer, target: string): Promise<UpstreamProbe> {
    const key = serverKey(server);
    const known = this.#probes.get(key);
    if (known && Date.now() - known.at < PROBE_TTL_MS) return known.result;
    const result = probeUpstream(server, target);
    this.#probes.set(key, { at: Date.now(), result });
    return result;
  }

  #prepare(options: PrepareRequestFunctionOpts): PrepareRequestFunctionResult {
    const server = this.#chosen.get(options.request);
    if (!server) throw new Error('No upstream chosen');
    const realm = this.#needsAuth.get(serverKey(server));
    if (!options.username && realm !== undefined) {
      this.lastChallenger = server;
      // Chrome's challenge (and so the login event) carries the upstream's realm.
      this.#server.authRealm = realm;
      return { requestAuthentication: true };
    }
    return { upstreamProxyUrl: upstreamUrl(server, options), httpAgent: this.#server.agents.http, httpsAgent: this.#server.agents.https };
  }
}

/**
 * Agents whose sockets never keep Node running: the traffic is Chrome's, and a script that is
 * done must still end (and close Chrome) while Chrome keeps idle connections open.
 */
function newAgents(): { http: http.Agent; https: https.Agent } {
  return { http: unrefSockets(new http.Agent({ keepAlive: true })), https: unrefSockets(new https.Agent({ keepAlive: true })) };
}

function unrefSockets<T extends http.Agent>(agent: T): T {
  const create = agent.createConnection.bind(agent);
  agent.createConnection = (...args: Parameters<http.Agent['createConnection']>) => {
    const socket = create(...args);
    (socket as net.Socket | undefined)?.unref();
    return socket;
  };
  return agent;
}

/** The URL a request is for: absolute for plain HTTP; for a tunnel, its scheme guessed from the port as Chrome's would be. */
function targetUrl(request: http.IncomingMessage): URL {
  if (request.method !== 'CONNECT') return new URL(request.url ?? '/', 'http://invalid');
  const authority = new URL(`connect://${request.url ?? ''}`);
  return new URL(`${authority.port === '80' ? 'http' : 'https'}://${authority.host}/`);
}
