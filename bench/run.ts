/**
 * `npm run bench`: chrome-session side by side with raw CDP (the floor),
 * Puppeteer and Playwright, each driving its own Chromium (the same binary).
 * Rounds are interleaved and rotated so machine drift hits all alike; one
 * warm-up round; a settle pause after every timed run; medians; ratios. Writes bench/RESULTS.md and the README's
 * benchmark section.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findChrome } from '../launcher/index.js';
import type { Driver } from './drivers/driver.js';
import { OursDriver } from './drivers/ours.js';
import { RawCdpDriver } from './drivers/raw.js';
import { PuppeteerDriver } from './drivers/puppeteer.js';
import { PlaywrightDriver } from './drivers/playwright.js';
import { measureMemory, type MemoryResult } from './memory.js';
import { startSite, type BenchSite } from './site.js';
import { formatResults, type ScenarioResult } from './report.js';

interface Scenario {
  id: string;
  label: string;
  rounds: number;
  /** 'ms': lower is better (median duration); 'pages/s': higher is better. */
  unit: 'ms' | 'pages/s';
  run: (driver: Driver, site: BenchSite) => Promise<void> | undefined;
  /** Converts a duration to the reported value. */
  value?: (ms: number) => number;
  goal: string;
}

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const THROUGHPUT_URLS = (site: BenchSite) => Array.from({ length: 25 }, (_, i) => site.page(i));

const SCENARIOS: Scenario[] = [
  {
    id: '1',
    label: 'new partition + window + load small page + close',
    rounds: 12 * ROUNDS,
    unit: 'ms',
    run: (d, s) => d.newContextLoadClose(s.small),
    goal: '≤ 1.05 × raw, ≤ faster peer',
  },
  {
    id: '1b',
    label: 'window open + load + close, again, in a session that already opened one',
    rounds: 20 * ROUNDS,
    unit: 'ms',
    run: (d, s) => d.reuseContextLoadClose(s.small),
    goal: '≤ 0.8 × raw',
  },
  {
    id: '1c',
    label: 'as 1b, five windows back to back (no idle time between them), per window',
    rounds: 8 * ROUNDS,
    unit: 'ms',
    run: (d, s) => burst(d, s.small, 5),
    value: (ms) => ms / 5,
    goal: '(honesty check for 1b)',
  },
  {
    id: '1d',
    label: 'as 1, five partitions back to back (no idle time between them), per partition',
    rounds: 6 * ROUNDS,
    unit: 'ms',
    run: async (d, s) => {
      for (let i = 0; i < 5; i++) await d.newContextLoadClose(s.small);
    },
    value: (ms) => ms / 5,
    goal: '(honesty check for 1)',
  },
  {
    id: '2',
    label: '150 concurrent cookie sets + get all + clear, one partition',
    rounds: 20 * ROUNDS,
    unit: 'ms',
    run: (d, s) => d.cookies150(s.origin),
    goal: '≤ 1.3 × raw, ≤ faster peer',
  },
  {
    id: '3',
    label: 'page with 50 subresources, no interception',
    rounds: 12 * ROUNDS,
    unit: 'ms',
    run: (d, s) => d.load50(s.fifty),
    goal: '(reference for 3i)',
  },
  {
    id: '3i',
    label: 'page with 50 subresources, every request intercepted and continued',
    rounds: 12 * ROUNDS,
    unit: 'ms',
    run: (d, s) => d.load50Intercepted?.(s.fifty),
    goal: '≤ 1.1 × raw, ≤ Puppeteer',
  },
  {
    id: '3n',
    label: 'as 3, in a session whose listener (set once) has a URL filter matching none of its requests',
    rounds: 12 * ROUNDS,
    unit: 'ms',
    run: (d, s) => d.load50Unmatched?.(s.fifty),
    goal: '≤ 1.05 × ours in 3',
  },
  {
    id: '3c',
    label: "as 3, in a session with a cookies 'changed' listener",
    rounds: 12 * ROUNDS,
    unit: 'ms',
    run: (d, s) => d.load50CookieListener?.(s.fifty),
    goal: '≤ 1.05 × ours in 3',
  },
  {
    id: '6',
    label: 'as 3, through a local HTTP proxy (ours: setProxy on a live session; peers: a context made with the proxy)',
    rounds: 12 * ROUNDS,
    unit: 'ms',
    run: (d, s) => d.load50Proxied?.(s.proxiedFifty, s.proxy),
    goal: '≤ 1.1 × raw (Chrome pointed straight at the proxy)',
  },
  {
    id: '4',
    label: 'throughput: 4 partitions × 25 pages each',
    rounds: 3 * ROUNDS,
    unit: 'pages/s',
    run: (d, s) => d.throughput(4, THROUGHPUT_URLS(s)),
    value: (ms) => 100 / (ms / 1000),
    goal: '≥ 0.9 × raw, ≥ 1.5 × faster peer',
  },
];

