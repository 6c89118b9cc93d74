import test from 'ava';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { app } from '../../src/index.js';
import { startOwnChrome } from '../helpers/chrome-process.js';
import { relayCdp } from '../helpers/cdp-relay.js';
import { freshDir, removeDir } from '../helpers/setup.js';

/**
 * An endpoint whose discovery answers only when `release()` is called, relaying CDP to a Chrome
 * and saying when our side of the connection closes.
 */
async function heldEndpoint(chromeEndpoint: string) {
  let release = (): void => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  let opened = (): void => undefined;
  const open = new Promise<void>((resolve) => (opened = resolve));
  let closed = (): void => undefined;
  const close = new Promise<void>((resolve) => (closed = resolve));
  const server = http.createServer((_request, response) => {
    void released.then(() => {
      const { port } = server.address() as AddressInfo;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ webSocketDebuggerUrl: `ws://127.0.0.1:${port}/devtools/browser/held` }));
    });
  });
  const relay = relayCdp(server, chromeEndpoint, { opened, closed });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    release,
    open,
    close,
    stop: () => relay.stop(),
  };
}

test('app.quit() - a remote browser reached only after the quit is let go at once, not kept connected', async (t) => {
  const dir = freshDir('cs-remote-quit-');
  const chrome = await startOwnChrome(t, dir, () => removeDir(dir), ['--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup']);
  const endpoint = await heldEndpoint(chrome);
  t.teardown(() => endpoint.stop());
  app.setBrowserEndpoints([endpoint.url]);
  app.setPath('userData', freshDir('cs-remote-quit-app-'));
  // Getting ready reaches for the endpoint, whose discovery is held; the app quits meanwhile.
  const ready = app.whenReady().catch(() => undefined);
  await app.quit();
  endpoint.release();
  await endpoint.open;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => (timer = setTimeout(() => resolve('still connected 20 s after'), 20_000)));
  t.is(await Promise.race([endpoint.close.then(() => 'closed'), late]), 'closed');
  clearTimeout(timer);
  await ready;
});
