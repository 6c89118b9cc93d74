import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { session, type DownloadItem, type Session, type WebContents } from '../../src/index.js';
import { freshDir, openWindow, serverAndApp, uniquePartition } from '../helpers/setup.js';
import { freePort } from '../helpers/webdriver-servers.js';

const PDF = Buffer.alloc(256 * 1024, 7);
const BIG = Buffer.alloc(50 * 1024 * 1024);
for (let i = 0; i < BIG.length; i++) BIG[i] = (i * 7) % 256;

const context = serverAndApp(test, (server) => {
  const serve = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): void => {
    if (req.headers.authorization === 'Basic wrong') {
      res.writeHead(401, { 'content-type': 'text/plain' });
      res.end('no');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/pdf', 'content-disposition': 'attachment; filename="mock.pdf"', 'content-length': PDF.length });
    res.end(PDF);
  };
  server.setRoute('/mock.pdf', serve);
  // Tests of one file run at once: this path is asked for by one test only.
  server.setRoute('/with-headers.pdf', serve);
  server.setPage('/links', '<a id="get" href="/mock.pdf">get</a>');
  server.setPage('/page.html', '<title>not a download by itself</title>');
  server.setRoute('/big.bin', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': BIG.length });
    res.end(BIG);
  });
  // A chain of redirects to a typed attachment; and to plain text (not an attachment by itself).
  server.setRoute('/hop-1', (_req, res) => void res.writeHead(302, { location: '/hop-2' }).end());
  server.setRoute('/hop-2', (_req, res) => void res.writeHead(307, { location: '/typed' }).end());
  server.setRoute('/typed', (_req, res) => {
    res.writeHead(200, {
      'content-type': 'application/x-report; charset=utf-8',
      'content-disposition': 'attachment; filename="report.dat"',
      etag: '"v1"',
      'last-modified': 'Tue, 01 Dec 2026 10:00:00 GMT',
    });
    res.end('report');
  });
  server.setRoute('/to-text', (_req, res) => void res.writeHead(302, { location: '/text.txt' }).end());
  server.setPage('/text.txt', 'just text', { 'content-type': 'text/plain' });
  server.setPage('/frame-links', '<a id="get" href="/hop-1">get</a><script>if (location.search) document.getElementById("get").click()</script>');
  server.setPage('/framed', '<iframe src="/frame-links"></iframe>');
  // Each with bytes of its own, for several downloads at once.
  for (let i = 0; i < 5; i++) {
    server.setRoute(`/multi-${i}.bin`, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-disposition': `attachment; filename="multi-${i}.bin"` });
      res.end(Buffer.alloc(64 * 1024, i + 1));
    });
  }
  server.setRoute('/drop.bin', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': PDF.length * 4 });
    res.write(PDF, () => setImmediate(() => res.destroy()));
  });
});

const fresh = (): Session => session.fromPartition(uniquePartition('downloads'));

/** The next 'will-download' of `ses`, handled by `handle` (which may set a save path or cancel). */
function nextDownload(ses: Session, handle: (item: DownloadItem, event: { preventDefault(): void }) => void = () => undefined) {
  return new Promise<{ item: DownloadItem; webContents: WebContents | null; state: string }>((resolve) => {
    ses.once('will-download', (event, item, webContents) => {
      handle(item, event);
      item.once('done', (_event, state) => resolve({ item, webContents, state }));
    });
  });
}

test('ses.downloadURL() - will-download, the save path, and the item fields after completion', async (t) => {
  const ses = fresh();
  const savePath = join(freshDir('cs-dl-'), 'nested', 'saved.pdf');
  const before = Date.now() / 1000;
  const done = nextDownload(ses, (item) => {
    item.setSavePath(savePath);
    item.setSaveDialogOptions({ title: 'Save the report', defaultPath: savePath });
  });
  ses.downloadURL(`${context.server.prefix}/mock.pdf`);
  const { item, webContents, state } = await done;
  // Kept as given (no dialog is shown headless).
  t.deepEqual(item.getSaveDialogOptions(), { title: 'Save the report', defaultPath: savePath });
  t.is(state, 'completed');
  t.is(webContents, null);
  t.is(item.getState(), 'completed');
  t.is(item.savePath, savePath);
  t.deepEqual(readFileSync(savePath), PDF);
  t.is(item.getFilename(), 'mock.pdf');
  t.is(item.getMimeType(), 'application/pdf');
  t.is(item.getContentDisposition(), 'attachment; filename="mock.pdf"');
  t.is(item.getURL(), `${context.server.prefix}/mock.pdf`);
  t.deepEqual(item.getURLChain(), [`${context.server.prefix}/mock.pdf`]);
  t.is(item.getReceivedBytes(), PDF.length);
  t.is(item.getTotalBytes(), PDF.length);
  t.is(item.getPercentComplete(), 100);
  t.is(item.getCurrentBytesPerSecond(), 0);
  t.true(item.getStartTime() >= Math.floor(before));
  t.true(item.getEndTime() >= item.getStartTime());
});

