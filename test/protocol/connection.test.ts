import test from 'ava';
import { Connection } from '../../protocol/connection.js';
import { CdpSessionEvent } from '../../protocol/cdp-session.js';
import { ConnectionClosedError, ProtocolError, ProtocolTimeoutError, TargetClosedError } from '../../protocol/errors.js';
import { FakeTransport, NO_REPLY, attachedToTarget } from '../helpers/fake-transport.js';

test('Connection.send() - resolves with the result of its own reply', async (t) => {
  const transport = new FakeTransport();
  transport.respond('Browser.getVersion', () => ({ product: 'Chrome/1', userAgent: 'UA' }));
  const connection = new Connection(transport);
  const version = await connection.root.send('Browser.getVersion');
  t.is(version.userAgent, 'UA');
  t.deepEqual(transport.sent.map((c) => c.method), ['Browser.getVersion']);
});

test('Connection.send() - an error reply becomes a ProtocolError naming the method', async (t) => {
  const transport = new FakeTransport();
  transport.respond('Target.createTarget', () => ({ error: { code: -32000, message: 'Failed to open new tab' } }));
  const connection = new Connection(transport);
  const error = await t.throwsAsync(connection.root.send('Target.createTarget', { url: 'about:blank' }), {
    instanceOf: ProtocolError,
  });
  t.is(error?.message, 'Protocol error (Target.createTarget): Failed to open new tab');
  t.is((error as ProtocolError).code, -32000);
});

test('Connection.send() - a vanished session is a TargetClosedError', async (t) => {
  const transport = new FakeTransport();
  transport.respond('Page.enable', () => ({ error: { code: -32001, message: 'Session with given id not found' } }));
  const connection = new Connection(transport);
  transport.emit('Target.attachedToTarget', attachedToTarget({ sessionId: 's1' }));
  await t.throwsAsync(connection.session('s1')!.send('Page.enable'), { instanceOf: TargetClosedError });
});

test('Connection.send() - times out with the method and the limit, keeping the caller stack', async (t) => {
  const transport = new FakeTransport();
  transport.respond('Page.reload', () => NO_REPLY);
  const connection = new Connection(transport, { protocolTimeout: 50 });
  transport.emit('Target.attachedToTarget', attachedToTarget({ sessionId: 's1' }));
  const error = await t.throwsAsync(connection.session('s1')!.send('Page.reload'), {
    instanceOf: ProtocolTimeoutError,
  });
  t.regex(error!.message, /Protocol timeout \(Page\.reload\): no answer within 50 ms/);
  t.regex(error!.stack ?? '', /connection\.test/);
});

test('Connection.send() - navigation and evaluation wait on the page, without a protocol deadline', async (t) => {
  const transport = new FakeTransport();
  transport.respond('Page.navigate', () => NO_REPLY);
  const connection = new Connection(transport, { protocolTimeout: 20 });
  transport.emit('Target.attachedToTarget', attachedToTarget({ sessionId: 's1' }));
  const navigation = connection.session('s1')!.send('Page.navigate', { url: 'http://slow/' });
  let settled = false;
  navigation.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setTimeout(resolve, 100));
  t.false(settled, 'still waiting well past the protocol timeout');
  transport.emit('Target.detachedFromTarget', { sessionId: 's1' });
  await t.throwsAsync(navigation, { instanceOf: TargetClosedError });
});

test('Connection - child sessions exist before the attach event is dispatched', (t) => {
  const transport = new FakeTransport();
  const connection = new Connection(transport);
  let seen: unknown;
  connection.root.on('Target.attachedToTarget', (event) => {
    seen = connection.session(event.sessionId)?.targetType;
  });
  transport.emit('Target.attachedToTarget', attachedToTarget({ sessionId: 's9', type: 'iframe' }));
  t.is(seen, 'iframe');
});

test('Connection - events are routed to their session only', (t) => {
  const transport = new FakeTransport();
  const connection = new Connection(transport);
  transport.emit('Target.attachedToTarget', attachedToTarget({ sessionId: 'a' }));
  transport.emit('Target.attachedToTarget', attachedToTarget({ sessionId: 'b' }));
  const got: string[] = [];
  connection.session('a')!.on('Page.loadEventFired', () => got.push('a'));
  connection.session('b')!.on('Page.loadEventFired', () => got.push('b'));
  transport.emit('Page.loadEventFired', { timestamp: 1 }, 'b');
  t.deepEqual(got, ['b']);
});

