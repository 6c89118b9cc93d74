import puppeteer, { type Browser, type BrowserContext, type Page } from 'puppeteer-core';
import { findChrome } from '../../launcher/index.js';
import { CLOSED_NETWORK_ARGS, type Driver } from './driver.js';

/** puppeteer-core on the same Chromium binary, its own browser, its default switches plus the closed-network ones. */
export class PuppeteerDriver implements Driver {
  readonly name = 'Puppeteer';
  #browser!: Browser;
  #reused!: BrowserContext;
  #cookies!: BrowserContext;
  #fifty!: Page;
  #proxied: Page | undefined;

  async start(): Promise<void> {
    this.#browser = await puppeteer.launch({ executablePath: findChrome(), headless: true, pipe: true, args: CLOSED_NETWORK_ARGS });
    this.#reused = await this.#browser.createBrowserContext();
    this.#cookies = await this.#browser.createBrowserContext();
    this.#fifty = await (await this.#browser.createBrowserContext()).newPage();
  }

  async stop(): Promise<void> {
    await this.#browser.close();
  }

  async newContextLoadClose(url: string): Promise<void> {
    const context = await this.#browser.createBrowserContext();
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'load' });
    await page.close();
    await context.close();
  }

  async reuseContextLoadClose(url: string): Promise<void> {
    const page = await this.#reused.newPage();
    await page.goto(url, { waitUntil: 'load' });
    await page.close();
  }

  async cookies150(origin: string): Promise<void> {
    const domain = new URL(origin).hostname;
    await Promise.all(Array.from({ length: 150 }, (_, i) => this.#cookies.setCookie({ name: `c${i}`, value: `v${i}`, domain, path: '/' })));
    const all = await this.#cookies.cookies();
    if (all.length !== 150) throw new Error(`expected 150 cookies, got ${all.length}`);
    await this.#cookies.deleteCookie(...all);
  }

  async load50(url: string): Promise<void> {
    await this.#fifty.goto(url, { waitUntil: 'load' });
  }

  async load50Intercepted(url: string): Promise<void> {
    const page = this.#fifty;
    const onRequest = (request: import('puppeteer-core').HTTPRequest) => void request.continue();
    await page.setRequestInterception(true);
    page.on('request', onRequest);
    try {
      await page.goto(url, { waitUntil: 'load' });
    } finally {
      page.off('request', onRequest);
      await page.setRequestInterception(false);
    }
  }

  async load50Proxied(url: string, proxy: string): Promise<void> {
    this.#proxied ??= await (await this.#browser.createBrowserContext({ proxyServer: `http://${proxy}` })).newPage();
    await this.#proxied.goto(url, { waitUntil: 'load' });
  }

  async throughput(contexts: number, urls: string[]): Promise<void> {
    await Promise.all(
      Array.from({ length: contexts }, async () => {
        const context = await this.#browser.createBrowserContext();
        const page = await context.newPage();
        for (const url of urls) await page.goto(url, { waitUntil: 'load' });
        await context.close();
      }),
    );
  }
}
