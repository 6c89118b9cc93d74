import test from 'ava';
import { nativeImage, session } from '../../src/index.js';
import { nextEvent, openWindow, serverAndApp, uniquePartition } from '../helpers/setup.js';

let loads = 0;

const context = serverAndApp(test, (server) => {
  server.setPage('/red', '<style>html, body { margin: 0; background: rgb(255, 0, 0); }</style><p id="text">red</p>');
  server.setRoute('/counted', (req, res) => {
    loads++;
    res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'max-age=3600' });
    res.end(`<title>load ${loads}</title><p>${req.headers['user-agent']}</p>`);
  });
});

test('capturePage() - the viewport as a NativeImage: PNG, JPEG, BGRA pixels, a data URL; a rectangle of it', async (t) => {
  const win = await openWindow(t, session.fromPartition(uniquePartition('extras')), `${context.server.prefix}/red`);
  const [width, height] = (await win.webContents.executeJavaScript('[innerWidth, innerHeight]')) as [number, number];
  const image = await win.webContents.capturePage();
  t.false(image.isEmpty());
  t.deepEqual(image.getSize(), { width, height });
  t.is(image.toPNG().subarray(1, 4).toString(), 'PNG');
  const jpeg = image.toJPEG(80);
  t.deepEqual([...jpeg.subarray(0, 2)], [0xff, 0xd8]);
  const bitmap = image.toBitmap();
  t.is(bitmap.length, width * height * 4);
  t.deepEqual([...bitmap.subarray(0, 4)], [0, 0, 255, 255], 'BGRA of the red page');
  t.true(image.toDataURL().startsWith('data:image/png;base64,'));
  t.deepEqual(nativeImage.createFromDataURL(image.toDataURL()).getSize(), { width, height });
  const part = await win.webContents.capturePage({ x: 10, y: 20, width: 30, height: 40 });
  t.deepEqual(part.getSize(), { width: 30, height: 40 });
  t.true(nativeImage.createEmpty().isEmpty());
});

test("printToPDF() - a PDF of the page, with Electron's option errors", async (t) => {
  const win = await openWindow(t, session.fromPartition(uniquePartition('extras')), `${context.server.prefix}/red`);
  const pdf = await win.webContents.printToPDF({ pageSize: 'A4', landscape: true, printBackground: true, margins: { top: 0 } });
  t.is(pdf.subarray(0, 5).toString(), '%PDF-');
  const custom = await win.webContents.printToPDF({ pageSize: { width: 4, height: 6 } });
  t.is(custom.subarray(0, 5).toString(), '%PDF-');
  await t.throwsAsync(win.webContents.printToPDF({ pageSize: 'Huge' }), { message: 'Invalid pageSize Huge' });
  await t.throwsAsync(win.webContents.printToPDF({ pageSize: { width: 4 } as never }), { message: 'height and width properties are required for pageSize' });
  await t.throwsAsync(win.webContents.printToPDF({ landscape: 'yes' as never }), { instanceOf: TypeError, message: 'landscape must be a boolean' });
  await t.throwsAsync(win.webContents.printToPDF({ pageSize: 'A6', margins: { left: 5 } }), { message: 'margins must be less than or equal to pageSize' });
});

test('insertCSS() / removeInsertedCSS() - a style sheet the page does not see as an element; removed by its key', async (t) => {
  const win = await openWindow(t, session.fromPartition(uniquePartition('extras')), `${context.server.prefix}/red`);
  const color = (): Promise<unknown> => win.webContents.executeJavaScript("getComputedStyle(document.getElementById('text')).color");
  const key = await win.webContents.insertCSS('#text { color: rgb(0, 128, 0) }');
  t.is(typeof key, 'string');
  t.is(await color(), 'rgb(0, 128, 0)');
  t.is(await win.webContents.executeJavaScript("document.querySelectorAll('style').length"), 1, 'only the page\'s own');
  await win.webContents.removeInsertedCSS(key);
  t.is(await color(), 'rgb(0, 0, 0)');
});

test('reload(), reloadIgnoringCache(), stop(), setUserAgent() / getUserAgent()', async (t) => {
  const ses = session.fromPartition(uniquePartition('extras'));
  const win = await openWindow(t, ses, `${context.server.prefix}/counted`);
  const contents = win.webContents;
  const first = loads;
  let finished = nextEvent(contents, 'did-finish-load');
  contents.reloadIgnoringCache();
  await finished;
  t.is(loads, first + 1, 'the cache was bypassed');
  t.is(contents.getUserAgent(), ses.getUserAgent());
  contents.setUserAgent('ExtrasAgent/1.0');
  t.is(contents.getUserAgent(), 'ExtrasAgent/1.0');
  finished = nextEvent(contents, 'did-finish-load');
  contents.reload();
  await finished;
  t.is(await contents.executeJavaScript('navigator.userAgent'), 'ExtrasAgent/1.0');
  contents.stop();
  t.throws(() => contents.setUserAgent(42 as never), { instanceOf: TypeError });
  const gone = nextEvent(contents, 'destroyed');
  win.destroy();
  await gone;
  t.throws(() => contents.reload(), { message: 'Object has been destroyed' });
});

test('navigationHistory - current when loadURL resolves; back, forward, entries, clear; the deprecated methods warn once', async (t) => {
  const win = await openWindow(t, session.fromPartition(uniquePartition('extras')), `${context.server.prefix}/red`);
  const contents = win.webContents;
  const history = contents.navigationHistory;
  t.false(history.canGoBack());
  await win.loadURL(`${context.server.prefix}/red?second`);
  t.deepEqual([history.length(), history.getActiveIndex(), history.canGoBack(), history.canGoForward()], [2, 1, true, false]);
  t.is(history.getEntryAtIndex(0)?.url, `${context.server.prefix}/red`);
  t.is(history.getEntryAtIndex(5), null);
  let navigated = nextEvent(contents, 'did-navigate');
  history.goBack();
  await navigated;
  t.deepEqual([history.getActiveIndex(), history.canGoForward(), contents.getURL()], [0, true, `${context.server.prefix}/red`]);
  navigated = nextEvent(contents, 'did-navigate');
  history.goToOffset(1);
  await navigated;
  t.is(history.getActiveIndex(), 1);
  // In-page navigations are entries too, current once their event was emitted.
  const inPage = nextEvent(contents, 'did-navigate-in-page');
  await contents.executeJavaScript("history.pushState({}, '', '/pushed')");
  await inPage;
  t.deepEqual(history.getAllEntries().map(({ url }) => url.replace(context.server.prefix, '')), ['/red', '/red?second', '/pushed']);
  const warnings: Error[] = [];
  const onWarning = (warning: Error): void => void warnings.push(warning);
  process.on('warning', onWarning);
  t.teardown(() => process.off('warning', onWarning));
  t.true(contents.canGoBack());
  t.true(contents.canGoBack());
  history.clear();
  t.deepEqual([history.length(), history.canGoBack()], [1, false]);
  t.false(history.removeEntryAtIndex(0));
  await new Promise((resolve) => setImmediate(resolve));
  t.deepEqual(
    warnings.filter((warning) => warning.name === 'DeprecationWarning').map((warning) => warning.message),
    ["'webContents.canGoBack' is deprecated and will be removed. Please use 'webContents.navigationHistory.canGoBack' instead."],
  );
});