test('Connection - detaching a target fails its pending commands with TargetClosedError', async (t) => {
  const transport = new FakeTransport();
  transport.respond('Runtime.evaluate', () => NO_REPLY);
  const connection = new Connection(transport);
  transport.emit('Target.attachedToTarget', attachedToTarget({ sessionId: 's1' }));
  const client = connection.session('s1')!;
  let detached = false;
  client.on(CdpSessionEvent.Detached, () => {
    detached = true;
  });
  const pending = client.send('Runtime.evaluate', { expression: '1' });
  transport.emit('Target.detachedFromTarget', { sessionId: 's1' });
  await t.throwsAsync(pending, { instanceOf: TargetClosedError });
  t.true(detached);
  t.is(connection.session('s1'), undefined);
});

test('Connection - sessions attached through a detached one go with it, their pending commands failed', async (t) => {
  const transport = new FakeTransport();
  transport.respond('Runtime.evaluate', () => NO_REPLY);
  const connection = new Connection(transport);
  transport.emit('Target.attachedToTarget', attachedToTarget({ sessionId: 'parent' }));
  transport.emit('Target.attachedToTarget', attachedToTarget({ sessionId: 'child' }), 'parent');
  transport.emit('Target.attachedToTarget', attachedToTarget({ sessionId: 'grandchild' }), 'child');
  const pending = connection.session('grandchild')!.send('Runtime.evaluate', { expression: '1' });
  transport.emit('Target.detachedFromTarget', { sessionId: 'parent' });
  await t.throwsAsync(pending, { instanceOf: TargetClosedError });
  t.deepEqual(['parent', 'child', 'grandchild'].map((id) => connection.session(id)), [undefined, undefined, undefined]);
});

test('Connection - Chrome\'s own message stays on the errors of its replies; a tap that throws stops nothing of ours', async (t) => {
  const transport = new FakeTransport();
  transport.respond('Test', () => ({ error: { code: -32601, message: "'Test' wasn't found", data: 'more' } }));
  transport.respond('Target.attachToTarget', () => ({ error: { code: -32602, message: 'No target with given id found' } }));
  const connection = new Connection(transport);
  const unknown = await t.throwsAsync(connection.root.sendRaw('Test'), { instanceOf: ProtocolError });
  t.is(unknown?.chromeMessage, "'Test' wasn't found");
  const gone = await t.throwsAsync(connection.root.send('Target.attachToTarget', { targetId: 'x' }), { instanceOf: TargetClosedError });
  t.is(gone?.chromeMessage, 'No target with given id found');
  transport.emit('Target.attachedToTarget', attachedToTarget({ sessionId: 'tapped' }));
  const tapped = connection.session('tapped')!;
  const tapped_: string[] = [];
  tapped.tap = (method) => {
    tapped_.push(method);
    throw new Error('app bug');
  };
  const heard: string[] = [];
  tapped.on('Runtime.consoleAPICalled', () => heard.push('ours'));
  transport.emit('Runtime.consoleAPICalled', {}, 'tapped');
  transport.emit('Target.detachedFromTarget', { sessionId: 'tapped' });
  t.deepEqual(tapped_, ['Runtime.consoleAPICalled']);
  t.deepEqual(heard, ['ours']);
  t.is(connection.session('tapped'), undefined);
});

test('Connection - closing fails every pending command with ConnectionClosedError and browser logs', async (t) => {
  const transport = new FakeTransport();
  transport.respond('Browser.getVersion', () => NO_REPLY);
  const connection = new Connection(transport, { browserLogs: () => 'last stderr line' });
  const pending = connection.root.send('Browser.getVersion');
  transport.close();
  const error = await t.throwsAsync(pending, { instanceOf: ConnectionClosedError });
  t.regex(error!.message, /Browser\.getVersion/);
  t.regex(error!.message, /last stderr line/);
  await t.throwsAsync(connection.root.send('Browser.getVersion'), { instanceOf: ConnectionClosedError });
});

