import test from 'ava';
import { app, session } from '../../src/index.js';
import { TestServer } from '../helpers/server.js';
import { openWindow, readyApp, uniquePartition } from '../helpers/setup.js';

// Chrome's resolver rules, given before ready as an Electron app would: Chrome maps its own
// connections, and we map the ones the proxy forwarder makes for a session's direct routes.
let server: TestServer;
test.before(async () => {
  server = await TestServer.start();
  app.commandLine.appendSwitch('host-resolver-rules', 'MAP mapped.test 127.0.0.1, MAP gone.test ~NOTFOUND');
  await readyApp();
});
test.after.always(async () => {
  await app.quit();
  await server.stop();
});

const port = (): string => new URL(server.prefix).port;

test('host-resolver-rules - a mapped name loads, and ~NOTFOUND fails, with and without a proxy forwarder in the way', async (t) => {
  const plain = session.fromPartition(uniquePartition('rules'));
  const forwarded = session.fromPartition(uniquePartition('rules'));
  // Direct routes of a session with a proxy configuration go through its forwarder.
  await forwarded.setProxy({ proxyRules: 'ftp=127.0.0.1:9', proxyBypassRules: '' });
  for (const ses of [plain, forwarded]) {
    const win = await openWindow(t, ses);
    await win.loadURL(`http://mapped.test:${port()}/mapped`);
    t.is(win.webContents.getTitle(), '/mapped');
    await t.throwsAsync(win.loadURL(`http://gone.test:${port()}/`), { message: /ERR_NAME_NOT_RESOLVED/ });
  }
  t.is((await plain.resolveHost('mapped.test')).endpoints[0]?.address, '127.0.0.1');
});
