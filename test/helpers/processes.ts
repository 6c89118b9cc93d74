import { readdirSync, readFileSync } from 'node:fs';
import { procStat } from '../../launcher/process-group.js';

/** Live (not zombie) processes whose command line contains `needle`, e.g. a unique user-data-dir. */
export function livePidsMatching(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (!cmdline.includes(needle)) continue;
      const state = procStat(entry)?.state;
      if (state && state !== 'Z' && state !== 'X') pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** Resolves once no live process matches `needle`; rejects after `timeoutMs` naming the survivors. */
export async function waitForNoProcess(needle: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pids = livePidsMatching(needle);
    if (!pids.length) return;
    if (Date.now() > deadline) throw new Error(`Processes still alive for ${needle}: ${pids.join(', ')}`);
    // Process exit has no event we can wait on from outside; poll /proc at a short interval.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Resolves once `predicate` holds, looked at every 20 ms; rejects after `timeoutMs`. For states that
 * have no event to wait on (a process's state in /proc, a worker Chrome reports gone only when asked).
 */
export async function until(predicate: () => boolean, timeoutMs: number, what = 'the condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
