import test from 'ava';
import net from 'node:net';
import { app, session, BrowserWindow, webContents } from '../../src/index.js';
import { TestServer } from '../helpers/server.js';
import { freshDir, nextEvent, readyApp, removeDir, uniquePartition } from '../helpers/setup.js';
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

let server: TestServer;

test.before(async () => {
  server = await TestServer.start();
  server.setPage('/titled', '<!doctype html><title>Hello</title><p>hi</p>');
  server.setPage('/console', '<script>console.log("hello", 42); console.error("bad")</script>');
  server.setRoute('/missing', (_req, res) => {
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end('<title>Not here</title>');
  });
  await readyApp();
});

test.after.always(async () => {
  await app.quit();
  await server?.stop();
});

/** A port nothing listens on: bound by us a moment ago, then released. */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

// Tests here run serially (each starts renderers; on 2 cores many at once crawl),
// except the one that is about concurrency.
function newWindow(partition = uniquePartition()) {
  return new BrowserWindow({ show: false, webPreferences: { partition } });
}

test.serial('BrowserWindow.loadURL() - loads a page in its partition', async (t) => {
  const partition = uniquePartition();
  const win = newWindow(partition);
  t.teardown(() => win.destroy());
  await win.loadURL(`${server.prefix}/titled`);
  t.is(win.webContents.session, session.fromPartition(partition));
  t.is(await win.webContents.executeJavaScript('document.title'), 'Hello');
  t.is(win.getTitle(), 'Hello');
  t.is(win.webContents.getURL(), `${server.prefix}/titled`);
});

test.serial('webContents.loadURL() - emits did-navigate with the status, dom-ready and did-finish-load in order', async (t) => {
  const win = newWindow();
  t.teardown(() => win.destroy());
  const events: string[] = [];
  win.webContents.on('did-navigate', (_e, url, code, text) => events.push(`did-navigate ${url} ${code} ${text}`));
  win.webContents.on('dom-ready', () => events.push('dom-ready'));
  win.webContents.on('did-finish-load', () => events.push('did-finish-load'));
  await win.loadURL(`${server.prefix}/missing`);
  t.deepEqual(events, [`did-navigate ${server.prefix}/missing 404 Not Found`, 'dom-ready', 'did-finish-load']);
});

test.serial('webContents.loadURL() - rejects with Electron\'s error and emits did-fail-load', async (t) => {
  const win = newWindow();
  t.teardown(() => win.destroy());
  const failed = new Promise<unknown[]>((resolve) => win.webContents.once('did-fail-load', (...args) => resolve(args.slice(1))));
  const url = `http://127.0.0.1:${await closedPort()}/`;
  const error = await t.throwsAsync(win.loadURL(url));
  t.is(error?.message, `ERR_CONNECTION_REFUSED (-102) loading '${url}'`);
  t.like(error, { code: 'ERR_CONNECTION_REFUSED', errno: -102, url });
  t.deepEqual((await failed).slice(0, 4), [-102, 'ERR_CONNECTION_REFUSED', url, true]);
  // A password in the URL is masked in the error (message and url).
  const withPassword = await t.throwsAsync(win.loadURL(url.replace('//', '//user:s3cret@')));
  t.is(withPassword?.message, `ERR_CONNECTION_REFUSED (-102) loading '${url.replace('//', '//user:***@')}'`);
  t.like(withPassword, { url: url.replace('//', '//user:***@') });
});

test.serial('webContents.loadURL() - an invalid URL rejects with ERR_INVALID_URL', async (t) => {
  const win = newWindow();
  t.teardown(() => win.destroy());
  await t.throwsAsync(win.loadURL('not a url'), { message: "ERR_INVALID_URL (-300) loading 'not a url'" });
  await t.throwsAsync(win.loadURL(42 as never), { instanceOf: TypeError });
});

test.serial('webContents.loadURL() - sends extraHeaders and httpReferrer with the navigation', async (t) => {
  const win = newWindow();
  t.teardown(() => win.destroy());
  const request = server.waitForRequest('/headers');
  await win.loadURL(`${server.prefix}/headers`, { extraHeaders: 'X-Test: yes\n', httpReferrer: `${server.prefix}/from` });
  const { headers } = await request;
  t.is(headers['x-test'], 'yes');
  t.is(headers.referer, `${server.prefix}/from`);
});

test.serial("webContents 'console-message' - level, message, line and source", async (t) => {
  const win = newWindow();
  t.teardown(() => win.destroy());
  const messages: Array<[number, string, string]> = [];
  win.webContents.on('console-message', (event, level, message) => messages.push([level, message, event.level]));
  await win.loadURL(`${server.prefix}/console`);
  t.deepEqual(messages, [
    [1, 'hello 42', 'info'],
    [3, 'bad', 'error'],
  ]);
});

test.serial("webContents 'page-title-updated' - reports a title set by the page", async (t) => {
  const win = newWindow();
  t.teardown(() => win.destroy());
  await win.loadURL(`${server.prefix}/titled`);
  const updated = new Promise<[string, boolean]>((resolve) =>
    win.webContents.once('page-title-updated', (_e, title, explicitSet) => resolve([title, explicitSet])),
  );
  await win.webContents.executeJavaScript('document.title = "Changed"');
  t.deepEqual(await updated, ['Changed', true]);
  t.is(win.getTitle(), 'Changed');
});