test('a link in a page - will-download names its WebContents; unique names in the download folder', async (t) => {
  const ses = fresh();
  const folder = freshDir('cs-dl-');
  ses.setDownloadPath(folder);
  const win = await openWindow(t, ses, `${context.server.prefix}/links`);
  for (const expected of ['mock.pdf', 'mock (1).pdf']) {
    const done = nextDownload(ses);
    await win.webContents.executeJavaScript(`document.getElementById('get').click()`, true);
    const { item, webContents, state } = await done;
    t.is(state, 'completed');
    t.is(webContents, win.webContents);
    t.true(item.hasUserGesture());
    t.is(item.savePath, join(folder, expected));
  }
  t.deepEqual(readdirSync(folder).sort(), ['mock (1).pdf', 'mock.pdf']);
});

test('will-download - preventDefault cancels; the item is destroyed from the next tick; cancel() ends as cancelled', async (t) => {
  const ses = fresh();
  const folder = freshDir('cs-dl-');
  ses.setDownloadPath(folder);
  const prevented = new Promise<DownloadItem>((resolve) =>
    ses.once('will-download', (event, item) => {
      event.preventDefault();
      t.is(item.getFilename(), 'mock.pdf');
      resolve(item);
    }),
  );
  ses.downloadURL(`${context.server.prefix}/mock.pdf`);
  const item = await prevented;
  await new Promise((resolve) => setImmediate(resolve));
  t.throws(() => item.getURL(), { message: 'DownloadItem used after being destroyed' });
  t.notThrows(() => item.getSavePath());

  const cancelled = nextDownload(ses, (next) => next.cancel());
  ses.downloadURL(`${context.server.prefix}/mock.pdf`);
  const { item: second, state } = await cancelled;
  t.is(state, 'cancelled');
  t.is(second.getState(), 'cancelled');
  t.deepEqual(readdirSync(folder), []);
});

test('downloadURL() - headers reach the server; a refused download ends interrupted', async (t) => {
  const ses = fresh();
  ses.setDownloadPath(freshDir('cs-dl-'));
  const request = context.server.waitForRequest('/with-headers.pdf');
  const done = nextDownload(ses);
  ses.downloadURL(`${context.server.prefix}/with-headers.pdf`, { headers: { 'X-Custom': 'yes' } });
  t.is((await request).headers['x-custom'], 'yes');
  t.is((await done).state, 'completed');
  t.throws(() => ses.downloadURL(`${context.server.prefix}/mock.pdf`, { headers: 'nope' as never }), {
    instanceOf: TypeError,
    message: 'Invalid value for headers - must be an object',
  });
  const win = await openWindow(t, ses);
  const refused = nextDownload(ses);
  win.webContents.downloadURL(`${context.server.prefix}/mock.pdf`, { headers: { Authorization: 'Basic wrong' } });
  const { state, webContents, item } = await refused;
  t.is(state, 'interrupted');
  t.is(webContents, win.webContents);
  t.is(item.getReceivedBytes(), 0);
  t.false(existsSync(item.getSavePath() || join('/nonexistent', 'x')));

  const html = nextDownload(ses);
  ses.downloadURL(`${context.server.prefix}/page.html`);
  const saved = await html;
  t.is(saved.state, 'completed');
  t.is(saved.item.getMimeType(), 'text/html');
  t.regex(readFileSync(saved.item.savePath, 'utf8'), /not a download by itself/);
});

test('downloadURL() - a host that cannot be reached: will-download, then done as interrupted with nothing received', async (t) => {
  const ses = fresh();
  ses.setDownloadPath(freshDir('cs-dl-'));
  // Nothing listens there: the connection is refused.
  const url = `http://127.0.0.1:${await freePort()}/nothing.bin`;
  const done = nextDownload(ses);
  ses.downloadURL(url);
  const { state, item, webContents } = await done;
  t.is(state, 'interrupted');
  t.is(item.getURL(), url);
  t.is(item.getReceivedBytes(), 0);
  t.is(webContents, null);
});

