import test, { type ExecutionContext } from 'ava';
import { session, type Session, type WebContents } from '../../src/index.js';
import { openWindow, serverAndApp, uniquePartition } from '../helpers/setup.js';

const context = serverAndApp(test, (server) => {
  // A cross-site frame that asks for its storage at once and tells its parent how it went.
  server.setPage('/sa-frame', `<script>document.requestStorageAccess().then(() => 'granted', (e) => e.name + ': ' + e.message)
    .then((result) => parent.postMessage(result, '*'));</script>`);
  server.setPage('/sa-top', `<script>window.result = new Promise((resolve) => addEventListener('message', (e) => resolve(e.data)));</script>
    <iframe src="${server.crossOrigin}/sa-frame"></iframe>`);
});

const fresh = (): Session => session.fromPartition(uniquePartition('permissions'));

test('setPermissionRequestHandler() - notifications answered both ways, later too; details; no handler grants', async (t) => {
  const ses = fresh();
  const win = await openWindow(t, ses, `${context.server.prefix}/page`);
  t.is(await win.webContents.executeJavaScript('Notification.requestPermission()', true), 'granted');

  const seen: Array<[WebContents | null, string, unknown]> = [];
  ses.setPermissionRequestHandler((webContents, permission, callback, details) => {
    seen.push([webContents, permission, details]);
    setTimeout(() => callback(false), 50);
  });
  const other = await openWindow(t, ses, `${context.server.crossOrigin}/other`);
  t.is(await other.webContents.executeJavaScript('Notification.requestPermission()', true), 'denied');
  // As in Electron, the property is a check, not the request's answer: no check handler passes.
  t.is(await other.webContents.executeJavaScript('Notification.permission'), 'granted');
  t.deepEqual(seen, [[other.webContents, 'notifications', { requestingUrl: `${context.server.crossOrigin}/other`, isMainFrame: true }]]);
  t.throws(() => ses.setPermissionRequestHandler('no' as never), { instanceOf: TypeError, message: 'Must pass null or function' });
});

test('setPermissionRequestHandler() - geolocation denied gives error code 1, granted gives a position', async (t) => {
  const ses = fresh();
  const win = await openWindow(t, ses, `${context.server.prefix}/geo`);
  const locate = `new Promise((resolve) => navigator.geolocation.getCurrentPosition((p) => resolve(typeof p.coords.latitude), (e) => resolve(e.code), { timeout: 1000 }))`;
  ses.setPermissionRequestHandler((_wc, permission, callback) => callback(permission !== 'geolocation'));
  t.is(await win.webContents.executeJavaScript(locate, true), 1);
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(true));
  const outcome = await win.webContents.executeJavaScript(locate, true);
  // Granted: a position, or (no location source on a headless machine) anything but PERMISSION_DENIED.
  t.not(outcome, 1);
});

test('setPermissionCheckHandler() - permissions.query follows it, with Electron\'s origin and details; partitions are independent', async (t) => {
  const ses = fresh();
  const checks: Array<[string, string, unknown]> = [];
  ses.setPermissionCheckHandler((_webContents, permission, requestingOrigin, details) => {
    checks.push([permission, requestingOrigin, details]);
    return permission !== 'geolocation';
  });
  const win = await openWindow(t, ses, `${context.server.prefix}/query`);
  const query = (name: string) => win.webContents.executeJavaScript(`navigator.permissions.query({ name: '${name}' }).then((s) => s.state)`);
  t.is(await query('geolocation'), 'denied');
  t.is(await query('notifications'), 'granted');
  t.deepEqual(checks[0], ['geolocation', `${context.server.prefix}/`, { requestingUrl: `${context.server.prefix}/query`, isMainFrame: true, embeddingOrigin: `${context.server.prefix}/` }]);
  const elsewhere = await openWindow(t, fresh(), `${context.server.prefix}/query`);
  t.is(await elsewhere.webContents.executeJavaScript(`navigator.permissions.query({ name: 'geolocation' }).then((s) => s.state)`), 'granted');
});