test.serial('webContents.executeJavaScript() - awaits promises and rejects with what the page threw', async (t) => {
  const win = newWindow();
  t.teardown(() => win.destroy());
  await win.loadURL(`${server.prefix}/titled`);
  t.is(await win.webContents.executeJavaScript('Promise.resolve(6 * 7)'), 42);
  t.deepEqual(await win.webContents.executeJavaScript('({a: [1, "b"]})'), { a: [1, 'b'] });
  await t.throwsAsync(win.webContents.executeJavaScript('throw new Error("nope")'), { message: 'Error: nope' });
});

test.serial('webContents.getAllWebContents() / fromId() / BrowserWindow.getAllWindows()', async (t) => {
  const win = newWindow();
  t.teardown(() => win.destroy());
  await win.loadURL(`${server.prefix}/titled`);
  t.true(webContents.getAllWebContents().includes(win.webContents));
  t.is(webContents.fromId(win.webContents.id), win.webContents);
  t.true(BrowserWindow.getAllWindows().includes(win));
  t.is(BrowserWindow.fromWebContents(win.webContents), win);
});

test.serial("BrowserWindow.close() - 'close', then 'destroyed' and 'closed'; the page is gone", async (t) => {
  const win = newWindow();
  await win.loadURL(`${server.prefix}/titled`);
  const order: string[] = [];
  win.on('close', () => order.push('close'));
  win.webContents.on('destroyed', () => order.push('destroyed'));
  const closed = new Promise<void>((resolve) => win.on('closed', () => resolve()));
  win.close();
  await closed;
  t.deepEqual(order, ['close', 'destroyed']);
  t.true(win.isDestroyed());
  t.true(win.webContents.isDestroyed());
  t.is(webContents.fromId(win.webContents.id), undefined);
  await t.throwsAsync(win.webContents.executeJavaScript('1'), { message: 'Object has been destroyed' });
});

test.serial("BrowserWindow 'close' - preventDefault keeps the window open", async (t) => {
  const win = newWindow();
  t.teardown(() => win.destroy());
  await win.loadURL(`${server.prefix}/titled`);
  win.once('close', (event) => event.preventDefault());
  win.close();
  t.false(win.isDestroyed());
  t.is(await win.webContents.executeJavaScript('1 + 1'), 2);
});

test('twenty in-memory partitions load pages concurrently, each isolated', async (t) => {
  const partitions = Array.from({ length: 20 }, () => uniquePartition('many'));
  const windows = partitions.map((partition) => newWindow(partition));
  t.teardown(() => windows.forEach((w) => w.destroy()));
  await Promise.all(
    windows.map(async (win, i) => {
      await win.loadURL(`${server.prefix}/titled?${i}`);
      await win.webContents.executeJavaScript(`localStorage.setItem('who', '${i}')`);
    }),
  );
  const seen = await Promise.all(windows.map((win) => win.webContents.executeJavaScript("localStorage.getItem('who')")));
  t.deepEqual(seen, partitions.map((_, i) => String(i)));
});

test("JavaScript dialogs - alert, confirm and prompt are dismissed at once; 'will-prevent-unload' decides a beforeunload", async (t) => {
  server.setPage('/keep', `<script>onbeforeunload = (event) => { event.preventDefault(); return 'stay'; };</script>`);
  const win = new BrowserWindow({ show: false });
  t.teardown(() => win.destroy());
  await win.loadURL(`${server.prefix}/titled`);
  t.deepEqual(await win.webContents.executeJavaScript(`[alert('hi'), confirm('sure?'), prompt('name?', 'x')]`), [null, false, null]);

  await win.loadURL(`${server.prefix}/keep`);
  let asked = 0;
  let leave = false;
  win.webContents.on('will-prevent-unload', (event) => {
    asked++;
    if (leave) event.preventDefault();
  });
  // Chrome asks beforeunload handlers of pages a user has touched: a gesture first.
  await win.webContents.executeJavaScript('1', true);
  await t.throwsAsync(win.loadURL(`${server.prefix}/titled?kept`), { message: /^ERR_ABORTED \(-3\)/ });
  t.is(win.webContents.getURL(), `${server.prefix}/keep`);
  leave = true;
  await win.webContents.executeJavaScript('1', true);
  await win.loadURL(`${server.prefix}/titled?left`);
  t.is(win.webContents.getURL(), `${server.prefix}/titled?left`);
  t.is(asked, 2);
});

test.serial('loadFile() - a local file (relative to app.getAppPath()) with query and hash, as Electron does; reload() and capturePage() of the window', async (t) => {
  const dir = freshDir('cs-load-file-');
  t.teardown(() => removeDir(dir));
  const file = join(dir, 'page one.html');
  writeFileSync(file, '<title>from disk</title><p>local</p>');
  const win = newWindow();
  t.teardown(() => win.destroy());
  await win.loadFile(file, { query: { a: '1', b: 'two words' }, hash: 'part' });
  t.is(win.webContents.getURL(), `${pathToFileURL(file).href}?a=1&b=two%20words#part`);
  t.is(win.getTitle(), 'from disk');
  await win.webContents.loadFile(relative(app.getAppPath(), file), { search: 'x=y' });
  t.is(win.webContents.getURL(), `${pathToFileURL(file).href}?x=y`);
  t.throws(() => win.webContents.loadFile(42 as never), { instanceOf: TypeError, message: 'Must pass filePath as a string' });
  const reloaded = nextEvent(win.webContents, 'did-finish-load');
  win.reload();
  await reloaded;
  const image = await win.capturePage();
  t.false(image.isEmpty());
});
