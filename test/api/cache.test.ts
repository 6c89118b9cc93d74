import test from 'ava';
import { session, type Session } from '../../src/index.js';
import { openWindow, serverAndApp, uniquePartition } from '../helpers/setup.js';

const hits = new Map<string, number>();
const context = serverAndApp(test, (server) => {
  server.setRoute('/cached.js', (req, res) => {
    const key = new URL(req.url!, 'http://x').search;
    hits.set(key, (hits.get(key) ?? 0) + 1);
    res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'max-age=3600' });
    res.end(`window.loaded = ${JSON.stringify(key)}; /* ${'x'.repeat(64 * 1024)} */`);
  });
  // Kept out of the in-memory cache's count (Chrome asks for it whenever it likes).
  server.setRoute('/favicon.ico', (_req, res) => void res.writeHead(204, { 'cache-control': 'no-store' }).end());
  server.setRoute('/page', (req, res) => {
    const key = new URL(req.url!, 'http://x').search;
    res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' });
    res.end(`<script src="/cached.js${key}"></script>`);
  });
});

/** Loads a page that includes /cached.js?<key>, in a new window (a new renderer: no memory cache). */
async function load(t: Parameters<typeof openWindow>[0], ses: Session, key: string): Promise<void> {
  const win = await openWindow(t, ses);
  await win.loadURL(`${context.server.prefix}/page?${key}`);
  t.is(await win.webContents.executeJavaScript('window.loaded'), `?${key}`);
  win.destroy();
}

test('clearCache() - empties this session\'s HTTP cache only; later requests go to the network', async (t) => {
  const mine = session.fromPartition(uniquePartition('cache'));
  const other = session.fromPartition(uniquePartition('cache'));
  await load(t, mine, 'a');
  await load(t, mine, 'a');
  await load(t, other, 'b');
  t.is(hits.get('?a'), 1);
  await mine.clearCache();
  await load(t, mine, 'a');
  await load(t, other, 'b');
  t.is(hits.get('?a'), 2);
  t.is(hits.get('?b'), 1);
});

test("fromPartition(name, { cache: false }) - never uses the HTTP cache", async (t) => {
  const ses = session.fromPartition(uniquePartition('nocache'), { cache: false });
  await load(t, ses, 'c');
  await load(t, ses, 'c');
  t.is(hits.get('?c'), 2);
});

test('getCacheSize() - a persistent session\'s cache on disk grows with loads and drops when cleared; callback forms', async (t) => {
  const ses = session.fromPartition(`persist:${uniquePartition('cache-size')}`);
  const empty = await ses.getCacheSize();
  await load(t, ses, 'd1');
  await load(t, ses, 'd2');
  const filled = await ses.getCacheSize();
  t.true(filled > empty + 64 * 1024, `${empty} → ${filled}`);
  await new Promise<void>((resolve) => ses.clearCache(resolve));
  const cleared = await new Promise<number>((resolve) => ses.getCacheSize(resolve));
  t.true(cleared < filled, `${filled} → ${cleared}`);
});

test('getCacheSize() - an in-memory session: counted from its first call, what its cache keeps (not no-store), 0 again when cleared; sessions apart', async (t) => {
  const ses = session.fromPartition(uniquePartition('memory'));
  t.is(await ses.getCacheSize(), 0);
  await load(t, ses, 'm1');
  const one = await ses.getCacheSize();
  // The script (64 KiB and a little) is kept; its page is no-store.
  t.true(one > 64 * 1024 && one < 80 * 1024, String(one));
  await load(t, ses, 'm1');
  t.is(hits.get('?m1'), 1);
  t.is(await ses.getCacheSize(), one);
  await load(t, ses, 'm2');
  const two = await ses.getCacheSize();
  t.true(two > one + 64 * 1024, `${one} → ${two}`);
  t.is(await session.fromPartition(uniquePartition('memory')).getCacheSize(), 0);
  await new Promise<void>((resolve) => ses.clearCache(resolve));
  t.is(await new Promise<number>((resolve) => ses.getCacheSize(resolve)), 0);
  await load(t, ses, 'm3');
  t.true((await ses.getCacheSize()) > 64 * 1024);
  await ses.clearData({ dataTypes: ['cache'] });
  t.is(await ses.getCacheSize(), 0);
});

