import { ElectronEvent, TypedEmitter } from './events.js';

export type DownloadState = 'progressing' | 'completed' | 'cancelled' | 'interrupted';

export interface DownloadItemEvents {
  /** Progress, while not done: `progressing`, or `interrupted` (resumable). */
  updated: [event: ElectronEvent, state: 'progressing' | 'interrupted'];
  /** Once, at the end: `completed`, `cancelled` or `interrupted`. */
  done: [event: ElectronEvent, state: 'completed' | 'cancelled' | 'interrupted'];
}

/** What a download is, as far as Chrome told us when it began. */
export interface DownloadInit {
  url: string;
  filename: string;
  mimeType: string;
  hasUserGesture: boolean;
  /** Known for downloadURL() downloads, whose response interception sees. */
  contentDisposition?: string;
  eTag?: string;
  lastModified?: string;
  /** createInterruptedDownload's chain; else the URL alone. */
  urlChain?: string[];
}

/** The driver behind an item: the session's download manager. */
export interface DownloadControl {
  cancel(): void;
  pause(): void;
  resume(): void;
  isPaused(): boolean;
  canResume(): boolean;
}

export const kCreateDownloadItem = Symbol('createDownloadItem');
export const kDownloadProgress = Symbol('downloadProgress');
export const kDownloadDone = Symbol('downloadDone');
export const kDownloadDestroy = Symbol('downloadDestroy');
export const kDownloadInterrupted = Symbol('downloadInterrupted');
export const kDownloadResumed = Symbol('downloadResumed');

/**
 * One download of a session, from its 'will-download' event.
 *
 * Electron parity: CDP cannot pause a Chrome download, so pausing keeps the
 * bytes received and stops Chrome's transfer, and resuming asks the server
 * for the rest with a range request made in the session (see downloads.ts).
 * Chrome's download events carry no response headers nor redirects: for
 * `downloadURL()` interception sees them; for a navigation of a page that
 * became a download, its Network events (see download-trail.ts). An
 * `a[download]` link is no navigation: its type comes from the file name, and
 * `getContentDisposition()`, `getETag()`, `getLastModifiedTime()` are ''.
 */
export class DownloadItem extends TypedEmitter<DownloadItemEvents> {
  readonly #init: DownloadInit;
  readonly #control: DownloadControl;
  readonly #startTime = Date.now() / 1000;
  #savePath = '';
  #dialogOptions: Record<string, unknown> = {};
  #state: DownloadState = 'progressing';
  #received = 0;
  #total = 0;
  #endTime = 0;
  #speed = 0;
  #lastSample: [time: number, bytes: number] = [Date.now(), 0];
  #destroyed = false;
  #done = false;

  constructor(token: symbol, init: DownloadInit, control: DownloadControl) {
    if (token !== kCreateDownloadItem) throw new TypeError('DownloadItem cannot be created with new');
    super();
    this.#init = init;
    this.#control = control;
  }

  /** Where the file goes; set it in 'will-download'. */
  setSavePath(path: string): void {
    this.#savePath = String(path);
  }
  getSavePath(): string {
    return this.#savePath;
  }
  get savePath(): string {
    return this.#savePath;
  }
  set savePath(path: string) {
    this.setSavePath(path);
  }

  /** Kept and returned as given; no dialog is shown (headless). */
  setSaveDialogOptions(options: Record<string, unknown>): void {
    this.#dialogOptions = options;
  }
  getSaveDialogOptions(): Record<string, unknown> {
    return this.#dialogOptions;
  }

  pause(): void {
    this.#alive();
    if (this.#state === 'progressing') this.#control.pause();
  }
  isPaused(): boolean {
    return this.#alive(this.#control.isPaused());
  }
  resume(): void {
    this.#alive();
    if (this.#state === 'progressing' || this.#state === 'interrupted') this.#control.resume();
  }
  canResume(): boolean {
    return this.#alive(this.#control.canResume());
  }
  cancel(): void {
    this.#alive();
    if (this.#state === 'progressing' || this.#state === 'interrupted') this.#control.cancel();
  }

  getURL(): string {
    return this.#alive(this.#init.url);
  }
  getURLChain(): string[] {
    return this.#alive(this.#init.urlChain ?? [this.#init.url]);
  }
  getMimeType(): string {
    return this.#alive(this.#init.mimeType);
  }
  hasUserGesture(): boolean {
    return this.#alive(this.#init.hasUserGesture);
  }
  getFilename(): string {
    return this.#alive(this.#init.filename);
  }
  getCurrentBytesPerSecond(): number {
    return this.#alive(this.#state === 'progressing' ? this.#speed : 0);
  }
  getTotalBytes(): number {
    return this.#alive(this.#total);
  }
  getReceivedBytes(): number {
    return this.#alive(this.#received);
  }
  getPercentComplete(): number {
    return this.#alive(this.#total > 0 ? Math.round((this.#received / this.#total) * 100) : this.#state === 'completed' ? 100 : 0);
  }
  getContentDisposition(): string {
    return this.#alive(this.#init.contentDisposition ?? '');
  }
  getState(): DownloadState {
    return this.#alive(this.#state);
  }
  getLastModifiedTime(): string {
    return this.#alive(this.#init.lastModified ?? '');
  }
  getETag(): string {
    return this.#alive(this.#init.eTag ?? '');
  }
  getStartTime(): number {
    return this.#alive(this.#startTime);
  }
  getEndTime(): number {
    return this.#alive(this.#endTime);
  }

  /** @internal Chrome reported progress. */
  [kDownloadProgress](received: number, total: number): void {
    const now = Date.now();
    const [time, bytes] = this.#lastSample;
    if (now > time) this.#speed = Math.round(((received - bytes) * 1000) / (now - time));
    this.#lastSample = [now, received];
    this.#received = received;
    this.#total = total;
    if (this.#state === 'progressing' && !this.#destroyed) this.emit('updated', new ElectronEvent(), 'progressing');
  }

  /** @internal Stopped but resumable (createInterruptedDownload): 'interrupted' until resumed. */
  [kDownloadInterrupted](received: number, total: number): void {
    this.#state = 'interrupted';
    this.#received = received;
    this.#total = total;
  }

  /** @internal A resume started the transfer again. */
  [kDownloadResumed](): void {
    this.#state = 'progressing';
    this.#lastSample = [Date.now(), this.#received];
  }

  /** @internal The download ended. */
  [kDownloadDone](state: 'completed' | 'cancelled' | 'interrupted', received = this.#received, total = this.#total): void {
    if (this.#done) return;
    this.#done = true;
    this.#state = state;
    this.#received = received;
    this.#total = total;
    this.#endTime = Date.now() / 1000;
    this.#speed = 0;
    if (!this.#destroyed) this.emit('done', new ElectronEvent(), state);
  }

  /** @internal Prevented in 'will-download': from the next tick on, the item is gone. */
  [kDownloadDestroy](): void {
    setImmediate(() => {
      this.#destroyed = true;
    });
  }

  #alive(): void;
  #alive<T>(value: T): T;
  #alive<T>(value?: T): T | undefined {
    if (this.#destroyed) throw new Error('DownloadItem used after being destroyed');
    return value;
  }
}