test('setPermissionCheckHandler() - Notification.permission asks it at each read, synchronously; no dialog shows', async (t) => {
  const ses = fresh();
  let allow = false;
  const checks: Array<[WebContents | null, string, string, unknown]> = [];
  ses.setPermissionCheckHandler((webContents, permission, requestingOrigin, details) => {
    checks.push([webContents, permission, requestingOrigin, details]);
    return allow;
  });
  const win = await openWindow(t, ses, `${context.server.prefix}/sync`);
  t.is(await win.webContents.executeJavaScript('Notification.permission'), 'denied');
  allow = true;
  t.is(await win.webContents.executeJavaScript('Notification.permission'), 'granted');
  const url = `${context.server.prefix}/sync`;
  t.deepEqual(checks[0], [win.webContents, 'notifications', `${context.server.prefix}/`, { requestingUrl: url, isMainFrame: true, embeddingOrigin: `${context.server.prefix}/` }]);
  t.is(checks.length, 2);
  // No dialog was left open or shown: the page goes on, and a dialog of its own is dismissed at once.
  t.deepEqual(await win.webContents.executeJavaScript(`[Notification.permission, confirm('sure?'), prompt('name?', 'x')]`), ['granted', false, null]);
});

test('permission requests - clearing the handler denies what is pending', async (t) => {
  const ses = fresh();
  const win = await openWindow(t, ses, `${context.server.prefix}/pending`);
  const asked = new Promise<void>((resolve) => ses.setPermissionRequestHandler(() => resolve()));
  const result = win.webContents.executeJavaScript('Notification.requestPermission()', true);
  await asked;
  ses.setPermissionRequestHandler(null);
  t.is(await result, 'denied');
});

test('setPermissionRequestHandler() - getUserMedia asks for media with its types; denied rejects NotAllowedError', async (t) => {
  const ses = fresh();
  const win = await openWindow(t, ses, `${context.server.prefix}/media`);
  const asked: unknown[] = [];
  ses.setPermissionRequestHandler((_wc, permission, callback, details) => {
    asked.push([permission, details]);
    callback(asked.length > 1);
  });
  const capture = `navigator.mediaDevices.getUserMedia({ video: true }).then((s) => s.getVideoTracks().length, (e) => e.name + ': ' + e.message)`;
  t.is(await win.webContents.executeJavaScript(capture, true), 'NotAllowedError: Permission denied');
  t.is(await win.webContents.executeJavaScript(capture, true), 1);
  t.deepEqual(asked[0], ['media', { requestingUrl: `${context.server.prefix}/media`, isMainFrame: true, mediaTypes: ['video'], securityOrigin: `${context.server.prefix}/media` }]);
});

test('setDisplayMediaRequestHandler() - the chosen source gives the page a live stream; {} denies; no handler: Not supported', async (t) => {
  const ses = fresh();
  const win = await openWindow(t, ses, `${context.server.prefix}/display`);
  const capture = `navigator.mediaDevices.getDisplayMedia({ video: true }).then((s) => s.getVideoTracks()[0].label + ' ' + s.getVideoTracks()[0].readyState, (e) => e.name + ': ' + e.message)`;
  t.is(await win.webContents.executeJavaScript(capture, true), 'NotSupportedError: Not supported');
  const requests: unknown[] = [];
  ses.setDisplayMediaRequestHandler((request, callback) => {
    requests.push(request);
    callback(requests.length === 1 ? { video: { id: 'screen:1:0', name: 'Entire screen' } } : {});
  });
  t.is(await win.webContents.executeJavaScript(capture, true), 'Entire screen live');
  t.is(await win.webContents.executeJavaScript(capture, true), 'NotAllowedError: Permission denied');
  const { frame, ...rest } = requests[0] as { frame: unknown };
  t.deepEqual(rest, { securityOrigin: `${context.server.prefix}/`, videoRequested: true, audioRequested: false, userGesture: true });
  t.is(frame, win.webContents.mainFrame);
});

test('setDisplayMediaRequestHandler() - a WebFrameMain as the video source, with loopback audio: a live video track named by its URL and a live audio track', async (t) => {
  const ses = fresh();
  const win = await openWindow(t, ses, `${context.server.prefix}/display`);
  const audioRequested: boolean[] = [];
  ses.setDisplayMediaRequestHandler((request, callback) => {
    audioRequested.push(request.audioRequested);
    callback({ video: win.webContents.mainFrame!, audio: 'loopback' });
  });
  const capture = (audio: boolean) => `navigator.mediaDevices.getDisplayMedia({ video: true, audio: ${audio} })
    .then((s) => [s.getVideoTracks().map((v) => v.label + ' ' + v.readyState), s.getAudioTracks().map((a) => a.kind + ' ' + a.readyState)])`;
  t.deepEqual(await win.webContents.executeJavaScript(capture(true), true), [[`${context.server.prefix}/display live`], ['audio live']]);
  // Audio the page did not ask for is not given.
  t.deepEqual(await win.webContents.executeJavaScript(capture(false), true), [[`${context.server.prefix}/display live`], []]);
  t.deepEqual(audioRequested, [true, false]);
});

