import test from 'ava';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { netLog, session } from '../../src/index.js';
import { freshDir, openWindow, serverAndApp, uniquePartition } from '../helpers/setup.js';

const secret = randomUUID();
const context = serverAndApp(test, (server) => {
  server.setPage('/logged', `<title>logged</title><img src="/pixel.gif">`);
  server.setRoute('/pixel.gif', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
    res.end(`body ${secret}`);
  });
});

interface Har {
  log: { creator: { name: string }; entries: Array<{ request: { url: string; headers: Array<{ name: string; value: string }> }; response: { status: number; content: { text?: string } } }> };
}
const readHar = (path: string): Har => JSON.parse(readFileSync(path, 'utf8')) as Har;
const cookieOf = (har: Har, url: string): string | undefined =>
  har.log.entries.find((entry) => entry.request.url === url)?.request.headers.find((header) => header.name.toLowerCase() === 'cookie')?.value;

test('netLog - a HAR of the session\'s requests, pages and subresources; cookies stripped by default, kept with includeSensitive, bodies with everything', async (t) => {
  const dir = freshDir('cs-netlog-');
  const ses = session.fromPartition(uniquePartition('netlog'));
  const other = session.fromPartition(uniquePartition('netlog'));
  await ses.cookies.set({ url: context.server.prefix, name: 'foo', value: secret });
  const win = await openWindow(t, ses);
  const elsewhere = await openWindow(t, other);
  const logged = async (mode: 'default' | 'includeSensitive' | 'everything'): Promise<Har> => {
    const path = join(dir, `${mode}.har`);
    await ses.netLog.startLogging(path, { captureMode: mode });
    t.true(ses.netLog.currentlyLogging);
    await win.loadURL(`${context.server.prefix}/logged?${mode}`);
    await win.webContents.executeJavaScript("fetch('/pixel.gif').then((r) => r.text())");
    await elsewhere.loadURL(`${context.server.prefix}/elsewhere`);
    await ses.netLog.stopLogging();
    t.false(ses.netLog.currentlyLogging);
    return readHar(path);
  };
  const plain = await logged('default');
  const page = `${context.server.prefix}/logged?default`;
  t.is(plain.log.creator.name, 'chrome-session');
  t.true(plain.log.entries.some((entry) => entry.request.url === page && entry.response.status === 200));
  t.true(plain.log.entries.some((entry) => entry.request.url === `${context.server.prefix}/pixel.gif`));
  t.false(plain.log.entries.some((entry) => entry.request.url.endsWith('/elsewhere')), 'another session\'s request');
  t.false(JSON.stringify(plain).includes(secret), 'the cookie value is stripped');

  const sensitive = await logged('includeSensitive');
  t.is(cookieOf(sensitive, `${context.server.prefix}/logged?includeSensitive`), `foo=${secret}`);
  t.false(sensitive.log.entries.some((entry) => entry.response.content.text?.includes(secret)));

  const everything = await logged('everything');
  t.true(everything.log.entries.some((entry) => entry.response.content.text === `body ${secret}`));
});

test('netLog - Electron\'s errors; the netLog module is the default session\'s', async (t) => {
  const dir = freshDir('cs-netlog-');
  const ses = session.fromPartition(uniquePartition('netlog'));
  t.throws(() => ses.netLog.startLogging(''), { instanceOf: TypeError, message: 'The first parameter must be a valid string' });
  t.throws(() => ses.netLog.startLogging(join(dir, 'a'), { captureMode: 'all' as 'default' }), { instanceOf: TypeError, message: 'Invalid value for captureMode' });
  t.throws(() => ses.netLog.startLogging(join(dir, 'a'), { maxFileSize: '1' as unknown as number }), { instanceOf: TypeError, message: 'Invalid value for maxFileSize' });
  await t.throwsAsync(ses.netLog.stopLogging(), { message: 'No net log in progress' });
  await t.throwsAsync(ses.netLog.startLogging(join(dir, 'missing', 'log.har')), { message: /ENOENT/ });
  t.false(ses.netLog.currentlyLogging);
  await ses.netLog.startLogging(join(dir, 'b.har'));
  t.throws(() => ses.netLog.startLogging(join(dir, 'c.har')), { instanceOf: Error, message: 'There is already a net log running' });
  await ses.netLog.stopLogging();

  const path = join(dir, 'default.har');
  await netLog.startLogging(path);
  t.true(session.defaultSession.netLog.currentlyLogging);
  const win = await openWindow(t, session.defaultSession, `${context.server.prefix}/default-session`);
  t.is(win.webContents.getTitle(), '/default-session');
  await netLog.stopLogging();
  t.false(netLog.currentlyLogging);
  t.true(readHar(path).log.entries.some((entry) => entry.request.url === `${context.server.prefix}/default-session`));
});
