import { sendMayFail, type CdpSession } from '../protocol/cdp-session.js';
import type { Protocol } from '../protocol/cdp-types.js';

/** How many times a history that lags behind a commit is read again. */
const MAX_REREADS = 20;

export interface NavigationEntry {
  url: string;
  title: string;
}

/**
 * Electron's `webContents.navigationHistory`, synchronous as Electron's: the
 * page's session history as Chrome reported it after its last navigation
 * (read while that navigation's events are emitted, so it is current when
 * `loadURL()` resolves and from 'did-navigate'/'did-navigate-in-page' on).
 * Going back or forward asks Chrome and returns at once, as in Electron.
 */
export class NavigationHistory {
  readonly #client: () => Promise<CdpSession>;
  #entries: Protocol.Page.NavigationEntry[] = [];
  #index = -1;
  /** The `about:blank` a new window starts with: Electron's history has no entry for it. */
  #initialId: number | undefined;
  #refreshed = false;

  constructor(client: () => Promise<CdpSession>) {
    this.#client = client;
  }

  /**
   * Reads the history anew (the page's navigation events wait for it). Right
   * after a document commits, Chrome may still answer from the frame's old
   * document ("Not attached to an active page") or without the new entry: with
   * `url` (the document just committed), the history is read again, a few
   * times at most, until its current entry is that document.
   */
  async refresh(client: CdpSession, url?: string): Promise<void> {
    const bare = (href: string | undefined): string | undefined => href?.replace(/#.*$/, '');
    let history = await sendMayFail(client, 'Page.getNavigationHistory');
    for (let attempt = 0; url !== undefined && attempt < MAX_REREADS && !client.detached; attempt++) {
      if (history && bare(history.entries[history.currentIndex]?.url) === bare(url)) break;
      history = await sendMayFail(client, 'Page.getNavigationHistory');
    }
    if (!history) return;
    let { entries, currentIndex } = history;
    if (!this.#refreshed && entries[0]?.url === 'about:blank') this.#initialId = entries[0].id;
    this.#refreshed = true;
    if (entries[0]?.id === this.#initialId && currentIndex > 0) {
      entries = entries.slice(1);
      currentIndex--;
    }
    this.#entries = entries;
    this.#index = currentIndex;
  }

  canGoBack(): boolean {
    return this.canGoToOffset(-1);
  }

  canGoForward(): boolean {
    return this.canGoToOffset(1);
  }

  canGoToOffset(offset: number): boolean {
    const index = this.#index + offset;
    return Number.isInteger(offset) && index >= 0 && index < this.#entries.length;
  }

  goBack(): void {
    this.goToOffset(-1);
  }

  goForward(): void {
    this.goToOffset(1);
  }

  goToOffset(offset: number): void {
    if (this.canGoToOffset(offset) && offset !== 0) this.goToIndex(this.#index + offset);
  }

  goToIndex(index: number): void {
    const entry = this.#entries[index];
    if (!entry || index === this.#index) return;
    void this.#client().then((client) => sendMayFail(client, 'Page.navigateToHistoryEntry', { entryId: entry.id }), () => undefined);
  }

  getActiveIndex(): number {
    return this.#index;
  }

  length(): number {
    return this.#entries.length;
  }

  getEntryAtIndex(index: number): NavigationEntry | null {
    const entry = this.#entries[index];
    return entry ? { url: entry.url, title: entry.title } : null;
  }

  getAllEntries(): NavigationEntry[] {
    return this.#entries.map(({ url, title }) => ({ url, title }));
  }

  /** Forgets the history but for the current entry (`Page.resetNavigationHistory`). */
  clear(): void {
    const current = this.#entries[this.#index];
    this.#entries = current ? [current] : [];
    this.#index = current ? 0 : -1;
    void this.#client().then((client) => sendMayFail(client, 'Page.resetNavigationHistory'), () => undefined);
  }

  /** CDP cannot remove one entry of Chrome's history: false, as Electron answers for entries it cannot remove. */
  removeEntryAtIndex(_index: number): boolean {
    return false;
  }
}
