import test from 'ava';
import { BrowserWindow, session, type Session } from '../../src/index.js';
import { nextEvent, openWindow, serverAndApp, uniquePartition } from '../helpers/setup.js';

const context = serverAndApp(test, (server) => {
  server.setPage('/styled', '<link rel="stylesheet" href="/style.css"><p>styled</p>');
  server.setRoute('/style.css', (_req, res) => {
    res.setHeader('content-type', 'text/css');
    res.end('p { color: red }');
  });
});
const fresh = (): Session => session.fromPartition(uniquePartition('debugger'));

/** Resolves with the first 'message' of `method` that `accept` takes; rejects after 10 s. */
function messageOf(win: BrowserWindow, method: string, accept: (params: any, sessionId: string) => boolean = () => true): Promise<[any, string]> {
  const dbg = win.webContents.debugger;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      dbg.off('message', heard);
      reject(new Error(`no ${method} within 10 s`));
    }, 10_000);
    function heard(_event: unknown, name: string, params: any, sessionId: string): void {
      if (name !== method || !accept(params, sessionId)) return;
      clearTimeout(timer);
      dbg.off('message', heard);
      resolve([params, sessionId]);
    }
    dbg.on('message', heard);
  });
}

test('debugger.attach() - Electron\'s errors; sendCommand() answers and rejects with Chrome\'s message', async (t) => {
  const win = await openWindow(t, fresh(), 'about:blank');
  const dbg = win.webContents.debugger;
  t.is(win.webContents.debugger, dbg);
  await t.throwsAsync(dbg.sendCommand('Runtime.evaluate', { expression: '1' }), { message: 'No target available' });
  t.throws(() => dbg.attach('2.0'), { instanceOf: TypeError, message: 'Requested protocol version is not supported' });
  t.false(dbg.isAttached());
  dbg.attach('1.1');
  t.true(dbg.isAttached());
  t.throws(() => dbg.attach(), { instanceOf: TypeError, message: 'Debugger is already attached to the target' });
  const { result } = await dbg.sendCommand('Runtime.evaluate', { expression: '4 + 2' });
  t.is(result.value, 6);
  await t.throwsAsync(dbg.sendCommand('Test'), { message: "'Test' wasn't found" });
  await t.throwsAsync(dbg.sendCommand('Runtime.evaluate', {}, ''), { message: 'Empty session id is not allowed' });
  await t.throwsAsync(dbg.sendCommand('Runtime.evaluate', {}, 'not-a-session'), { message: 'Session with given id not found.' });
  dbg.detach();
});

test('debugger - the app\'s own session: events as messages, Fetch it enables pauses the page\'s requests for it alone', async (t) => {
  const win = await openWindow(t, fresh(), 'about:blank');
  const dbg = win.webContents.debugger;
  dbg.attach();
  await dbg.sendCommand('Network.enable');
  await dbg.sendCommand('Fetch.enable', { patterns: [{ urlPattern: '*style.css' }] });
  const paused: string[] = [];
  dbg.on('message', (_event, method, params: any) => {
    if (method !== 'Fetch.requestPaused') return;
    paused.push(params.request.url);
    void dbg.sendCommand('Fetch.fulfillRequest', { requestId: params.requestId, responseCode: 200, body: Buffer.from('p { color: blue }').toString('base64') });
  });
  const sent = messageOf(win, 'Network.requestWillBeSent', (params) => params.request.url.endsWith('/styled'));
  await win.loadURL(`${context.server.prefix}/styled`);
  const [params, sessionId] = await sent;
  t.is(params.type, 'Document');
  t.is(sessionId, '');
  t.deepEqual(paused, [`${context.server.prefix}/style.css`]);
  t.is(await win.webContents.executeJavaScript('getComputedStyle(document.querySelector("p")).color'), 'rgb(0, 0, 255)');
  // Detached, its interception ends with it.
  const detached = nextEvent<[unknown, string]>(dbg, 'detach');
  dbg.detach();
  t.is((await detached)[1], 'target closed');
  t.false(dbg.isAttached());
  await win.loadURL(`${context.server.prefix}/styled`);
  t.is(await win.webContents.executeJavaScript('getComputedStyle(document.querySelector("p")).color'), 'rgb(255, 0, 0)');
});

test('debugger.detach() - Chrome undoes the session\'s emulation', async (t) => {
  const win = await openWindow(t, fresh(), 'about:blank');
  const innerSize = (): Promise<unknown> => win.webContents.executeJavaScript('`${innerWidth}x${innerHeight}`');
  const before = await innerSize();
  const dbg = win.webContents.debugger;
  dbg.attach();
  await dbg.sendCommand('Emulation.setDeviceMetricsOverride', { width: 200, height: 150, deviceScaleFactor: 0, mobile: false });
  t.is(await innerSize(), '200x150');
  dbg.detach();
  // Chrome clears the override as it detaches the session: a command of ours after it sees the page as before.
  let size = await innerSize();
  for (let tries = 0; size !== before && tries < 50; tries++) size = await innerSize();
  t.is(size, before);
});

test('debugger - sessions attached through it: their commands by sessionId, their events with it', async (t) => {
  const win = await openWindow(t, fresh(), 'about:blank');
  const dbg = win.webContents.debugger;
  dbg.attach();
  const { targetInfo } = await dbg.sendCommand('Target.getTargetInfo');
  const created = messageOf(win, 'Target.targetCreated', (params) => params.targetInfo.targetId === targetInfo.targetId);
  await dbg.sendCommand('Target.setDiscoverTargets', { discover: true });
  t.is((await created)[1], '');
  const { sessionId } = await dbg.sendCommand('Target.attachToTarget', { targetId: targetInfo.targetId, flatten: true });
  t.is(typeof sessionId, 'string');
  const logged = messageOf(win, 'Runtime.consoleAPICalled', (_params, from) => from === sessionId);
  await dbg.sendCommand('Runtime.enable', {}, sessionId);
  const { result } = await dbg.sendCommand('Runtime.evaluate', { expression: 'console.log("through"), 7' }, sessionId);
  t.is(result.value, 7);
  const [params] = await logged;
  t.is(params.args[0].value, 'through');
  // Our own page keeps working beside it.
  await win.loadURL(`${context.server.prefix}/styled`);
  t.is(await win.webContents.executeJavaScript('document.querySelector("p").textContent'), 'styled');
  dbg.detach();
});

test('debugger - a closed page ends the session: \'detach\', unanswered commands reject; a destroyed one cannot attach', async (t) => {
  const win = new BrowserWindow({ show: false, webPreferences: { session: fresh() } });
  await win.loadURL('about:blank');
  const dbg = win.webContents.debugger;
  dbg.attach();
  await dbg.sendCommand('Runtime.enable');
  const waiting = dbg.sendCommand('Runtime.evaluate', { expression: 'new Promise(() => {})', awaitPromise: true });
  const detached = nextEvent<[unknown, string]>(dbg, 'detach');
  win.destroy();
  t.is((await detached)[1], 'target closed');
  await t.throwsAsync(waiting, { message: 'target closed while handling command' });
  t.false(dbg.isAttached());
  t.throws(() => dbg.attach(), { instanceOf: TypeError, message: 'No target available' });
});
