import test from 'ava';
import { session, type WebContents } from '../../src/index.js';
import { openWindow, serverAndApp, uniquePartition } from '../helpers/setup.js';

const context = serverAndApp(test, (server) => {
  server.setPage(
    '/form',
    `<title>form</title>
     <input id="field" style="position:absolute;left:10px;top:10px;width:200px;height:30px">
     <div id="pad" style="position:absolute;left:10px;top:100px;width:200px;height:100px"></div>
     <div style="height:5000px"></div>
     <script>
       window.seen = [];
       for (const type of ['mousedown', 'mouseup', 'click', 'contextmenu', 'dblclick']) pad.addEventListener(type, (e) => seen.push(type + ':' + e.button + ':' + e.detail + (e.shiftKey ? ':shift' : '')));
       for (const type of ['keydown', 'keypress', 'keyup']) field.addEventListener(type, (e) => seen.push(type + ':' + e.key + ':' + e.code + (e.ctrlKey ? ':ctrl' : '')));
     </script>`,
  );
});

const fresh = async (t: Parameters<typeof openWindow>[0]): Promise<WebContents> =>
  (await openWindow(t, session.fromPartition(uniquePartition('input')), `${context.server.prefix}/form`)).webContents;

/** Waits for the page's queue of input to be through: insertText('') is queued after it. */
const settled = (contents: WebContents): Promise<void> => contents.insertText('');

test('sendInputEvent - mouse: down, up and a click at a point, in order; a context menu; a wheel scrolls', async (t) => {
  const contents = await fresh(t);
  contents.sendInputEvent({ type: 'mouseDown', x: 50, y: 150, button: 'left', clickCount: 1, modifiers: ['shift'] });
  contents.sendInputEvent({ type: 'mouseUp', x: 50, y: 150, button: 'left', clickCount: 1, modifiers: ['shift'] });
  contents.sendInputEvent({ type: 'contextMenu', x: 50, y: 150 });
  await settled(contents);
  t.deepEqual(await contents.executeJavaScript('seen'), ['mousedown:0:1:shift', 'mouseup:0:1:shift', 'click:0:1:shift', 'mousedown:2:1', 'contextmenu:2:0', 'mouseup:2:1']);
  contents.sendInputEvent({ type: 'mouseWheel', x: 50, y: 150, deltaX: 0, deltaY: -300 });
  await settled(contents);
  const scrolled = await contents.executeJavaScript('new Promise((resolve) => { const check = () => scrollY > 0 ? resolve(scrollY) : requestAnimationFrame(check); check(); })');
  t.true(Number(scrolled) > 0, 'a wheel turned towards the user scrolls down');
});

test('sendInputEvent - keys: keyDown, char, keyUp type into the focused field; named keys and modifiers', async (t) => {
  const contents = await fresh(t);
  await contents.executeJavaScript('field.focus()');
  for (const keyCode of ['h', 'i']) {
    contents.sendInputEvent({ type: 'keyDown', keyCode });
    contents.sendInputEvent({ type: 'char', keyCode });
    contents.sendInputEvent({ type: 'keyUp', keyCode });
  }
  contents.sendInputEvent({ type: 'keyDown', keyCode: 'Left', modifiers: ['control'] });
  await settled(contents);
  t.is(await contents.executeJavaScript('field.value'), 'hi');
  const seen = (await contents.executeJavaScript('seen')) as string[];
  t.deepEqual(seen.slice(0, 3), ['keydown:h:KeyH', 'keypress:h:KeyH', 'keyup:h:KeyH']);
  t.is(seen.at(-1), 'keydown:ArrowLeft:ArrowLeft:ctrl');
  t.throws(() => contents.sendInputEvent({ type: 'wiggle' }), { message: 'Invalid event object' });
});

test('insertText, selectAll, cut, paste, replace, undo - editing the focused field as Chrome\'s editor does', async (t) => {
  const contents = await fresh(t);
  await contents.executeJavaScript('field.focus()');
  await contents.insertText('hello');
  contents.selectAll();
  contents.cut();
  await settled(contents);
  t.is(await contents.executeJavaScript('field.value'), '');
  contents.undo();
  await settled(contents);
  t.is(await contents.executeJavaScript('field.value'), 'hello');
  contents.selectAll();
  contents.replace('bye');
  contents.paste();
  await settled(contents);
  t.is(await contents.executeJavaScript('field.value'), 'byehello', 'the cut text was on the clipboard');
});

test('executeJavaScriptInIsolatedWorld - a world of its own per id, shared by its scripts, apart from the page', async (t) => {
  const contents = await fresh(t);
  await contents.executeJavaScript('window.mark = "page"');
  t.is(await contents.executeJavaScriptInIsolatedWorld(7, [{ code: 'window.mark = "world 7"' }, { code: 'typeof field + " " + window.mark' }]), 'object world 7');
  t.is(await contents.executeJavaScriptInIsolatedWorld(7, [{ code: 'window.mark' }]), 'world 7');
  t.is(await contents.executeJavaScriptInIsolatedWorld(8, [{ code: 'String(window.mark)' }]), 'undefined');
  t.is(await contents.executeJavaScript('window.mark'), 'page');
  await t.throwsAsync(contents.executeJavaScriptInIsolatedWorld(7, [{ code: 'throw new Error("boom")' }]), { message: /boom/ });
  t.is(contents.getType(), 'window');
  t.false(contents.isLoadingMainFrame());
});
