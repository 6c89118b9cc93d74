import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { groupHasLiveProcess } from './process-group.js';

export interface BrowserExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines Chrome wrote to stderr. */
  stderrTail: string;
}

/**
 * A Chrome process we started: its exit (a promise, and listeners), the tail
 * of its stderr, and stopping it (graceful first, then SIGKILL of the group).
 */
export class BrowserProcess {
  readonly pid: number;
  readonly userDataDir: string;
  readonly exited: Promise<BrowserExit>;
  readonly #child: ChildProcess;
  #exit: BrowserExit | undefined;

  constructor(child: ChildProcess, userDataDir: string) {
    if (child.pid === undefined) throw new Error('Chrome process has no pid: it did not start');
    this.pid = child.pid;
    this.#child = child;
    this.userDataDir = userDataDir;
    this.exited = new Promise((resolve) => {
      const done = (code: number | null, signal: NodeJS.Signals | null): void => {
        this.#exit ??= { code, signal, stderrTail: this.stderrTail() };
        // Helpers left in Chrome's process group (crash handler, zygotes) go with it.
        this.#sweepGroup();
        resolve(this.#exit);
      };
      if (child.exitCode !== null || child.signalCode !== null) done(child.exitCode, child.signalCode);
      else child.once('exit', done);
    });
    // The process must not keep Node alive on its own; the connection does that while in use.
    child.unref();
  }

  /** How it ended, once it has (the exit code or signal, even before `exited` resolves). */
  get exit(): Pick<BrowserExit, 'code' | 'signal'> | undefined {
    if (this.#exit) return this.#exit;
    if (this.#child.exitCode === null && this.#child.signalCode === null) return undefined;
    return { code: this.#child.exitCode, signal: this.#child.signalCode };
  }

  get running(): boolean {
    return this.#exit === undefined && this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** The last `lines` lines of the browser's stderr (chrome-launcher writes it to chrome-err.log). */
  stderrTail(lines = 30): string {
    const path = join(this.userDataDir, 'chrome-err.log');
    try {
      const size = statSync(path).size;
      const length = Math.min(size, 16 * 1024);
      const buffer = Buffer.alloc(length);
      const fd = openSync(path, 'r');
      try {
        readSync(fd, buffer, 0, length, size - length);
      } finally {
        closeSync(fd);
      }
      return buffer.toString('utf8').split('\n').filter(Boolean).slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  /**
   * Stops the browser: `graceful` (Browser.close over CDP, so the profile is
   * flushed), then SIGKILL of the process group if it has not exited within
   * `graceMs`. Resolves once the process is gone.
   */
  async close(graceful: () => Promise<unknown>, graceMs = 5_000): Promise<BrowserExit> {
    if (!this.running) return this.exited;
    // Whoever awaits the exit must be kept alive until it comes: once the pipe has
    // closed, the unref'd child would otherwise leave Node's loop empty meanwhile.
    this.#child.ref();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), graceMs);
    });
    try {
      // Chrome may close the pipe before it answers Browser.close: a failed call still waits for the exit.
      const outcome = await Promise.race([
        graceful().then(
          () => this.exited,
          () => this.exited,
        ),
        deadline,
      ]);
      if (outcome === 'timeout') this.kill();
    } finally {
      clearTimeout(timer);
    }
    const exit = await this.exited;
    await this.#groupGone(1_000);
    return exit;
  }

  /** Resolves once no process of Chrome's group runs (the killed ones take a moment; zombies do not count), or after `ms`. */
  async #groupGone(ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (!groupHasLiveProcess(this.pid)) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** SIGKILL to Chrome's whole process group (renderers, GPU, zygote). Synchronous; safe to call twice. */
  kill(): void {
    if (!this.running) return;
    this.#child.ref();
    try {
      process.kill(-this.pid, 'SIGKILL');
    } catch {
      try {
        this.#child.kill('SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }

  #sweepGroup(): void {
    try {
      process.kill(-this.pid, 'SIGKILL');
    } catch {
      // Nothing left in the group.
    }
  }

  /** SIGTERM to the group: Chrome shuts down cleanly on its own. For exit paths that cannot wait. */
  terminate(): void {
    if (!this.running) return;
    try {
      process.kill(-this.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
}

