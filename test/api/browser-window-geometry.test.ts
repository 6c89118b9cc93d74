import test, { type ExecutionContext } from 'ava';
import { BrowserWindow, type WebContents } from '../../src/index.js';
import { nextEvent, serverAndApp, uniquePartition } from '../helpers/setup.js';

const context = serverAndApp(test, (server) => server.setPage('/page', '<title>page</title><p>page</p>'));

function windowOf(t: ExecutionContext, options: ConstructorParameters<typeof BrowserWindow>[0] = {}): BrowserWindow {
  const win = new BrowserWindow({ show: false, ...options, webPreferences: { partition: uniquePartition('geometry') } });
  t.teardown(() => win.destroy());
  return win;
}

/** Resolves with what the page reports once `ready` (an expression) holds there: the page's own view of its window. */
function pageSees(contents: WebContents, ready: string, report: string): Promise<unknown> {
  return contents.executeJavaScript(`new Promise((resolve) => { const check = () => (${ready}) ? resolve(${report}) : requestAnimationFrame(check); check(); })`);
}

test('BrowserWindow geometry - size and position: set at once, seen by the page; content size is the page\'s viewport', async (t) => {
  const win = windowOf(t, { width: 640, height: 480 });
  await win.loadURL(`${context.server.prefix}/page`);
  t.deepEqual(win.getSize(), [640, 480]);
  const resized = nextEvent(win, 'resize');
  win.setSize(900, 700);
  await resized;
  t.deepEqual(win.getSize(), [900, 700], 'synchronous, as in Electron');
  t.deepEqual(await pageSees(win.webContents, 'outerWidth === 900 && outerHeight === 700', '[outerWidth, outerHeight]'), [900, 700]);
  win.setContentSize(500, 400);
  t.deepEqual(await pageSees(win.webContents, 'innerWidth === 500', '[innerWidth, innerHeight]'), [500, 400]);
  t.deepEqual(win.getContentSize(), [500, 400]);
  win.setPosition(100, 50);
  t.deepEqual(win.getPosition(), [100, 50]);
  t.deepEqual(await pageSees(win.webContents, 'screenX === 100', '[screenX, screenY]'), [100, 50]);
  t.like(win.getBounds(), { x: 100, y: 50 });
  t.throws(() => win.setSize('wide' as unknown as number, 1), { instanceOf: TypeError, message: 'Error processing argument at index 0, conversion failure' });
});

test('BrowserWindow geometry - minimum and maximum sizes bound the window', (t) => {
  const win = windowOf(t, { width: 640, height: 480, minWidth: 300, minHeight: 200, maxWidth: 1000, maxHeight: 800 });
  t.deepEqual(win.getMinimumSize(), [300, 200]);
  t.deepEqual(win.getMaximumSize(), [1000, 800]);
  win.setSize(100, 100);
  t.deepEqual(win.getSize(), [300, 200]);
  win.setSize(5000, 5000);
  t.deepEqual(win.getSize(), [1000, 800]);
});

test('BrowserWindow geometry - maximize, minimize, full screen and restore, with their events', async (t) => {
  const win = windowOf(t, { width: 640, height: 480 });
  await win.loadURL(`${context.server.prefix}/page`);
  const events: string[] = [];
  for (const name of ['maximize', 'unmaximize', 'minimize', 'restore', 'enter-full-screen', 'leave-full-screen'] as const) win.on(name, () => events.push(name));
  win.maximize();
  t.true(win.isMaximized());
  win.restore();
  t.true(win.isNormal());
  win.setFullScreen(true);
  t.true(win.isFullScreen());
  t.deepEqual(await pageSees(win.webContents, 'outerWidth === screen.width', '[outerWidth, screen.width]'), [800, 800], 'the screen is 800 wide, the window 640');
  win.setFullScreen(false);
  win.minimize();
  t.true(win.isMinimized());
  win.restore();
  t.deepEqual(events, ['maximize', 'unmaximize', 'restore', 'enter-full-screen', 'leave-full-screen', 'restore', 'minimize', 'restore']);
  t.deepEqual(await pageSees(win.webContents, 'outerWidth === 640', 'outerWidth'), 640);
});

test('BrowserWindow setTitle - the window\'s title until the page names itself again', async (t) => {
  const win = windowOf(t, { title: 'given' });
  t.is(win.getTitle(), 'given');
  await win.loadURL(`${context.server.prefix}/page`);
  t.is(win.getTitle(), 'page');
  win.setTitle('mine');
  t.is(win.getTitle(), 'mine');
  t.is(win.webContents.getTitle(), 'page');
});
