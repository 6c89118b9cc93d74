import test from 'ava';
import { session, type Session, type WebContents } from '../../src/index.js';
import { TestServer } from '../helpers/server.js';
import { openWindow, serverAndApp, uniquePartition } from '../helpers/setup.js';

// Synchronous checks where no dialog can carry them: cross-origin frames and workers.
const WORKER = `const read = async () => [Notification.permission, (await navigator.permissions.query({ name: 'geolocation' })).state];`;

const context = serverAndApp(test, (server) => {
  server.setPage('/frame', '<p>frame</p>');
  server.setPage('/top', `<iframe src="${server.crossOrigin}/frame"></iframe>`);
  // A frame that reads it in its first script, in a page whose first child frame it is.
  server.setPage('/early-frame', '<script>parent.postMessage(Notification.permission, "*")</script>');
  server.setPage('/early', `<script>window.result = new Promise((resolve) => addEventListener('message', (e) => resolve(e.data)));</script>
    <iframe src="${server.crossOrigin}/early-frame"></iframe>`);
  server.setPage('/dedicated.js', `${WORKER} onmessage = async () => postMessage(await read());`, { 'Content-Type': 'text/javascript' });
  server.setPage('/shared.js', `${WORKER} onconnect = (e) => { const port = e.ports[0]; port.onmessage = async () => port.postMessage(await read()); };`, {
    'Content-Type': 'text/javascript',
  });
  server.setPage('/service.js', `${WORKER} onmessage = async (e) => e.source.postMessage(await read());`, { 'Content-Type': 'text/javascript' });
  server.setPage('/workers', '<p>workers</p>');
});

const fresh = (): Session => session.fromPartition(uniquePartition('permission-sync'));
type Check = [WebContents | null, string, string, Record<string, unknown>];

function recording(ses: Session, answer: { allow: boolean }): Check[] {
  const checks: Check[] = [];
  ses.setPermissionCheckHandler((webContents, permission, requestingOrigin, details) => {
    checks.push([webContents, permission, requestingOrigin, details]);
    return answer.allow;
  });
  return checks;
}

test('Notification.permission in a cross-origin frame asks the check handler at each read (webContents null); no handler grants', async (t) => {
  const ses = fresh();
  const answer = { allow: false };
  const win = await openWindow(t, ses, `${context.server.prefix}/top`);
  const frame = win.webContents.mainFrame?.frames[0];
  t.truthy(frame);
  const read = () => frame!.executeJavaScript('Notification.permission');
  // No handler: Electron's checks pass.
  t.is(await read(), 'granted');
  // Set after the frame loaded: its next read asks it.
  const checks = recording(ses, answer);
  t.is(await read(), 'denied');
  answer.allow = true;
  t.is(await read(), 'granted');
  t.is(checks.length, 2);
  t.deepEqual(checks[0], [
    null,
    'notifications',
    `${context.server.crossOrigin}/`,
    { requestingUrl: `${context.server.crossOrigin}/frame`, isMainFrame: false, embeddingOrigin: `${context.server.prefix}/` },
  ]);
  // A debugger statement of the frame's own goes on as before.
  t.is(await frame!.executeJavaScript('debugger; 1 + 1'), 2);
  answer.allow = false;
  ses.setPermissionCheckHandler(null);
  t.is(await read(), 'granted');
  t.is(checks.length, 2);

  // A handler set before the page opened: the frame's first script already asks it.
  const early = fresh();
  const earlyChecks = recording(early, { allow: false });
  const other = await openWindow(t, early, `${context.server.prefix}/early`);
  t.is(await other.webContents.executeJavaScript('window.result'), 'denied');
  t.is(earlyChecks[0]?.[3].requestingUrl, `${context.server.crossOrigin}/early-frame`);
});

test('Notification.permission in a same-site cross-origin frame (in the page\'s own renderer) asks it too', async (t) => {
  // Another port of the same host: another origin, the same site, so no process of its own.
  const second = await TestServer.start();
  t.teardown(() => second.stop());
  second.setPage('/early-frame', '<script>parent.postMessage(Notification.permission, "*")</script>');
  context.server.setPage('/same-site', `<script>window.result = new Promise((resolve) => addEventListener('message', (e) => resolve(e.data)));</script>
    <iframe src="${second.prefix}/early-frame"></iframe>`);
  const ses = fresh();
  const checks = recording(ses, { allow: false });
  const win = await openWindow(t, ses, `${context.server.prefix}/same-site`);
  t.is(await win.webContents.executeJavaScript('window.result'), 'denied');
  t.is(win.webContents.mainFrame?.frames[0]?.processId, win.webContents.mainFrame?.processId);
  t.deepEqual(checks[0]?.slice(1), ['notifications', `${second.prefix}/`, {
    requestingUrl: `${second.prefix}/early-frame`, isMainFrame: false, embeddingOrigin: `${context.server.prefix}/`,
  }]);
  t.is(checks[0]?.[0], null);
});

