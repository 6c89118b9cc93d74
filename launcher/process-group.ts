import { readFileSync, readdirSync } from 'node:fs';

/**
 * Whether a process of group `pgid` still runs. A zombie does not count: Chrome's
 * renderers and zygote are reparented when the browser exits, and where the
 * reaper is slow (an init that reaps late, as in some containers) they stay in
 * the group as zombies for a second or more, dead but still answering signal 0.
 * Linux is asked through /proc; elsewhere signal 0 to the group is the answer.
 */
export function groupHasLiveProcess(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  if (process.platform !== 'linux') return true;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (entry.charCodeAt(0) < 48 || entry.charCodeAt(0) > 57) continue;
    const stat = procStat(entry);
    if (stat?.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X') return true;
  }
  return false;
}

/** A process's state letter (`R`, `S`, `Z` for a zombie...) and process group, from /proc (Linux); undefined once it is gone. */
export function procStat(pid: number | string): { state: string; pgrp: number } | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // After the command name (in parentheses, which may hold spaces): state, ppid, pgrp, ...
  const [state = '', , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state, pgrp: Number(pgrp) };
}
