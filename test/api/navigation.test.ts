import test from 'ava';
import { session, type WebContents, type WebFrameMain } from '../../src/index.js';
import { nextEvent, openWindow, serverAndApp, uniquePartition } from '../helpers/setup.js';

const hits = new Map<string, number>();
/** Responses held back (an image a page's load waits on), answered at the end of the test that asked. */
const held: Array<{ end: () => void }> = [];
let heldAsked: (() => void) | undefined;

const context = serverAndApp(test, (server) => {
  server.setPage(
    '/start',
    `<title>start</title><a id="link" href="/target?link">go</a>
     <form id="form" method="post" action="/target?form"><input name="q" value="1"></form>
     <iframe name="same" src="/child"></iframe>`,
  );
  server.setPage('/child', '<title>child</title><a id="link" href="/target?child">go</a>');
  server.setPage('/framed', `<iframe name="cross" src="${server.crossOrigin}/child"></iframe>`);
  server.setRoute('/target', (req, res) => {
    hits.set(req.url!, (hits.get(req.url!) ?? 0) + 1);
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<title>target</title>');
  });
  // Each image URL its own (a second request for a URL still being fetched would wait on Chrome's cache lock).
  server.setPage('/held', `<title>held</title><img id="i"><script>i.src = '/held.gif?' + Math.random();</script>`);
  // Its image is held too, but does not count as asked (it may reach the server after the next page's).
  server.setPage('/held-then-script', `<img id="i"><script>i.src = '/held.gif?script-' + Math.random(); location.href = '/target?script';</script>`);
  server.setRoute('/held.gif', (req, res) => {
    res.writeHead(200, { 'content-type': 'image/gif', 'cache-control': 'no-store' });
    held.push({ end: () => res.destroy() });
    if (!req.url!.includes('script-')) heldAsked?.();
  });
  server.setRoute('/missing', (_req, res) => {
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end('<title>gone</title>');
  });
});

/** The arguments after the event of the next `event`. */
const next = (contents: WebContents, event: string): Promise<unknown[]> => nextEvent(contents, event).then((args) => args.slice(1));

test("webContents 'will-navigate' - a link, location and a form submission are asked first; preventDefault() keeps the page", async (t) => {
  const win = await openWindow(t, session.fromPartition(uniquePartition('nav')));
  const contents = win.webContents;
  const { prefix } = context.server;
  await win.loadURL(`${prefix}/start`);
  const main = contents.mainFrame!;
  const asked: unknown[] = [];
  contents.on('will-navigate', (event, url, isInPlace, isMainFrame, processId, routingId) => {
    asked.push({ url: event.url, isMainFrame: event.isMainFrame, isSameDocument: event.isSameDocument, frame: event.frame === main, args: [url, isInPlace, isMainFrame, processId, routingId] });
    event.preventDefault();
  });
  for (const [query, start] of [
    ['link', "document.getElementById('link').click()"],
    ['href', "location.href = '/target?href'"],
    ['form', "document.getElementById('form').submit()"],
  ] as const) {
    const failed = next(contents, 'did-fail-provisional-load');
    await contents.executeJavaScript(start);
    t.deepEqual(await failed, [-3, 'ERR_ABORTED', `${prefix}/target?${query}`, true, main.processId, main.routingId]);
    t.is(await contents.executeJavaScript('location.href'), `${prefix}/start`);
  }
  t.deepEqual(
    asked,
    ['link', 'href', 'form'].map((query) => {
      const url = `${prefix}/target?${query}`;
      return { url, isMainFrame: true, isSameDocument: false, frame: true, args: [url, false, true, main.processId, main.routingId] };
    }),
  );
  t.is(contents.getURL(), `${prefix}/start`);
  // (The link's target is loaded by another test of this file.)
  t.is((hits.get('/target?href') ?? 0) + (hits.get('/target?form') ?? 0), 0, 'a prevented navigation sends no request');
});

