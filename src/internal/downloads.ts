import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { copyFile, mkdir, rename, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, extname, join, basename } from 'node:path';
import { lookup } from 'mime-types';
import type { Protocol } from '../../protocol/cdp-types.js';
import { sendMayFail } from '../../protocol/cdp-session.js';
import { debug } from '../../protocol/debug.js';
import { DownloadItem, kCreateDownloadItem, kDownloadDestroy, kDownloadDone, kDownloadProgress } from '../download-item.js';
import type { WebContents } from '../web-contents.js';
import { pageOf, type RequestInterceptor } from './request-interceptor.js';
import type { ContextRef } from './session-backend.js';
import type { SessionFetcher } from './session-fetch.js';

interface Requested {
  webContents: WebContents | null;
  began: () => void;
  /** The response headers, seen by interception before Chrome saves the body. */
  headers: Protocol.Fetch.HeaderEntry[];
}

interface Entry {
  readonly item: DownloadItem;
  cancelled: boolean;
}

export interface DownloadsOptions {
  backend: ContextRef;
  fetcher: SessionFetcher;
  interceptor: RequestInterceptor;
  /** Emits the session's 'will-download'; true when a listener called preventDefault(). */
  emitWillDownload(item: DownloadItem, webContents: WebContents | null): boolean;
  /** `ses.setDownloadPath()`'s folder, else `app.getPath('downloads')`. */
  defaultDirectory(): string;
  webContentsOf(pageTargetId: string): WebContents | undefined;
}

/** How long a downloadURL() waits for Chrome to begin the download before it stops holding its page. */
const BEGIN_TIMEOUT_MS = 30_000;

/**
 * A session's downloads, by Chrome's own download manager: the context's
 * downloads go to a private folder under their GUID (`allowAndName`, with
 * events), each becomes a DownloadItem at `Browser.downloadWillBegin`, and a
 * finished file is moved to its save path (the one set in 'will-download',
 * else a unique name in the download folder), so it appears only complete.
 * `downloadURL()` clicks a same-origin `<a download>` in a page standing in the
 * URL's origin (the fetch helper), so any URL downloads, whatever its type.
 */
export class SessionDownloads {
  readonly #options: DownloadsOptions;
  readonly #folder = mkdtempSync(join(tmpdir(), 'chrome-session-downloads-'));
  readonly #entries = new Map<string, Entry>();
  /** downloadURL() calls waiting for their download to begin, by URL. */
  readonly #requested = new Map<string, Requested[]>();
  readonly #stops: Array<() => void> = [];

  constructor(options: DownloadsOptions) {
    this.#options = options;
  }

