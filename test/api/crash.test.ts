import { tmpdir } from 'node:os';
import test from 'ava';
import { app, session, BrowserWindow, type ChildProcessGoneDetails } from '../../src/index.js';
import { TestServer } from '../helpers/server.js';
import { readyApp, uniquePartition } from '../helpers/setup.js';

let server: TestServer;
test.before(async () => {
  server = await TestServer.start();
  await readyApp();
});
test.after.always(async () => {
  await app.quit();
  await server?.stop();
});

test.serial("a Chrome crash - 'child-process-gone', windows destroyed, pending calls fail, the next call starts Chrome again", async (t) => {
  t.timeout(60_000, 'Chrome crash and restart');
  const partition = uniquePartition('crash');
  const ses = session.fromPartition(partition);
  const win = new BrowserWindow({ show: false, webPreferences: { session: ses } });
  await win.loadURL(`${server.prefix}/before`);
  const [main] = app.getAppMetrics();
  t.truthy(main, 'the main Chrome is listed');
  const gone = new Promise<ChildProcessGoneDetails>((resolve) => app.once('child-process-gone', (_e, details) => resolve(details)));
  const events: string[] = [];
  win.webContents.on('render-process-gone', (_e, details) => events.push(`render-process-gone ${details.reason} ${details.exitCode}`));
  const destroyed = new Promise<void>((resolve) => win.webContents.once('destroyed', () => resolve(void events.push('destroyed'))));
  const pending = win.webContents.executeJavaScript('new Promise(() => {})');
  const defaultWin = new BrowserWindow({ show: false });
  await defaultWin.loadURL(`${server.prefix}/default`);
  const pendingDefault = defaultWin.webContents.executeJavaScript('new Promise(() => {})');
  process.kill(main!.pid, 'SIGKILL');
  const killedAt = Date.now();
  // Every pending call fails within a second, naming its session and the cause.
  const failure = await t.throwsAsync(pending, { message: new RegExp(`in session '${partition}': Chrome \\(pid ${main!.pid}\\) was killed \\(SIGKILL`) });
  t.true(Date.now() - killedAt < 1_000, `failed after ${Date.now() - killedAt} ms`);
  t.notRegex(failure?.message ?? '', /default session/);
  t.like(await gone, { type: 'Browser', reason: 'killed' });
  await destroyed;
  t.true(win.isDestroyed());
  t.deepEqual(events, ['render-process-gone killed 9', 'destroyed']);
  await t.throwsAsync(pendingDefault, { message: /^Protocol error \(Runtime\.evaluate\) in the default session: Chrome \(pid \d+\) was killed/ });
  t.true(defaultWin.isDestroyed());

  const again = new BrowserWindow({ show: false, webPreferences: { session: ses } });
  t.teardown(() => again.destroy());
  await again.loadURL(`${server.prefix}/after`);
  t.is(await again.webContents.executeJavaScript('location.pathname'), '/after');
  t.not(app.getAppMetrics()[0]?.pid, main!.pid);
});

test.serial('a renderer crash - only its window: render-process-gone, isCrashed(), the next loadURL works; other windows go on', async (t) => {
  const ses = session.fromPartition(uniquePartition('renderer-crash'));
  const other = session.fromPartition(uniquePartition('renderer-crash'));
  const victim = new BrowserWindow({ show: false, webPreferences: { session: ses } });
  const sameSession = new BrowserWindow({ show: false, webPreferences: { session: ses } });
  const otherSession = new BrowserWindow({ show: false, webPreferences: { session: other } });
  t.teardown(() => [victim, sameSession, otherSession].forEach((win) => win.destroy()));
  await Promise.all([
    victim.loadURL(`${server.prefix}/victim`),
    // Another site: its own renderer process.
    sameSession.loadURL(`${server.crossOrigin}/same-session`),
    otherSession.loadURL(`${server.prefix}/other-session`),
  ]);
  const gone = new Promise<string>((resolve) => victim.webContents.once('render-process-gone', (_e, details) => resolve(details.reason)));
  const pending = victim.webContents.executeJavaScript('new Promise(() => {})');
  victim.webContents.forcefullyCrashRenderer();
  t.true(['crashed', 'killed'].includes(await gone));
  await t.throwsAsync(pending);
  t.true(victim.webContents.isCrashed());
  t.false(victim.isDestroyed());
  // As in Electron, its frame is gone until the next load: a call rejects rather than waits.
  await t.throwsAsync(victim.webContents.executeJavaScript('1'), { message: 'Render frame was disposed before WebFrameMain could be accessed' });
  t.is(await sameSession.webContents.executeJavaScript('location.pathname'), '/same-session');
  t.is(await otherSession.webContents.executeJavaScript('location.pathname'), '/other-session');
  t.false(sameSession.webContents.isCrashed());
  await victim.loadURL(`${server.prefix}/after-crash`);
  t.false(victim.webContents.isCrashed());
  t.is(await victim.webContents.executeJavaScript('location.pathname'), '/after-crash');
});