async function burst(driver: Driver, url: string, windows: number): Promise<void> {
  for (let i = 0; i < windows; i++) await driver.reuseContextLoadClose(url);
}

/**
 * Pause after every timed run, for every system: background work one system
 * starts (our spare pages, Chrome's own clean-up) must not load the machine
 * while the next system is timed.
 */
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 600);
const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function timed(work: () => Promise<void> | undefined): Promise<number | undefined> {
  const started = performance.now();
  const running = work();
  if (!running) return undefined;
  await running;
  return performance.now() - started;
}

async function runScenario(scenario: Scenario, drivers: Driver[], site: BenchSite): Promise<ScenarioResult> {
  const samples = new Map<string, number[]>(drivers.map((d) => [d.name, []]));
  const supported = new Set<string>();
  // Warm-up round: not recorded.
  for (const driver of drivers) {
    if ((await timed(() => scenario.run(driver, site))) !== undefined) supported.add(driver.name);
    await settle();
  }
  for (let round = 0; round < scenario.rounds; round++) {
    // Rotate who goes first, so no system always runs right after another.
    const order = drivers.map((_, i) => drivers[(i + round) % drivers.length]!);
    for (const driver of order) {
      if (!supported.has(driver.name)) continue;
      const ms = await timed(() => scenario.run(driver, site));
      if (ms !== undefined) samples.get(driver.name)!.push(scenario.value ? scenario.value(ms) : ms);
      await settle();
    }
  }
  const medians: Record<string, number | undefined> = {};
  for (const [name, values] of samples) medians[name] = values.length ? median(values) : undefined;
  process.stderr.write(`[bench] ${scenario.id}: ${JSON.stringify(medians)}\n`);
  return { id: scenario.id, label: scenario.label, unit: scenario.unit, goal: scenario.goal, medians };
}

async function main(): Promise<void> {
  const site = await startSite();
  const drivers: Driver[] = [new RawCdpDriver(), new OursDriver(), new PuppeteerDriver(), new PlaywrightDriver()];
  for (const driver of drivers) await driver.start();
  const results: ScenarioResult[] = [];
  let memory: MemoryResult | undefined;
  try {
    const only = process.env.BENCH_ONLY?.split(',');
    for (const scenario of SCENARIOS) {
      if (!only || only.includes(scenario.id)) results.push(await runScenario(scenario, drivers, site));
    }
    if (!only || only.includes('5')) memory = await measureMemory(site);
  } finally {
    for (const driver of drivers) await driver.stop().catch((error: unknown) => process.stderr.write(`[bench] ${driver.name} stop: ${String(error)}\n`));
    await site.close();
  }
  const chrome = execFileSync(findChrome(), ['--version'], { encoding: 'utf8' }).trim();
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${chrome}`;
  const markdown = formatResults(results, memory, { date: new Date().toISOString().slice(0, 10), machine });
  console.log(markdown);
  // A partial run (BENCH_ONLY) is for profiling: the recorded results stay those of a whole run.
  if (process.env.BENCH_ONLY) return;
  const root = fileURLToPath(new URL('../../', import.meta.url));
  writeFileSync(`${root}bench/RESULTS.md`, `# Benchmark results\n\n${markdown}\n`);
  const readme = readFileSync(`${root}README.md`, 'utf8');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  if (readme.includes(start) && readme.includes(end)) {
    const updated = `${readme.slice(0, readme.indexOf(start) + start.length)}\n${markdown}\n${readme.slice(readme.indexOf(end))}`;
    writeFileSync(`${root}README.md`, updated);
  }
}

await main();