/**
 * A session whose request handler records what it is asked and answers `answers.grant`
 * (at once, or a moment later as a user would); `run` evaluates an async body in its window.
 */
async function answering(t: ExecutionContext, path: string, later = false) {
  const ses = fresh();
  const asked: string[] = [];
  const answers = { grant: false };
  ses.setPermissionRequestHandler((_wc, permission, callback) => {
    asked.push(permission);
    if (later) setTimeout(() => callback(answers.grant), 10);
    else callback(answers.grant);
  });
  const win = await openWindow(t, ses, `${context.server.prefix}${path}`);
  const run = (code: string): Promise<unknown> => win.webContents.executeJavaScript(`(async () => { ${code} })()`, true);
  return { asked, answers, run };
}

test('setPermissionRequestHandler() - geolocation.watchPosition, idle-detection, window-management and fullscreen ask it too', async (t) => {
  const { asked, answers, run } = await answering(t, '/more');
  const watch = `return await new Promise((resolve) => {
    const id = navigator.geolocation.watchPosition((p) => { navigator.geolocation.clearWatch(id); resolve(typeof p.coords.latitude); },
      (e) => { navigator.geolocation.clearWatch(id); resolve(e.code); }, { timeout: 1000 });
  });`;
  const screens = "return await window.getScreenDetails().then((d) => typeof d.screens.length, (e) => e.name);";
  const full = `let error = false; document.addEventListener('fullscreenerror', () => { error = true; }, { once: true });
    return await document.body.requestFullscreen().then(() => 'entered', (e) => e.name + ': ' + e.message + ' ' + error);`;
  t.deepEqual(
    [await run(watch), await run('return await IdleDetector.requestPermission();'), await run(screens), await run(full)],
    [1, 'denied', 'NotAllowedError', 'TypeError: Permissions check failed true'],
  );
  t.deepEqual(asked, ['geolocation', 'idle-detection', 'window-management', 'fullscreen']);
  answers.grant = true;
  t.deepEqual([await run('return await IdleDetector.requestPermission();'), await run(screens), await run(full)], ['granted', 'number', 'entered']);
});

test('setPermissionRequestHandler() - pointerLock, keyboardLock, mediaKeySystem and a cross-site frame\'s storage-access, both ways', async (t) => {
  const { asked, answers, run } = await answering(t, '/locks', true);
  const outcome = (call: string) => `return await ${call}.then(() => 'granted', (e) => e.name + ': ' + e.message);`;
  const pointer = `let error = false; document.addEventListener('pointerlockerror', () => { error = true; }, { once: true });
    return await document.body.requestPointerLock().then(() => 'granted', (e) => e.name + ' ' + error);`;
  const keyboard = outcome("navigator.keyboard.lock(['KeyW'])");
  const keys = outcome(`navigator.requestMediaKeySystemAccess('org.w3.clearkey', [{ initDataTypes: ['webm'], videoCapabilities: [{ contentType: 'video/webm; codecs="vp8"' }] }])`);
  t.deepEqual(
    [await run(pointer), await run(keyboard), await run(keys)],
    ['NotAllowedError true', 'NotAllowedError: Permission denied.', 'NotSupportedError: Unsupported keySystem or supportedConfigurations.'],
  );
  t.deepEqual(asked, ['pointerLock', 'keyboardLock', 'mediaKeySystem']);
  answers.grant = true;
  await run('document.exitPointerLock();');
  t.deepEqual([await run(pointer), await run(keyboard), await run(keys)], ['granted', 'granted', 'granted']);
  // The top frame's own document has its storage: Chrome asks nobody, nor do we.
  t.is(await run(outcome('document.requestStorageAccess()')), 'granted');
  t.is(asked.length, 6);

  for (const [grant, expected] of [[false, 'NotAllowedError: requestStorageAccess: Permission denied.'], [true, 'granted']] as const) {
    const framedSession = fresh();
    const seen: string[] = [];
    framedSession.setPermissionRequestHandler((_wc, permission, callback, details) => {
      seen.push(`${permission} ${String(details.isMainFrame)} ${String(details.requestingUrl)}`);
      callback(grant);
    });
    const framed = await openWindow(t, framedSession, `${context.server.prefix}/sa-top`);
    t.is(await framed.webContents.executeJavaScript('window.result'), expected);
    t.deepEqual(seen, [`storage-access false ${context.server.crossOrigin}/sa-frame`]);
  }
});
