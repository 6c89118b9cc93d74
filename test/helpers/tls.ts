import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

// Compiled to dist/test/helpers: the fixtures stay in the source tree.
const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/tls/', import.meta.url));

/**
 * An HTTPS server on 127.0.0.1 with a certificate from the test CA (not one
 * Chrome trusts), presenting the leaf and the CA. Every path serves
 * `<title>hello</title>`; `requests` counts what it served.
 */
export async function startHttpsServer(): Promise<{ origin: string; requests: () => number; close: () => Promise<void> }> {
  let requests = 0;
  const server = https.createServer(
    { cert: readFileSync(`${FIXTURES}server.pem`), key: readFileSync(`${FIXTURES}server-key.pem`) },
    (_req, res) => {
      requests++;
      res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' });
      res.end('<title>hello</title>');
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
