import test from 'ava';
import { BrowserWindow, session, type WebContents } from '../../src/index.js';
import { nextEvent, openWindow, serverAndApp, uniquePartition } from '../helpers/setup.js';

const context = serverAndApp(test, (server) => {
  server.setRedirect('/redirect', '/landed');
  // An OAuth-style callback to a scheme no browser loads: the app takes the URL in will-redirect.
  server.setRedirect('/to-app', 'myapp://callback?code=42');
  server.setPage('/landed', '<title>landed</title>');
  server.setPage('/start', '<title>start</title><a id="link" href="/redirect">go</a>');
  server.setPage('/framed', '<title>framed</title><iframe src="/redirect"></iframe>');
});

const url = (path: string): string => `${context.server.prefix}${path}`;

/** Names of the navigation events of `contents`, with the URL each carries, as they come. */
function record(contents: WebContents): string[] {
  const seen: string[] = [];
  contents.on('did-start-navigation', (event) => seen.push(`did-start-navigation ${event.url}`));
  contents.on('will-redirect', (event, redirectUrl, isInPlace, isMainFrame) => seen.push(`will-redirect ${event.url} ${redirectUrl} ${isInPlace} ${isMainFrame}`));
  contents.on('did-redirect-navigation', (event) => seen.push(`did-redirect-navigation ${event.url}`));
  contents.on('did-navigate', (_event, navigatedUrl) => seen.push(`did-navigate ${navigatedUrl}`));
  return seen;
}

test("webContents 'will-redirect' and 'did-redirect-navigation' - a server redirect of loadURL, heard from the window's first load", async (t) => {
  const win = new BrowserWindow({ show: false, webPreferences: { partition: uniquePartition('redirect') } });
  t.teardown(() => win.destroy());
  const seen = record(win.webContents);
  await win.loadURL(url('/redirect'));
  t.is(win.webContents.getURL(), url('/landed'));
  t.deepEqual(seen, [
    `did-start-navigation ${url('/redirect')}`,
    `will-redirect ${url('/landed')} ${url('/landed')} false true`,
    `did-redirect-navigation ${url('/landed')}`,
    `did-navigate ${url('/landed')}`,
  ]);
});

test("webContents 'will-redirect' - preventDefault() stops the navigation where it was: loadURL rejects ERR_ABORTED", async (t) => {
  const win = await openWindow(t, session.fromPartition(uniquePartition('redirect')), url('/start'));
  const contents = win.webContents;
  let taken = '';
  contents.on('will-redirect', (event) => {
    taken = event.url;
    event.preventDefault();
  });
  let followed = 0;
  contents.on('did-redirect-navigation', () => followed++);
  const failed = nextEvent(contents, 'did-fail-provisional-load');
  await t.throwsAsync(win.loadURL(url('/to-app')), { message: /ERR_ABORTED \(-3\)/ });
  t.is((await failed)[1], -3);
  t.is(taken, 'myapp://callback?code=42');
  t.is(followed, 0);
  t.is(contents.getURL(), url('/start'));
});

test("webContents 'will-redirect' - a link's navigation and an iframe's redirect (isMainFrame false, with its frame)", async (t) => {
  const win = await openWindow(t, session.fromPartition(uniquePartition('redirect')), url('/start'));
  const contents = win.webContents;
  const frames: Array<[string, boolean, boolean]> = [];
  contents.on('will-redirect', (event, redirectUrl, _inPlace, isMainFrame) => frames.push([redirectUrl, isMainFrame, event.frame !== null]));
  const navigated = nextEvent(contents, 'did-navigate');
  await contents.executeJavaScript("document.getElementById('link').click()");
  t.is((await navigated)[1], url('/landed'));
  const framed = nextEvent(contents, 'did-frame-finish-load');
  await win.loadURL(url('/framed'));
  await framed;
  t.deepEqual(frames, [
    [url('/landed'), true, true],
    [url('/landed'), false, true],
  ]);
  t.is(await contents.mainFrame!.frames[0]!.executeJavaScript('location.pathname'), '/landed');
});
