import test from 'ava';
import { session, type Cookie, type Session } from '../../src/index.js';
import { openWindow, serverAndApp, uniquePartition } from '../helpers/setup.js';

const context = serverAndApp(test, (server) => {
  server.setPage('/set', '<p>set</p>', { 'set-cookie': 'from-header=1' });
  server.setRoute('/api', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'set-cookie': 'from-fetch=2' });
    res.end('ok');
  });
  // `/c?name=n` sets cookie n (removes it with `&gone`); the rest are the pages, frames and workers that ask for it.
  server.setRoute('/c', (req, res) => {
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    const name = query.get('name') ?? 'none';
    res.writeHead(200, { 'content-type': 'text/plain', 'set-cookie': query.has('gone') ? `${name}=; Max-Age=0` : `${name}=1` });
    res.end('ok');
  });
  // A cross-site frame could not set a cookie (SameSite=Lax by default): a same-site one.
  server.setPage('/sources', '<img src="/c?name=img"><iframe src="/frame"></iframe>');
  server.setPage('/frame', '<p>frame</p>', { 'set-cookie': 'frame=1' });
  server.setPage('/worker.js', `fetch('/c?name=worker')`, { 'content-type': 'text/javascript' });
  server.setPage('/sw.js', `self.addEventListener('install', (event) => event.waitUntil(fetch('/c?name=service-worker')));`, {
    'content-type': 'text/javascript',
  });
});

type Change = [name: string, value: string, cause: string, removed: boolean];

/** Records 'changed' events; `next(n)` resolves with the first n (failing after 10 s rather than hanging). */
function record(ses: Session) {
  const changes: Change[] = [];
  const waiters: Array<[number, () => void]> = [];
  ses.cookies.on('changed', (_event, cookie: Cookie, cause, removed) => {
    changes.push([cookie.name, cookie.value, cause, removed]);
    for (const [count, resolve] of waiters) if (changes.length >= count) resolve();
  });
  const next = (count: number): Promise<Change[]> =>
    new Promise((resolve, reject) => {
      if (changes.length >= count) return resolve(changes.slice(0, count));
      const timer = setTimeout(() => reject(new Error(`only ${changes.length} of ${count} changes: ${JSON.stringify(changes)}`)), 10_000);
      waiters.push([count, () => (clearTimeout(timer), resolve(changes.slice(0, count)))]);
    });
  /** Resolves with the first change of cookie `name` with `cause` (failing after 10 s). */
  const change = (name: string, cause = 'explicit'): Promise<Change> =>
    new Promise((resolve, reject) => {
      const find = () => changes.find(([n, , c]) => n === name && c === cause);
      const timer = setTimeout(() => reject(new Error(`no '${cause}' change of ${name}: ${JSON.stringify(changes)}`)), 10_000);
      const check = () => {
        const found = find();
        if (found) return (clearTimeout(timer), resolve(found), true);
        return false;
      };
      if (!check()) waiters.push([0, () => void check()]);
    });
  return { changes, next, change };
}

const fresh = (): Session => session.fromPartition(uniquePartition('cookie-events'));

test("Cookies 'changed' - this API: insert, overwrite, removal, expired-overwrite, each before its call resolves", async (t) => {
  const ses = fresh();
  const { changes } = record(ses);
  const url = context.server.prefix;
  await ses.cookies.set({ url, name: 'a', value: '1' });
  t.deepEqual(changes, [['a', '1', 'explicit', false]]);
  await ses.cookies.set({ url, name: 'a', value: '2' });
  t.deepEqual(changes.slice(1), [['a', '1', 'overwrite', true], ['a', '2', 'explicit', false]]);
  await ses.cookies.remove(url, 'a');
  t.deepEqual(changes.slice(3), [['a', '2', 'explicit', true]]);
  await ses.cookies.set({ url, name: 'b', value: '1' });
  await ses.cookies.set({ url, name: 'b', value: 'gone', expirationDate: Date.now() / 1000 - 60 });
  t.deepEqual(changes.slice(4), [['b', '1', 'explicit', false], ['b', '1', 'expired-overwrite', true]]);
  // Setting the same cookie again is an overwrite in Chrome too, identical or not (here with a path).
  await ses.cookies.set({ url: `${url}/dir/page`, name: 'c', value: 'same' });
  await ses.cookies.set({ url: `${url}/dir/page`, name: 'c', value: 'same' });
  t.deepEqual(changes.slice(6), [['c', 'same', 'explicit', false], ['c', 'same', 'overwrite', true], ['c', 'same', 'explicit', false]]);
});

