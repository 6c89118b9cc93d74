import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { findChrome } from '../../launcher/index.js';
import { CLOSED_NETWORK_ARGS, UNMATCHED, type Driver } from './driver.js';

/** playwright-core on the same Chromium binary, its own browser, its default switches plus the closed-network ones. */
export class PlaywrightDriver implements Driver {
  readonly name = 'Playwright';
  #browser!: Browser;
  #reused!: BrowserContext;
  #cookies!: BrowserContext;
  #fifty!: Page;
  #unmatched!: Page;
  #proxied: Page | undefined;

  async start(): Promise<void> {
    this.#browser = await chromium.launch({ executablePath: findChrome(), headless: true, args: CLOSED_NETWORK_ARGS });
    this.#reused = await this.#browser.newContext();
    this.#cookies = await this.#browser.newContext();
    this.#fifty = await (await this.#browser.newContext()).newPage();
    // 3n: a route set once whose glob none of the page's requests match.
    this.#unmatched = await (await this.#browser.newContext()).newPage();
    await this.#unmatched.route(UNMATCHED.replace('*://', '**://'), (route) => route.continue());
  }

  async stop(): Promise<void> {
    await this.#browser.close();
  }

  async newContextLoadClose(url: string): Promise<void> {
    const context = await this.#browser.newContext();
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
    await Promise.all(Array.from({ length: 150 }, (_, i) => this.#cookies.addCookies([{ url: origin, name: `c${i}`, value: `v${i}` }])));
    const all = await this.#cookies.cookies();
    if (all.length !== 150) throw new Error(`expected 150 cookies, got ${all.length}`);
    await this.#cookies.clearCookies();
  }

  async load50(url: string): Promise<void> {
    await this.#fifty.goto(url, { waitUntil: 'load' });
  }

  async load50Unmatched(url: string): Promise<void> {
    await this.#unmatched.goto(url, { waitUntil: 'load' });
  }

  async load50Intercepted(url: string): Promise<void> {
    await this.#fifty.route('**/*', (route) => route.continue());
    try {
      await this.#fifty.goto(url, { waitUntil: 'load' });
    } finally {
      await this.#fifty.unrouteAll();
    }
  }

  async load50Proxied(url: string, proxy: string): Promise<void> {
    this.#proxied ??= await (await this.#browser.newContext({ proxy: { server: `http://${proxy}` } })).newPage();
    await this.#proxied.goto(url, { waitUntil: 'load' });
  }

  async throughput(contexts: number, urls: string[]): Promise<void> {
    await Promise.all(
      Array.from({ length: contexts }, async () => {
        const context = await this.#browser.newContext();
        const page = await context.newPage();
        for (const url of urls) await page.goto(url, { waitUntil: 'load' });
        await context.close();
      }),
    );
  }
}
