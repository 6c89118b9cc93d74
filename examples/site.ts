import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The demo's local site: a login that sets a session cookie, pages of data
 * that depend on who is logged in (each with a tracker script), a CSV report,
 * and a larger archive sent at a steady pace, so a download has progress to show.
 */
const ARCHIVE_BYTES = 24 * 1024 * 1024;
const ARCHIVE_CHUNK = 512 * 1024;

const ACCOUNTS: Record<string, { name: string; plan: string; orders: string[] }> = {
  alice: { name: 'Alice Liddell', plan: 'gold', orders: ['teapot', 'pocket watch', 'cake'] },
  bob: { name: 'Bob Builder', plan: 'silver', orders: ['hammer', 'ladder'] },
  carol: { name: 'Carol Danvers', plan: 'platinum', orders: ['flight suit', 'star map', 'cat food', 'helmet'] },
  dave: { name: 'Dave Bowman', plan: 'bronze', orders: ['pod bay key'] },
};

const sessions = new Map<string, string>();

function userOf(req: http.IncomingMessage): string | undefined {
  const match = /(?:^|;\s*)sid=([^;]+)/.exec(req.headers.cookie ?? '');
  return match ? sessions.get(match[1]!) : undefined;
}

function page(res: http.ServerResponse, title: string, body: string, status = 200): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><title>${title}</title><script src="/tracker.js"></script><body>${body}</body>`);
}

function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://site');
  const user = userOf(req);
  switch (url.pathname) {
    case '/login': {
      const who = url.searchParams.get('user') ?? '';
      if (!ACCOUNTS[who]) return page(res, 'Login failed', '<p>unknown user</p>', 401);
      const sid = `${who}-${Math.random().toString(36).slice(2, 10)}`;
      sessions.set(sid, who);
      res.writeHead(302, { location: '/account', 'set-cookie': `sid=${sid}; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax` });
      return void res.end();
    }
    case '/account': {
      if (!user) return page(res, 'Please log in', '<p>not logged in</p>', 401);
      const account = ACCOUNTS[user]!;
      return page(res, `Account of ${account.name}`, `<h1 id="name">${account.name}</h1><p id="plan">${account.plan}</p>`);
    }
    case '/orders': {
      if (!user) return page(res, 'Please log in', '<p>not logged in</p>', 401);
      const rows = ACCOUNTS[user]!.orders.map((item, i) => `<tr><td>${i + 1}</td><td class="item">${item}</td></tr>`).join('');
      return page(res, 'Orders', `<table id="orders">${rows}</table>`);
    }
    case '/report.csv': {
      if (!user) return page(res, 'Please log in', '<p>not logged in</p>', 401);
      res.writeHead(200, { 'content-type': 'text/csv', 'content-disposition': `attachment; filename="${user}-report.csv"` });
      return void res.end(['item', ...ACCOUNTS[user]!.orders].join('\n'));
    }
    case '/tracker.js': {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      return void res.end('window.tracked = true;');
    }
    case '/archive.zip': {
      if (!user) return page(res, 'Please log in', '<p>not logged in</p>', 401);
      res.writeHead(200, { 'content-type': 'application/zip', 'content-length': ARCHIVE_BYTES, 'content-disposition': 'attachment; filename="archive.zip"' });
      // About 1.5 s in all: a pace for the demo's progress bar, not a real server's.
      let sent = 0;
      const next = (): void => {
        if (sent >= ARCHIVE_BYTES) return void res.end();
        sent += ARCHIVE_CHUNK;
        if (res.write(Buffer.alloc(ARCHIVE_CHUNK, sent % 251))) setTimeout(next, 30);
        else res.once('drain', () => setTimeout(next, 30));
      };
      return next();
    }
    default:
      return page(res, 'Shop', '<p>welcome</p>');
  }
}

export async function startSite(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
