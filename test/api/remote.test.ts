import test from 'ava';
import CDP from 'chrome-remote-interface';
import { once } from 'node:events';
import { app, session, BrowserWindow, ElectronEvent } from '../../src/index.js';
import { startOwnChrome } from '../helpers/chrome-process.js';
import { TestServer } from '../helpers/server.js';
import { freshDir, removeDir } from '../helpers/setup.js';

/** Our browser contexts in the Chrome at `endpoint`, seen from a CDP connection of the test's own. */
/** The URLs of the pages open at an endpoint. */
async function pagesAt(endpoint: string): Promise<string[]> {
  const client = await CDP({ target: endpoint });
  try {
    return (await client.Target.getTargets()).targetInfos.filter((info) => info.type === 'page').map((info) => info.url);
  } finally {
    await client.close();
  }
}

async function contextsIn(endpoint: string): Promise<number> {
  const client = await CDP({ target: endpoint });
  try {
    return (await client.Target.getBrowserContexts()).browserContextIds.length;
  } finally {
    await client.close();
  }
}

// One test: endpoints are set before the app is ready, once per process.
test('remote browsers - 30 partitions spread over three endpoints, one lost while the others serve, new partitions on the survivors, quit leaves them running', async (t) => {
  t.timeout(120_000);
  const server = await TestServer.start();
  t.teardown(() => server.stop());
  const endpoints: string[] = [];
  for (let i = 0; i < 3; i++) {
    const dir = freshDir('cs-remote-');
    // Without the omnibox popup renderers (see launcher/chrome-args.ts): a window costs a third.
    endpoints.push(await startOwnChrome(t, dir, () => removeDir(dir), ['--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup']));
  }
  t.throws(() => app.setBrowserEndpoints(['ftp://nowhere']), { instanceOf: TypeError });
  app.setBrowserEndpoints(endpoints);
  app.setPath('userData', freshDir('cs-remote-app-'));
  await app.whenReady();
  t.throws(() => app.setBrowserEndpoints(endpoints), { message: 'setBrowserEndpoints() must be called before the app is ready' });

  // Six at a time, as a scraper would: placement must spread concurrent partitions too.
  const windows: BrowserWindow[] = [];
  for (let batch = 0; batch < 5; batch++) {
    windows.push(
      ...(await Promise.all(
        Array.from({ length: 6 }, async (_, j) => {
          const i = batch * 6 + j;
          const win = new BrowserWindow({ show: false, webPreferences: { partition: `remote-${i}` } });
          await win.loadURL(`${server.prefix}/p${i}`);
          return win;
        }),
      )),
    );
  }
  t.is(windows[29]!.webContents.getTitle(), '/p29');
  // Least loaded first: ten partitions each (a spare context may stand ready beside them).
  for (const endpoint of endpoints) {
    const count = await contextsIn(endpoint);
    t.true(count >= 10 && count <= 11, `${endpoint}: ${count} contexts`);
  }
  const defaultWindow = new BrowserWindow({ show: false });
  await defaultWindow.loadURL(`${server.prefix}/default`);
  t.is(defaultWindow.webContents.getTitle(), '/default');

  // The last endpoint goes away: its sessions' calls fail, the app says which one, the others keep serving.
  const lost = once(app, 'remote-browser-lost') as Promise<[ElectronEvent, { endpoint: string; reason: string }]>;
  const doomed = await CDP({ target: endpoints[2]! });
  await doomed.Browser.close().catch(() => undefined);
  const [, details] = await lost;
  t.is(details.endpoint, endpoints[2]);
  t.truthy(details.reason);
  const survivors = windows.filter((_win, i) => i % 3 !== 2);
  await survivors[0]!.loadURL(`${server.prefix}/still-here`);
  t.is(survivors[0]!.webContents.getTitle(), '/still-here');

  // New partitions (and the lost ones, next time they are used) go to the two that are left.
  const fresh: BrowserWindow[] = [];
  for (let i = 0; i < 6; i++) {
    const win = new BrowserWindow({ show: false, webPreferences: { partition: `after-${i}` } });
    await win.loadURL(`${server.prefix}/after${i}`);
    fresh.push(win);
  }
  const placed = (await Promise.all(endpoints.slice(0, 2).map(pagesAt))).flat();
  for (let i = 0; i < 6; i++) t.true(placed.includes(`${server.prefix}/after${i}`), `after${i} on a survivor`);
  const cookies = session.fromPartition('after-0').cookies;
  await cookies.set({ url: server.prefix, name: 'placed', value: 'yes' });
  t.is((await cookies.get({ name: 'placed' }))[0]?.value, 'yes');

  await app.quit();
  // Still running, with none of our contexts left.
  for (const endpoint of endpoints.slice(0, 2)) t.is(await contextsIn(endpoint), 0);
});
