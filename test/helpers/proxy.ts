import http from 'node:http';
import net, { type AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  /** The absolute URL of a plain request, `host:port` of a tunnel. */
  url: string;
  proxyAuthorization: string | undefined;
}

/**
 * A stand-in upstream proxy on 127.0.0.1: it answers every plain request
 * itself with `<title><name> <url></title>` (so a page shows which proxy
 * carried it), refuses tunnels with 403, and records what it saw. With
 * `credentials` (`user:pass`), anything without them gets a 407 asking for
 * Basic credentials in realm `realm`. Paths under `/hang` get headers and then never a body;
 * `/echo` answers with the request's body.
 */
export class TestProxy {
  readonly seen: SeenRequest[] = [];
  readonly #server: http.Server;
  readonly #waiters: Array<{ url: string; resolve: (request: SeenRequest) => void }> = [];
  port = 0;

  private constructor(name: string, credentials: string | undefined, realm: string) {
    const expected = credentials && `Basic ${Buffer.from(credentials).toString('base64')}`;
    const authorized = (request: http.IncomingMessage): boolean => !expected || request.headers['proxy-authorization'] === expected;
    this.#server = http.createServer((request, response) => {
      this.#record(request);
      if (!authorized(request)) {
        response.writeHead(407, { 'proxy-authenticate': `Basic realm="${realm}"`, 'content-length': '0' });
        return void response.end();
      }
      if (new URL(request.url ?? '/', 'http://x').pathname === '/echo') {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          response.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store', 'access-control-allow-origin': '*', 'x-proxy': name });
          response.end(Buffer.concat(chunks));
        });
        return;
      }
      if (new URL(request.url ?? '/', 'http://x').pathname.startsWith('/hang')) {
        // Headers now, the body never: the response is in flight until a connection drops.
        response.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
        return void response.flushHeaders();
      }
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(`<!doctype html><title>${name} ${request.url}</title>`);
    });
    this.#server.on('connect', (request: http.IncomingMessage, socket: net.Socket) => {
      // Node leaves a tunnel's socket to us: a client that resets it must not crash the test.
      socket.on('error', () => socket.destroy());
      this.#record(request);
      const status = authorized(request) ? '403 Forbidden' : `407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="${realm}"`;
      socket.end(`HTTP/1.1 ${status}\r\nContent-Length: 0\r\n\r\n`);
    });
  }

  static async start(name: string, options: { credentials?: string; realm?: string } = {}): Promise<TestProxy> {
    const proxy = new TestProxy(name, options.credentials, options.realm ?? 'test-proxy');
    await new Promise<void>((resolve) => proxy.#server.listen(0, '127.0.0.1', resolve));
    proxy.port = (proxy.#server.address() as AddressInfo).port;
    return proxy;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** The requests it saw for `url` (plain requests) or `host:port` (tunnels). */
  requestsFor(url: string): SeenRequest[] {
    return this.seen.filter((request) => request.url === url);
  }

  /** Resolves with the next request it sees for `url`. */
  nextRequest(url: string): Promise<SeenRequest> {
    return new Promise((resolve) => this.#waiters.push({ url, resolve }));
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }

  #record(request: http.IncomingMessage): void {
    const seen = { method: request.method ?? '', url: request.url ?? '', proxyAuthorization: request.headers['proxy-authorization'] };
    this.seen.push(seen);
    for (const waiter of [...this.#waiters]) {
      if (waiter.url !== seen.url) continue;
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      waiter.resolve(seen);
    }
  }
}

/**
 * A minimal SOCKS5 proxy (no authentication, CONNECT only) that records the
 * host and port each connection asked for and connects it to `origin` on
 * 127.0.0.1, whatever the name: a test needs no DNS to see who carried what.
 */
export class TestSocksProxy {
  readonly targets: string[] = [];
  readonly #server: net.Server;
  readonly #sockets = new Set<net.Socket>();
  port = 0;

  private constructor(originPort: number) {
    this.#server = net.createServer((socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
      socket.on('error', () => socket.destroy());
      socket.once('data', (greeting) => {
        if (greeting[0] !== 5) return socket.destroy();
        socket.write(Buffer.from([5, 0]));
        socket.once('data', (request) => {
          const type = request[3];
          let host = '';
          let offset = 4;
          if (type === 1) {
            host = [...request.subarray(4, 8)].join('.');
            offset = 8;
          } else if (type === 3) {
            const length = request[4]!;
            host = request.subarray(5, 5 + length).toString();
            offset = 5 + length;
          }
          this.targets.push(`${host}:${request.readUInt16BE(offset)}`);
          const upstream = net.connect({ host: '127.0.0.1', port: originPort }, () => {
            socket.write(Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0, 0]));
            upstream.pipe(socket);
            socket.pipe(upstream);
          });
          upstream.on('error', () => socket.destroy());
          socket.on('close', () => upstream.destroy());
        });
      });
    });
  }

  static async start(originPort: number): Promise<TestSocksProxy> {
    const proxy = new TestSocksProxy(originPort);
    await new Promise<void>((resolve) => proxy.#server.listen(0, '127.0.0.1', resolve));
    proxy.port = (proxy.#server.address() as AddressInfo).port;
    return proxy;
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }
}
