import { chmodSync, existsSync, readFileSync, watch, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import test from 'ava';
import { app, session, type WebContents } from '../../src/index.js';
import { livePidsMatching } from '../helpers/processes.js';
import { freshDir, openWindow, serverAndApp, uniquePartition } from '../helpers/setup.js';

// The system's opener is a script that writes down what it was given. It is on the PATH before
// Chrome starts, so Chrome would find it too if it opened links itself.
const bin = freshDir('cs-opener-');
const opened = join(bin, 'opened.txt');
writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\necho "$1" >> ${opened}\n`);
chmodSync(join(bin, 'xdg-open'), 0o755);
process.env.PATH = `${bin}${delimiter}${process.env.PATH ?? ''}`;

const context = serverAndApp(test, (server) => {
  server.setPage('/links', `<a id="mail" href="mailto:someone@example.com">mail</a><a id="app" href="myapp://open/main">app</a>
    <iframe src="/frame"></iframe>`);
  server.setPage('/frame', '<a id="app" href="myapp://open/frame">app</a>');
});

/** The lines the opener was given, once `done(lines)` holds (10 s at most). */
function openedLines(done: (lines: string[]) => boolean): Promise<string[]> {
  const read = (): string[] => (existsSync(opened) ? readFileSync(opened, 'utf8').split('\n').filter(Boolean) : []);
  return new Promise((resolve, reject) => {
    const watcher = watch(bin, () => check());
    const timer = setTimeout(() => finish(new Error(`the opener got ${JSON.stringify(read())}`)), 10_000);
    const finish = (error?: Error): void => {
      watcher.close();
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(read());
    };
    const check = (): void => {
      if (done(read())) finish();
    };
    check();
  });
}

test('openExternal - links to other applications ask the request handler; granted ones go to the system opener, denied ones nowhere', async (t) => {
  const ses = session.fromPartition(uniquePartition('external'));
  const asked: Array<[WebContents | null, string, unknown]> = [];
  ses.setPermissionRequestHandler((webContents, permission, callback, details) => {
    asked.push([webContents, permission, details]);
    callback(!String((details as { externalURL?: string }).externalURL).startsWith('mailto:'));
  });
  const win = await openWindow(t, ses, `${context.server.prefix}/links`);
  // mailto: Chrome opens by itself with no prompt: denied here, it must reach no opener.
  await win.webContents.executeJavaScript(`document.getElementById('mail').click()`, true);
  await win.webContents.executeJavaScript(`document.getElementById('app').click()`, true);
  await win.webContents.executeJavaScript(`document.querySelector('iframe').contentDocument.getElementById('app').click()`, true);
  const lines = await openedLines((seen) => seen.length >= 2);
  t.deepEqual(lines.sort(), ['myapp://open/frame', 'myapp://open/main']);
  t.deepEqual(asked, [
    [win.webContents, 'openExternal', { externalURL: 'mailto:someone@example.com', requestingUrl: `${context.server.prefix}/links`, isMainFrame: true }],
    [win.webContents, 'openExternal', { externalURL: 'myapp://open/main', requestingUrl: `${context.server.prefix}/links`, isMainFrame: true }],
    [win.webContents, 'openExternal', { externalURL: 'myapp://open/frame', requestingUrl: `${context.server.prefix}/frame`, isMainFrame: false }],
  ]);
  // The page stays where it was.
  t.is(win.webContents.getURL(), `${context.server.prefix}/links`);
});

test('openExternal - Chrome itself cannot reach the system opener: the first xdg-open on its PATH opens nothing', async (t) => {
  await openWindow(t, session.fromPartition(uniquePartition('external')));
  // The browser process itself: its helpers (zygote, renderers: `--type=…`) may start with less of its environment.
  const pid = livePidsMatching(app.getPath('userData')).find((candidate) => !readFileSync(`/proc/${candidate}/cmdline`, 'utf8').includes('--type='));
  t.truthy(pid);
  const environment = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  const path = environment.find((entry) => entry.startsWith('PATH='))!.slice('PATH='.length).split(delimiter);
  const first = path.map((folder) => join(folder, 'xdg-open')).find((file) => existsSync(file));
  t.truthy(first);
  t.not(first, join(bin, 'xdg-open'));
  t.notRegex(readFileSync(first!, 'utf8'), /echo/);
});