test('a 50 MB download arrives whole; a dropped connection ends interrupted with the bytes received', async (t) => {
  const ses = fresh();
  const folder = freshDir('cs-dl-');
  ses.setDownloadPath(folder);
  const big = nextDownload(ses);
  ses.downloadURL(`${context.server.prefix}/big.bin`);
  const { item, state } = await big;
  t.is(state, 'completed');
  t.is(item.getReceivedBytes(), BIG.length);
  t.true(readFileSync(item.savePath).equals(BIG));

  const dropped = nextDownload(ses);
  ses.downloadURL(`${context.server.prefix}/drop.bin`);
  const cut = await dropped;
  t.is(cut.state, 'interrupted');
  t.true(cut.item.getReceivedBytes() < PDF.length * 4);
  t.false(readdirSync(folder).includes('drop.bin'));
});

test('a page download through redirects - the whole URL chain, and the type, ETag, dates and disposition', async (t) => {
  const ses = fresh();
  ses.setDownloadPath(freshDir('cs-dl-'));
  const win = await openWindow(t, ses, `${context.server.prefix}/frame-links`);
  const done = nextDownload(ses);
  await win.webContents.executeJavaScript(`document.getElementById('get').click()`, true);
  const { item, state } = await done;
  t.is(state, 'completed');
  t.deepEqual(item.getURLChain(), ['/hop-1', '/hop-2', '/typed'].map((path) => `${context.server.prefix}${path}`));
  t.is(item.getURL(), `${context.server.prefix}/typed`);
  t.is(item.getFilename(), 'report.dat');
  t.is(item.getMimeType(), 'application/x-report');
  t.is(item.getETag(), '"v1"');
  t.is(item.getLastModifiedTime(), 'Tue, 01 Dec 2026 10:00:00 GMT');
  t.is(item.getContentDisposition(), 'attachment; filename="report.dat"');
  t.is(readFileSync(item.savePath, 'utf8'), 'report');

  // downloadURL() follows redirects too: the last response is saved, even one that is no attachment.
  const text = nextDownload(ses);
  ses.downloadURL(`${context.server.prefix}/to-text`);
  const followed = await text;
  t.is(followed.state, 'completed');
  t.deepEqual(followed.item.getURLChain(), [`${context.server.prefix}/to-text`, `${context.server.prefix}/text.txt`]);
  t.is(followed.item.getMimeType(), 'text/plain');
  t.is(readFileSync(followed.item.savePath, 'utf8'), 'just text');
});

test('downloads started in frames - a same-origin and a cross-site frame - name the window', async (t) => {
  const ses = fresh();
  const folder = freshDir('cs-dl-');
  ses.setDownloadPath(folder);
  const win = await openWindow(t, ses, `${context.server.prefix}/framed`);
  const same = nextDownload(ses);
  await win.webContents.executeJavaScript(`document.querySelector('iframe').contentDocument.getElementById('get').click()`, true);
  const inFrame = await same;
  t.is(inFrame.state, 'completed');
  t.is(inFrame.webContents, win.webContents);
  t.is(inFrame.item.getMimeType(), 'application/x-report');
  t.is(inFrame.item.getURLChain().length, 3);

  // The cross-site frame (its own process and target) clicks its link itself.
  const cross = nextDownload(ses);
  await win.webContents.executeJavaScript(
    `{ const frame = document.createElement('iframe'); frame.src = ${JSON.stringify(`${context.server.crossOrigin}/frame-links?click`)}; document.body.append(frame); }`,
  );
  const inCross = await cross;
  t.is(inCross.state, 'completed');
  t.is(inCross.webContents, win.webContents);
  t.is(inCross.item.getURL(), `${context.server.crossOrigin}/typed`);
  t.deepEqual(readdirSync(folder).sort(), ['report (1).dat', 'report.dat']);
});

test('downloadURL() - five at once from one origin: each its own download, each file whole and its own', async (t) => {
  t.timeout(30_000, 'every download ends');
  const { server } = context;
  const ses = fresh();
  const dir = freshDir('cs-dl-multi-');
  const urls = Array.from({ length: 5 }, (_, i) => `${server.prefix}/multi-${i}.bin`);
  const ended = new Promise<Array<[string, string, string]>>((resolve) => {
    const results: Array<[string, string, string]> = [];
    ses.on('will-download', (_event, item) => {
      const path = join(dir, `${results.length}-${item.getFilename()}`);
      item.setSavePath(path);
      item.once('done', (_done, state) => {
        results.push([item.getURL(), state, path]);
        if (results.length === urls.length) resolve(results);
      });
    });
  });
  // Before the fix, each began on the same page, and each navigation cancelled the one before it.
  for (const url of urls) ses.downloadURL(url);
  const results = await ended;
  t.deepEqual(results.map(([url]) => url).sort(), urls);
  for (const [url, state, path] of results) {
    t.is(state, 'completed', url);
    const i = Number(/multi-(\d)/.exec(url)![1]);
    t.true(readFileSync(path).equals(Buffer.alloc(64 * 1024, i + 1)), `${url} saved whole`);
  }
});