  async start(): Promise<void> {
    const { host, browserContextId } = this.#options.backend;
    const root = host.connection.root;
    this.#stops.push(
      root.subscribe('Browser.downloadWillBegin', (event) => this.#willBegin(event)),
      root.subscribe('Browser.downloadProgress', (event) => void this.#progress(event)),
    );
    await root.send('Browser.setDownloadBehavior', {
      behavior: 'allowAndName',
      downloadPath: this.#folder,
      eventsEnabled: true,
      ...(browserContextId ? { browserContextId } : {}),
    });
  }

  dispose(): void {
    for (const stop of this.#stops.splice(0)) stop();
    rmSync(this.#folder, { recursive: true, force: true });
  }

  /**
   * Downloads `url` in the session; `webContents` is who asked (null for the session itself).
   * A page standing in the URL's origin navigates to it; interception adds `headers` and makes
   * the response an attachment, so Chrome saves whatever it is. An error status ends as interrupted.
   */
  async downloadURL(url: string, headers: Record<string, string> | undefined, webContents: WebContents | null): Promise<void> {
    const href = new URL(url).href;
    await this.#options.fetcher.withPage(new URL(href).origin, async (client, targetId) => {
      const info = this.#options.backend.targets.get(targetId)!.targetInfo;
      const request: Requested = { webContents, began: () => undefined, headers: [] };
      let refused = false;
      await this.#options.interceptor.setHelperDownload(client, info, href, {
        headers,
        onResponse: (status, responseHeaders) => {
          request.headers = responseHeaders;
          refused = status >= 400;
          return !refused;
        },
      });
      const began = new Promise<void>((resolve) => {
        request.began = resolve;
        this.#requested.set(href, [...(this.#requested.get(href) ?? []), request]);
        setTimeout(resolve, BEGIN_TIMEOUT_MS).unref();
      });
      try {
        await client.send('Page.navigate', { url: href });
        if (refused) {
          this.#requested.set(href, (this.#requested.get(href) ?? []).filter((r) => r !== request));
          this.#refused(href, webContents);
        } else await began;
      } finally {
        await this.#options.interceptor.setHelperDownload(client, info, href, undefined).catch(() => undefined);
      }
    });
  }

  /** A download the server refused: 'will-download', then 'done' as interrupted with nothing received. */
  #refused(url: string, webContents: WebContents | null): void {
    const filename = decodeURIComponent(new URL(url).pathname.split('/').pop() || '') || 'download';
    const item = new DownloadItem(kCreateDownloadItem, { url, filename, mimeType: lookup(filename) || '', hasUserGesture: false }, { cancel: () => undefined });
    if (this.#options.emitWillDownload(item, webContents)) {
      item[kDownloadDestroy]();
      return;
    }
    setImmediate(() => item[kDownloadDone]('interrupted', 0, 0));
  }

  #willBegin(event: Protocol.Browser.DownloadWillBeginEvent): void {
    const record = this.#options.backend.targets.get(event.frameId);
    if (!record) return;
    const requested = this.#requested.get(event.url)?.shift();
    if (requested) requested.began();
    const page = pageOf(record);
    const webContents = requested ? requested.webContents : (page ? this.#options.webContentsOf(page) ?? null : null);
    const filename = event.suggestedFilename || 'download';
    const { guid } = event;
    const header = (name: string): string | undefined => requested?.headers.find((h) => h.name.toLowerCase() === name)?.value;
    const item = new DownloadItem(
      kCreateDownloadItem,
      {
        url: event.url,
        filename,
        mimeType: header('content-type')?.split(';')[0]?.trim() || lookup(filename) || '',
        hasUserGesture: !requested,
        contentDisposition: header('content-disposition') ?? '',
        eTag: header('etag') ?? '',
        lastModified: header('last-modified') ?? '',
      },
      { cancel: () => this.#cancel(guid) },
    );
    const entry: Entry = { item, cancelled: false };
    this.#entries.set(guid, entry);
    if (this.#options.emitWillDownload(item, webContents)) {
      item[kDownloadDestroy]();
      this.#cancel(guid);
    }
  }

  #cancel(guid: string): void {
    const entry = this.#entries.get(guid);
    if (!entry || entry.cancelled) return;
    entry.cancelled = true;
    const { host, browserContextId } = this.#options.backend;
    void sendMayFail(host.connection.root, 'Browser.cancelDownload', { guid, ...(browserContextId ? { browserContextId } : {}) });
  }

  async #progress(event: Protocol.Browser.DownloadProgressEvent): Promise<void> {
    const entry = this.#entries.get(event.guid);
    if (!entry) return;
    const { item } = entry;
    if (event.state === 'inProgress') {
      if (!entry.cancelled) item[kDownloadProgress](event.receivedBytes, event.totalBytes);
      return;
    }
    this.#entries.delete(event.guid);
    if (event.state === 'canceled' || entry.cancelled) {
      // A cancel can arrive after Chrome finished: the file is dropped all the same.
      if (event.state === 'completed') await unlink(join(this.#folder, event.guid)).catch(() => undefined);
      item[kDownloadDone](entry.cancelled ? 'cancelled' : 'interrupted', event.receivedBytes, event.totalBytes);
      return;
    }
    try {
      const target = item.getSavePath() || uniquePath(this.#options.defaultDirectory(), item.getFilename());
      await move(join(this.#folder, event.guid), target);
      item.setSavePath(target);
      item[kDownloadDone]('completed', event.receivedBytes, event.totalBytes);
    } catch (error) {
      debug.ignored('download %s could not be moved: %s', event.guid, error);
      item[kDownloadDone]('interrupted', event.receivedBytes, event.totalBytes);
    }
  }
}

/** `name.ext`, else `name (1).ext`, `name (2).ext`…, as Chrome names downloads. */
export function uniquePath(directory: string, filename: string): string {
  const extension = extname(filename);
  const stem = basename(filename, extension);
  let candidate = join(directory, filename);
  for (let n = 1; existsSync(candidate); n++) candidate = join(directory, `${stem} (${n})${extension}`);
  return candidate;
}

async function move(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await copyFile(from, to);
    await unlink(from);
  }
}
