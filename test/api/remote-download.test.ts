import test, { type ExecutionContext } from 'ava';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { app, BrowserWindow, session, type DownloadItem } from '../../src/index.js';
import { startOwnChrome } from '../helpers/chrome-process.js';
import { TestServer } from '../helpers/server.js';
import { freshDir } from '../helpers/setup.js';

/**
 * A Chrome on a disk that is not ours: started in a mount namespace of its
 * own with a fresh tmpfs over /tmp (its profile and downloads live there),
 * as a container's Chrome would be. Resolves with its DevTools endpoint.
 */
function startIsolatedChrome(t: ExecutionContext, profile: string): Promise<string> {
  const isolated = (argv: string[]): string[] => ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs tmpfs /tmp && exec "$@"', 'sh', ...argv];
  return startOwnChrome(t, profile, undefined, [], isolated);
}

const BYTES = Buffer.alloc(3 * 1024 * 1024 + 17);
for (let i = 0; i < BYTES.length; i++) BYTES[i] = (i * 31 + (i >> 9)) % 256;
const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

test('remote browsers - a download from a browser whose disk is not ours arrives on the local disk, its bytes over CDP', async (t) => {
  const site = await TestServer.start();
  t.teardown(() => site.stop());
  site.setRoute('/report.bin', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-disposition': 'attachment; filename="report.bin"', 'content-length': BYTES.length });
    res.end(BYTES);
  });
  site.setPage('/links', '<a id="get" href="/report.bin">get</a>');
  const profile = `/tmp/cs-isolated-${process.pid}-${Date.now()}`;
  app.setBrowserEndpoints([await startIsolatedChrome(t, profile)]);
  app.setPath('userData', freshDir('cs-remote-dl-app-'));
  await app.whenReady();
  // The browser's profile is on its own /tmp: not on this process's disk.
  t.false(existsSync(profile));

  const ses = session.fromPartition('remote-downloads');
  const folder = freshDir('cs-remote-dl-');
  ses.setDownloadPath(folder);
  const done = (): Promise<{ item: DownloadItem; state: string }> =>
    new Promise((resolve) => ses.once('will-download', (_event, item) => item.once('done', (_e, state) => resolve({ item, state }))));

  // Started by the session.
  const first = done();
  ses.downloadURL(`${site.prefix}/report.bin`);
  const { item, state } = await first;
  t.is(state, 'completed');
  t.is(item.getSavePath(), join(folder, 'report.bin'));
  t.is(item.getReceivedBytes(), BYTES.length);
  t.is(sha(readFileSync(item.getSavePath())), sha(BYTES));

  // Started by a page's link.
  const win = new BrowserWindow({ show: false, webPreferences: { session: ses } });
  await win.loadURL(`${site.prefix}/links`);
  const second = done();
  await win.webContents.executeJavaScript("document.getElementById('get').click()");
  const clicked = await second;
  t.is(clicked.state, 'completed');
  t.is(clicked.item.getSavePath(), join(folder, 'report (1).bin'));
  t.is(sha(readFileSync(clicked.item.getSavePath())), sha(BYTES));
  t.deepEqual(readdirSync(folder).sort(), ['report (1).bin', 'report.bin']);
  await app.quit();
});