test.serial('a renderer crash - calls only its renderer answers fail at once with Electron\'s errors (printToPDF does not take Chrome down); reload recovers', async (t) => {
  const win = new BrowserWindow({ show: false, webPreferences: { session: session.fromPartition(uniquePartition('renderer-crash')) } });
  t.teardown(() => win.destroy());
  await win.loadURL(`${server.prefix}/calls`);
  const frame = win.webContents.mainFrame!;
  const gone = new Promise((resolve) => win.webContents.once('render-process-gone', resolve));
  win.webContents.forcefullyCrashRenderer();
  await gone;
  const disposed = { message: 'Render frame was disposed before WebFrameMain could be accessed' };
  await t.throwsAsync(frame.executeJavaScript('1'), disposed);
  await t.throwsAsync(win.webContents.insertCSS('p { color: red }'), disposed);
  await t.throwsAsync(win.webContents.removeInsertedCSS('key'), disposed);
  await t.throwsAsync(win.webContents.insertText('x'), disposed);
  await t.throwsAsync(win.webContents.savePage(`${tmpdir()}/crashed-page.html`, 'HTMLComplete'), { message: 'Failed to save the page' });
  await t.throwsAsync(win.webContents.takeHeapSnapshot(`${tmpdir()}/crashed.heapsnapshot`), { message: 'Failed to take heap snapshot with nonexistent render frame' });
  await t.throwsAsync(win.webContents.printToPDF({}), { message: 'Failed to generate PDF: Printing failed' });
  t.true((await win.webContents.capturePage()).isEmpty());
  // Chrome is still there, and the window comes back with its next document.
  const loaded = new Promise((resolve) => win.webContents.once('did-finish-load', resolve));
  win.webContents.reload();
  await loaded;
  t.is(await frame.executeJavaScript('location.pathname'), '/calls');
  t.true((await win.webContents.printToPDF({})).subarray(0, 5).equals(Buffer.from('%PDF-')));
});

test.serial('a persistent partition\'s Chrome killed - what was flushed before (cookies.flushStore(), flushStorageData(), IndexedDB) is there when it starts again', async (t) => {
  t.timeout(60_000, 'a Chrome killed and started again on its profile');
  const ses = session.fromPartition(`persist:${uniquePartition('kept')}`);
  const url = `${server.prefix}/kept`;
  const writer = new BrowserWindow({ show: false, webPreferences: { session: ses } });
  await writer.loadURL(url);
  await ses.cookies.set({ url, name: 'kept', value: 'cookie', expirationDate: Date.now() / 1000 + 3600 });
  await ses.cookies.flushStore();
  await writer.webContents.executeJavaScript(`new Promise((resolve, reject) => {
    const open = indexedDB.open('db', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('s');
    open.onsuccess = () => {
      const tx = open.result.transaction('s', 'readwrite');
      tx.objectStore('s').put('indexedDB', 'kept');
      tx.oncomplete = () => { open.result.close(); resolve(true); };
      tx.onerror = () => reject(tx.error);
    };
  })`);
  await writer.webContents.executeJavaScript(`localStorage.setItem('kept', 'localStorage')`);
  // The page still open: a kill now, without the flush, would lose it (Chrome writes it a second later).
  await ses.flushStorageData();
  const chrome = app.getAppMetrics().find((metric) => metric.serviceName === ses.storagePath);
  t.truthy(chrome, "the partition's own Chrome is listed");
  const gone = new Promise<void>((resolve) => writer.webContents.once('destroyed', () => resolve()));
  process.kill(chrome!.pid, 'SIGKILL');
  await gone;

  const reader = new BrowserWindow({ show: false, webPreferences: { session: ses } });
  t.teardown(() => reader.destroy());
  await reader.loadURL(url);
  t.not(app.getAppMetrics().find((metric) => metric.serviceName === ses.storagePath)?.pid, chrome!.pid);
  t.deepEqual((await ses.cookies.get({ name: 'kept' })).map((cookie) => cookie.value), ['cookie']);
  t.is(await reader.webContents.executeJavaScript(`localStorage.getItem('kept')`), 'localStorage');
  t.is(await reader.webContents.executeJavaScript(`new Promise((resolve) => {
    const open = indexedDB.open('db', 1);
    open.onsuccess = () => {
      const req = open.result.transaction('s').objectStore('s').get('kept');
      req.onsuccess = () => { open.result.close(); resolve(req.result ?? null); };
    };
  })`), 'indexedDB');
  // The cookie flushStore() writes to make Chrome commit is never shown.
  t.false((await ses.cookies.get({})).some((cookie) => (cookie.domain ?? '').endsWith('.invalid')));
});


test.serial("a persistent partition's Chrome killed - once a call starts it again, its pages report cookies to the listener again", async (t) => {
  t.timeout(60_000, 'a Chrome killed and started again on its profile');
  server.setPage('/cookie-after', '<p>after</p>', { 'set-cookie': 'after=1' });
  const ses = session.fromPartition(`persist:${uniquePartition('watched')}`);
  const changes: string[] = [];
  const seen = new Promise<void>((resolve) =>
    ses.cookies.on('changed', (_event, cookie, cause) => {
      changes.push(`${cookie.name} ${cause}`);
      if (cookie.name === 'after') resolve();
    }),
  );
  const first = new BrowserWindow({ show: false, webPreferences: { session: ses } });
  await first.loadURL(`${server.prefix}/before`);
  const chrome = app.getAppMetrics().find((metric) => metric.serviceName === ses.storagePath)!;
  const gone = new Promise<void>((resolve) => first.webContents.once('destroyed', () => resolve()));
  process.kill(chrome.pid, 'SIGKILL');
  await gone;
  const again = new BrowserWindow({ show: false, webPreferences: { session: ses } });
  t.teardown(() => again.destroy());
  await again.loadURL(`${server.prefix}/cookie-after`);
  await seen;
  t.true(changes.includes('after explicit'));
});
