import test from 'ava';
import { app, session, type AuthInfo, type ElectronEvent } from '../../src/index.js';
import { openWindow, serverAndApp, uniquePartition } from '../helpers/setup.js';

const context = serverAndApp(test, (server) => {
  server.setRoute('/auth', (req, res) => {
    if (req.headers.authorization === `Basic ${Buffer.from('user:pass').toString('base64')}`) {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<title>authenticated</title>');
      return;
    }
    res.writeHead(401, { 'www-authenticate': 'Basic realm="Foo"', 'content-type': 'text/html' });
    res.end('<title>unauthorized</title>');
  });
});

// The 'login' listeners of one test would see the challenges of another: one at a time.
test.serial("'login' - on webContents then app; preventDefault and the callback's credentials answer it", async (t) => {
  const ses = session.fromPartition(uniquePartition('login'));
  const win = await openWindow(t, ses);
  const seen: string[] = [];
  let info: AuthInfo | undefined;
  win.webContents.on('login', (event, details, authInfo, callback) => {
    seen.push(`webContents ${details.url}`);
    info = authInfo;
    event.preventDefault();
    callback('user', 'pass');
  });
  const onApp = (event: ElectronEvent, contents: unknown): void => {
    seen.push(`app ${contents === win.webContents} ${event.defaultPrevented}`);
  };
  app.on('login', onApp);
  t.teardown(() => app.off('login', onApp));
  await win.loadURL(`${context.server.prefix}/auth`);
  t.is(win.webContents.getTitle(), 'authenticated');
  t.deepEqual(seen, [`webContents ${context.server.prefix}/auth`, 'app true true']);
  t.deepEqual(info, { isProxy: false, scheme: 'basic', host: '127.0.0.1', port: Number(new URL(context.server.prefix).port), realm: 'Foo' });
});

test.serial("'login' - a challenge nobody takes is cancelled, as is a callback without a username", async (t) => {
  const ses = session.fromPartition(uniquePartition('login'));
  const win = await openWindow(t, ses);
  let calls = 0;
  win.webContents.on('login', () => calls++);
  await win.loadURL(`${context.server.prefix}/auth`);
  t.is(win.webContents.getTitle(), 'unauthorized');
  win.webContents.removeAllListeners('login');
  win.webContents.on('login', (event, _details, _info, callback) => {
    calls++;
    event.preventDefault();
    callback();
  });
  await win.loadURL(`${context.server.prefix}/auth`);
  t.is(win.webContents.getTitle(), 'unauthorized');
  t.is(calls, 2);
});
