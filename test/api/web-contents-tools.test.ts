import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { BrowserWindow, session, type NativeImage, type Session } from '../../src/index.js';
import { freshDir, openWindow, removeDir, serverAndApp, uniquePartition } from '../helpers/setup.js';

const context = serverAndApp(test, (server) => {
  server.setPage('/tall', '<div style="height: 5000px">tall</div>');
  server.setPage('/shared', `<script>window.worker = new SharedWorker('/worker.js');</script>`);
  server.setRoute('/worker.js', (_req, res) => {
    res.setHeader('content-type', 'text/javascript');
    res.end('onconnect = () => {};');
  });
});
const fresh = (): Session => session.fromPartition(uniquePartition('tools'));

/** Reads `expression` until it gives `expected` (each read a round trip to the page); at most 100 reads. */
async function eventually(win: BrowserWindow, expression: string, expected: unknown): Promise<unknown> {
  let value: unknown;
  for (let tries = 0; tries < 100; tries++) {
    value = await win.webContents.executeJavaScript(expression);
    if (JSON.stringify(value) === JSON.stringify(expected)) break;
  }
  return value;
}

test('takeHeapSnapshot() - writes Chrome\'s heap snapshot; Electron\'s errors for a bad path and a destroyed page', async (t) => {
  const dir = freshDir('cs-heap-');
  t.teardown(() => removeDir(dir));
  const win = await openWindow(t, fresh(), 'about:blank');
  await win.webContents.executeJavaScript('window.marker = new (class HeapMarkerForTest {})(); 1');
  const file = join(dir, 'page.heapsnapshot');
  await win.webContents.takeHeapSnapshot(file);
  const snapshot = JSON.parse(readFileSync(file, 'utf8'));
  t.true(Array.isArray(snapshot.nodes) && snapshot.nodes.length > 0);
  t.true(snapshot.strings.includes('HeapMarkerForTest'));
  // Two at once: each file gets its own snapshot whole.
  const [one, two] = [join(dir, 'one.heapsnapshot'), join(dir, 'two.heapsnapshot')];
  await Promise.all([win.webContents.takeHeapSnapshot(one), win.webContents.takeHeapSnapshot(two)]);
  for (const each of [one, two]) t.true(JSON.parse(readFileSync(each, 'utf8')).strings.includes('HeapMarkerForTest'));
  await t.throwsAsync(win.webContents.takeHeapSnapshot(undefined as never), { instanceOf: TypeError });
  const bad = join(dir, 'no', 'such', 'dir', 'x.heapsnapshot');
  await t.throwsAsync(win.webContents.takeHeapSnapshot(bad), { message: `Failed to take heap snapshot with invalid file path ${bad}` });
  win.webContents.destroy();
  await t.throwsAsync(win.webContents.takeHeapSnapshot(file), { message: 'Failed to take heap snapshot with nonexistent render frame' });
});

test('enableDeviceEmulation() - Chrome\'s device metrics for the page, until disableDeviceEmulation()', async (t) => {
  const win = await openWindow(t, fresh(), 'about:blank');
  const size = '[innerWidth, innerHeight, devicePixelRatio, screen.width, screen.height]';
  const before = await win.webContents.executeJavaScript(size);
  win.webContents.enableDeviceEmulation({ screenPosition: 'desktop', screenSize: { width: 360, height: 640 }, viewSize: { width: 320, height: 480 }, deviceScaleFactor: 2, viewPosition: { x: 0, y: 0 }, scale: 1 });
  t.deepEqual(await eventually(win, size, [320, 480, 2, 360, 640]), [320, 480, 2, 360, 640]);
  win.webContents.disableDeviceEmulation();
  t.deepEqual(await eventually(win, size, before), before);
});

test('beginFrameSubscription() - each painted frame as a NativeImage of the view; endFrameSubscription() ends it', async (t) => {
  const win = await openWindow(t, fresh(), `${context.server.prefix}/tall`);
  // The first frame with the green background (Chrome sends the current one first).
  const frame = new Promise<[NativeImage, { width: number; height: number }]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no green frame within 10 s')), 10_000);
    win.webContents.beginFrameSubscription((image, dirty) => {
      if ([...image.toBitmap().subarray(0, 3)].join() !== '0,128,0') return;
      clearTimeout(timer);
      resolve([image, dirty]);
    });
  });
  // Something to paint.
  await win.webContents.executeJavaScript('document.body.style.background = "rgb(0, 128, 0)"; 1');
  const [image, dirty] = await frame;
  const [width, height] = (await win.webContents.executeJavaScript('[innerWidth, innerHeight]')) as [number, number];
  t.deepEqual(image.getSize(), { width, height });
  t.deepEqual(dirty, { x: 0, y: 0, width, height });
  t.deepEqual([...image.toBitmap().subarray(0, 4)], [0, 128, 0, 255], 'BGRA of the first pixel: the green background');
  win.webContents.endFrameSubscription();
  // Subscribed again, frames come again.
  const again = new Promise<NativeImage>((resolve) => win.webContents.beginFrameSubscription(false, (next) => resolve(next)));
  await win.webContents.executeJavaScript('document.body.style.background = "rgb(0, 0, 255)"; 1');
  t.false((await again).isEmpty());
  win.webContents.endFrameSubscription();
  t.throws(() => win.webContents.beginFrameSubscription(true), { instanceOf: TypeError });
});

test('getAllSharedWorkers(), getOwnerBrowserWindow(), scrollToBottom()/scrollToTop()', async (t) => {
  const win = await openWindow(t, fresh(), `${context.server.prefix}/shared`);
  t.is(win.webContents.getOwnerBrowserWindow(), win);
  let workers = win.webContents.getAllSharedWorkers();
  for (let tries = 0; !workers.length && tries < 100; tries++) {
    await win.webContents.executeJavaScript('1');
    workers = win.webContents.getAllSharedWorkers();
  }
  t.deepEqual(workers.map((worker) => worker.url), [`${context.server.prefix}/worker.js`]);
  t.is(typeof workers[0]!.id, 'string');

  await win.loadURL(`${context.server.prefix}/tall`);
  win.webContents.scrollToBottom();
  const bottom = (await win.webContents.executeJavaScript('document.documentElement.scrollHeight - innerHeight')) as number;
  t.is(await eventually(win, 'scrollY', bottom), bottom);
  win.webContents.scrollToTop();
  t.is(await eventually(win, 'scrollY', 0), 0);
});