test('Notification.permission and permissions.query in dedicated, shared and service workers follow the check handler', async (t) => {
  const ses = fresh();
  const answer = { allow: false };
  const checks = recording(ses, answer);
  const win = await openWindow(t, ses, `${context.server.prefix}/workers`);
  const ask = () =>
    win.webContents.executeJavaScript(`(async () => {
      window.dedicated ??= new Worker('/dedicated.js');
      window.shared ??= new SharedWorker('/shared.js');
      window.service ??= await navigator.serviceWorker.register('/service.js').then(() => navigator.serviceWorker.ready);
      const once = (target, port) => new Promise((resolve) => { target.onmessage = (e) => resolve(e.data); port.postMessage('read'); });
      return [await once(dedicated, dedicated), await once(shared.port, shared.port), await once(navigator.serviceWorker, service.active)];
    })()`);
  t.deepEqual(await ask(), [['denied', 'denied'], ['denied', 'denied'], ['denied', 'denied']]);
  const byUrl = (url: string) => checks.filter(([, , , details]) => details.requestingUrl === url);
  const dedicated = byUrl(`${context.server.prefix}/dedicated.js`);
  const shared = byUrl(`${context.server.prefix}/shared.js`);
  const service = byUrl(`${context.server.prefix}/service.js`);
  for (const worker of [dedicated, shared, service]) t.deepEqual(worker.map(([, permission]) => permission), ['notifications', 'geolocation']);
  t.is(dedicated[0]![0], win.webContents);
  t.is(shared[0]![0], null);
  t.is(service[0]![0], null);
  t.deepEqual(dedicated[0]!.slice(2), [
    `${context.server.prefix}/`,
    { requestingUrl: `${context.server.prefix}/dedicated.js`, isMainFrame: false, embeddingOrigin: `${context.server.prefix}/` },
  ]);
  answer.allow = true;
  t.deepEqual(await ask(), [['granted', 'granted'], ['granted', 'granted'], ['granted', 'granted']]);
  t.is(checks.length, 12);
});

test('workers without a check handler: checks pass, as in pages', async (t) => {
  const win = await openWindow(t, fresh(), `${context.server.prefix}/workers`);
  const read = `new Promise((resolve) => { const w = new Worker('/dedicated.js'); w.onmessage = (e) => resolve(e.data); w.postMessage('read'); })`;
  t.deepEqual(await win.webContents.executeJavaScript(read), ['granted', 'granted']);
  t.is(await win.webContents.executeJavaScript(`navigator.permissions.query({ name: 'geolocation' }).then((s) => s.state)`), 'granted');
});

test('a debugger of the user\'s (webContents.debugger) keeps its own stops while the session answers its checks', async (t) => {
  const ses = fresh();
  const checks = recording(ses, { allow: false });
  const win = await openWindow(t, ses, `${context.server.prefix}/top`);
  const { debugger: dbg } = win.webContents;
  dbg.attach('1.3');
  t.teardown(() => dbg.isAttached() && dbg.detach());
  await dbg.sendCommand('Debugger.enable');
  const paused = new Promise<{ callFrames: Array<{ callFrameId: string }> }>((resolve) => {
    dbg.on('message', (_event, method, params) => {
      if (method === 'Debugger.paused') resolve(params as { callFrames: Array<{ callFrameId: string }> });
    });
  });
  const result = win.webContents.executeJavaScript('debugger; 40 + 2');
  const { callFrames } = await paused;
  // Still stopped where the user's debugger stopped: it can evaluate there, then let it go.
  const { result: seen } = (await dbg.sendCommand('Debugger.evaluateOnCallFrame', { callFrameId: callFrames[0]!.callFrameId, expression: '6 * 7' })) as { result: { value: number } };
  t.is(seen.value, 42);
  await dbg.sendCommand('Debugger.resume');
  t.is(await result, 42);
  // The cross-origin frame's check still stops and is answered by the session.
  t.is(await win.webContents.mainFrame?.frames[0]?.executeJavaScript('Notification.permission'), 'denied');
  t.is(checks.length, 1);
});
