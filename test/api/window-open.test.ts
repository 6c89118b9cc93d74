import test from 'ava';
import { app, BrowserWindow, session, webContents, type BrowserWindowConstructorOptions, type HandlerDetails } from '../../src/index.js';
import { nextEvent as next, openWindow, serverAndApp, uniquePartition } from '../helpers/setup.js';

const requested: string[] = [];

const context = serverAndApp(test, (server) => {
  server.setPage(
    '/opener',
    `<title>opener</title><a id="link" target="_blank" href="/popup?link">go</a>
     <iframe src="${server.crossOrigin}/frame"></iframe>`,
  );
  server.setPage('/frame', '<title>frame</title>');
  server.setRoute('/popup', (req, res) => {
    requested.push(req.url!);
    res.writeHead(200, { 'content-type': 'text/html', 'set-cookie': 'seen=1' });
    res.end('<title>popup</title>');
  });
});

/** The page a popup shows once it loaded. */
async function loaded(win: BrowserWindow): Promise<void> {
  if (win.webContents.isLoading() || win.webContents.getURL() === '' || win.webContents.getURL() === 'about:blank') await next(win.webContents, 'did-finish-load');
}

test.serial('setWindowOpenHandler() - deny: window.open() gives null, a link opens nothing, and no request is made', async (t) => {
  const win = await openWindow(t, session.fromPartition(uniquePartition('open')), `${context.server.prefix}/opener`);
  const asked: HandlerDetails[] = [];
  win.webContents.setWindowOpenHandler((details) => {
    asked.push(details);
    return { action: 'deny' };
  });
  const before = webContents.getAllWebContents().length;
  t.is(await win.webContents.executeJavaScript("window.open('/popup?open', 'named', 'width=320,height=240')"), null);
  await win.webContents.executeJavaScript("document.getElementById('link').click()");
  // The link's window was closed while paused: a window.open() after it is still answered, and nothing else came.
  t.is(await win.webContents.executeJavaScript("window.open('/popup?again')"), null);
  const { prefix } = context.server;
  t.deepEqual(asked, [
    { url: `${prefix}/popup?open`, frameName: 'named', features: 'width=320,height=240', disposition: 'new-window', referrer: { url: `${prefix}/opener`, policy: 'strict-origin-when-cross-origin' } },
    { url: `${prefix}/popup?link`, frameName: '', features: '', disposition: 'foreground-tab', referrer: { url: `${prefix}/opener`, policy: 'strict-origin-when-cross-origin' } },
    { url: `${prefix}/popup?again`, frameName: '', features: '', disposition: 'foreground-tab', referrer: { url: `${prefix}/opener`, policy: 'strict-origin-when-cross-origin' } },
  ]);
  t.is(webContents.getAllWebContents().length, before);
  t.false(requested.some((url) => url === '/popup?open' || url === '/popup?link' || url === '/popup?again'));
});

test.serial("setWindowOpenHandler() - allow: a BrowserWindow in the opener's session, its options overridden; 'did-create-window'; closed with its opener", async (t) => {
  const ses = session.fromPartition(uniquePartition('open'));
  // app's events for every window and page made, a page's popup too.
  const madeWindows: BrowserWindow[] = [];
  const madeContents: unknown[] = [];
  const onWindow = (_event: unknown, window: BrowserWindow): number => madeWindows.push(window);
  const onContents = (_event: unknown, contents: unknown): number => madeContents.push(contents);
  app.on('browser-window-created', onWindow).on('web-contents-created', onContents);
  t.teardown(() => app.off('browser-window-created', onWindow).off('web-contents-created', onContents));
  const win = await openWindow(t, ses, `${context.server.prefix}/opener`);
  t.deepEqual([madeWindows, madeContents], [[win], [win.webContents]]);
  win.webContents.setWindowOpenHandler(() => ({ action: 'allow', overrideBrowserWindowOptions: { width: 420, height: 380 } }));
  const created = next<[BrowserWindow, { url: string; frameName: string; disposition: string; options: BrowserWindowConstructorOptions }]>(win.webContents, 'did-create-window');
  t.true(await win.webContents.executeJavaScript("window.popup = window.open('/popup?allowed', 'named'); window.popup !== null"));
  const [popup, details] = await created;
  t.deepEqual([madeWindows, madeContents], [[win, popup], [win.webContents, popup.webContents]]);
  await loaded(popup);
  t.true(BrowserWindow.getAllWindows().includes(popup));
  t.is(BrowserWindow.fromWebContents(popup.webContents), popup);
  t.like(details, { url: `${context.server.prefix}/popup?allowed`, frameName: 'named', disposition: 'foreground-tab', options: { width: 420, height: 380 } });
  t.is(popup.webContents.session, ses);
  t.is(popup.webContents.getURL(), `${context.server.prefix}/popup?allowed`);
  t.is(popup.webContents.opener, win.webContents.mainFrame);
  t.is(win.webContents.opener, null);
  t.deepEqual(await popup.webContents.executeJavaScript('[window.opener !== null, window.name, window.innerWidth]'), [true, 'named', 420]);
  // The opener's page can reach its window, and the popup's cookie is the session's.
  t.is(await win.webContents.executeJavaScript('window.popup.document.title'), 'popup');
  t.true((await ses.cookies.get({ name: 'seen' })).length > 0);
  const closed = next(popup, 'closed');
  win.destroy();
  await closed;
  t.true(popup.isDestroyed());
});

