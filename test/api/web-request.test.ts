import test from 'ava';
import { session, type BrowserWindow, type Session } from '../../src/index.js';
import type { OnBeforeRequestDetails, OnCompletedDetails, OnErrorOccurredDetails, OnSendHeadersDetails } from '../../src/web-request.js';
import { openWindow as open, serverAndApp, uniquePartition } from '../helpers/setup.js';

const context = serverAndApp(test, (server) => {
  server.setRoute('/headers', (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', Custom: 'Header' });
    res.end(JSON.stringify(req.headers));
  });
  server.setRoute('/post', (req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(body);
    });
  });
  server.setPage('/styled', '<link rel="stylesheet" href="/style.css"><p>styled</p>');
  server.setRoute('/style.css', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/css' });
    res.end('p { color: red }');
  });
  server.setRoute('/moved', (_req, res) => {
    res.writeHead(301, { location: '/target' });
    res.end();
  });
});

const openWindow = (t: Parameters<typeof open>[0], ses: Session, path = '/'): Promise<BrowserWindow> => open(t, ses, `${context.server.prefix}${path}`);

const fetchText = (win: BrowserWindow, url: string): Promise<unknown> =>
  win.webContents.executeJavaScript(`fetch(${JSON.stringify(url)}).then((r) => r.text())`);

const fresh = (): Session => session.fromPartition(uniquePartition('webrequest'));

test('WebRequest filters - rejected as Electron rejects them', (t) => {
  const { webRequest } = fresh();
  t.throws(() => webRequest.onBeforeRequest({} as never, () => undefined), { instanceOf: TypeError, message: "Parameter 'filter' must have property 'urls'." });
  t.throws(() => webRequest.onBeforeRequest({ urls: ['*://www.googleapis.com'] }, () => undefined), {
    instanceOf: TypeError,
    message: 'Invalid url pattern *://www.googleapis.com: Empty path.',
  });
  t.throws(() => webRequest.onBeforeRequest({ urls: ['*://www.googleapis.com/', '*://blahblah.dev'] }, () => undefined), {
    message: 'Invalid url pattern *://blahblah.dev: Empty path.',
  });
  t.throws(() => webRequest.onBeforeRequest({ urls: ['<all_urls>'], types: ['other'] }, () => undefined), { instanceOf: TypeError, message: 'Invalid type other' });
  t.throws(() => webRequest.onCompleted('nope' as never), { instanceOf: TypeError, message: 'Must pass null or a Function' });
  t.notThrows(() => webRequest.onBeforeRequest({ urls: ['*://www.googleapis.com/'] }, null));
  t.throws(() => webRequest.onBeforeRequest({ urls: ['ht tp://x/'] }, () => undefined), { message: 'Invalid url pattern ht tp://x/: Invalid scheme.' });
  t.throws(() => webRequest.onBeforeRequest({ urls: ['http://a*b.com/'] }, () => undefined), { message: 'Invalid url pattern http://a*b.com/: Invalid host wildcard.' });
  t.throws(() => webRequest.onBeforeRequest({ urls: ['example.com/'] }, () => undefined), { message: 'Invalid url pattern example.com/: Missing scheme separator.' });
});

test('onBeforeRequest - cancel fails the request with net::ERR_BLOCKED_BY_CLIENT; the filter picks the URLs', async (t) => {
  const ses = fresh();
  const win = await openWindow(t, ses);
  const errors: OnErrorOccurredDetails[] = [];
  ses.webRequest.onErrorOccurred((details) => errors.push(details));
  ses.webRequest.onBeforeRequest({ urls: [`${context.server.prefix}/filter/*`] }, (_details, callback) => callback({ cancel: true }));
  await t.throwsAsync(fetchText(win, `${context.server.prefix}/filter/test`), { message: /Failed to fetch/ });
  t.is(await fetchText(win, `${context.server.prefix}/nofilter/test`), '<!doctype html><title>/nofilter/test</title><p>/nofilter/test</p>');
  t.is(errors.length, 1);
  t.like(errors[0], { url: `${context.server.prefix}/filter/test`, error: 'net::ERR_BLOCKED_BY_CLIENT', resourceType: 'xhr' });
});

test('onBeforeRequest - types: xhr cancels the fetch, stylesheet lets it through', async (t) => {
  const ses = fresh();
  const win = await openWindow(t, ses);
  ses.webRequest.onBeforeRequest({ urls: ['<all_urls>'], types: ['stylesheet'] }, (_details, callback) => callback({ cancel: true }));
  t.truthy(await fetchText(win, `${context.server.prefix}/a`));
  ses.webRequest.onBeforeRequest({ urls: ['<all_urls>'], types: ['xhr'] }, (_details, callback) => callback({ cancel: true }));
  await t.throwsAsync(fetchText(win, `${context.server.prefix}/b`), { message: /Failed to fetch/ });
  ses.webRequest.onBeforeRequest(null);
  t.truthy(await fetchText(win, `${context.server.prefix}/c`));
});

