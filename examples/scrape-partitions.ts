/**
 * `npm run demo`: four users logged in at once, each in its own partition
 * (three in-memory, one `persist:`), scraping a local site. Each partition
 * blocks the site's tracker with `webRequest`, fetches its CSV report with
 * `ses.fetch` (its own cookies), and one downloads an archive with a progress
 * bar. The table shows that each partition sees only its own login, cookies
 * and storage, and that the persistent one remembers earlier runs.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, session, BrowserWindow, type Session } from '../src/index.js';
import { startSite } from './site.js';

const USERS: Array<[user: string, partition: string]> = [
  ['alice', 'shop-alice'],
  ['bob', 'shop-bob'],
  ['carol', 'shop-carol'],
  ['dave', 'persist:shop-dave'],
];

interface Row {
  partition: string;
  user: string;
  plan: string;
  orders: number;
  report: string;
  blocked: number;
  cookies: string;
  visits: number;
  ms: number;
}

async function scrape(site: string, user: string, ses: Session): Promise<Row> {
  const started = performance.now();
  let blocked = 0;
  ses.webRequest.onBeforeRequest({ urls: ['*://*/tracker.js'] }, (_details, callback) => {
    blocked++;
    callback({ cancel: true });
  });
  const win = new BrowserWindow({ show: false, webPreferences: { session: ses } });
  try {
    await win.loadURL(`${site}/login?user=${user}`);
    const name = (await win.webContents.executeJavaScript('document.querySelector("#name").textContent')) as string;
    const plan = (await win.webContents.executeJavaScript('document.querySelector("#plan").textContent')) as string;
    await win.loadURL(`${site}/orders`);
    const orders = (await win.webContents.executeJavaScript('document.querySelectorAll(".item").length')) as number;
    // The report is fetched by the partition's Chrome, with the partition's own cookies.
    const csv = await (await ses.fetch(`${site}/report.csv`)).text();
    const report = `${csv.split('\n').length - 1} lines`;
    // A visit counter in a persistent cookie (cookies ignore the port, which changes every run):
    // it grows across runs only where the session persists.
    const [previous] = await ses.cookies.get({ url: site, name: 'visits' });
    const visits = Number(previous?.value ?? 0) + 1;
    await ses.cookies.set({ url: site, name: 'visits', value: String(visits), expirationDate: Date.now() / 1000 + 86_400 });
    const cookies = (await ses.cookies.get({})).filter((c) => c.name !== 'visits');
    return {
      partition: '',
      user: name,
      plan,
      orders,
      report,
      blocked,
      cookies: cookies.map((c) => `${c.name}=${c.value.split('-')[0]}…`).join(' '),
      visits,
      ms: Math.round(performance.now() - started),
    };
  } finally {
    win.destroy();
  }
}

/** Downloads the archive in `ses`, drawing a progress bar; resolves with the saved file's size. */
function downloadArchive(site: string, ses: Session, folder: string): Promise<number> {
  return new Promise((resolve, reject) => {
    ses.once('will-download', (_event, item) => {
      item.setSavePath(join(folder, item.getFilename()));
      const draw = (): void => {
        const percent = item.getPercentComplete();
        const bar = '#'.repeat(Math.round(percent / 4)).padEnd(25, '.');
        process.stdout.write(`\r  ${item.getFilename()} [${bar}] ${String(percent).padStart(3)}%  ${(item.getReceivedBytes() / 2 ** 20).toFixed(1)} MiB`);
      };
      item.on('updated', draw);
      item.once('done', (_done, state) => {
        draw();
        process.stdout.write('\n');
        if (state === 'completed') resolve(statSync(item.savePath).size);
        else reject(new Error(`download ${state}`));
      });
    });
    ses.downloadURL(`${site}/archive.zip`);
  });
}

async function main(): Promise<void> {
  const site = await startSite();
  // The default session and `persist:` partitions live here, across runs.
  app.setPath('userData', fileURLToPath(new URL('../../.demo-data', import.meta.url)));
  const started = performance.now();
  await app.whenReady();
  try {
    const rows = await Promise.all(
      USERS.map(async ([user, partition]) => ({ ...(await scrape(site.url, user, session.fromPartition(partition))), partition })),
    );
    console.log(`\nScraped ${rows.length} accounts at once from ${site.url}, one partition each:\n`);
    console.table(rows);
    console.log('Downloading an archive in persist:shop-dave (logged in there):');
    const folder = join(app.getPath('userData'), 'downloads');
    const size = await downloadArchive(site.url, session.fromPartition('persist:shop-dave'), folder);
    console.log(`  saved ${(size / 2 ** 20).toFixed(1)} MiB to ${folder}`);
    const isolated = rows.every((row, i) => row.cookies.split(' ').length === 1 && row.cookies.includes(`sid=${USERS[i]![0]}`));
    console.log(`Isolation: ${isolated ? 'every partition holds only its own login cookie' : 'LEAK between partitions'}`);
    const dave = rows.find((row) => row.partition.startsWith('persist:'));
    console.log(`Persistence: ${dave?.partition} has visited ${dave?.visits} time(s) over all runs; in-memory partitions always start at 1.`);
    console.log(`Total: ${Math.round(performance.now() - started)} ms, including starting Chrome twice (main + persistent partition).\n`);
    if (!isolated) process.exitCode = 1;
  } finally {
    await app.quit();
    await site.close();
  }
}

await main();
