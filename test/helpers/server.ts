import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Route = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/**
 * A local HTTP server for one test file, on 127.0.0.1 with an ephemeral port.
 * `prefix` is http://127.0.0.1:<port>, `crossOrigin` the same server as localhost.
 */
export class TestServer {
  readonly #server: http.Server;
  readonly #routes = new Map<string, Route>();
  readonly #waiters = new Map<string, Array<(req: http.IncomingMessage) => void>>();
  prefix = '';
  crossOrigin = '';

  private constructor() {
    this.#server = http.createServer((req, res) => this.#handle(req, res));
    this.#server.keepAliveTimeout = 500;
  }

  static async start(): Promise<TestServer> {
    const server = new TestServer();
    await new Promise<void>((resolve) => server.#server.listen(0, '127.0.0.1', resolve));
    const { port } = server.#server.address() as AddressInfo;
    server.prefix = `http://127.0.0.1:${port}`;
    server.crossOrigin = `http://localhost:${port}`;
    return server;
  }

  setRoute(path: string, route: Route): void {
    this.#routes.set(path, route);
  }

  /** Serves `html` with a text/html content type at `path`. */
  setPage(path: string, html: string, headers: Record<string, string | string[]> = {}): void {
    this.setRoute(path, (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...headers });
      res.end(html);
    });
  }

  /** Answers `path` with a redirect (302 unless `status` says otherwise) to `location`. */
  setRedirect(path: string, location: string, status = 302, headers: Record<string, string> = {}): void {
    this.setRoute(path, (_req, res) => {
      res.writeHead(status, { location, ...headers });
      res.end();
    });
  }

  /** Resolves with the next request for `path`. */
  waitForRequest(path: string): Promise<http.IncomingMessage> {
    return new Promise((resolve) => {
      const list = this.#waiters.get(path) ?? [];
      list.push(resolve);
      this.#waiters.set(path, list);
    });
  }

  async stop(): Promise<void> {
    // Stop taking connections first, then drop the open ones: nothing can arrive in between.
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }

  #handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const waiters = this.#waiters.get(path);
    if (waiters) {
      this.#waiters.delete(path);
      for (const resolve of waiters) resolve(req);
    }
    const route = this.#routes.get(path);
    if (route) return route(req, res);
    if (path === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>${path}</title><p>${path}</p>`);
  }
}
