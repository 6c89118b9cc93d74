import { copyFileSync, createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { lookup } from 'mime-types';
import type { Protocol } from '../../protocol/cdp-types.js';
import { sendMayFail } from '../../protocol/cdp-session.js';
import { debug } from '../../protocol/debug.js';
import {
  DownloadItem,
  kCreateDownloadItem,
  kDownloadDestroy,
  kDownloadDone,
  kDownloadInterrupted,
  kDownloadProgress,
  kDownloadResumed,
  type DownloadInit,
} from '../download-item.js';
import type { WebContents } from '../web-contents.js';
import { copyAppend, move, routerOf, uniquePath, type Entry, type InterruptedDownloadOptions, type Requested } from './download-support.js';
import { DownloadTrail } from './download-trail.js';
import { copyFromBrowser } from './browser-file.js';
import { pageOf, type RequestInterceptor } from './request-interceptor.js';
import { runtime } from './runtime.js';
import type { ContextRef } from './session-backend.js';
import type { SessionFetcher } from './session-fetch.js';

export type { InterruptedDownloadOptions } from './download-support.js';

export interface DownloadsOptions {
  backend: ContextRef;
  fetcher: SessionFetcher;
  interceptor: RequestInterceptor;
  /** Emits the session's 'will-download'; true when a listener called preventDefault(). */
  emitWillDownload(item: DownloadItem, webContents: WebContents | null): boolean;
  /** `ses.setDownloadPath()`'s folder, else `app.getPath('downloads')`. */
  defaultDirectory(): string;
  webContentsOf(pageTargetId: string): WebContents | undefined;
  /** Whether the session has a 'will-download' listener; `onListenersChanged` calls back when that may change. */
  listening(): boolean;
  onListenersChanged(changed: () => void): () => void;
}

/** How long a transfer asked of a helper page waits for Chrome to begin before the page is let go. */
const BEGIN_TIMEOUT_MS = 30_000;
let lastPartial = 0;

/**
 * A session's downloads, by Chrome's own download manager: the context's
 * downloads go to a private folder under their GUID (`allowAndName`, with
 * events), each becomes a DownloadItem at `Browser.downloadWillBegin`, and a
 * finished file is moved to its save path (the one set in 'will-download',
 * else a unique name in the download folder), so it appears only complete.
 *
 * `downloadURL()` navigates a page standing in the URL's origin (the fetch
 * helper) to it; interception adds the caller's headers and makes the
 * response an attachment, so any URL downloads. CDP cannot pause a download:
 * `pause()` keeps the bytes received (a copy of Chrome's `.crdownload`) and
 * cancels Chrome's transfer; `resume()` asks for the rest in the session with
 * a `Range` request through the same helper (the 206 is saved as a file of
 * its own and appended); a server that ignores the range sends it all again.
 */
export class SessionDownloads {
  readonly #options: DownloadsOptions;
  readonly #folder = mkdtempSync(join(tmpdir(), 'chrome-session-downloads-'));
  readonly #entries = new Map<string, Entry>();
  /** Every item not done yet (running, paused or interrupted): none is left without its 'done' when the browser goes. */
  readonly #live = new Set<Entry>();
  readonly #requested: Requested[] = [];
  readonly #trail: DownloadTrail;
  readonly #stops: Array<() => void> = [];
  /**
   * Where Chrome saves: our folder, or for a browser we connected to (its disk
   * may be another machine's) a folder of that name in its /tmp, whose
   * finished files are brought here over CDP.
   */
  #browserFolder: string | undefined;

  constructor(options: DownloadsOptions) {
    this.#options = options;
    this.#trail = new DownloadTrail(options.listening);
  }

  async start(): Promise<void> {
    const { host, browserContextId } = this.#options.backend;
    const root = host.connection.root;
    this.#stops.push(routerOf(root).add(this));
    const trail = this.#trail;
    this.#stops.push(this.#options.onListenersChanged(() => trail.listeningChanged()));
    // Quitting cancels what is still downloading, as Chrome's download manager does at shutdown.
    const quitting = async (): Promise<void> => this.#endAll('cancelled');
    runtime.closeHooks.add(quitting);
    this.#stops.push(() => runtime.closeHooks.delete(quitting));
    this.#stops.push(this.#options.backend.targets.addAttachHook((client, info) => trail.configure(client, info)));
    await this.#options.backend.targets.forEachClient((client, record) => trail.configure(client, record.targetInfo));
    this.#browserFolder = host.process ? undefined : posix.join('/tmp', basename(this.#folder));
    await root.send('Browser.setDownloadBehavior', {
      behavior: 'allowAndName',
      downloadPath: this.#browserFolder ?? this.#folder,
      eventsEnabled: true,
      ...(browserContextId ? { browserContextId } : {}),
    });
  }

  /** The browser is gone: what was still downloading ends interrupted, with nothing to resume from. */
  dispose(): void {
    for (const stop of this.#stops.splice(0)) stop();
    this.#endAll('interrupted');
    rmSync(this.#folder, { recursive: true, force: true });
  }

  #endAll(state: 'cancelled' | 'interrupted'): void {
    for (const request of this.#requested.splice(0)) request.began();
    for (const entry of [...this.#live]) {
      if (entry.item.getState() !== 'progressing') continue;
      entry.cancelled = state === 'cancelled';
      entry.partial = undefined;
      if (entry.guid) {
        this.#stopChrome(entry.guid);
        this.#entries.delete(entry.guid);
      }
      entry.guid = undefined;
      entry.item[kDownloadDone](state);
    }
  }

  /** Downloads `url` in the session; `webContents` is who asked (null for the session itself). */
  async downloadURL(url: string, headers: Record<string, string> | undefined, webContents: WebContents | null): Promise<void> {
    const href = new URL(url).href;
    const outcome = await this.#transfer(href, headers, { webContents, began: () => undefined, headers: [], requestHeaders: headers, chain: [href] });
    if (outcome === 'refused') this.#refused(href, webContents);
  }

  /** `ses.createInterruptedDownload()`: an item for bytes already on disk, continued on `resume()`. */
  createInterrupted(options: InterruptedDownloadOptions): void {
    const url = options.urlChain[options.urlChain.length - 1]!;
    const filename = basename(options.path);
    const entry = this.#newEntry(url, {
      url,
      filename,
      mimeType: options.mimeType ?? (lookup(filename) || ''),
      hasUserGesture: false,
      eTag: options.eTag ?? '',
      lastModified: options.lastModified ?? '',
      urlChain: options.urlChain,
    });
    entry.partial = options.path;
    entry.offset = options.offset;
    entry.item.setSavePath(options.path);
    entry.item[kDownloadInterrupted](options.offset, options.length);
    if (this.#options.emitWillDownload(entry.item, null)) this.#destroy(entry);
  }

  /**
   * Has a helper page standing in the URL's origin navigate to it, with
   * `headers`; resolves once Chrome began the download (or the server refused).
   */
  async #transfer(href: string, headers: Record<string, string> | undefined, request: Requested): Promise<'began' | 'refused'> {
    return this.#options.fetcher.withPage(new URL(href).origin, async (client, targetId) => {
      const info = this.#options.backend.targets.get(targetId)!.targetInfo;
      let refused = false;
      await this.#options.interceptor.setHelperDownload(client, info, href, {
        headers,
        onRedirect: (url) => void request.chain.push(url),
        onResponse: (status, responseHeaders) => {
          request.headers = responseHeaders;
          refused = status >= 400;
          if (request.resumes && status === 200) this.#restartFromZero(request.resumes);
          return !refused;
        },
      });
      const began = new Promise<void>((resolve) => {
        request.began = resolve;
        this.#requested.push(request);
        setTimeout(resolve, BEGIN_TIMEOUT_MS).unref();
      });
      try {
        const { errorText, isDownload } = await client.send('Page.navigate', { url: href });
        // Unreachable (refused, not resolved...): Chrome's download manager reports it as an interrupted download.
        if (errorText && !isDownload && errorText !== 'net::ERR_ABORTED') refused = true;
        if (!refused) await began;
        const left = this.#requested.indexOf(request);
        if (left >= 0) this.#requested.splice(left, 1);
        return refused ? 'refused' : 'began';
      } finally {
        await this.#options.interceptor.setHelperDownload(client, info, href, undefined).catch(() => undefined);
      }
    }, true);
  }

  /** A download the server refused: 'will-download', then 'done' as interrupted with nothing received. */
  #refused(url: string, webContents: WebContents | null): void {
    const filename = decodeURIComponent(new URL(url).pathname.split('/').pop() || '') || 'download';
    const entry = this.#newEntry(url, { url, filename, mimeType: lookup(filename) || '', hasUserGesture: false });
    if (this.#options.emitWillDownload(entry.item, webContents)) {
      this.#destroy(entry);
      return;
    }
    setImmediate(() => entry.item[kDownloadDone]('interrupted', 0, 0));
  }

  /** Prevented in 'will-download': the item is gone, and never emits 'done'. */
  #destroy(entry: Entry): void {
    this.#live.delete(entry);
    entry.item[kDownloadDestroy]();
  }

  #newEntry(url: string, init: DownloadInit): Entry {
    const control = {
      cancel: () => this.#cancel(entry),
      pause: () => this.#pause(entry),
      resume: () =>
        void this.#resume(entry).catch((error: unknown) => {
          debug.ignored('resume of %s: %s', url, error);
          entry.item[kDownloadDone]('interrupted');
        }),
      isPaused: () => entry.paused,
      canResume: () => entry.paused || (entry.item.getState() === 'interrupted' && entry.partial !== undefined),
    };
    const entry: Entry = {
      item: new DownloadItem(kCreateDownloadItem, init, control),
      url,
      guid: undefined,
      cancelled: false,
      paused: false,
      partial: undefined,
      offset: 0,
      headers: undefined,
    };
    this.#live.add(entry);
    entry.item.once('done', () => this.#live.delete(entry));
    return entry;
  }

  /** @internal From the host's router: true when the download is this session's. */
  willBegin(event: Protocol.Browser.DownloadWillBeginEvent): boolean {
    const { targets } = this.#options.backend;
    const record = targets.get(event.frameId) ?? targets.get(this.#trail.targetOf(event.frameId) ?? '');
    if (!record) return false;
    this.#willBegin(event, record);
    return true;
  }

  /** @internal From the host's router, for a download this session claimed. */
  progress(event: Protocol.Browser.DownloadProgressEvent): void {
    void this.#progress(event);
  }

  /** Whether a download (a resumed transfer included) is this session's. */
  owns(guid: string): boolean {
    return this.#entries.has(guid);
  }

  #willBegin(event: Protocol.Browser.DownloadWillBeginEvent, record: NonNullable<ReturnType<ContextRef['targets']['get']>>): void {
    const index = this.#requested.findIndex((r) => r.chain[r.chain.length - 1] === event.url);
    const requested = index >= 0 ? this.#requested.splice(index, 1)[0] : undefined;
    requested?.began();
    if (requested?.resumes) {
      requested.resumes.guid = event.guid;
      this.#entries.set(event.guid, requested.resumes);
      return;
    }
    const page = pageOf(record);
    const webContents = requested ? requested.webContents : page ? (this.#options.webContentsOf(page) ?? null) : null;
    const filename = event.suggestedFilename || 'download';
    // The response: seen by interception (downloadURL), or in the Network events of the page's navigation.
    const document = requested ? undefined : this.#trail.documentOf(event.frameId, event.url);
    const seen = requested?.headers ?? Object.entries(document?.response?.headers ?? {}).map(([name, value]) => ({ name, value }));
    const header = (name: string): string | undefined => seen.find((h) => h.name.toLowerCase() === name)?.value;
    const entry = this.#newEntry(event.url, {
      url: event.url,
      urlChain: requested?.chain ?? document?.chain ?? [event.url],
      filename,
      mimeType: header('content-type')?.split(';')[0]?.trim() || document?.response?.mimeType || lookup(filename) || '',
      hasUserGesture: !requested,
      contentDisposition: header('content-disposition') ?? '',
      eTag: header('etag') ?? '',
      lastModified: header('last-modified') ?? '',
    });
    entry.guid = event.guid;
    entry.headers = requested?.requestHeaders;
    this.#entries.set(event.guid, entry);
    if (this.#options.emitWillDownload(entry.item, webContents)) {
      this.#destroy(entry);
      this.#cancel(entry);
    }
  }

  #stopChrome(guid: string): void {
    const { host, browserContextId } = this.#options.backend;
    void sendMayFail(host.connection.root, 'Browser.cancelDownload', { guid, ...(browserContextId ? { browserContextId } : {}) });
  }

  #cancel(entry: Entry): void {
    if (entry.cancelled) return;
    entry.cancelled = true;
    if (entry.guid) this.#stopChrome(entry.guid);
    if (entry.guid === undefined) {
      // Nothing running (paused or interrupted): it ends now, without the bytes kept.
      if (entry.partial && entry.partial.startsWith(this.#folder)) rmSync(entry.partial, { force: true });
      entry.item[kDownloadDone]('cancelled');
    }
  }

  /** Keeps what Chrome has written so far, then stops Chrome's transfer. */
  #pause(entry: Entry): void {
    if (entry.paused || entry.cancelled || !entry.guid) return;
    const guid = entry.guid;
    const written = join(this.#folder, `${guid}.crdownload`);
    try {
      const kept = entry.partial ?? join(this.#folder, `${++lastPartial}.partial`);
      if (entry.partial) copyAppend(written, kept);
      else copyFileSync(written, kept);
      entry.partial = kept;
      entry.offset = statSync(kept).size;
    } catch (error) {
      debug.ignored('pause of %s kept nothing: %s', entry.url, error);
      entry.offset = 0;
      entry.partial = undefined;
    }
    entry.paused = true;
    entry.guid = undefined;
    this.#entries.delete(guid);
    this.#stopChrome(guid);
    entry.item[kDownloadProgress](entry.offset, entry.item.getTotalBytes());
  }

  async #resume(entry: Entry): Promise<void> {
    if (entry.cancelled || entry.guid) return;
    const interrupted = entry.item.getState() === 'interrupted';
    if (!entry.paused && !interrupted) return;
    entry.paused = false;
    entry.item[kDownloadResumed]();
    const headers: Record<string, string> = { ...entry.headers };
    if (entry.offset > 0) {
      headers.Range = `bytes=${entry.offset}-`;
      const validator = entry.item.getETag() || entry.item.getLastModifiedTime();
      if (validator) headers['If-Range'] = validator;
    }
    const request: Requested = { webContents: null, began: () => undefined, headers: [], resumes: entry, chain: [entry.url] };
    const outcome = await this.#transfer(entry.url, headers, request);
    if (outcome === 'refused') entry.item[kDownloadDone]('interrupted');
  }

  /** The server ignored the range and sends the whole file again: the bytes kept are dropped. */
  #restartFromZero(entry: Entry): void {
    if (entry.partial) rmSync(entry.partial, { force: true });
    entry.partial = undefined;
    entry.offset = 0;
  }

  /** A file Chrome saved on its own machine, copied to `file` here through a page of the session. */
  async #bringHere(url: string, browserPath: string, file: string): Promise<void> {
    const origin = /^https?:/.test(url) ? new URL(url).origin : 'http://localhost';
    await this.#options.fetcher.withPage(origin, (client) => copyFromBrowser(client, browserPath, file));
  }

  async #progress(event: Protocol.Browser.DownloadProgressEvent): Promise<void> {
    const entry = this.#entries.get(event.guid);
    if (!entry) return;
    const { item, offset } = entry;
    const received = offset + event.receivedBytes;
    const total = event.totalBytes ? offset + event.totalBytes : 0;
    if (event.state === 'inProgress') {
      if (!entry.cancelled) item[kDownloadProgress](received, total);
      return;
    }
    this.#entries.delete(event.guid);
    entry.guid = undefined;
    const file = join(this.#folder, event.guid);
    if (event.state === 'canceled' || entry.cancelled) {
      // A cancel can arrive after Chrome finished: the file is dropped all the same.
      if (event.state === 'completed' && !this.#browserFolder) await unlink(file).catch(() => undefined);
      if (entry.partial?.startsWith(this.#folder)) rmSync(entry.partial, { force: true });
      item[kDownloadDone](entry.cancelled ? 'cancelled' : 'interrupted', received, total);
      return;
    }
    try {
      if (this.#browserFolder) await this.#bringHere(entry.url, posix.join(this.#browserFolder, event.guid), file);
      const target = item.getSavePath() || uniquePath(this.#options.defaultDirectory(), item.getFilename());
      if (entry.partial) {
        // The first part, then the rest Chrome just saved.
        await pipeline(createReadStream(file), createWriteStream(entry.partial, { flags: 'a' }));
        await unlink(file);
        if (entry.partial !== target) await move(entry.partial, target);
      } else await move(file, target);
      item.setSavePath(target);
      item[kDownloadDone]('completed', received, total);
    } catch (error) {
      debug.ignored('download %s could not be saved: %s', event.guid, error);
      item[kDownloadDone]('interrupted', received, total);
    }
  }
}