test("Cookies 'changed' - Set-Cookie on a page load and on ses.fetch, document.cookie and CookieStore writes", async (t) => {
  const ses = fresh();
  const { next } = record(ses);
  const win = await openWindow(t, ses, `${context.server.prefix}/set`);
  t.deepEqual(await next(1), [['from-header', '1', 'explicit', false]]);
  await win.webContents.executeJavaScript(`document.cookie = 'from-script=3'`);
  t.deepEqual((await next(2))[1], ['from-script', '3', 'explicit', false]);
  await ses.fetch(`${context.server.prefix}/api`);
  t.deepEqual((await next(3))[2], ['from-fetch', '2', 'explicit', false]);
  await win.webContents.executeJavaScript(`document.cookie = 'from-script=; max-age=0'`);
  t.deepEqual((await next(4))[3], ['from-script', '3', 'expired-overwrite', true]);
  await win.webContents.executeJavaScript(`cookieStore.set('from-store', '4').then(() => true)`);
  t.deepEqual((await next(5))[4], ['from-store', '4', 'explicit', false]);
  await win.webContents.executeJavaScript(`cookieStore.delete('from-store').then(() => true)`);
  t.deepEqual((await next(6))[5], ['from-store', '4', 'expired-overwrite', true]);
});

test("Cookies 'changed' - 'expired' when a cookie's time passes, without anyone reading the store", async (t) => {
  const ses = fresh();
  const { next } = record(ses);
  // Seconds ahead, not one: under a loaded CI machine the set itself may take a second, and a cookie
  // already expired when Chrome stores it is never inserted (no 'explicit' change to see).
  await ses.cookies.set({ url: context.server.prefix, name: 'short', value: 'x', expirationDate: Date.now() / 1000 + 4 });
  t.deepEqual(await next(2), [['short', 'x', 'explicit', false], ['short', 'x', 'expired', true]]);
});

test("Cookies 'changed' - cookies Chrome drops over its per-domain limit are 'evicted'", async (t) => {
  const ses = fresh();
  const url = context.server.prefix;
  await Promise.all(Array.from({ length: 180 }, (_, i) => ses.cookies.set({ url, name: `c${i}`, value: String(i) })));
  const { changes } = record(ses);
  await ses.cookies.set({ url, name: 'one-more', value: 'x' });
  const evicted = changes.filter(([, , cause]) => cause === 'evicted');
  const left = await ses.cookies.get({});
  t.true(evicted.length > 0);
  t.is(left.length, 180 + 1 - evicted.length);
  t.true(evicted.every(([name, , , removed]) => name.startsWith('c') && removed));
  t.deepEqual(changes.find(([name]) => name === 'one-more'), ['one-more', 'x', 'explicit', false]);
});

test("Cookies 'changed' - Set-Cookie on a subresource, a frame, a fetch after load, a worker and a service worker; a past date removes", async (t) => {
  const ses = fresh();
  const { change } = record(ses);
  const win = await openWindow(t, ses, `${context.server.prefix}/sources`);
  t.deepEqual(await change('img'), ['img', '1', 'explicit', false]);
  t.deepEqual(await change('frame'), ['frame', '1', 'explicit', false]);
  await win.webContents.executeJavaScript(`fetch('/c?name=later').then(() => true)`);
  t.deepEqual(await change('later'), ['later', '1', 'explicit', false]);
  await win.webContents.executeJavaScript(`new Worker('/worker.js') && true`);
  t.deepEqual(await change('worker'), ['worker', '1', 'explicit', false]);
  await win.webContents.executeJavaScript(`navigator.serviceWorker.register('/sw.js').then(() => true)`);
  t.deepEqual(await change('service-worker'), ['service-worker', '1', 'explicit', false]);
  await win.webContents.executeJavaScript(`fetch('/c?name=img&gone').then(() => true)`);
  t.deepEqual(await change('img', 'expired-overwrite'), ['img', '1', 'expired-overwrite', true]);
});

test("Cookies 'changed' - clearStorageData() and clearData() remove cookies as 'explicit'", async (t) => {
  const ses = fresh();
  const url = context.server.prefix;
  await ses.cookies.set({ url, name: 'a', value: '1' });
  await ses.cookies.set({ url, name: 'b', value: '2' });
  const { changes, change } = record(ses);
  await ses.clearStorageData({ storages: ['cookies'] });
  t.deepEqual(await change('a'), ['a', '1', 'explicit', true]);
  t.deepEqual(await change('b'), ['b', '2', 'explicit', true]);
  await ses.cookies.set({ url, name: 'c', value: '3' });
  await ses.clearData({ dataTypes: ['cookies'] });
  t.deepEqual(changes.slice(2), [['c', '3', 'explicit', false], ['c', '3', 'explicit', true]]);
});
