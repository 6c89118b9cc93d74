import test from 'ava';
import { readFileSync } from 'node:fs';
import { app, BrowserWindow, session } from '../../src/index.js';
import { gridSessions, startChromedriver, startGrid } from '../helpers/webdriver-servers.js';
import { livePidsMatching, waitForNoProcess } from '../helpers/processes.js';
import { TestServer } from '../helpers/server.js';
import { freshDir } from '../helpers/setup.js';

test('remote browsers - Selenium Grid 4 and chromedriver endpoints: a WebDriver session each, CDP through se:cdp, deleted at quit', async (t) => {
  const site = await TestServer.start();
  t.teardown(() => site.stop());
  const [grid, chromedriver] = await Promise.all([startGrid(t), startChromedriver(t)]);
  // Every Chrome the WebDriver servers start for us carries this switch: it tells their processes apart.
  const marker = `cs-grid-${process.pid}-${Date.now()}`;
  app.commandLine.appendSwitch(marker);
  t.throws(() => app.setBrowserEndpoints([{ url: 'ws://127.0.0.1:1/x', capabilities: {} }]), {
    instanceOf: TypeError,
    message: 'Endpoint capabilities need an http(s):// WebDriver server URL',
  });
  const binary = process.env.CHROME_PATH ? { 'goog:chromeOptions': { binary: process.env.CHROME_PATH } } : {};
  app.setBrowserEndpoints([
    // The Grid URL as is: not a DevTools endpoint, so its /status is asked and a WebDriver session made.
    process.env.CHROME_PATH ? { url: grid, capabilities: binary } : grid,
    // A chromedriver on this machine, told so by capabilities: its debuggerAddress is on our loopback.
    { url: chromedriver, capabilities: binary },
  ]);
  app.setPath('userData', freshDir('cs-grid-app-'));
  await app.whenReady();
  const [gridSession] = await gridSessions(grid);
  t.truthy(gridSession, 'the Grid holds our WebDriver session');

  // Four partitions spread over the two browsers; each works and keeps its own cookies.
  const names = ['grid-a', 'grid-b', 'grid-c', 'grid-d'];
  const windows = names.map((partition) => new BrowserWindow({ show: false, webPreferences: { partition } }));
  await Promise.all(windows.map((win, i) => win.loadURL(`${site.prefix}/page-${names[i]}`)));
  t.deepEqual(windows.map((win) => win.webContents.getTitle()), names.map((name) => `/page-${name}`));
  await Promise.all(names.map((name) => session.fromPartition(name).cookies.set({ url: site.prefix, name: 'who', value: name })));
  for (const name of names) t.deepEqual((await session.fromPartition(name).cookies.get({ name: 'who' })).map((cookie) => cookie.value), [name]);
  await session.defaultSession.cookies.set({ url: site.prefix, name: 'on', value: 'grid' });
  t.is((await session.defaultSession.cookies.get({ name: 'on' }))[0]?.value, 'grid');
  // Two browsers, each started by its server with our switches.
  const browsers = livePidsMatching(`--${marker}`).filter((pid) => !readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type='));
  t.is(browsers.length, 2);

  await app.quit();
  // Grid's /status learns of it later; the session itself is gone at once.
  const after = (await (await fetch(`${grid}/session/${gridSession}/url`)).json()) as { value: { error?: string } };
  t.is(after.value.error, 'invalid session id', 'quit deleted the Grid session');
  const sessions = (await (await fetch(`${chromedriver}/sessions`)).json().catch(() => ({ value: [] }))) as { value: unknown[] };
  t.deepEqual(sessions.value, [], 'quit deleted the chromedriver session');
  await waitForNoProcess(`--${marker}`, 15_000);
});
