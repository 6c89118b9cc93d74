import test from 'ava';
import { BrowserWindow, webContents } from '../../src/index.js';
import { serverAndApp, uniquePartition } from '../helpers/setup.js';

const context = serverAndApp(test, (server) => server.setPage('/page', '<title>page</title>'));

// One focused window at a time: these tests share it.
test.serial('BrowserWindow focus - a window made shown takes the focus; focus(), blur(), show() and hide() move it, with their events', async (t) => {
  const partition = uniquePartition('focus');
  const first = new BrowserWindow({ webPreferences: { partition } });
  t.teardown(() => first.destroy());
  t.true(first.isFocused());
  t.is(BrowserWindow.getFocusedWindow(), first);
  const hidden = new BrowserWindow({ show: false, webPreferences: { partition } });
  t.teardown(() => hidden.destroy());
  t.false(hidden.isFocused(), 'a window made hidden does not take the focus');
  await Promise.all([first.loadURL(`${context.server.prefix}/page`), hidden.loadURL(`${context.server.prefix}/page`)]);
  const events: string[] = [];
  for (const [name, win] of [['first', first], ['hidden', hidden]] as const) {
    for (const event of ['focus', 'blur', 'show', 'hide'] as const) win.on(event, () => events.push(`${name} ${event}`));
  }
  hidden.show();
  t.true(hidden.isFocused());
  t.true(hidden.webContents.isFocused());
  t.is(webContents.getFocusedWebContents(), hidden.webContents);
  first.webContents.focus();
  t.is(BrowserWindow.getFocusedWindow(), first);
  first.blur();
  t.is(BrowserWindow.getFocusedWindow(), null);
  hidden.focus();
  hidden.hide();
  t.deepEqual(events, ['hidden show', 'first blur', 'hidden focus', 'hidden blur', 'first focus', 'first blur', 'hidden focus', 'hidden blur', 'hidden hide']);
  t.true(await hidden.webContents.executeJavaScript('document.visibilityState === "visible"'), 'headless pages are never hidden');
  hidden.focus();
  hidden.destroy();
  t.is(BrowserWindow.getFocusedWindow(), null, 'a closed window has no focus');
});
