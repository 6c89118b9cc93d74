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

test("a Chrome crash - 'child-process-gone', windows destroyed, pending calls fail, the next call starts Chrome again", async (t) => {
  t.timeout(60_000, 'Chrome crash and restart');
  const ses = session.fromPartition(uniquePartition('crash'));
  const win = new BrowserWindow({ show: false, webPreferences: { session: ses } });
  await win.loadURL(`${server.prefix}/before`);
  const [main] = app.getAppMetrics();
  t.truthy(main, 'the main Chrome is listed');
  const gone = new Promise<ChildProcessGoneDetails>((resolve) => app.once('child-process-gone', (_e, details) => resolve(details)));
  const destroyed = new Promise<void>((resolve) => win.webContents.once('destroyed', () => resolve()));
  const pending = win.webContents.executeJavaScript('new Promise(() => {})');
  process.kill(main!.pid, 'SIGKILL');
  t.like(await gone, { type: 'Browser', reason: 'killed' });
  await destroyed;
  t.true(win.isDestroyed());
  await t.throwsAsync(pending);

  const again = new BrowserWindow({ show: false, webPreferences: { session: ses } });
  t.teardown(() => again.destroy());
  await again.loadURL(`${server.prefix}/after`);
  t.is(await again.webContents.executeJavaScript('location.pathname'), '/after');
  t.not(app.getAppMetrics()[0]?.pid, main!.pid);
});
