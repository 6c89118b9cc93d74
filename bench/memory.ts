import { session, BrowserWindow } from '../src/index.js';
import type { BenchSite } from './site.js';

export interface MemoryResult {
  rows: Array<{ label: string; heapBytes: number; rssBytes: number }>;
}

function snapshot(): { heap: number; rss: number } {
  // `npm run bench` runs node with --expose-gc.
  (globalThis as { gc?: () => void }).gc?.();
  const { heapUsed, rss } = process.memoryUsage();
  return { heap: heapUsed, rss };
}

async function windows(count: number, url: string): Promise<void> {
  const ses = session.fromPartition('bench-memory-windows');
  for (let i = 0; i < count; i++) {
    const win = new BrowserWindow({ show: false, webPreferences: { session: ses } });
    await win.loadURL(url);
    await win.webContents.close();
  }
}

/** Scenario 5: Node heap and RSS growth per 100 in-memory sessions, and per 100 windows opened and closed (twice: flat means the second 100 add nothing). */
export async function measureMemory(site: BenchSite): Promise<MemoryResult> {
  const before = snapshot();
  for (let i = 0; i < 100; i++) await session.fromPartition(`bench-memory-session-${i}`).cookies.get({});
  const afterSessions = snapshot();
  await windows(20, site.small);
  const warm = snapshot();
  await windows(100, site.small);
  const afterFirst = snapshot();
  await windows(100, site.small);
  const afterSecond = snapshot();
  return {
    rows: [
      { label: 'per 100 in-memory sessions (each with its Chrome context)', heapBytes: afterSessions.heap - before.heap, rssBytes: afterSessions.rss - before.rss },
      { label: 'per 100 windows opened and closed (first 100)', heapBytes: afterFirst.heap - warm.heap, rssBytes: afterFirst.rss - warm.rss },
      { label: 'per 100 windows opened and closed (next 100)', heapBytes: afterSecond.heap - afterFirst.heap, rssBytes: afterSecond.rss - afterFirst.rss },
    ],
  };
}
