import test from 'ava';
import { readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { app, BrowserWindow, session, type Session } from '../../src/index.js';
import { TestProxy } from '../helpers/proxy.js';
import { freshDir, serverAndApp, uniquePartition } from '../helpers/setup.js';

const COUNT = 50;
/** Cache hits on the server: a partition's first load must reach it, its second must not. */
const cachedHits = new Map<string, number>();
const context = serverAndApp(test, (server) => {
  server.setPage('/page', '<title>isolation</title>');
  server.setRoute('/cached.js', (req, res) => {
    const who = new URL(req.url ?? '/', 'http://x').searchParams.get('from') ?? '?';
    cachedHits.set(who, (cachedHits.get(who) ?? 0) + 1);
    res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'max-age=3600' });
    res.end('window.cachedLoaded = true;');
  });
});

interface Seen {
  cookie: string;
  local: string | null;
  indexed: string[];
  notifications: string;
  hid: string[];
  preload: string | null;
}

test('isolation - 50 partitions share nothing: cookies, storage, cache, permissions, device grants, proxy, preloads', async (t) => {
  t.timeout(180_000, '50 partitions');
  const proxy = await TestProxy.start('proxy');
  t.teardown(() => proxy.stop());
  const preload = join(freshDir('cs-isolation-'), 'preload.js');
  writeFileSync(preload, "document.addEventListener('DOMContentLoaded', () => { document.documentElement.dataset.preload = 'mine'; });");
  const sessions: Session[] = [];
  for (let i = 0; i < COUNT; i++) {
    const ses = session.fromPartition(uniquePartition(`isolation-${i}`));
    sessions.push(ses);
    // Every session decides its own permission checks; every 5th grants notifications.
    ses.setPermissionCheckHandler((_wc, permission) => (permission === 'notifications' ? i % 5 === 0 : true));
    // Every 7th has a virtual device it lets pages use; every 9th a preload; every 10th a proxy (loopback included).
    if (i % 7 === 0) {
      ses.devices.addHID({ vendorId: 0x1000 + i, productId: 1, productName: `device-${i}` });
      ses.setDevicePermissionHandler(() => true);
    }
    if (i % 9 === 0) ses.registerPreloadScript({ type: 'frame', id: `preload-${i}`, filePath: preload });
    if (i % 10 === 0) await ses.setProxy({ proxyRules: proxy.address, proxyBypassRules: '<-loopback>' });
  }
  const { prefix } = context.server;
  const seen: Seen[] = [];
  // Ten at a time: each partition writes its own mark everywhere, then reads what it sees.
  for (let start = 0; start < COUNT; start += 10) {
    const batch = sessions.slice(start, start + 10);
    seen.push(
      ...(await Promise.all(
        batch.map(async (ses, offset) => {
          const i = start + offset;
          const win = new BrowserWindow({ show: false, webPreferences: { session: ses } });
          try {
            if (i % 10 === 0) {
              // Through the proxy: its answer names it.
              await win.loadURL(`${prefix}/proxied-${i}`);
              t.is(win.webContents.getTitle(), `proxy ${prefix}/proxied-${i}`);
              // The proxy answers everything itself: the rest goes direct, switched on the live session.
              await ses.setProxy({ mode: 'direct' });
            }
            await win.loadURL(`${prefix}/page`);
            const mark = `p${i}`;
            await win.webContents.executeJavaScript(`(async () => {
              document.cookie = 'who=${mark}; max-age=600';
              localStorage.setItem('who', '${mark}');
              await new Promise((resolve, reject) => {
                const open = indexedDB.open('isolation', 1);
                open.onupgradeneeded = () => open.result.createObjectStore('marks');
                open.onsuccess = () => { const tx = open.result.transaction('marks', 'readwrite'); tx.objectStore('marks').put('${mark}', '${mark}'); tx.oncomplete = () => { open.result.close(); resolve(); }; };
                open.onerror = () => reject(open.error);
              });
              for (let n = 0; n < 2; n++) await new Promise((resolve, reject) => {
                const s = document.createElement('script'); s.src = '/cached.js?from=${mark}'; s.onload = resolve; s.onerror = reject; document.head.append(s);
              });
            })()`);
            return (await win.webContents.executeJavaScript(`(async () => {
              const db = await new Promise((resolve) => { const open = indexedDB.open('isolation', 1); open.onsuccess = () => resolve(open.result); });
              const keys = await new Promise((resolve) => { const r = db.transaction('marks').objectStore('marks').getAllKeys(); r.onsuccess = () => resolve(r.result); });
              db.close();
              return {
                cookie: document.cookie,
                local: localStorage.getItem('who'),
                indexed: keys,
                notifications: (await navigator.permissions.query({ name: 'notifications' })).state,
                hid: (await navigator.hid.getDevices()).map((d) => d.productName),
                preload: document.documentElement.dataset.preload ?? null,
              };
            })()`)) as Seen;
          } finally {
            win.destroy();
          }
        }),
      )),
    );
  }
  for (let i = 0; i < COUNT; i++) {
    const mark = `p${i}`;
    t.deepEqual(seen[i], {
      cookie: `who=${mark}`,
      local: mark,
      indexed: [mark],
      notifications: i % 5 === 0 ? 'granted' : 'denied',
      hid: i % 7 === 0 ? [`device-${i}`] : [],
      preload: i % 9 === 0 ? 'mine' : null,
    }, `partition ${i}`);
    // The session's own store holds its cookie only; its cache served its second load.
    t.deepEqual((await sessions[i]!.cookies.get({})).map((cookie) => cookie.value), [mark], `cookies of partition ${i}`);
    t.is(cachedHits.get(mark), 1, `cache of partition ${i}`);
  }
  // The proxy carried the proxied partitions' first requests, and nothing else of anyone
  // (Chrome may also open a tunnel to the site while it sees the proxy: to the site only).
  // (Chrome's favicon request after a proxied page may go that way too: it is that partition's.)
  const plain = proxy.seen.filter((request) => request.url.startsWith('http') && !request.url.endsWith('/favicon.ico'));
  t.deepEqual(plain.map((request) => new URL(request.url).pathname).sort(), [0, 10, 20, 30, 40].filter((i) => i < COUNT).map((i) => `/proxied-${i}`).sort());
  t.true(proxy.seen.every((request) => request.url.startsWith('http') || request.url === new URL(prefix).host), JSON.stringify(proxy.seen));
});