test("webContents navigation events - a navigation the page starts, in Electron's order; loadURL and in-page navigations are not asked", async (t) => {
  const win = await openWindow(t, session.fromPartition(uniquePartition('nav')));
  const contents = win.webContents;
  const { prefix } = context.server;
  const events: string[] = [];
  let mainFrame: WebFrameMain | null = null;
  contents.on('did-start-navigation', (event, url, isInPlace, isMainFrame) => {
    if (!isMainFrame) return;
    events.push(`did-start-navigation ${url} ${isInPlace} initiator:${event.initiator === null ? 'none' : event.initiator === mainFrame ? 'main' : 'other'}`);
  });
  contents.on('will-frame-navigate', (event) => void (event.isMainFrame && events.push(`will-frame-navigate ${event.url}`)));
  contents.on('will-navigate', (event) => void events.push(`will-navigate ${event.url}`));
  contents.on('did-frame-navigate', (_e, url, code, text, isMainFrame) => void (isMainFrame && events.push(`did-frame-navigate ${url} ${code} ${text}`)));
  contents.on('did-navigate', (_e, url, code) => void events.push(`did-navigate ${url} ${code}`));
  contents.on('did-navigate-in-page', (_e, url, isMainFrame, processId, routingId) => {
    events.push(`did-navigate-in-page ${url} ${isMainFrame} ${processId === mainFrame?.processId && routingId === mainFrame.routingId}`);
  });
  contents.on('did-frame-finish-load', (_e, isMainFrame) => void (isMainFrame && events.push('did-frame-finish-load')));
  contents.on('did-finish-load', () => void events.push('did-finish-load'));

  await win.loadURL('about:blank');
  mainFrame = contents.mainFrame;
  await win.loadURL(`${prefix}/start`);
  // (will-navigate is emitted the moment a document asks: the in-page events before it are awaited here.)
  const inPage = next(contents, 'did-navigate-in-page');
  await contents.executeJavaScript("location.hash = 'part'");
  await inPage;
  const loaded = next(contents, 'did-finish-load');
  await contents.executeJavaScript("document.getElementById('link').click()");
  await loaded;
  t.deepEqual(events, [
    'did-start-navigation about:blank false initiator:none',
    'did-frame-navigate about:blank -1 ',
    'did-navigate about:blank -1',
    'did-frame-finish-load',
    'did-finish-load',
    `did-start-navigation ${prefix}/start false initiator:none`,
    `did-frame-navigate ${prefix}/start 200 OK`,
    `did-navigate ${prefix}/start 200`,
    'did-frame-finish-load',
    'did-finish-load',
    `did-start-navigation ${prefix}/start#part true initiator:main`,
    `did-navigate-in-page ${prefix}/start#part true true`,
    `did-start-navigation ${prefix}/target?link false initiator:main`,
    `will-frame-navigate ${prefix}/target?link`,
    `will-navigate ${prefix}/target?link`,
    `did-frame-navigate ${prefix}/target?link 200 OK`,
    `did-navigate ${prefix}/target?link 200`,
    'did-frame-finish-load',
    'did-finish-load',
  ]);
});

test("webContents 'will-frame-navigate', 'did-frame-navigate', 'did-frame-finish-load' - iframes, out-of-process ones included", async (t) => {
  const win = await openWindow(t, session.fromPartition(uniquePartition('nav')));
  const contents = win.webContents;
  const { prefix, crossOrigin } = context.server;
  await win.loadURL(`${prefix}/start`);
  const child = contents.mainFrame!.frames[0]!;
  const mainAsked: string[] = [];
  contents.on('will-navigate', (event) => void mainAsked.push(event.url));
  contents.once('will-frame-navigate', (event) => {
    t.like(event, { url: `${prefix}/target?child`, isMainFrame: false, isSameDocument: false });
    t.is(event.frame, child);
    event.preventDefault();
  });
  const failed = next(contents, 'did-fail-provisional-load');
  await child.executeJavaScript("document.getElementById('link').click()");
  t.deepEqual(await failed, [-3, 'ERR_ABORTED', `${prefix}/target?child`, false, child.processId, child.routingId]);
  t.is(await child.executeJavaScript('location.href'), `${prefix}/child`);

  // Allowed: the iframe's document commits (with its HTTP status) and loads.
  const navigated = next(contents, 'did-frame-navigate');
  const finished = next(contents, 'did-frame-finish-load');
  await child.executeJavaScript("location.href = '/missing'");
  t.deepEqual(await navigated, [`${prefix}/missing`, 404, 'Not Found', false, child.processId, child.routingId]);
  t.deepEqual(await finished, [false, child.processId, child.routingId]);
  t.deepEqual(mainAsked, [], 'will-navigate is the main frame\'s only');

  // A cross-site iframe (its own target): its navigations are reported from there.
  await win.loadURL(`${prefix}/framed`);
  const cross = contents.mainFrame!.frames[0]!;
  const crossNavigated = next(contents, 'did-frame-navigate');
  await contents.executeJavaScript(`document.querySelector('iframe').src = ${JSON.stringify(`${crossOrigin}/target?cross`)}`);
  t.deepEqual(await crossNavigated, [`${crossOrigin}/target?cross`, 200, 'OK', false, cross.processId, cross.routingId]);
  t.not(cross.processId, contents.mainFrame!.processId);
});

test("loadURL() - a load another navigation replaces before it loaded rejects with ERR_ABORTED (-3) naming that navigation's URL, as Electron's loadURL; a crash ends it too", async (t) => {
  const win = await openWindow(t, session.fromPartition(uniquePartition('replaced')));
  t.teardown(() => held.splice(0).forEach((response) => response.end()));
  const { prefix } = context.server;
  const imageAsked = (): Promise<void> => new Promise((resolve) => (heldAsked = resolve));

  // Committed, its load waiting on the image: a second loadURL replaces it.
  let asked = imageAsked();
  const first = win.loadURL(`${prefix}/held`);
  await asked;
  const second = win.loadURL(`${prefix}/target?second`);
  await t.throwsAsync(first, { message: `ERR_ABORTED (-3) loading '${prefix}/target?second'` });
  await second;
  t.is(win.webContents.getURL(), `${prefix}/target?second`);

  // The page's own script navigates before its load.
  await t.throwsAsync(win.loadURL(`${prefix}/held-then-script`), { message: `ERR_ABORTED (-3) loading '${prefix}/target?script'` });

  // The renderer crashes while the page loads.
  asked = imageAsked();
  const crashed = win.loadURL(`${prefix}/held`);
  await asked;
  win.webContents.forcefullyCrashRenderer();
  // Chrome may answer the navigation as aborted first.
  await t.throwsAsync(crashed, { message: new RegExp(`^ERR_(FAILED \\(-2\\)|ABORTED \\(-3\\)) loading '${prefix}/held'$`) });
});
