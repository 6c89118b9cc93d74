import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The benchmark's local site: a small page, a page with 50 subresources, and numbered pages. */
export interface BenchSite {
  small: string;
  fifty: string;
  page: (n: number) => string;
  origin: string;
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
  return {
    origin,
    small: `${origin}/small`,
    fifty: `${origin}/fifty`,
    page: (n) => `${origin}/page/${n}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
