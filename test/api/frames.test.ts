import test from 'ava';
import { app, session, webFrameMain, type WebFrameMain } from '../../src/index.js';
import { openWindow, serverAndApp, uniquePartition } from '../helpers/setup.js';

// 127.0.0.1 and localhost are different sites: the cross iframe is another process (its own target).
const context = serverAndApp(test, (server) => {
  server.setPage('/top', `<title>top</title><iframe name="same" src="/child"></iframe><iframe name="cross" src="${server.crossOrigin}/child"></iframe>`);
  server.setPage('/child', '<title>child</title><iframe name="inner" src="/leaf"></iframe><img src="/pixel.gif">');
  server.setPage('/leaf', '<title>leaf</title>');
  server.setPage('/other', '<title>other</title>');
  server.setRoute('/pixel.gif', (_req, res) => {
    res.writeHead(200, { 'content-type': 'image/gif', 'cache-control': 'no-store' });
    res.end(Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64'));
  });
});

const shape = (frame: WebFrameMain): unknown => ({ name: frame.name, url: frame.url, origin: frame.origin, frames: frame.frames.map(shape) });

test('WebFrameMain - the frame tree of a page, out-of-process iframes included: names, URLs, origins, parents; evaluation in each frame', async (t) => {
  const ses = session.fromPartition(uniquePartition('frames'));
  const win = await openWindow(t, ses);
  const created: WebFrameMain[] = [];
  const parentsWhenCreated: Array<WebFrameMain | null> = [];
  win.webContents.on('frame-created', (_event, { frame }) => {
    created.push(frame);
    parentsWhenCreated.push(frame.parent);
  });
  await win.loadURL(`${context.server.prefix}/top`);
  const main = win.webContents.mainFrame!;
  const { prefix, crossOrigin } = context.server;
  t.deepEqual(shape(main), {
    name: '',
    url: `${prefix}/top`,
    origin: prefix,
    frames: [
      { name: 'same', url: `${prefix}/child`, origin: prefix, frames: [{ name: 'inner', url: `${prefix}/leaf`, origin: prefix, frames: [] }] },
      { name: 'cross', url: `${crossOrigin}/child`, origin: crossOrigin, frames: [{ name: 'inner', url: `${crossOrigin}/leaf`, origin: crossOrigin, frames: [] }] },
    ],
  });
  const [same, cross] = main.frames as [WebFrameMain, WebFrameMain];
  t.is(main.top, main);
  t.is(main.parent, null);
  t.is(cross.frames[0]!.parent, cross);
  t.is(cross.frames[0]!.top, main);
  t.is(main.framesInSubtree.length, 5);
  // Frames of one process share a process id; the cross-site ones have another.
  t.is(same.processId, main.processId);
  t.not(cross.processId, main.processId);
  t.is(cross.frames[0]!.processId, cross.processId);
  t.is(new Set(main.framesInSubtree.map((frame) => frame.routingId)).size, 5);
  t.is(webFrameMain.fromId(cross.processId, cross.routingId), cross);
  t.is(webFrameMain.fromFrameToken(cross.processId, cross.frameToken), cross);
  t.is(webFrameMain.fromFrameToken(main.processId, cross.frameToken), null);

  t.deepEqual(
    await Promise.all(main.framesInSubtree.map((frame) => frame.executeJavaScript('Promise.resolve(document.title + " " + location.href)'))),
    [`top ${prefix}/top`, `child ${prefix}/child`, `leaf ${prefix}/leaf`, `child ${crossOrigin}/child`, `leaf ${crossOrigin}/leaf`],
  );
  await t.throwsAsync(cross.executeJavaScript('throw new RangeError("in the cross frame")'), { message: 'RangeError: in the cross frame' });
  // 'frame-created' came for each iframe (the main frame was there before the listener).
  const tokens = (frames: WebFrameMain[]): string[] => frames.map((frame) => frame.frameToken).sort();
  t.deepEqual(tokens(created), tokens(main.framesInSubtree.slice(1)));
  // A new frame knows its parent when it is announced.
  t.deepEqual(parentsWhenCreated.map((parent) => parent?.frameToken), created.map((frame) => frame.parent?.frameToken));
  t.false(parentsWhenCreated.includes(null));
});

test('WebFrameMain - one object per frame across its navigations, to another site and back; removed frames are detached', async (t) => {
  const ses = session.fromPartition(uniquePartition('frames'));
  const win = await openWindow(t, ses, `${context.server.prefix}/top`);
  const main = win.webContents.mainFrame!;
  const [same, cross] = main.frames as [WebFrameMain, WebFrameMain];
  const { prefix, crossOrigin } = context.server;

  // The same-site frame goes cross-site (into another process), then the cross one comes home.
  await main.executeJavaScript(`new Promise((resolve) => { const f = document.querySelector('iframe[name=same]'); f.onload = resolve; f.src = '${crossOrigin}/other'; })`);
  await main.executeJavaScript(`new Promise((resolve) => { const f = document.querySelector('iframe[name=cross]'); f.onload = resolve; f.src = '${prefix}/other'; })`);
  t.deepEqual(main.frames, [same, cross]);
  t.is(same.url, `${crossOrigin}/other`);
  t.is(same.origin, crossOrigin);
  t.is(await same.executeJavaScript('document.title + " " + origin'), `other ${crossOrigin}`);
  t.is(cross.url, `${prefix}/other`);
  t.is(await cross.executeJavaScript('document.title + " " + origin'), `other ${prefix}`);
  t.is(cross.processId, main.processId);
  await main.executeJavaScript("history.pushState({}, '', '/pushed')");
  t.is(main.url, `${prefix}/pushed`);

  await main.executeJavaScript("document.querySelector('iframe[name=same]').remove()");
  t.true(same.detached);
  t.true(same.isDestroyed());
  t.false(same.reload());
  await t.throwsAsync(same.executeJavaScript('1'), { message: 'Render frame was disposed before WebFrameMain could be accessed' });
  t.deepEqual(main.frames, [cross]);
  t.true(cross.reload());

  await win.webContents.close();
  t.is(win.webContents.mainFrame, null);
  t.true(main.detached);
  t.true(cross.detached);
});

test('webRequest - details.frame is the frame that asked: the main frame, an iframe, one in another process; null for ses.fetch', async (t) => {
  const ses = session.fromPartition(uniquePartition('frames'));
  const win = await openWindow(t, ses);
  const seen: Array<{ url: string; frame: WebFrameMain | null }> = [];
  ses.webRequest.onBeforeRequest({ urls: ['*://*/*'] }, (details, callback) => {
    seen.push({ url: details.url, frame: details.frame });
    callback({});
  });
  await win.loadURL(`${context.server.prefix}/top`);
  const main = win.webContents.mainFrame!;
  const [same, cross] = main.frames as [WebFrameMain, WebFrameMain];
  const frameOf = (url: string): WebFrameMain | null | undefined => seen.find((request) => request.url === url)?.frame;
  t.is(frameOf(`${context.server.prefix}/top`), main);
  // A frame's own document is requested by that frame; its subresources too.
  t.is(frameOf(`${context.server.prefix}/child`), same);
  t.is(frameOf(`${context.server.prefix}/pixel.gif`), same);
  t.is(frameOf(`${context.server.crossOrigin}/child`), cross);
  t.is(frameOf(`${context.server.crossOrigin}/pixel.gif`), cross);
  t.is(frameOf(`${context.server.crossOrigin}/leaf`), cross.frames[0]);
  await ses.fetch(`${context.server.prefix}/leaf`);
  t.is(seen.filter((request) => request.url === `${context.server.prefix}/leaf`).at(-1)?.frame, null);
});

// Chrome itself crashed (SIGSEGV) when a page closed while a same-process iframe's navigation had the guard's
// question open with the Page domain on; closing switches that domain off first. Serial: a crash would take the
// other tests of this file down with it.
test.serial('closing a window while its iframe starts a navigation (the page guard asking) leaves Chrome running', async (t) => {
  const gone: string[] = [];
  const onGone = (_event: unknown, details: { type: string; reason: string }): void => void gone.push(`${details.type} ${details.reason}`);
  app.on('child-process-gone', onGone);
  t.teardown(() => app.off('child-process-gone', onGone));
  const ses = session.fromPartition(uniquePartition('frames'));
  for (let round = 0; round < 10; round++) {
    const win = await openWindow(t, ses, `${context.server.prefix}/top`);
    const [same] = win.webContents.mainFrame!.frames as [WebFrameMain];
    t.true(same.reload());
    await win.webContents.close();
    t.true(win.webContents.isDestroyed());
  }
  const after = await openWindow(t, ses, `${context.server.prefix}/leaf`);
  t.is(await after.webContents.executeJavaScript('document.title'), 'leaf');
  t.deepEqual(gone, []);
});

// Chrome accepts a close, then forgets it when the main frame commits a navigation just then: the window lived on
// and close() never resolved. Here the reload's response is held until the close is on its way, which hung a
// round in two runs of three without the fix; an accepted close that does not happen is asked again.
test.serial('closing a window while its main frame reloads: the window goes and close() resolves', async (t) => {
  const ses = session.fromPartition(uniquePartition('frames'));
  let hold: ((send: () => void) => void) | undefined;
  context.server.setRoute('/held', (_req, res) => {
    const send = (): void => void res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' }).end(`<iframe src="${context.server.crossOrigin}/leaf"></iframe>`);
    if (hold) hold(send);
    else send();
  });
  for (let round = 0; round < 5; round++) {
    const win = await openWindow(t, ses, `${context.server.prefix}/held`);
    const held = new Promise<() => void>((resolve) => (hold = resolve));
    t.true(win.webContents.mainFrame!.reload());
    const send = await held;
    hold = undefined;
    const closed = win.webContents.close();
    send();
    await closed;
    t.true(win.webContents.isDestroyed());
  }
  // And Chrome really closed them: the session's only page is the one that asks.
  const probe = await openWindow(t, ses, `${context.server.prefix}/leaf`);
  probe.webContents.debugger.attach();
  const { targetInfos } = (await probe.webContents.debugger.sendCommand('Target.getTargets')) as { targetInfos: Array<{ type: string; url: string; browserContextId: string }> };
  const own = targetInfos.find((info) => info.url === `${context.server.prefix}/leaf`);
  t.deepEqual(targetInfos.filter((info) => info.type === 'page' && info.browserContextId === own?.browserContextId).map((info) => info.url), [`${context.server.prefix}/leaf`]);
});
