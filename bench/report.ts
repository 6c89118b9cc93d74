import type { MemoryResult } from './memory.js';

export interface ScenarioResult {
  id: string;
  label: string;
  unit: 'ms' | 'pages/s';
  goal: string;
  medians: Record<string, number | undefined>;
}

const OURS = 'chrome-session';
const RAW = 'raw CDP';
const PEERS = ['Puppeteer', 'Playwright'];

function fmt(value: number | undefined, unit: string): string {
  if (value === undefined) return 'n/a';
  return unit === 'pages/s' ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0);
}

/** The results table (medians, ratios to raw CDP and to the faster peer) and the memory figures, as Markdown. */
export function formatResults(results: ScenarioResult[], memory: MemoryResult | undefined, meta: { date: string; machine: string }): string {
  const lines = [
    `Run of ${meta.date} on ${meta.machine}. Medians; each system drives its own browser; rounds interleaved and rotated after a warm-up round.`,
    '',
    `| # | scenario | unit | ${RAW} | ${OURS} | ${PEERS.join(' | ')} | ours / raw | ours / faster peer | goal |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of results) {
    const ours = r.medians[OURS];
    const raw = r.medians[RAW];
    const peers = PEERS.map((p) => r.medians[p]).filter((v): v is number => v !== undefined);
    const fasterPeer = peers.length ? (r.unit === 'pages/s' ? Math.max(...peers) : Math.min(...peers)) : undefined;
    const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined ? (a / b).toFixed(2) : 'n/a');
    lines.push(
      `| ${r.id} | ${r.label} | ${r.unit} | ${fmt(raw, r.unit)} | ${fmt(ours, r.unit)} | ${PEERS.map((p) => fmt(r.medians[p], r.unit)).join(' | ')} | ${ratio(ours, raw)} | ${ratio(ours, fasterPeer)} | ${r.goal} |`,
    );
  }
  if (memory) {
    lines.push(
      '',
      'Memory of the Node process (chrome-session only; after a forced GC):',
      '',
      '| what | heap growth | RSS growth |',
      '| --- | --- | --- |',
      ...memory.rows.map((row) => `| ${row.label} | ${(row.heapBytes / 1024).toFixed(0)} KiB | ${(row.rssBytes / 1024).toFixed(0)} KiB |`),
    );
  }
  lines.push('', 'In 6, the peers\' contexts are made with the proxy (Chrome fixes it for their lifetime); ours has `setProxy` called on a live session, so its requests pass its forwarder on the way. Puppeteer has no URL filter for interception, so 3n is n/a there; only chrome-session has cookie-change events (3c).');
  return lines.join('\n');
}
