/** What the CI examples share: a one-page local site, a fresh userData folder, the ready app, and the page's status line. */
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { app, type BrowserWindow } from '../src/index.js';

/** Serves `page` on 127.0.0.1 (any path), points userData at a fresh `<name>-` folder and readies the app. */
export async function startExample(name: string, page: string): Promise<{ port: number; stop: () => Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  app.setPath('userData', mkdtempSync(join(tmpdir(), `${name}-`)));
  await app.whenReady();
  const stop = async (): Promise<void> => {
    await app.quit();
    server.close();
  };
  return { port: (server.address() as AddressInfo).port, stop };
}

/** The text of the page's `#status` once it is no longer `initial`. */
export async function statusOf(win: BrowserWindow, initial: string): Promise<string> {
  const status = await win.webContents.executeJavaScript(`new Promise((resolve) => {
    const status = document.getElementById('status');
    if (status.textContent !== ${JSON.stringify(initial)}) return resolve(status.textContent);
    new MutationObserver(() => resolve(status.textContent)).observe(status, { childList: true });
  })`);
  return String(status);
}
