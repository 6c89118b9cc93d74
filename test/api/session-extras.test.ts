import test from 'ava';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { session } from '../../src/index.js';
import { freshDir, openWindow, serverAndApp, uniquePartition } from '../helpers/setup.js';

const context = serverAndApp(test, (server) => {
  server.setPage('/page', '<title>blobs</title>');
  // A hint in the document, and one a script adds later (anonymous: no credentials).
  server.setPage('/hints', `<link rel="preconnect" href="http://localhost:9/some/path"><title>hints</title>
    <script>setTimeout(() => { const l = document.createElement('link'); l.rel = 'preconnect'; l.crossOrigin = 'anonymous'; l.href = 'https://127.0.0.2:8443/x'; document.head.append(l); }, 10);</script>`);
});

test('preconnect() - Chrome opens a socket to the origin from the session, and sends nothing on it; Electron\'s errors', async (t) => {
  const ses = session.fromPartition(uniquePartition('preconnect'));
  t.throws(() => ses.preconnect({} as never), { instanceOf: TypeError, message: 'Must pass non-empty valid url to session.preconnect.' });
  t.throws(() => ses.preconnect({ url: 'not a url' }), { instanceOf: TypeError, message: 'Must pass non-empty valid url to session.preconnect.' });
  t.throws(() => ses.preconnect({ url: 'http://127.0.0.1/', numSockets: 7 }), { instanceOf: TypeError, message: 'numSocketsToPreconnect is outside range [1,6]' });
  t.throws(() => ses.preconnect({ url: 'http://127.0.0.1/', numSockets: 0 }), { instanceOf: TypeError, message: 'numSocketsToPreconnect is outside range [1,6]' });
  // A server that only counts connections: a preconnect sends no request.
  let connections = 0;
  let requests = 0;
  const sockets = new Set<import('node:net').Socket>();
  const waiters: Array<() => void> = [];
  const server = http.createServer((_req, res) => void (requests++, res.end()));
  server.on('connection', (socket) => {
    connections++;
    sockets.add(socket);
    waiters.splice(0).forEach((wake) => wake());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => (sockets.forEach((s) => s.destroy()), server.close(() => resolve()))));
  const until = (count: number): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const check = (): void => (connections >= count ? resolve() : void waiters.push(check));
      check();
      setTimeout(() => reject(new Error(`${connections} connections, wanted ${count}`)), 10_000).unref();
    });
  const url = `http://localhost:${(server.address() as AddressInfo).port}/`;
  ses.preconnect({ url, numSockets: 2 });
  await until(1);
  t.is(requests, 0);
});

test("'preconnect' - each preconnect hint of the session's pages, with its origin and credentials mode; unseen by the page", async (t) => {
  const ses = session.fromPartition(uniquePartition('hints'));
  const hints: Array<[string, boolean]> = [];
  const two = new Promise<void>((resolve) =>
    ses.on('preconnect', (_event, url, allowCredentials) => {
      hints.push([url, allowCredentials]);
      if (hints.length === 2) resolve();
    }),
  );
  const win = await openWindow(t, ses, `${context.server.prefix}/hints`);
  await two;
  t.deepEqual(hints, [['http://localhost:9/', true], ['https://127.0.0.2:8443/', false]]);
  t.is(await win.webContents.executeJavaScript("typeof window.__chromeSessionPreconnect"), 'undefined');
});

test('getBlobData() - the bytes of a page\'s blob by its blob: URL (65 537 bytes); unknown ones reject with Electron\'s message', async (t) => {
  const ses = session.fromPartition(uniquePartition('blobs'));
  const win = await openWindow(t, ses, `${context.server.prefix}/page`);
  const url = (await win.webContents.executeJavaScript(`(() => {
    const bytes = new Uint8Array(65537); for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 13) % 251;
    return URL.createObjectURL(new Blob([bytes]));
  })()`)) as string;
  const data = await ses.getBlobData(url);
  t.is(data.length, 65537);
  t.true(data.every((byte, i) => byte === (i * 13) % 251));
  // Another session cannot read it: blob URLs are the session's own.
  await t.throwsAsync(session.fromPartition(uniquePartition('blobs')).getBlobData(url), { message: 'Could not get blob data handle' });
  await t.throwsAsync(ses.getBlobData('00000000-0000-0000-0000-000000000000'), { message: 'Could not get blob data handle' });
});

