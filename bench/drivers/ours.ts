import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { app, session, BrowserWindow, type Session } from '../../src/index.js';
import { UNMATCHED, type Driver } from './driver.js';

/** chrome-session, through its public Electron-shaped API only. */
export class OursDriver implements Driver {
  readonly name = 'chrome-session';
  #count = 0;
  #reused!: Session;
  #cookies!: Session;
  #fifty!: BrowserWindow;
  #unmatched!: BrowserWindow;
  #cookieWatched!: BrowserWindow;
  #proxied: BrowserWindow | undefined;

  async start(): Promise<void> {
    app.setPath('userData', mkdtempSync(join(tmpdir(), 'bench-ours-')));
    await app.whenReady();
    this.#reused = session.fromPartition('bench-reused');
    this.#cookies = session.fromPartition('bench-cookies');
    this.#fifty = new BrowserWindow({ show: false, webPreferences: { partition: 'bench-fifty' } });
    // 3n: a listener set once, as an app would, whose filter none of the page's requests match.
    const unmatched = session.fromPartition('bench-unmatched');
    unmatched.webRequest.onBeforeRequest({ urls: [UNMATCHED] }, (_details, callback) => callback({}));
    this.#unmatched = new BrowserWindow({ show: false, webPreferences: { session: unmatched } });
    // 3c: someone listens to the session's cookie changes.
    const watched = session.fromPartition('bench-cookie-listener');
    watched.cookies.on('changed', () => undefined);
    this.#cookieWatched = new BrowserWindow({ show: false, webPreferences: { session: watched } });
  }

  async stop(): Promise<void> {
    await app.quit();
  }

  async newContextLoadClose(url: string): Promise<void> {
    const win = new BrowserWindow({ show: false, webPreferences: { partition: `bench-new-${++this.#count}` } });
    await win.loadURL(url);
    await win.webContents.close();
  }

  async reuseContextLoadClose(url: string): Promise<void> {
    const win = new BrowserWindow({ show: false, webPreferences: { session: this.#reused } });
    await win.loadURL(url);
    await win.webContents.close();
  }

  async cookies150(origin: string): Promise<void> {
    const cookies = this.#cookies.cookies;
    await Promise.all(Array.from({ length: 150 }, (_, i) => cookies.set({ url: origin, name: `c${i}`, value: `v${i}` })));
    const all = await cookies.get({});
    if (all.length !== 150) throw new Error(`expected 150 cookies, got ${all.length}`);
    await this.#cookies.clearStorageData({ storages: ['cookies'] });
  }

  async load50(url: string): Promise<void> {
    await this.#fifty.loadURL(url);
  }

  async load50Intercepted(url: string): Promise<void> {
    const { webRequest } = this.#fifty.webContents.session;
    webRequest.onBeforeRequest((_details, callback) => callback({}));
    try {
      await this.#fifty.loadURL(url);
    } finally {
      webRequest.onBeforeRequest(null);
    }
  }

  async load50CookieListener(url: string): Promise<void> {
    await this.#cookieWatched.loadURL(url);
  }

  async load50Unmatched(url: string): Promise<void> {
    await this.#unmatched.loadURL(url);
  }

  async load50Proxied(url: string, proxy: string): Promise<void> {
    if (!this.#proxied) {
      // As an app would: a session whose window is open already, then a proxy set on it.
      this.#proxied = new BrowserWindow({ show: false, webPreferences: { partition: 'bench-proxied' } });
      await this.#proxied.loadURL('about:blank');
      await this.#proxied.webContents.session.setProxy({ proxyRules: proxy });
    }
    await this.#proxied.loadURL(url);
  }

  async throughput(contexts: number, urls: string[]): Promise<void> {
    const batch = ++this.#count;
    await Promise.all(
      Array.from({ length: contexts }, async (_, c) => {
        const win = new BrowserWindow({ show: false, webPreferences: { partition: `bench-tp-${batch}-${c}` } });
        for (const url of urls) await win.loadURL(url);
        await win.webContents.close();
      }),
    );
  }
}
