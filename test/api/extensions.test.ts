import test from 'ava';
import { fileURLToPath } from 'node:url';
import { session, type Extension } from '../../src/index.js';
import { openWindow, serverAndApp, uniquePartition } from '../helpers/setup.js';

const context = serverAndApp(test);
// Compiled to dist/test/api: the fixture stays in the source tree.
const EXTENSION = fileURLToPath(new URL('../../../test/fixtures/extension', import.meta.url));
const marked = "document.documentElement.dataset.extension ?? 'none'";

test('extensions - loadExtension in a persistent session: Electron\'s Extension, events, content scripts in its pages only; removeExtension', async (t) => {
  const ses = session.fromPartition(`persist:${uniquePartition('ext')}`);
  const events: Array<[string, Extension]> = [];
  for (const name of ['extension-loaded', 'extension-ready', 'extension-unloaded'] as const) ses.extensions.on(name, (_event, extension) => events.push([name, extension]));
  const extension = await ses.extensions.loadExtension(EXTENSION);
  t.like(extension, { name: 'chrome-session test extension', version: '1.2.3', path: EXTENSION, url: `chrome-extension://${extension.id}/` });
  t.regex(extension.id, /^[a-p]{32}$/);
  t.is(extension.manifest.manifest_version, 3);
  t.deepEqual(events, [['extension-loaded', extension], ['extension-ready', extension]]);
  t.deepEqual(ses.extensions.getAllExtensions(), [extension]);
  t.deepEqual(ses.extensions.getExtension(extension.id), extension);
  t.is(ses.extensions.getExtension('nope'), null);

  const win = await openWindow(t, ses, `${context.server.prefix}/with-extension`);
  t.is(await win.webContents.executeJavaScript(marked), 'loaded');
  const elsewhere = await openWindow(t, session.fromPartition(uniquePartition('ext')), `${context.server.prefix}/elsewhere`);
  t.is(await elsewhere.webContents.executeJavaScript(marked), 'none', 'another session');

  const unloaded = new Promise<void>((resolve) => ses.extensions.once('extension-unloaded', () => resolve()));
  ses.extensions.removeExtension(extension.id);
  await unloaded;
  t.deepEqual(ses.extensions.getAllExtensions(), []);
  const after = await openWindow(t, ses, `${context.server.prefix}/after`);
  t.is(await after.webContents.executeJavaScript(marked), 'none');
});

test('extensions - Electron\'s errors: temporary sessions, relative paths, a missing manifest', async (t) => {
  await t.throwsAsync(session.fromPartition(uniquePartition('ext')).extensions.loadExtension(EXTENSION), { message: 'Extensions cannot be loaded in a temporary session' });
  const ses = session.fromPartition(`persist:${uniquePartition('ext')}`);
  await t.throwsAsync(ses.extensions.loadExtension('test/fixtures/extension'), { message: "The path to the extension in 'loadExtension' must be absolute" });
  await t.throwsAsync(ses.extensions.loadExtension('/nonexistent/extension'), { message: /Manifest file is missing or unreadable/ });
});

test('extensions - the default session\'s extension stays out of the in-memory partitions of the same Chrome', async (t) => {
  const ses = session.defaultSession;
  const extension = await ses.extensions.loadExtension(EXTENSION);
  t.teardown(() => ses.extensions.removeExtension(extension.id));
  const win = await openWindow(t, ses, `${context.server.prefix}/default`);
  t.is(await win.webContents.executeJavaScript(marked), 'loaded');
  const partition = await openWindow(t, session.fromPartition(uniquePartition('ext')), `${context.server.prefix}/partition`);
  t.is(await partition.webContents.executeJavaScript(marked), 'none');
});

test('extensions - the deprecated Session methods and events still work, with a deprecation warning', async (t) => {
  const ses = session.fromPartition(`persist:${uniquePartition('ext')}`);
  let onWarning: (warning: Error) => void = () => undefined;
  const warned = new Promise<void>((resolve) => {
    onWarning = (warning) => warning.message.includes("'session.loadExtension' is deprecated") && resolve();
  });
  process.on('warning', onWarning);
  t.teardown(() => process.off('warning', onWarning));
  const loaded = new Promise<Extension>((resolve) => ses.once('extension-loaded', (_event, extension) => resolve(extension)));
  const extension = await ses.loadExtension(EXTENSION);
  t.deepEqual(await loaded, extension);
  t.deepEqual(ses.getAllExtensions(), [extension]);
  t.deepEqual(ses.getExtension(extension.id), extension);
  const unloaded = new Promise<void>((resolve) => ses.once('extension-unloaded', () => resolve()));
  ses.removeExtension(extension.id);
  await unloaded;
  t.deepEqual(ses.extensions.getAllExtensions(), []);
  await warned;
  t.pass('the deprecation warning came');
});
