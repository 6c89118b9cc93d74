import test from 'ava';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startWebDriverSession } from '../../launcher/webdriver.js';

/** A scripted WebDriver server: answers POST /session with `created`, records every request. */
async function fakeServer(created: { status: number; value: unknown }): Promise<{ url: string; requests: string[]; next: (match: string) => Promise<void>; close: () => Promise<void> }> {
  const requests: string[] = [];
  const waiters: Array<{ match: string; resolve: () => void }> = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const line = `${request.method} ${request.url}${body ? ` ${body}` : ''}`;
      requests.push(line);
      for (const waiter of waiters.splice(0)) (line.startsWith(waiter.match) ? waiter.resolve() : waiters.push(waiter));
      response.writeHead(request.method === 'POST' ? created.status : 200, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify(request.method === 'POST' ? { value: created.value } : { value: null }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/wd/hub`,
    requests,
    next: (match) => new Promise<void>((resolve, reject) => {
      waiters.push({ match, resolve });
      setTimeout(() => reject(new Error(`no ${match} in ${requests.join(' | ')}`)), 5_000).unref();
    }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test('webdriver - a session: our switches and capabilities sent under the base path, kept alive with WebDriver commands, deleted once', async (t) => {
  const server = await fakeServer({ status: 200, value: { sessionId: 's1', capabilities: { 'se:cdp': 'ws://grid/session/s1/se/cdp' } } });
  t.teardown(() => server.close());
  const session = await startWebDriverSession(server.url, {
    args: ['--headless=new', '--disable-features=A'],
    capabilities: { browserVersion: '156', 'goog:chromeOptions': { args: ['--disable-features=B', '--lang=de'], binary: '/opt/chrome' } },
    keepAliveMs: 20,
  });
  t.is(session.cdpUrl, 'ws://grid/session/s1/se/cdp');
  t.deepEqual(JSON.parse(server.requests[0]!.replace('POST /wd/hub/session ', '')), {
    capabilities: {
      alwaysMatch: {
        browserName: 'chrome',
        browserVersion: '156',
        'goog:chromeOptions': { binary: '/opt/chrome', args: ['--headless=new', '--lang=de', '--disable-features=A,B'] },
      },
    },
  });
  await server.next('GET /wd/hub/session/s1/url');
  await server.next('GET /wd/hub/session/s1/url');
  await Promise.all([session.end(), session.end()]);
  t.is(server.requests.filter((line) => line === 'DELETE /wd/hub/session/s1').length, 1);
});

test('webdriver - a refusal names the server and its error; a session with no CDP address is deleted again', async (t) => {
  const refusing = await fakeServer({ status: 500, value: { error: 'session not created', message: 'Could not start a new session.\nMore' } });
  t.teardown(() => refusing.close());
  await t.throwsAsync(startWebDriverSession(refusing.url, { args: [] }), {
    message: `WebDriver server ${refusing.url} did not create a session (session not created: Could not start a new session.)`,
  });
  const noCdp = await fakeServer({ status: 200, value: { sessionId: 's2', capabilities: { browserName: 'firefox' } } });
  t.teardown(() => noCdp.close());
  await t.throwsAsync(startWebDriverSession(noCdp.url, { args: [] }), { message: /gave no CDP address: Selenium Grid 4 gives 'se:cdp'/ });
  t.true(noCdp.requests.includes('DELETE /wd/hub/session/s2'));
});
