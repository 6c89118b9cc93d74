import { sendMayFail } from '../../protocol/cdp-session.js';
import { debug } from '../../protocol/debug.js';
import type { TargetRecord } from '../../protocol/target-manager.js';
import type { ContextRef } from './session-backend.js';
import { whenClosedOr } from './when-closed.js';

export interface PageSize {
  width: number;
  height: number;
}

interface Spare {
  record: TargetRecord;
  size: PageSize;
  /** The session's settings version when the spare was configured. */
  version: number;
}

/** A spare nobody took within this time is closed: spares are for sessions that keep opening windows. */
const IDLE_MS = 15_000;
/** The next spare is made at the latest this long after a page is taken (see #prepareLater). */
const PREPARE_LATEST_MS = 2_000;

/**
 * Pages for a session's new windows. Most of a new window's cost is Chrome
 * starting its renderer (300-500 ms here), so a session that opens windows
 * again and again gets one spare page, created, configured and running
 * ahead of time (when the window taken before it closes, or 2 s after it
 * opened); the next window adopts it at once.
 *
 * Bounded: at most one spare per session, only after the session opened its
 * second window, closed after 15 s unused, and discarded when the session's
 * settings changed since it was made. Invisible: a spare is no WebContents
 * until a window takes it.
 */
export class PagePool {
  readonly #backend: ContextRef;
  readonly #settingsVersion: () => number;
  #spare: Promise<Spare | undefined> | undefined;
  #idle: NodeJS.Timeout | undefined;
  #taken = 0;
  #disposed = false;

  constructor(backend: ContextRef, settingsVersion: () => number, seed?: TargetRecord) {
    this.#backend = backend;
    this.#settingsVersion = settingsVersion;
    if (seed) this.#offer({ record: seed, size: { width: 800, height: 600 }, version: settingsVersion() });
  }

  /** A running, configured page of `size` for a new window. */
  async take(size: PageSize): Promise<TargetRecord> {
    this.#taken++;
    const pending = this.#spare;
    this.#spare = undefined;
    clearTimeout(this.#idle);
    const spare = pending ? await pending : undefined;
    let record: TargetRecord | undefined;
    if (spare && spare.record.status === 'ready') {
      if (spare.version === this.#settingsVersion()) {
        if (spare.size.width !== size.width || spare.size.height !== size.height) await this.#resize(spare.record, size);
        record = spare.record;
      } else void this.#close(spare.record);
    }
    record ??= await this.#create(size);
    if (this.#taken >= 2) this.#prepareLater(record, size);
    return record;
  }

  /** Closes the spare; safe to call twice. */
  dispose(): void {
    this.#disposed = true;
    clearTimeout(this.#idle);
    const pending = this.#spare;
    this.#spare = undefined;
    void pending?.then((spare) => spare && this.#close(spare.record));
  }

  async #create(size: PageSize): Promise<TargetRecord> {
    const { host, targets, browserContextId } = this.#backend;
    // A size can only be given to a new window; each BrowserWindow is one.
    const { targetId } = await host.connection.root.send('Target.createTarget', {
      url: 'about:blank',
      newWindow: true,
      width: size.width,
      height: size.height,
      ...(browserContextId ? { browserContextId } : {}),
    });
    return targets.waitForTarget(targetId);
  }

  /**
   * Makes the next spare once `record` (the page just taken) is closed, or PREPARE_LATEST_MS
   * after it was taken if it is still open. Chrome making a page slows whatever runs beside it
   * on this machine by about half (measured: a window's first load went from 60 to 200 ms, its
   * close from 15 to 100 ms), so the spare is made when the session's last window is done.
   */
  #prepareLater(record: TargetRecord, size: PageSize): void {
    whenClosedOr(record.client, PREPARE_LATEST_MS, () => this.#prepare(size));
  }

  #prepare(size: PageSize): void {
    if (this.#disposed || this.#spare) return;
    const version = this.#settingsVersion();
    this.#offer(
      this.#create(size).then(
        (record) => ({ record, size, version }),
        (error: unknown) => {
          debug.ignored('spare page not created: %s', error);
          return undefined;
        },
      ),
    );
  }

  #offer(spare: Spare | Promise<Spare | undefined>): void {
    const pending = Promise.resolve(spare);
    this.#spare = pending;
    this.#idle = setTimeout(() => {
      if (this.#spare !== pending) return;
      this.#spare = undefined;
      void pending.then((unused) => unused && this.#close(unused.record));
    }, IDLE_MS);
    this.#idle.unref();
  }

  async #resize(record: TargetRecord, size: PageSize): Promise<void> {
    const root = this.#backend.host.connection.root;
    const { windowId } = await root.send('Browser.getWindowForTarget', { targetId: record.targetId });
    await root.send('Browser.setWindowBounds', { windowId, bounds: { width: size.width, height: size.height } });
  }

  async #close(record: TargetRecord): Promise<void> {
    await sendMayFail(this.#backend.host.connection.root, 'Target.closeTarget', { targetId: record.targetId });
  }
}
