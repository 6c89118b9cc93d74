import test from 'ava';
import { session, type FoundInPageResult, type WebContents } from '../../src/index.js';
import { nextEvent, openWindow, serverAndApp, uniquePartition } from '../helpers/setup.js';

const context = serverAndApp(test, (server) =>
  server.setPage('/page', '<title>find</title><p>Apple banana apple</p><p>pine<b>apple</b> <a id="go" href="#clicked">apple link</a></p><script>var apple = 1</script>'),
);

async function find(contents: WebContents, text: string, options?: Parameters<WebContents['findInPage']>[1]): Promise<FoundInPageResult> {
  const found = nextEvent<[unknown, FoundInPageResult]>(contents, 'found-in-page');
  const requestId = contents.findInPage(text, options);
  const [, result] = await found;
  if (result.requestId !== requestId) throw new Error('another request answered');
  return result;
}

test('findInPage - matches across elements, case as asked, findNext both ways; stopFindInPage clears or activates', async (t) => {
  const win = await openWindow(t, session.fromPartition(uniquePartition('find')), `${context.server.prefix}/page`);
  const contents = win.webContents;
  const first = await find(contents, 'apple');
  t.like(first, { matches: 4, activeMatchOrdinal: 1, finalUpdate: true }, 'not in scripts; "pine<b>apple</b>" counts');
  t.true(first.selectionArea.width > 0);
  t.is(await contents.executeJavaScript('String(getSelection())'), 'Apple');
  t.like(await find(contents, 'apple', { findNext: true }), { activeMatchOrdinal: 2 });
  t.like(await find(contents, 'apple', { findNext: true, forward: false }), { activeMatchOrdinal: 1 });
  t.like(await find(contents, 'apple', { findNext: true, forward: false }), { activeMatchOrdinal: 4 }, 'wraps around');
  t.like(await find(contents, 'Apple', { matchCase: true }), { matches: 1, activeMatchOrdinal: 1 });
  t.like(await find(contents, 'cherry'), { matches: 0, activeMatchOrdinal: 0 });
  await find(contents, 'apple link');
  const navigated = nextEvent(contents, 'did-navigate-in-page');
  contents.stopFindInPage('activateSelection');
  await navigated;
  t.is(new URL(contents.getURL()).hash, '#clicked');
  await find(contents, 'banana');
  contents.stopFindInPage('clearSelection');
  t.is(await contents.executeJavaScript('new Promise((resolve) => { const check = () => String(getSelection()) === "" ? resolve("") : requestAnimationFrame(check); check(); })'), '');
  t.throws(() => contents.findInPage(''), { message: 'Must provide a non-empty search content' });
});
