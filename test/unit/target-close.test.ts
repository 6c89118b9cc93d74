import test from 'ava';
import { Connection } from '../../protocol/connection.js';
import { closeTarget } from '../../src/internal/target-close.js';
import { FakeTransport, attachedToTarget } from '../helpers/fake-transport.js';

/** A root session and an attached page `t1` (session `p1`) on a scripted Chrome; `gone` settles when the test says. */
function setup() {
  const transport = new FakeTransport();
  const connection = new Connection(transport);
  transport.emit('Target.attachedToTarget', attachedToTarget({ sessionId: 'p1', targetId: 't1' }));
  const page = connection.session('p1')!;
  let markGone = (): void => undefined;
  const gone = new Promise<void>((resolve) => (markGone = resolve));
  let destroyedNow = 0;
  const closes = (): number => transport.sent.filter((c) => c.method === 'Target.closeTarget').length;
  const close = (): Promise<void> => closeTarget(connection.root, page, 't1', gone, () => void destroyedNow++);
  return { transport, markGone, close, closes, destroyedNow: () => destroyedNow };
}

const infoChanged = (attached: boolean) => ({ targetInfo: { targetId: 't1', type: 'page', title: 'top', url: 'http://a/top', attached, canAccessOpener: false } });

test('closeTarget() - switches the page domain off, closes once, resolves when the page is gone', async (t) => {
  const { transport, markGone, close, closes, destroyedNow } = setup();
  transport.respond('Target.closeTarget', () => (queueMicrotask(markGone), {}));
  await close();
  t.is(closes(), 1);
  t.deepEqual(transport.sent.slice(-2).map((c) => `${c.sessionId ?? ''} ${c.method}`), ['p1 Page.disable', ' Target.closeTarget']);
  t.is(destroyedNow(), 0);
});

test('closeTarget() - a close Chrome dropped (the page changed, still attached) is asked again at once', async (t) => {
  const { transport, markGone, close, closes, destroyedNow } = setup();
  let accepted = (): void => undefined;
  const firstAccepted = new Promise<void>((resolve) => (accepted = resolve));
  transport.respond('Target.closeTarget', () => (setImmediate(accepted), {}));
  const closing = close();
  await firstAccepted;
  transport.emit('Target.targetInfoChanged', { targetInfo: { ...infoChanged(true).targetInfo, targetId: 'other' } });
  await new Promise(setImmediate);
  t.is(closes(), 1, "another page's change is none of this close's business");
  // The page commits a navigation and lives on: asked again before any timer of the close's could run.
  transport.emit('Target.targetInfoChanged', infoChanged(true));
  await new Promise(setImmediate);
  t.is(closes(), 2);
  markGone();
  await closing;
  t.is(destroyedNow(), 0);
});

test('closeTarget() - the page detaching (attached: false) is no reason to ask again', async (t) => {
  const { transport, markGone, close, closes } = setup();
  transport.respond('Target.closeTarget', () => (setImmediate(() => (transport.emit('Target.targetInfoChanged', infoChanged(false)), setImmediate(markGone))), {}));
  await close();
  t.is(closes(), 1);
});

test('closeTarget() - a close Chrome refuses: the page gets a moment, then is declared gone', async (t) => {
  const { transport, close, closes, destroyedNow } = setup();
  transport.respond('Target.closeTarget', () => ({ error: { code: -32602, message: 'No target with given id found' } }));
  await close();
  t.is(closes(), 1);
  t.is(destroyedNow(), 1);
});

test('closeTarget() - a page that never goes is asked a few times, then declared gone; never waited on forever', async (t) => {
  const { close, closes, destroyedNow } = setup();
  await close();
  t.is(closes(), 6);
  t.is(destroyedNow(), 1);
});

test('closeTarget() - many pages closing at once share one listener on the browser session, each woken by its own change', async (t) => {
  const transport = new FakeTransport();
  const connection = new Connection(transport);
  const ids = Array.from({ length: 12 }, (_, i) => `t${i}`);
  for (const id of ids) transport.emit('Target.attachedToTarget', attachedToTarget({ sessionId: `s-${id}`, targetId: id }));
  const before = connection.root.listenerCount('Target.targetInfoChanged');
  const marks = new Map<string, () => void>();
  let accepted = 0;
  transport.respond('Target.closeTarget', () => (accepted++, {}));
  const closing = ids.map((id) => {
    const gone = new Promise<void>((resolve) => marks.set(id, resolve));
    return closeTarget(connection.root, connection.session(`s-${id}`)!, id, gone, () => undefined);
  });
  while (accepted < ids.length) await new Promise(setImmediate);
  t.is(connection.root.listenerCount('Target.targetInfoChanged'), before + 1);
  transport.emit('Target.targetInfoChanged', { targetInfo: { ...infoChanged(true).targetInfo, targetId: 't5' } });
  await new Promise(setImmediate);
  const asked = (id: string) => transport.sent.filter((c) => c.method === 'Target.closeTarget' && (c.params as { targetId: string }).targetId === id).length;
  t.is(asked('t5'), 2);
  t.is(asked('t4'), 1);
  for (const mark of marks.values()) mark();
  await Promise.all(closing);
});
