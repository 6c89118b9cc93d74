import test from 'ava';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { app, BrowserWindow } from '../../src/index.js';
import { startOwnChrome } from '../helpers/chrome-process.js';
import { relayCdp } from '../helpers/cdp-relay.js';
import { TestServer } from '../helpers/server.js';
import { freshDir, removeDir } from '../helpers/setup.js';

/**
 * A gateway in front of a Chrome, as fleets put one: `/json/version` and the
 * WebSocket upgrade are refused without `authorization: Bearer secret`; CDP
 * messages are relayed both ways.
 */
async function startGateway(chromeEndpoint: string): Promise<{ url: string; seen: string[]; close: () => Promise<void> }> {
  const seen: string[] = [];
  const authorized = (request: http.IncomingMessage): boolean => request.headers.authorization === 'Bearer secret';
  const server = http.createServer((request, response) => {
    seen.push(`${request.url} ${authorized(request)}`);
    if (!authorized(request)) return void response.writeHead(401).end();
    const { port } = server.address() as AddressInfo;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ webSocketDebuggerUrl: `ws://127.0.0.1:${port}/devtools/browser/gateway` }));
  });
  const relay = relayCdp(server, chromeEndpoint, {
    accept: (request) => {
      seen.push(`upgrade ${authorized(request)}`);
      return authorized(request);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => relay.stop(),
  };
}

test('remote browsers - an endpoint behind a gateway: its headers go with the discovery and the WebSocket upgrade', async (t) => {
  const site = await TestServer.start();
  t.teardown(() => site.stop());
  const dir = freshDir('cs-gateway-');
  const chrome = await startOwnChrome(t, dir, () => removeDir(dir), ['--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup']);
  const gateway = await startGateway(chrome);
  t.teardown(() => gateway.close());
  t.throws(() => app.setBrowserEndpoints([{ url: gateway.url, headers: 'x' as never }]), { instanceOf: TypeError, message: 'Endpoint headers must be an object' });
  app.setBrowserEndpoints([{ url: gateway.url, headers: { authorization: 'Bearer secret' } }]);
  app.setPath('userData', freshDir('cs-gateway-app-'));
  await app.whenReady();
  const win = new BrowserWindow({ show: false, webPreferences: { partition: 'behind-gateway' } });
  await win.loadURL(`${site.prefix}/through-the-gateway`);
  t.is(win.webContents.getTitle(), '/through-the-gateway');
  t.deepEqual(gateway.seen, ['/json/version true', 'upgrade true']);
  await app.quit();
});