test('spell checker - settings with Electron\'s checks; the custom dictionary is the profile\'s file, false on in-memory sessions', async (t) => {
  const memory = session.fromPartition(uniquePartition('spell'));
  t.true(memory.isSpellCheckerEnabled());
  memory.spellCheckerEnabled = false;
  t.false(memory.isSpellCheckerEnabled());
  memory.setSpellCheckerEnabled(true);
  t.true(memory.spellCheckerEnabled);
  t.true(memory.availableSpellCheckerLanguages.includes('en-US'));
  t.throws(() => memory.setSpellCheckerLanguages(['xx']), { message: 'Invalid language code provided: "xx" is not a valid language code' });
  memory.setSpellCheckerLanguages(['en-GB', 'de']);
  t.deepEqual(memory.getSpellCheckerLanguages(), ['en-GB', 'de']);
  t.throws(() => memory.setSpellCheckerDictionaryDownloadURL('bad'), { message: 'The URL you provided to setSpellCheckerDictionaryDownloadURL is not a valid URL' });
  t.false(memory.addWordToSpellCheckerDictionary('foobar'));
  t.deepEqual(await memory.listWordsInSpellCheckerDictionary(), []);

  const persistent = session.fromPartition(`persist:${uniquePartition('spell')}`);
  t.true(persistent.addWordToSpellCheckerDictionary('chromesession'));
  t.true(persistent.addWordToSpellCheckerDictionary('foobar'));
  t.false(persistent.addWordToSpellCheckerDictionary('foobar'), 'already there');
  t.deepEqual(await persistent.listWordsInSpellCheckerDictionary(), ['chromesession', 'foobar']);
  t.true(persistent.removeWordFromSpellCheckerDictionary('foobar'));
  t.false(persistent.removeWordFromSpellCheckerDictionary('foobar'));
  t.is(readFileSync(join(persistent.storagePath!, 'Default', 'Custom Dictionary.txt'), 'utf8'), 'chromesession\n');
});

test('code cache and shared dictionaries - Electron\'s checks, then an honest rejection (CDP has neither)', async (t) => {
  const ses = session.fromPartition(uniquePartition('caches'));
  t.throws(() => ses.setCodeCachePath('../fixtures'), { instanceOf: TypeError, message: 'Absolute path must be provided to store code cache.' });
  t.throws(() => ses.setCodeCachePath(''), { instanceOf: TypeError, message: 'Absolute path must be provided to store code cache.' });
  const folder = join(freshDir('cs-code-cache-'), 'nested');
  t.notThrows(() => ses.setCodeCachePath(folder));
  t.true(existsSync(folder));
  await t.throwsAsync(ses.clearCodeCaches({}), { message: /^clearCodeCaches\(\) is not supported by chrome-session/ });
  await t.throwsAsync(ses.getSharedDictionaryInfo({} as never), { message: 'Must provide frameOrigin and topFrameSite strings' });
  await t.throwsAsync(ses.getSharedDictionaryInfo({ frameOrigin: 'nope', topFrameSite: 'https://a.test' }), { message: 'Invalid URLs provided for frameOrigin or topFrameSite' });
  await t.throwsAsync(ses.clearSharedDictionaryCacheForIsolationKey({} as never), {
    message: 'Must provide frameOrigin and topFrameSite strings to clearSharedDictionaryCacheForIsolationKey',
  });
  await t.throwsAsync(ses.getSharedDictionaryUsageInfo(), { message: /not supported by chrome-session/ });
  await t.throwsAsync(ses.clearSharedDictionaryCache(), { message: /not supported by chrome-session/ });
});

test('setSSLConfig, allowNTLMCredentialsForDomains, clearAuthCache - Electron\'s checks, then honest results', async (t) => {
  const ses = session.fromPartition(uniquePartition('network-config'));
  const conversion = { instanceOf: TypeError, message: /^Error processing argument at index 0, conversion failure/ };
  t.throws(() => ses.setSSLConfig({ minVersion: 'tls1' }), conversion);
  t.throws(() => ses.setSSLConfig({ maxVersion: 'tls1.1' as never }), conversion);
  t.throws(() => ses.setSSLConfig({ disabledCipherSuites: ['0x009C' as never] }), conversion);
  t.throws(() => ses.setSSLConfig(null as never), conversion);
  const warnings: string[] = [];
  let sawWarning: () => void = () => undefined;
  const warned = new Promise<void>((resolve) => (sawWarning = resolve));
  const onWarning = (warning: Error): void => {
    warnings.push(warning.message);
    if (warning.message.startsWith('session.setSSLConfig()')) sawWarning();
  };
  process.on('warning', onWarning);
  t.teardown(() => process.off('warning', onWarning));
  t.notThrows(() => ses.setSSLConfig({ minVersion: 'tls1.2', maxVersion: 'tls1.3', disabledCipherSuites: [0x009c] }));
  t.notThrows(() => ses.setSSLConfig({ minVersion: 'tls1.3' }));
  await warned;
  // Warnings are emitted on the next tick: a second one would have come by now.
  await new Promise((resolve) => setImmediate(resolve));
  t.deepEqual(warnings.filter((message) => message.startsWith('session.setSSLConfig()')).length, 1, 'warned once');
  t.throws(() => ses.allowNTLMCredentialsForDomains(1 as never), conversion);
  t.notThrows(() => ses.allowNTLMCredentialsForDomains('*.example.com,intranet'));
  await t.throwsAsync(ses.clearAuthCache(), { message: /^clearAuthCache\(\) is not supported by chrome-session/ });
  const called = await new Promise<unknown>((resolve) => (ses.clearAuthCache as (options: object, callback: (error?: Error) => void) => void)({}, resolve));
  t.regex(String(called), /clearAuthCache\(\) is not supported/);
});
