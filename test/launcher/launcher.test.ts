import test from 'ava';
import { startOwnChrome } from '../helpers/chrome-process.js';
import { launch, connect, findChrome, ChromeNotFoundError } from '../../launcher/index.js';
import { Connection } from '../../protocol/connection.js';
import { ConnectionClosedError } from '../../protocol/errors.js';
import { freshDir, removeDir } from '../helpers/setup.js';

test.serial('findChrome() - a CHROME_PATH that does not exist fails naming CHROME_PATH and how to install', (t) => {
  const saved = process.env.CHROME_PATH;
  process.env.CHROME_PATH = '/nonexistent/chrome';
  try {
    const error = t.throws(() => findChrome(), { instanceOf: ChromeNotFoundError });
    t.regex(error!.message, /CHROME_PATH/);
    t.regex(error!.message, /apt-get install -y chromium/);
    t.regex(error!.message, /\/nonexistent\/chrome/);
  } finally {
    if (saved === undefined) delete process.env.CHROME_PATH;
    else process.env.CHROME_PATH = saved;
  }
});

test('launch() - a crash is reported with exit details, stderr tail, and failed pending commands', async (t) => {
  const userDataDir = freshDir('cs-launch-');
  t.teardown(() => removeDir(userDataDir));
  const { process: browser, transport } = await launch({ userDataDir });
  const connection = new Connection(transport, { browserLogs: () => browser.stderrTail() });
  const version = await connection.root.send('Browser.getVersion');
  t.regex(version.product, /Chrome/);
  t.true(browser.running);
  const closed = new Promise<ConnectionClosedError>((resolve) => connection.onClose(resolve));
  process.kill(browser.pid, 'SIGKILL');
  const exit = await browser.exited;
  t.is(exit.signal, 'SIGKILL');
  t.is(typeof exit.stderrTail, 'string');
  t.true((await closed) instanceof ConnectionClosedError);
  await t.throwsAsync(connection.root.send('Browser.getVersion'), { instanceOf: ConnectionClosedError });
  browser.kill();
});

test('BrowserProcess.close() - graceful Browser.close, process gone afterwards', async (t) => {
  const userDataDir = freshDir('cs-launch-');
  t.teardown(() => removeDir(userDataDir));
  const { process: browser, transport } = await launch({ userDataDir });
  const connection = new Connection(transport);
  const exit = await browser.close(() => connection.root.send('Browser.close'));
  t.is(exit.code, 0);
  t.false(browser.running);
});

test('connect() - to a running browser by ws:// and by http:// endpoint', async (t) => {
  const userDataDir = freshDir('cs-connect-');
  const wsUrl = await startOwnChrome(t, userDataDir, () => removeDir(userDataDir));
  const viaWs = new Connection(await connect(wsUrl));
  t.regex((await viaWs.root.send('Browser.getVersion')).product, /Chrome/);
  viaWs.close();
  const { port } = new URL(wsUrl);
  const viaHttp = new Connection(await connect(`http://127.0.0.1:${port}`));
  const { targetInfos } = await viaHttp.root.send('Target.getTargets');
  t.true(targetInfos.some((info) => info.type === 'page'));
  viaHttp.close();
  await t.throwsAsync(connect('ftp://127.0.0.1/'), { instanceOf: TypeError });
});
