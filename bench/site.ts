import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The benchmark's local site: a small page, a page with 50 subresources, and numbered pages. */
export interface BenchSite {
  small: string;
  fifty: string;
  page: (n: number) => string;
  origin: string;
  /** A local forwarding proxy (`127.0.0.1:<port>`) that sends every request to the site, whatever its host. */
  proxy: string;
  /** The 50-subresource page under a name only the proxy answers. */
  proxiedFifty: string;
  close(): Promise<void>;
}

const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

export async function startSite(): Promise<BenchSite> {
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path.startsWith('/r/')) {
      const type = path.endsWith('.css') ? 'text/css' : path.endsWith('.js') ? 'text/javascript' : 'image/gif';
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      return void res.end(type === 'image/gif' ? PIXEL : type === 'text/css' ? 'p{color:black}' : 'void 0;');
    }
    if (path === '/fifty') {
      const parts: string[] = [];
      for (let i = 0; i < 50; i++) {
        if (i % 10 === 0) parts.push(`<link rel="stylesheet" href="/r/${i}.css">`);
        else if (i % 10 === 1) parts.push(`<script src="/r/${i}.js"></script>`);
        else parts.push(`<img src="/r/${i}.gif">`);
      }
      res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' });
      return void res.end(`<!doctype html><title>fifty</title>${parts.join('')}`);
    }
    res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' });
    res.end(`<!doctype html><title>${path}</title><p>${path}</p>`);
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const proxy = await startProxy((server.address() as AddressInfo).port);
  return {
    origin,
    proxy: proxy.address,
    proxiedFifty: 'http://bench.test/fifty',
    small: `${origin}/small`,
    fifty: `${origin}/fifty`,
    page: (n) => `${origin}/page/${n}`,
    close: () =>
      new Promise<void>((resolve) => {
        proxy.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The plainest forwarding proxy: absolute-form requests relayed to the site over kept-alive connections. */
async function startProxy(sitePort: number): Promise<{ address: string; close(): void }> {
  const agent = new http.Agent({ keepAlive: true });
  const proxy = http.createServer((req, res) => {
    const target = new URL(req.url ?? '/');
    const upstream = http.request({ host: '127.0.0.1', port: sitePort, method: req.method, path: `${target.pathname}${target.search}`, headers: req.headers, agent }, (response) => {
      res.writeHead(response.statusCode ?? 502, response.headers);
      response.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  proxy.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    close: () => {
      agent.destroy();
      proxy.closeAllConnections();
      proxy.close();
    },
  };
}