test('onBeforeRequest - details of a fetch, and uploadData of a POST', async (t) => {
  const ses = fresh();
  const win = await openWindow(t, ses);
  const seen: OnBeforeRequestDetails[] = [];
  ses.webRequest.onBeforeRequest({ urls: [`${context.server.prefix}/get`, `${context.server.prefix}/post`] }, (details, callback) => {
    seen.push(details);
    callback({});
  });
  await fetchText(win, `${context.server.prefix}/get`);
  const echoed = await win.webContents.executeJavaScript(`fetch('/post', { method: 'POST', body: new URLSearchParams({ name: 'post test', type: 'string' }) }).then((r) => r.text())`);
  t.is(echoed, 'name=post+test&type=string');
  const [get, post] = seen;
  t.is(typeof get!.id, 'number');
  t.is(typeof get!.timestamp, 'number');
  t.like(get, { url: `${context.server.prefix}/get`, method: 'GET', resourceType: 'xhr', webContentsId: win.webContents.id, uploadData: undefined });
  t.is(get!.webContents, win.webContents);
  t.is(get!.referrer, `${context.server.prefix}/`);
  t.like(post, { method: 'POST', resourceType: 'xhr' });
  t.is(post!.uploadData!.length, 1);
  t.is(post!.uploadData![0]!.bytes.toString(), 'name=post+test&type=string');
});

test('onBeforeRequest - redirectURL is a 307 Internal Redirect', async (t) => {
  const ses = fresh();
  const win = await openWindow(t, ses);
  const redirects: Array<{ statusCode: number; statusLine: string; redirectURL: string; url: string }> = [];
  ses.webRequest.onBeforeRedirect((details) => redirects.push(details));
  ses.webRequest.onBeforeRequest({ urls: [`${context.server.prefix}/nowhere`] }, (_details, callback) => callback({ redirectURL: `${context.server.prefix}/redirect` }));
  t.regex(String(await fetchText(win, `${context.server.prefix}/nowhere`)), /<p>\/redirect<\/p>/);
  t.deepEqual(redirects.map((r) => [r.url, r.redirectURL, r.statusCode, r.statusLine]), [
    [`${context.server.prefix}/nowhere`, `${context.server.prefix}/redirect`, 307, 'HTTP/1.1 307 Internal Redirect'],
  ]);
});

test('onBeforeSendHeaders - requestHeaders replace the whole set; onSendHeaders sees them', async (t) => {
  const ses = fresh();
  const win = await openWindow(t, ses);
  const sent: OnSendHeadersDetails[] = [];
  ses.webRequest.onBeforeSendHeaders({ urls: [`${context.server.prefix}/headers`] }, (details, callback) => {
    t.is(details.requestHeaders['Foo.Bar'], 'baz');
    callback({ requestHeaders: { Test: 'header', 'Bad Name': 'dropped', Multi: ['a', 'b'] } });
  });
  ses.webRequest.onSendHeaders((details) => sent.push(details));
  const echoed = JSON.parse(String(await win.webContents.executeJavaScript(`fetch('/headers', { headers: { 'Foo.Bar': 'baz' } }).then((r) => r.text())`))) as Record<string, string>;
  t.is(echoed.test, 'header');
  t.false('foo.bar' in echoed);
  t.is(echoed.multi, 'a, b');
  const headersRequest = sent.find((d) => d.url.endsWith('/headers'));
  t.deepEqual(headersRequest?.requestHeaders, { Test: 'header', Multi: 'a, b' });
});

test('onHeadersReceived - sees Electron\'s status line and header arrays; new headers reach the page', async (t) => {
  const ses = fresh();
  const win = await openWindow(t, ses);
  ses.webRequest.onHeadersReceived({ urls: [`${context.server.prefix}/headers`] }, (details, callback) => {
    t.is(details.statusLine, 'HTTP/1.1 200 OK');
    t.is(details.statusCode, 200);
    t.deepEqual(details.responseHeaders.Custom, ['Header']);
    callback({ responseHeaders: { ...details.responseHeaders, Custom: ['Changed'] }, statusLine: 'HTTP/1.1 201 Created' });
  });
  const result = await win.webContents.executeJavaScript(`fetch('/headers').then((r) => [r.status, r.statusText, r.headers.get('custom')])`);
  t.deepEqual(result, [201, 'Created', 'Changed']);
});

test('onResponseStarted, onCompleted - status, fromCache and net::OK, without pausing', async (t) => {
  const ses = fresh();
  const completed: OnCompletedDetails[] = [];
  const started: string[] = [];
  ses.webRequest.onResponseStarted((details) => started.push(`${details.resourceType} ${details.statusCode} ${typeof details.fromCache}`));
  ses.webRequest.onCompleted((details) => completed.push(details));
  await openWindow(t, ses, '/styled');
  t.true(started.includes('mainFrame 200 boolean'));
  t.true(started.includes('stylesheet 200 boolean'));
  const page = completed.find((d) => d.resourceType === 'mainFrame');
  t.like(page, { url: `${context.server.prefix}/styled`, statusCode: 200, statusLine: 'HTTP/1.1 200 OK', error: 'net::OK', ip: '127.0.0.1' });
  t.deepEqual(page!.responseHeaders['Content-Type'] ?? page!.responseHeaders['content-type'], ['text/html; charset=utf-8']);
});

test('onBeforeRedirect - a server redirect, with the status the server sent', async (t) => {
  const ses = fresh();
  const win = await openWindow(t, ses);
  const redirects: Array<[string, string, number]> = [];
  ses.webRequest.onBeforeRedirect((d) => redirects.push([d.url, d.redirectURL, d.statusCode]));
  t.regex(String(await fetchText(win, '/moved')), /\/target/);
  t.deepEqual(redirects, [[`${context.server.prefix}/moved`, `${context.server.prefix}/target`, 301]]);
});
