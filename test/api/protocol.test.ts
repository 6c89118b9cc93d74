import { Readable } from 'node:stream';
import test from 'ava';
import { session, protocol as protocolModule, type Session } from '../../src/index.js';
import { openWindow, serverAndApp, uniquePartition } from '../helpers/setup.js';

const context = serverAndApp(test);
const fresh = (): Session => session.fromPartition(uniquePartition('protocol'));

test('protocol.handle() - errors and isProtocolHandled as in Electron', (t) => {
  const { protocol } = fresh();
  protocol.handle('https', () => new Response('x'));
  t.true(protocol.isProtocolHandled('https'));
  t.true(protocol.isProtocolIntercepted('https'));
  t.false(protocol.isProtocolRegistered('https'));
  t.throws(() => protocol.handle('https', () => new Response('y')), { instanceOf: Error, message: 'Failed to register protocol: https' });
  protocol.unhandle('https');
  t.false(protocol.isProtocolHandled('https'));
  t.throws(() => protocol.unhandle('https'), { instanceOf: Error, message: 'Failed to unhandle protocol: https' });
  protocol.handle('test-scheme', () => new Response('z'));
  t.true(protocol.isProtocolRegistered('test-scheme'));
});

test('protocol.handle(http) - serves navigations and subresources of its session from the handler', async (t) => {
  const ses = fresh();
  const seen: string[] = [];
  ses.protocol.handle('http', async (request) => {
    if (!request.url.endsWith('/favicon.ico')) seen.push(`${request.method} ${request.url}`);
    if (request.url.endsWith('/data')) return new Response(JSON.stringify({ body: await request.text() }), { headers: { 'content-type': 'application/json' } });
    return new Response(`<title>handled</title><p>${request.url}</p>`, { status: 201, headers: { 'content-type': 'text/html; charset=testcharset' } });
  });
  const win = await openWindow(t, ses);
  await win.loadURL('http://handled.invalid/page');
  t.is(win.webContents.getTitle(), 'handled');
  t.is(await win.webContents.executeJavaScript('document.characterSet'), 'windows-1252');
  const posted = await win.webContents.executeJavaScript(`fetch('/data', { method: 'POST', body: 'hello' }).then((r) => r.json())`);
  t.deepEqual(posted, { body: 'hello' });
  t.deepEqual(seen, ['GET http://handled.invalid/page', 'POST http://handled.invalid/data']);

  const other = await openWindow(t, fresh());
  await t.throwsAsync(other.loadURL('http://handled.invalid/page'), { message: /ERR_NAME_NOT_RESOLVED/ });
});

test('protocol.handle(custom) - serves the subresources a page loads from its scheme; a document of it cannot be loaded', async (t) => {
  const ses = fresh();
  const seen: string[] = [];
  ses.protocol.handle('app', (request) => {
    seen.push(`${request.method} ${request.url}`);
    if (request.url.endsWith('.js')) return new Response('window.ran = location.href', { headers: { 'content-type': 'text/javascript' } });
    if (request.url.endsWith('.css')) return new Response('body { color: rgb(1, 2, 3) }', { headers: { 'content-type': 'text/css' } });
    if (request.url.endsWith('.svg')) return new Response('<svg xmlns="http://www.w3.org/2000/svg" width="7" height="5"></svg>', { headers: { 'content-type': 'image/svg+xml' } });
    return Response.error();
  });
  t.true(ses.protocol.registerStringProtocol('legacy', (_request, callback) => callback({ data: 'window.legacy = true', mimeType: 'text/javascript' })));
  context.server.setPage('/custom', `<link rel="stylesheet" href="app://bundle/s.css"><img id="image" src="app://bundle/i.svg">
    <img id="broken" src="app://bundle/missing.png"><script src="app://bundle/main.js"></script><script src="legacy://x/l.js"></script>`);
  const loaded = 'Promise.all([image, broken].map((i) => i.complete ? 0 : new Promise((r) => { i.onload = r; i.onerror = r; })))';
  const read = `${loaded}.then(() => [window.ran, window.legacy, getComputedStyle(document.body).color, image.naturalWidth, broken.naturalWidth])`;
  const win = await openWindow(t, ses);
  await win.loadURL(`${context.server.prefix}/custom`);
  t.deepEqual(await win.webContents.executeJavaScript(read), [`${context.server.prefix}/custom`, true, 'rgb(1, 2, 3)', 7, 0]);
  t.deepEqual(seen.sort(), ['GET app://bundle/i.svg', 'GET app://bundle/main.js', 'GET app://bundle/missing.png', 'GET app://bundle/s.css']);
  // Chrome navigates to no scheme it does not know: it aborts before any interception.
  await t.throwsAsync(win.loadURL('app://bundle/index.html'), { message: "ERR_ABORTED (-3) loading 'app://bundle/index.html'" });
  t.is(seen.length, 4);

  const other = await openWindow(t, fresh());
  await other.loadURL(`${context.server.prefix}/custom`);
  t.deepEqual(await other.webContents.executeJavaScript(read), [null, null, 'rgb(0, 0, 0)', 0, 0]);
});