/** The pids of a process and all its descendants (from /proc). */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      // Field 4 of /proc/<pid>/stat is the parent; the name before it may hold spaces, so read after its ')'.
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(')').pop()!.trim().split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // Gone meanwhile.
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

/** Inodes of the TCP sockets in LISTEN state (st 0A) on this machine. */
function listeningInodes(): Set<string> {
  const lines = ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) => readFileSync(file, 'utf8').split('\n').slice(1));
  return new Set(lines.map((line) => line.trim().split(/\s+/)).filter((fields) => fields[3] === '0A').map((fields) => fields[9]!));
}

test.serial('security - Chrome is driven over a pipe, listens on no port, and its profile folders are readable by this user only', async (t) => {
  const ses = session.fromPartition(`persist:${uniquePartition('secure')}`);
  const win = new BrowserWindow({ show: false, webPreferences: { session: ses } });
  t.teardown(() => win.destroy());
  await win.loadURL(`${context.server.prefix}/page`);
  const chromes = app.getAppMetrics();
  t.true(chromes.length >= 2, 'the main Chrome and the partition\'s');
  const listening = listeningInodes();
  for (const chrome of chromes) {
    const args = readFileSync(`/proc/${chrome.pid}/cmdline`, 'utf8').split('\0');
    t.true(args.includes('--remote-debugging-pipe'));
    t.false(args.some((arg) => arg.startsWith('--remote-debugging-port') || arg.startsWith('--remote-debugging-address')));
    for (const pid of processTree(chrome.pid)) {
      const sockets = readdirSync(`/proc/${pid}/fd`).map((fd) => {
        try {
          return /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
        } catch {
          return undefined;
        }
      });
      t.deepEqual(sockets.filter((inode) => inode && listening.has(inode)), [], `pid ${pid} listens on a TCP port`);
    }
  }
  for (const folder of [ses.storagePath!, dirname(ses.storagePath!), join(ses.storagePath!, 'Default')]) {
    t.is(statSync(folder).mode & 0o077, 0, `${folder} is open to others`);
  }
});