test('Connection - a close we did not ask for: pending commands wait for its cause and name whose they were; later ones fail alike', async (t) => {
  const transport = new FakeTransport();
  transport.respond('Runtime.evaluate', () => NO_REPLY);
  transport.respond('Storage.getCookies', () => NO_REPLY);
  let exited!: (why: string) => void;
  const connection = new Connection(transport, { closeCause: () => new Promise<string>((resolve) => (exited = resolve)), browserLogs: () => 'tail' });
  connection.describeOwner = (sessionId, params) =>
    sessionId === 's1' ? "session 'a'" : (params as { browserContextId?: string }).browserContextId === 'ctx-b' ? "session 'b'" : undefined;
  transport.emit('Target.attachedToTarget', attachedToTarget({ sessionId: 's1' }));
  const onPage = connection.session('s1')!.send('Runtime.evaluate', { expression: '1' });
  const onRoot = connection.root.send('Storage.getCookies', { browserContextId: 'ctx-b' });
  transport.close();
  t.true(connection.closed);
  const during = connection.root.send('Storage.getCookies', { browserContextId: 'ctx-b' });
  exited('Chrome (pid 7) crashed (SIGSEGV)');
  const [page, root, later] = await Promise.all([onPage, onRoot, during].map((pending) => t.throwsAsync(pending, { instanceOf: ConnectionClosedError })));
  t.is(page!.message.split('\n')[0], "Protocol error (Runtime.evaluate) in session 'a': Chrome (pid 7) crashed (SIGSEGV): connection to the browser closed (closed by test)");
  t.is(root!.message.split('\n')[0], "Protocol error (Storage.getCookies) in session 'b': Chrome (pid 7) crashed (SIGSEGV): connection to the browser closed (closed by test)");
  t.is(later!.message, root!.message);
  // The browser's logs once, not once per layer.
  t.is(page!.message.match(/Browser logs:/g)?.length, 1);
});

test('Connection - a cause that never comes: pending commands fail without it, half a second later at most', async (t) => {
  const transport = new FakeTransport();
  transport.respond('Browser.getVersion', () => NO_REPLY);
  const connection = new Connection(transport, { closeCause: () => new Promise<string>(() => undefined) });
  const pending = connection.root.send('Browser.getVersion');
  transport.close();
  await t.throwsAsync(pending, { instanceOf: ConnectionClosedError, message: 'Protocol error (Browser.getVersion): Connection to the browser closed (closed by test)' });
});

test('Connection - a crashed target fails what it was running (a renderer that is gone never answers)', async (t) => {
  const transport = new FakeTransport();
  transport.respond('Runtime.evaluate', () => NO_REPLY);
  const connection = new Connection(transport);
  transport.emit('Target.attachedToTarget', attachedToTarget({ sessionId: 's1' }));
  transport.emit('Target.attachedToTarget', attachedToTarget({ sessionId: 's2' }));
  const crashed = connection.session('s1')!.send('Runtime.evaluate', { expression: 'new Promise(() => {})' });
  const other = connection.session('s2')!.send('Runtime.evaluate', { expression: '2' });
  transport.emit('Inspector.targetCrashed', {}, 's1');
  await t.throwsAsync(crashed, { instanceOf: TargetClosedError, message: 'Protocol error (Runtime.evaluate): Target crashed' });
  let settled = false;
  void other.finally(() => (settled = true)).catch(() => undefined);
  await new Promise<void>((resolve) => setImmediate(resolve));
  t.false(settled, 'the other target is untouched');
});

test('Connection - bounds commands in flight and sends the rest as replies come', async (t) => {
  const transport = new FakeTransport();
  const connection = new Connection(transport, { maxInFlight: 2 });
  const replies: Array<() => void> = [];
  transport.respond('DOM.getDocument', (command) => {
    replies.push(() => transport.onmessage?.(JSON.stringify({ id: command.id, result: { root: {} } })));
    return NO_REPLY;
  });
  const all = Promise.all([1, 2, 3, 4].map((depth) => connection.root.send('DOM.getDocument', { depth })));
  await new Promise((resolve) => setImmediate(resolve));
  t.is(transport.sent.length, 2);
  replies.shift()!();
  await new Promise((resolve) => setImmediate(resolve));
  t.is(transport.sent.length, 3);
  while (transport.sent.length < 4 || replies.length) {
    replies.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
  t.is((await all).length, 4);
});

test('Connection - commands that wait on pages take no place in the queue: what would let them go is sent at once', async (t) => {
  const transport = new FakeTransport();
  const connection = new Connection(transport, { maxInFlight: 2 });
  // Evaluations that wait on a page whose requests are paused; they never answer here.
  transport.respond('Runtime.evaluate', () => NO_REPLY);
  const waiting = [1, 2, 3].map((n) => connection.root.send('Runtime.evaluate', { expression: String(n), awaitPromise: true }));
  for (const evaluation of waiting) evaluation.catch(() => undefined);
  const continued = connection.root.send('Fetch.continueRequest', { requestId: 'r1' });
  await new Promise((resolve) => setImmediate(resolve));
  t.deepEqual(transport.sent.map((command) => command.method), ['Runtime.evaluate', 'Runtime.evaluate', 'Runtime.evaluate', 'Fetch.continueRequest']);
  await continued;
  connection.close();
});