const FILL = `(async () => {
  localStorage.setItem('k', 'v');
  document.cookie = 'c=1; max-age=3600';
  await new Promise((resolve) => { const open = indexedDB.open('db'); open.onupgradeneeded = () => open.result.createObjectStore('s'); open.onsuccess = () => { open.result.close(); resolve(); }; });
  await (await caches.open('cache')).put('/x', new Response('x'));
  return true;
})()`;
const READ = `(async () => [
  localStorage.getItem('k'),
  document.cookie,
  (await indexedDB.databases()).map((d) => d.name).join(','),
  (await caches.keys()).join(','),
])()`;

/**
 * The page's view once it agrees with `expected` (or after 5 s): Chrome tells a renderer that its
 * origin's localStorage was cleared over a pipe of its own, which can come after our reply.
 */
async function settled(win: { webContents: { executeJavaScript: (code: string) => Promise<unknown> } }, expected: unknown[]): Promise<unknown> {
  return eventually(() => win.webContents.executeJavaScript(READ), expected);
}

/** What `read` gives once it gives `expected`, or after 5 s: pages see storage cleared a little later (Electron's spec polls too). */
async function eventually(read: () => Promise<unknown>, expected: unknown): Promise<unknown> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const seen = await read();
    if (JSON.stringify(seen) === JSON.stringify(expected) || Date.now() > deadline) return seen;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('clearStorageData() - each storage alone, by origin, and all; other sessions keep theirs', async (t) => {
  const ses = session.fromPartition(uniquePartition('storage'));
  const other = session.fromPartition(uniquePartition('storage'));
  const here = await openWindow(t, ses, `${context.server.prefix}/page?s`);
  const there = await openWindow(t, other, `${context.server.prefix}/page?s`);
  const cross = await openWindow(t, ses, `${context.server.crossOrigin}/page?s`);
  for (const win of [here, there, cross]) await win.webContents.executeJavaScript(FILL);
  t.deepEqual(await here.webContents.executeJavaScript(READ), ['v', 'c=1', 'db', 'cache']);

  await ses.clearStorageData({ storages: ['localstorage'] });
  t.deepEqual(await settled(here, [null, 'c=1', 'db', 'cache']), [null, 'c=1', 'db', 'cache']);
  await ses.clearStorageData({ storages: ['indexdb', 'cachestorage'], origin: context.server.prefix });
  t.deepEqual(await settled(here, [null, 'c=1', '', '']), [null, 'c=1', '', '']);
  t.deepEqual(await cross.webContents.executeJavaScript(READ), [null, 'c=1', 'db', 'cache']);
  await ses.clearStorageData();
  t.deepEqual(await settled(cross, [null, '', '', '']), [null, '', '', '']);
  t.deepEqual(await there.webContents.executeJavaScript(READ), ['v', 'c=1', 'db', 'cache']);
});

test('clearData() - data types, origins and excludeOrigins (cookies by registrable domain), Electron\'s errors', async (t) => {
  const ses = session.fromPartition(uniquePartition('clear-data'));
  t.throws(() => ses.clearData({ origins: ['https://a.com'], excludeOrigins: ['https://b.com'] }), {
    instanceOf: TypeError,
    message: "Cannot provide both 'origins' and 'excludeOrigins'",
  });
  t.throws(() => ses.clearData({ origins: ['null'] }), { instanceOf: TypeError, message: "Invalid origin: 'null'" });
  const win = await openWindow(t, ses, `${context.server.prefix}/page?d`);
  await win.webContents.executeJavaScript(FILL);
  await ses.cookies.set({ url: 'https://www.example.com', name: 'ex', value: '1', domain: 'example.com' });
  await ses.cookies.set({ url: 'https://example.org', name: 'org', value: '1' });
  await ses.clearData({ dataTypes: ['indexedDB'] });
  t.deepEqual(await win.webContents.executeJavaScript(READ), ['v', 'c=1', '', 'cache']);
  await ses.clearData({ dataTypes: ['cookies'], origins: ['https://a.b.example.com'] });
  t.deepEqual((await ses.cookies.get({})).map((c) => c.name).sort(), ['c', 'org']);
  await ses.clearData({ dataTypes: ['cookies'], excludeOrigins: ['https://example.org'] });
  t.deepEqual((await ses.cookies.get({})).map((c) => c.name), ['org']);
  await Promise.all([ses.clearData(), ses.clearData()]);
  t.deepEqual(await settled(win, [null, '', '', '']), [null, '', '', '']);
  t.deepEqual(await ses.cookies.get({}), []);
});

