import test from 'ava';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseEndpoints, RemotePool } from '../../src/internal/remote-pool.js';

/** A port nothing listens on (a server's, closed again). */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The message and every cause below it. */
function wholeText(error: unknown): string {
  const parts: string[] = [];
  for (let at = error; at instanceof Error; at = at.cause) parts.push(at.message, String((at as { browserLogs?: string }).browserLogs ?? ''));
  return parts.join('\n');
}

test('credentials - no password or endpoint key in the errors of browser endpoints that cannot be reached', async (t) => {
  const port = await closedPort();
  const lost: string[] = [];
  const pool = new RemotePool(
    parseEndpoints([
      `ws://user:s3cret-ws@127.0.0.1:${port}/devtools/browser/x?token=s3cret-token`,
      `http://user:s3cret-http@127.0.0.1:${port}`,
      { url: `http://127.0.0.1:${port}/?apiKey=s3cret-query`, headers: { authorization: 'Bearer s3cret-header' } },
    ]),
    { lost: (_endpoint, reason) => void lost.push(reason), connected: () => undefined },
    () => [],
  );
  // The default session's endpoint (the first).
  const first = await t.throwsAsync(pool.first(), { message: /^Cannot connect to / });
  t.notRegex(wholeText(first), /s3cret/);
  t.regex(first?.message ?? '', /ws:\/\/user:\*\*\*@127\.0\.0\.1:\d+\/devtools\/browser\/x\?token=\*\*\*/);
  // An in-memory partition tries each one that is not known lost: here the two others.
  const unreachable = await t.throwsAsync(pool.place(), { message: /^No browser endpoint could be reached/ });
  const text = wholeText(unreachable);
  t.notRegex(text, /s3cret/);
  t.regex(text, /http:\/\/user:\*\*\*@127\.0\.0\.1/);
  t.regex(text, /\?apiKey=\*\*\*/);
  t.is(lost.length, 3);
  t.notRegex(lost.join('\n'), /s3cret/);
});
