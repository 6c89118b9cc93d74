import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The demo's local site: a login that sets a session cookie, pages of data
 * that depend on who is logged in, and a CSV report to download.
 */
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
  res.end(`<!doctype html><title>${title}</title><body>${body}</body>`);
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
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