test('protocol.handle() - Response.error() fails the request with ERR_FAILED; a throwing handler or no Response, with ERR_UNEXPECTED', async (t) => {
  const ses = fresh();
  ses.protocol.handle('http', (request) => {
    if (request.url.includes('throw')) throw new Error('handler bug');
    if (request.url.includes('nothing')) return 'no response' as never;
    return Response.error();
  });
  const win = await openWindow(t, ses);
  await t.throwsAsync(win.loadURL('http://handled.invalid/error'), { message: /^ERR_FAILED \(-2\)/ });
  await t.throwsAsync(win.loadURL('http://handled.invalid/throw'), { message: /^ERR_UNEXPECTED \(-9\)/ });
  await t.throwsAsync(win.loadURL('http://handled.invalid/nothing'), { message: /^ERR_UNEXPECTED \(-9\)/ });
  await t.throwsAsync(ses.fetch('http://handled.invalid/throw-fetch'), { message: /ERR_UNEXPECTED/ });
  await t.throwsAsync(ses.fetch('http://handled.invalid/error-fetch'), { message: /ERR_FAILED/ });
});

test('protocol.unhandle() - requests reach the network again', async (t) => {
  const ses = fresh();
  ses.protocol.handle('http', () => new Response('<title>fake</title>', { headers: { 'content-type': 'text/html' } }));
  const win = await openWindow(t, ses);
  await win.loadURL(`${context.server.prefix}/real`);
  t.is(win.webContents.getTitle(), 'fake');
  ses.protocol.unhandle('http');
  await win.loadURL(`${context.server.prefix}/real`);
  t.is(win.webContents.getTitle(), '/real');
});

test('deprecated intercept*/register* - boolean returns and string, buffer and stream answers', async (t) => {
  const ses = fresh();
  const { protocol } = ses;
  t.true(protocol.registerStringProtocol('legacy', (_request, callback) => callback('x')));
  t.false(protocol.registerBufferProtocol('legacy', (_request, callback) => callback(Buffer.from('y'))));
  t.false(protocol.unregisterProtocol('not-exist'));
  t.false(protocol.uninterceptProtocol('http'));
  t.false(protocol.isProtocolRegistered('no-exist'));
  t.true(protocol.interceptStringProtocol('http', (request, callback) => callback({ data: `<title>${request.method} string</title>`, mimeType: 'text/html' })));
  t.false(protocol.interceptBufferProtocol('http', (_request, callback) => callback(Buffer.from(''))));
  const win = await openWindow(t, ses);
  await win.loadURL(`${context.server.prefix}/legacy`);
  t.is(win.webContents.getTitle(), 'GET string');
  t.true(protocol.uninterceptProtocol('http'));
  t.true(protocol.interceptStreamProtocol('http', (_request, callback) => {
    callback({ statusCode: 200, headers: { 'content-type': 'text/html' }, data: Readable.from(['<title>', 'stream', '</title>']) });
  }));
  await win.loadURL(`${context.server.prefix}/legacy`);
  t.is(win.webContents.getTitle(), 'stream');
});

test('protocol module - the default session\'s protocol; schemes are privileged before ready only', (t) => {
  protocolModule.handle('module-scheme', () => new Response('m'));
  t.true(session.defaultSession.protocol.isProtocolRegistered('module-scheme'));
  t.true(protocolModule.isProtocolHandled('module-scheme'));
  protocolModule.unhandle('module-scheme');
  t.false(session.defaultSession.protocol.isProtocolHandled('module-scheme'));
  t.throws(() => protocolModule.registerSchemesAsPrivileged([{ scheme: 'app' }]), {
    message: 'protocol.registerSchemesAsPrivileged should be called before app is ready',
  });
});
