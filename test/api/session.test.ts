import test from 'ava';
import fc from 'fast-check';
import { isAbsolute, join, relative, sep } from 'node:path';
import { app, session, BrowserWindow, type Session } from '../../src/index.js';
import { TestServer } from '../helpers/server.js';
import { freshDir, readyApp, uniquePartition } from '../helpers/setup.js';

let server: TestServer;
let userData: string;

// Must run before any other test of this file makes the app ready.
test.serial('session - throws before the app is ready', (t) => {
  t.false(app.isReady());
  t.throws(() => session.defaultSession, { instanceOf: TypeError, message: 'Session can only be received when app is ready' });
  t.throws(() => session.fromPartition('x'), { instanceOf: TypeError, message: 'Session can only be received when app is ready' });
  t.throws(() => session.fromPath('/tmp/x'), { instanceOf: TypeError, message: 'Session can only be received when app is ready' });
});

test.serial.before(async () => {
  server = await TestServer.start();
});

test.serial('app.whenReady() - starts Chrome and makes sessions available', async (t) => {
  userData = await readyApp();
  t.true(app.isReady());
  t.is(app.getPath('sessionData'), userData);
});

test.after.always(async () => {
  await app.quit();
  await server?.stop();
});

test.serial('session.defaultSession - is fromPartition("") and persistent in sessionData', (t) => {
  t.is(session.defaultSession, session.fromPartition(''));
  t.true(session.defaultSession.isPersistent());
  t.is(session.defaultSession.storagePath, userData);
  t.is(session.defaultSession.getStoragePath(), userData);
});

test.serial('session.fromPartition() - same string, same object; in-memory has no path', (t) => {
  const name = uniquePartition();
  const a = session.fromPartition(name);
  t.is(session.fromPartition(name), a);
  t.false(a.isPersistent());
  t.is(a.storagePath, null);
  t.not(session.fromPartition(uniquePartition()), a);
});

test.serial('session.fromPartition("persist:...") - escaped, lower-cased directory under Partitions', (t) => {
  const ses = session.fromPartition('persist:My App');
  t.true(ses.isPersistent());
  t.is(ses.storagePath, join(userData, 'Partitions', 'my%20app'));
  t.not(session.fromPartition('persist:two').storagePath, ses.storagePath);
  t.is(session.fromPartition('persist:'), session.defaultSession);
});

test.serial('session.fromPath() - validates the path and keeps it as the storage path', (t) => {
  t.throws(() => session.fromPath(''), { instanceOf: TypeError, message: 'An empty path was specified' });
  t.throws(() => session.fromPath('relative/dir'), { instanceOf: TypeError, message: 'An absolute path was not provided' });
  const dir = freshDir('cs-frompath-');
  const ses = session.fromPath(dir);
  t.is(ses.storagePath, dir);
  t.true(ses.isPersistent());
  t.is(session.fromPath(dir), ses);
});

test.serial('session.fromPath() / fromPartition() - any string: Electron\'s TypeError or the one session for it, no Chrome started', (t) => {
  const chromes = app.getAppMetrics().length;
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.string().map((rest) => `/${rest}`)), (path) => {
      let ses: Session;
      try {
        ses = session.fromPath(path);
      } catch (error) {
        const expected = path === '' ? 'An empty path was specified' : 'An absolute path was not provided';
        return error instanceof TypeError && error.message === expected && !isAbsolute(path);
      }
      return isAbsolute(path) && ses.storagePath === path && ses.isPersistent() && session.fromPath(path) === ses;
    }),
  );
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme' }), fc.boolean(), (name, persist) => {
      const partition = persist ? `persist:${name}` : name;
      const ses = session.fromPartition(partition);
      if (session.fromPartition(partition) !== ses) return false;
      if (partition === '' || partition === 'persist:') return ses === session.defaultSession;
      if (!persist) return ses.storagePath === null && !ses.isPersistent();
      // Inside Partitions/ whatever the name (`..` and empty segments included).
      const inside = relative(join(app.getPath('sessionData'), 'Partitions'), ses.storagePath!);
      return inside !== '' && inside.split(sep)[0] !== '..' && ses.isPersistent();
    }),
  );
  t.is(app.getAppMetrics().length, chromes, 'a session starts its Chrome when first used, not when made');
});

test.serial("app 'session-created' - fires synchronously with the new session only", (t) => {
  const created: Session[] = [];
  const listener = (ses: Session) => created.push(ses);
  app.on('session-created', listener);
  const ses = session.fromPartition(uniquePartition());
  session.fromPartition(ses === created[0] ? '' : 'never');
  app.off('session-created', listener);
  t.is(created[0], ses);
});

test('new Session() - cannot be constructed', (t) => {
  const Ctor = session.defaultSession.constructor as new () => unknown;
  t.throws(() => new Ctor(), { instanceOf: TypeError, message: "Session objects cannot be created with 'new'" });
});

test('Session.getUserAgent() - is Chrome\'s, without the headless marker', (t) => {
  const ua = session.fromPartition(uniquePartition()).getUserAgent();
  t.regex(ua, /Chrome\/\d+/);
  t.notRegex(ua, /HeadlessChrome/);
});

test('Session.setUserAgent() - new pages send the user agent and Accept-Language with q-values', async (t) => {
  const ses = session.fromPartition(uniquePartition());
  ses.setUserAgent('test-agent', 'en-US,fr,de');
  t.is(ses.getUserAgent(), 'test-agent');
  const win = new BrowserWindow({ show: false, webPreferences: { session: ses } });
  t.teardown(() => win.destroy());
  const request = server.waitForRequest('/ua');
  await win.loadURL(`${server.prefix}/ua`);
  const { headers } = await request;
  t.is(headers['user-agent'], 'test-agent');
  t.is(headers['accept-language'], 'en-US,fr;q=0.9,de;q=0.8');
  t.is(await win.webContents.executeJavaScript('navigator.userAgent'), 'test-agent');
});

test('app.getPath() / setPath() - Electron names, errors for unknown ones', (t) => {
  t.is(app.getPath('userData'), userData);
  t.truthy(app.getPath('temp'));
  t.truthy(app.getPath('downloads'));
  t.throws(() => app.getPath('nope'), { message: "Failed to get 'nope' path" });
  t.throws(() => app.setPath('temp', 'relative'), { instanceOf: TypeError });
});