test('clearData({ excludeOrigins }) - reaches origins whose pages are closed (no cookie names them); the excluded keep theirs', async (t) => {
  const ses = session.fromPartition(uniquePartition('clear-data'));
  const gone = await openWindow(t, ses, `${context.server.prefix}/page?x`);
  await gone.webContents.executeJavaScript(`localStorage.setItem('k', 'a')`);
  gone.destroy();
  const kept = await openWindow(t, ses, `${context.server.crossOrigin}/page?y`);
  await kept.webContents.executeJavaScript(`localStorage.setItem('k', 'b')`);
  await ses.clearData({ dataTypes: ['localStorage'], excludeOrigins: [context.server.crossOrigin] });
  const back = await openWindow(t, ses, `${context.server.prefix}/page?z`);
  t.deepEqual(await settled(back, [null, '', '', '']), [null, '', '', '']);
  t.deepEqual(await kept.webContents.executeJavaScript(READ), ['b', '', '', '']);
});

/** The localStorage 'k' of a cross-site frame (localhost in a 127.0.0.1 page), after setting it to `value` when given. */
async function framed(t: Parameters<typeof openWindow>[0], ses: Session, value: string | null = null): Promise<unknown> {
  const win = await openWindow(t, ses, `${context.server.prefix}/embed`);
  const seen = await win.webContents.executeJavaScript(`new Promise((resolve) => {
    onmessage = (event) => resolve(event.data);
    const frame = document.querySelector('iframe');
    const ask = () => frame.contentWindow.postMessage(${JSON.stringify(value)}, '*');
    if (frame.dataset.loaded) ask(); else frame.addEventListener('load', ask);
  })`);
  win.destroy();
  return seen;
}

test('clearData({ origins, excludeOrigins, originMatchingMode }) - partitioned storage of cross-site frames: by top-level site (the default) or by origin in all contexts', async (t) => {
  const { server } = context;
  server.setPage('/embed', `<iframe src="${server.crossOrigin}/embedded" onload="this.dataset.loaded = 1"></iframe>`);
  server.setPage(
    '/embedded',
    `<script>onmessage = (event) => {
      if (event.data !== null) localStorage.setItem('k', event.data);
      event.source.postMessage(String(localStorage.getItem('k')), '*');
    };</script>`,
  );
  const ses = session.fromPartition(uniquePartition('clear-partitioned'));
  const top = await openWindow(t, ses, `${server.prefix}/page?top`);
  const first = await openWindow(t, ses, `${server.crossOrigin}/page?first`);
  const item = (win: typeof top) => win.webContents.executeJavaScript(`String(localStorage.getItem('k'))`);
  const fill = async () => {
    t.is(await framed(t, ses, 'third'), 'third');
    await first.webContents.executeJavaScript(`localStorage.setItem('k', 'first')`);
    await top.webContents.executeJavaScript(`localStorage.setItem('k', 'top')`);
  };
  const read = async () => [await framed(t, ses), await item(first), await item(top)];
  const clearedTo = async (options: Parameters<Session['clearData']>[0], expected: string[]) => {
    await fill();
    await ses.clearData({ dataTypes: ['localStorage'], ...options });
    t.deepEqual(await eventually(read, expected), expected, JSON.stringify(options));
  };
  await fill();
  // Chrome partitions it: the frame's localhost storage is not localhost's own.
  t.deepEqual(await read(), ['third', 'first', 'top']);
  await clearedTo({ origins: [server.crossOrigin] }, ['third', 'null', 'top']);
  await clearedTo({ origins: [server.prefix] }, ['null', 'first', 'null']);
  await clearedTo({ origins: [server.crossOrigin], originMatchingMode: 'origin-in-all-contexts' }, ['null', 'null', 'top']);
  await clearedTo({ excludeOrigins: [server.prefix] }, ['third', 'null', 'top']);
  await clearedTo({ excludeOrigins: [server.prefix], originMatchingMode: 'origin-in-all-contexts' }, ['null', 'null', 'top']);
  await clearedTo({}, ['null', 'null', 'null']);
});
