import test from 'ava';
import { Connection } from '../../protocol/connection.js';
import { TargetRouter } from '../../protocol/target-router.js';
import { TargetManagerEvent, type AttachHookFailure } from '../../protocol/target-manager.js';
import { FakeTransport, NO_REPLY, attachedToTarget, type SentCommand } from '../helpers/fake-transport.js';

async function setup() {
  const transport = new FakeTransport();
  transport.respond('Target.getBrowserContexts', () => ({ browserContextIds: [], defaultBrowserContextId: 'ctx-default' }));
  const connection = new Connection(transport);
  const router = new TargetRouter(connection);
  let manager = undefined as unknown as ReturnType<TargetRouter['createManager']>;
  await router.initialize((id) => {
    manager = router.createManager(id);
  });
  return { transport, connection, router, manager };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

test('TargetRouter.initialize() - auto-attaches paused and flat at the browser level', async (t) => {
  const { transport } = await setup();
  const attach = transport.sent.find((c) => c.method === 'Target.setAutoAttach');
  t.deepEqual(attach?.params, { autoAttach: true, waitForDebuggerOnStart: true, flatten: true });
  t.is(attach?.sessionId, undefined);
});

test('TargetManager - runs hooks while paused, then resumes the target', async (t) => {
  const { transport, manager } = await setup();
  const order: string[] = [];
  manager.addAttachHook(async (client) => {
    order.push(`hook:${transport.sentTo(client.id).join(',')}`);
    await client.send('Page.enable');
  });
  transport.emit('Target.attachedToTarget', attachedToTarget({ sessionId: 'p1', targetId: 't1' }));
  const record = await manager.waitForTarget('t1');
  t.is(record.status, 'ready');
  t.deepEqual(order, ['hook:']);
  const sent = transport.sentTo('p1');
  t.true(sent.indexOf('Page.enable') < sent.indexOf('Runtime.runIfWaitingForDebugger'));
  t.true(sent.includes('Target.setAutoAttach'), 'pages auto-attach their iframes and workers too');
});

test('TargetManager - a failing hook is reported and the target still resumes', async (t) => {
  const { transport, manager } = await setup();
  transport.respond('Network.enable', () => ({ error: { code: -32000, message: 'boom' } }));
  manager.addAttachHook(async function networkHook(client) {
    await client.send('Network.enable');
  });
  const failures: AttachHookFailure[] = [];
  manager.on(TargetManagerEvent.HookFailed, (failure) => failures.push(failure));
  transport.emit('Target.attachedToTarget', attachedToTarget({ sessionId: 'p2', targetId: 't2', url: 'http://a/' }));
  await manager.waitForTarget('t2');
  t.true(transport.sentTo('p2').includes('Runtime.runIfWaitingForDebugger'));
  t.is(failures.length, 1);
  t.like(failures[0], { targetId: 't2', type: 'page', url: 'http://a/', hook: 'networkHook' });
});

test('TargetManager - children attach through their parent and are configured too', async (t) => {
  const { transport, manager } = await setup();
  const seen: string[] = [];
  manager.addAttachHook(async (_client, info) => {
    seen.push(info.type);
  });
  transport.emit('Target.attachedToTarget', attachedToTarget({ sessionId: 'p3', targetId: 't3' }));
  await manager.waitForTarget('t3');
  transport.emit('Target.attachedToTarget', attachedToTarget({ sessionId: 'f3', targetId: 'frame3', type: 'iframe' }), 'p3');
  const frame = await manager.waitForTarget('frame3');
  t.is(frame.parent?.targetId, 't3');
  t.deepEqual(seen, ['page', 'iframe']);
  t.true(transport.sentTo('f3').includes('Runtime.runIfWaitingForDebugger'));
});

test('TargetRouter - targets of unknown contexts are resumed and detached', async (t) => {
  const { transport } = await setup();
  transport.emit('Target.attachedToTarget', attachedToTarget({ sessionId: 'x1', browserContextId: 'someone-else' }));
  await settle();
  t.true(transport.sentTo('x1').includes('Runtime.runIfWaitingForDebugger'));
  t.true(transport.sent.some((c) => c.method === 'Target.detachFromTarget' && c.params.sessionId === 'x1'));
});

test('TargetManager - unsupported target types are released at once', async (t) => {
  const { transport, manager } = await setup();
  transport.emit('Target.attachedToTarget', attachedToTarget({ sessionId: 'o1', targetId: 'o1t', type: 'other' }));
  await settle();
  t.is(manager.get('o1t'), undefined);
  t.true(transport.sentTo('o1').includes('Runtime.runIfWaitingForDebugger'));
});

test('TargetManager - a detached target is gone and reported', async (t) => {
  const { transport, manager } = await setup();
  transport.emit('Target.attachedToTarget', attachedToTarget({ sessionId: 'd1', targetId: 'dt1' }));
  const record = await manager.waitForTarget('dt1');
  const detached = new Promise((resolve) => manager.once(TargetManagerEvent.Detached, resolve));
  transport.emit('Target.detachedFromTarget', { sessionId: 'd1' });
  t.is(await detached, record);
  t.is(record.status, 'gone');
  t.is(manager.get('dt1'), undefined);
});

test('TargetManager.forEachClient() - skips targets that closed meanwhile', async (t) => {
  const { transport, manager } = await setup();
  transport.respond('Network.setCacheDisabled', (command) =>
    command.sessionId === 'g2' ? { error: { code: -32001, message: 'Session with given id not found' } } : {},
  );
  transport.emit('Target.attachedToTarget', attachedToTarget({ sessionId: 'g1', targetId: 'gt1' }));
  transport.emit('Target.attachedToTarget', attachedToTarget({ sessionId: 'g2', targetId: 'gt2' }));
  await Promise.all([manager.waitForTarget('gt1'), manager.waitForTarget('gt2')]);
  await t.notThrowsAsync(manager.forEachClient((client) => client.send('Network.setCacheDisabled', { cacheDisabled: true })));
  t.true(transport.sentTo('g1').includes('Network.setCacheDisabled'));
});

test('TargetManager - a target attached a second time (a service worker under its page) keeps its first session', async (t) => {
  const { transport, manager } = await setup();
  const hooked: string[] = [];
  manager.addAttachHook(async (client) => hooked.push(client.id));
  transport.emit('Target.attachedToTarget', attachedToTarget({ sessionId: 's1', targetId: 'swt', type: 'service_worker' }));
  const record = await manager.waitForTarget('swt');
  transport.emit('Target.attachedToTarget', attachedToTarget({ sessionId: 's2', targetId: 'swt', type: 'service_worker' }));
  await settle();
  t.is(manager.get('swt'), record);
  t.is(record.client.id, 's1');
  t.deepEqual(hooked, ['s1']);
  // The duplicate is let go without resuming the target: that is the first session's to do, after its hooks.
  t.false(transport.sentTo('s2').includes('Runtime.runIfWaitingForDebugger'));
  t.true(transport.sent.some((c) => c.method === 'Target.detachFromTarget' && c.params.sessionId === 's2'));
});

test('TargetManager - a window opened without an opener is resumed once its hooks sent their commands, not once Chrome answered them', async (t) => {
  const { transport, manager } = await setup();
  // Chrome answers such a window's renderer commands only once it runs (it has no renderer before).
  const held: SentCommand[] = [];
  transport.respond('Page.enable', (command) => {
    held.push(command);
    return NO_REPLY;
  });
  transport.respond('Runtime.runIfWaitingForDebugger', () => {
    for (const command of held.splice(0)) {
      queueMicrotask(() => transport.onmessage?.(JSON.stringify({ id: command.id, sessionId: command.sessionId, result: {} })));
    }
    return {};
  });
  manager.addAttachHook((client) => client.send('Page.enable'));
  transport.emit('Target.attachedToTarget', attachedToTarget({ sessionId: 'pop', targetId: 'popup', openerId: 'opener', canAccessOpener: false }));
  const record = await manager.waitForTarget('popup');
  t.is(record.status, 'ready');
  const sent = transport.sentTo('pop');
  t.true(sent.indexOf('Page.enable') < sent.indexOf('Runtime.runIfWaitingForDebugger'), 'its hooks\' commands go first');
});

test('TargetManager.closeNew() - a new window without a renderer is closed unresumed; one whose opener waits is resumed, then closed', async (t) => {
  const { transport, connection, manager } = await setup();
  manager.addAttachHook(async (client, info) => {
    manager.closeNew(info.targetId, connection.root);
  });
  transport.emit('Target.attachedToTarget', attachedToTarget({ sessionId: 'lone', targetId: 'noopener', openerId: 'o', canAccessOpener: false }));
  transport.emit('Target.attachedToTarget', attachedToTarget({ sessionId: 'kin', targetId: 'withopener', openerId: 'o', canAccessOpener: true }));
  await settle();
  const closed = transport.sent.filter((c) => c.method === 'Target.closeTarget').map((c) => (c.params as { targetId: string }).targetId);
  t.deepEqual(closed.sort(), ['noopener', 'withopener']);
  t.false(transport.sentTo('lone').includes('Runtime.runIfWaitingForDebugger'));
  t.true(transport.sentTo('kin').includes('Runtime.runIfWaitingForDebugger'));
});

test('TargetRouter.attachForeign() - a session of the app\'s own: kept from the manager, its events and its children\'s tapped', async (t) => {
  const { transport, connection, router, manager } = await setup();
  transport.emit('Target.attachedToTarget', attachedToTarget({ sessionId: 'ours', targetId: 't1' }));
  await manager.waitForTarget('t1');
  transport.respond('Target.attachToTarget', () => {
    // Chrome tells of the new session before it answers.
    transport.emit('Target.attachedToTarget', attachedToTarget({ sessionId: 'theirs', targetId: 't1', waitingForDebugger: false }));
    return { sessionId: 'theirs' };
  });
  const foreign = await router.attachForeign('t1');
  t.is(foreign.id, 'theirs');
  await settle();
  t.false(transport.sent.some((c) => c.method === 'Target.detachFromTarget'), 'the manager did not take it for a second attachment');
  t.is(manager.get('t1')?.client.id, 'ours');
  const heard: string[] = [];
  foreign.tap = (method, _params, sessionId) => heard.push(`${sessionId} ${method}`);
  transport.emit('Runtime.executionContextCreated', {}, 'theirs');
  transport.emit('Target.attachedToTarget', attachedToTarget({ sessionId: 'child', waitingForDebugger: false }), 'theirs');
  transport.emit('Runtime.consoleAPICalled', {}, 'child');
  transport.emit('Runtime.consoleAPICalled', {}, 'ours');
  t.deepEqual(heard, ['theirs Runtime.executionContextCreated', 'theirs Target.attachedToTarget', 'child Runtime.consoleAPICalled']);
  t.is(connection.session('child')?.parent, foreign);
});

test('TargetManager.waitForTarget() - rejects when the target never comes: destroyed, detached while paused, context disposed, connection closed', async (t) => {
  const { transport, router, manager } = await setup();
  const destroyed = manager.waitForTarget('t-destroyed');
  transport.emit('Target.targetDestroyed', { targetId: 't-destroyed' });
  await t.throwsAsync(destroyed, { message: 'Protocol error (Target.attachedToTarget): Target closed' });

  // Paused in a hook that never ends, then detached.
  manager.addAttachHook(() => new Promise(() => undefined));
  const detached = manager.waitForTarget('t-paused');
  transport.emit('Target.attachedToTarget', attachedToTarget({ sessionId: 'p-paused', targetId: 't-paused' }));
  await settle();
  transport.emit('Target.detachedFromTarget', { sessionId: 'p-paused', targetId: 't-paused' });
  await t.throwsAsync(detached, { message: 'Protocol error (Target.attachedToTarget): Target closed' });

  const closing = manager.waitForTarget('t-later');
  transport.close();
  await t.throwsAsync(closing, { message: /connection to the browser closed/i });

  router.removeManager(manager);
  await t.throwsAsync(manager.waitForTarget('t-after'), { message: 'Protocol error (Target.attachedToTarget): Browser context closed' });
});

test('TargetManager.waitForTarget() - an abort rejects with its reason; the target coming later resolves the others', async (t) => {
  const { transport, manager } = await setup();
  const controller = new AbortController();
  const aborted = manager.waitForTarget('t1', controller.signal);
  const other = manager.waitForTarget('t1');
  controller.abort(new Error('given up'));
  await t.throwsAsync(aborted, { message: 'given up' });
  transport.emit('Target.attachedToTarget', attachedToTarget({ sessionId: 'p1', targetId: 't1' }));
  t.is((await other).targetId, 't1');
});
