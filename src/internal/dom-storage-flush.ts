import { readdir, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';

/**
 * Chrome commits an origin's localStorage some time after a change: 5 s, and
 * later for an origin that writes often (at most 60 commits an hour). CDP
 * cannot make it commit sooner. We start Chrome with
 * `--enable-aggressive-domstorage-flushing`, which makes that delay 1 s with
 * no rate limit (a commit in flight when the timer would start delays it by
 * one more round). So every change made before a call is on disk within
 * about 2 s of it.
 */
const COMMIT_DELAY_MS = 1_000;
/** Every change before the call has been committed by then (two commit rounds and some slack). */
const WORST_CASE_MS = 2_500;
/** A commit's files are written together: this long without a write after one is the commit done. */
const QUIET_MS = 150;
const POLL_MS = 50;

/**
 * `ses.flushStorageData()` for a profile our Chrome keeps open: resolves once
 * Chrome's next DOM storage commit after the call is on disk (the LevelDB of
 * `Default/Local Storage` was written and then left alone for a moment), or
 * once the longest a pending change can wait has passed with nothing written
 * (nothing was pending).
 */
export async function flushDomStorage(storagePath: string): Promise<void> {
  const folder = join(storagePath, 'Default', 'Local Storage', 'leveldb');
  // Chrome makes the folder when a page first uses localStorage: none, nothing to write.
  if (!(await stat(folder).catch(() => undefined))) return;
  const started = Date.now();
  const before = await lastWrite(folder);
  await sleep(COMMIT_DELAY_MS);
  for (;;) {
    const last = await lastWrite(folder);
    const now = Date.now();
    const quiet = now - last >= QUIET_MS;
    if (quiet && (last > before || now - started >= WORST_CASE_MS)) return;
    await sleep(POLL_MS);
  }
}

/** When a file of the folder was last written (0 when there is none). */
async function lastWrite(folder: string): Promise<number> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const times = await Promise.all(names.map((name) => stat(join(folder, name)).then((info) => info.mtimeMs, () => 0)));
  return Math.max(0, ...times);
}