test.serial('setWindowOpenHandler() - no handler allows; outlivesOpener keeps the window; a cross-site frame is decided too', async (t) => {
  const ses = session.fromPartition(uniquePartition('open'));
  const win = await openWindow(t, ses, `${context.server.prefix}/opener`);
  // A link's window has no opener (no renderer until it runs): its first request still passes the session's listener.
  const firstRequests: Array<[string, unknown]> = [];
  ses.webRequest.onBeforeRequest({ urls: ['*://*/popup*'] }, (details, callback) => {
    firstRequests.push([details.url, details.webContents]);
    callback({});
  });
  const created = next<[BrowserWindow]>(win.webContents, 'did-create-window');
  await win.webContents.executeJavaScript("document.getElementById('link').click()");
  const [first] = await created;
  t.teardown(() => first.destroy());
  await loaded(first);
  t.is(first.webContents.getURL(), `${context.server.prefix}/popup?link`);
  t.deepEqual(firstRequests[0], [`${context.server.prefix}/popup?link`, first.webContents]);
  ses.webRequest.onBeforeRequest(null);
  t.is(first.getTitle(), 'popup');

  // A cross-site frame cannot be asked while it waits: its window is decided when Chrome makes it, before it runs.
  const asked: string[] = [];
  win.webContents.setWindowOpenHandler(({ url }) => {
    asked.push(url);
    return url.endsWith('keep') ? { action: 'allow', outlivesOpener: true } : { action: 'deny' };
  });
  const frame = win.webContents.mainFrame!.frames[0]!;
  const before = webContents.getAllWebContents().length;
  // Its window.open() gave a window (it could not be asked first), closed as soon as it started.
  t.true(await frame.executeJavaScript("window.open('/popup?frame') !== null"));
  const kept = next<[BrowserWindow]>(win.webContents, 'did-create-window');
  t.true(await win.webContents.executeJavaScript("window.open('/popup?keep') !== null"));
  const [second] = await kept;
  t.teardown(() => second.destroy());
  t.deepEqual(asked, [`${context.server.crossOrigin}/popup?frame`, `${context.server.prefix}/popup?keep`]);
  t.is(webContents.getAllWebContents().length, before + 1, 'the frame\'s denied window was closed');
  await loaded(second);
  const opener = next(first, 'closed');
  win.destroy();
  await opener;
  t.false(second.isDestroyed(), 'outlivesOpener keeps it');
});

test.serial("setWindowOpenHandler() - Electron's handling of a handler that throws or answers badly: denied", async (t) => {
  const win = await openWindow(t, session.fromPartition(uniquePartition('open')), `${context.server.prefix}/opener`);
  const errors: string[] = [];
  const original = console.error;
  console.error = (message: unknown) => void (String(message).startsWith('The window open handler') && errors.push(String(message)));
  t.teardown(() => (console.error = original));
  const warnings: Error[] = [];
  const onWarning = (warning: Error): void => void warnings.push(warning);
  process.on('warning', onWarning);
  t.teardown(() => process.off('warning', onWarning));
  for (const answer of [undefined, null, { action: 'navigate' }]) {
    win.webContents.setWindowOpenHandler(() => answer as never);
    t.is(await win.webContents.executeJavaScript("window.open('/popup?bad')"), null);
  }
  win.webContents.setWindowOpenHandler(() => {
    throw new RangeError('handler failed');
  });
  t.is(await win.webContents.executeJavaScript("window.open('/popup?bad')"), null);
  t.deepEqual(errors, [
    "The window open handler response must be an object, but was instead of type 'undefined'.",
    'The window open handler response must be an object, but was instead null.',
    "The window open handler response must be an object with an 'action' property of 'allow' or 'deny'.",
  ]);
  await new Promise((resolve) => setImmediate(resolve));
  t.true(warnings.some((warning) => warning.name === 'WindowOpenHandlerError' && warning.message === 'handler failed'));
});
