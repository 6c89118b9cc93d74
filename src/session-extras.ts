import type { CdpSession } from '../protocol/cdp-session.js';
import { sendMayFail } from '../protocol/cdp-session.js';
import { blobUuid, readBlob } from './internal/browser-file.js';
import { keepAlive } from './internal/keep-alive.js';
import { kWithPage } from './internal/symbols.js';
import { Session } from './session.js';

declare module './session.js' {
  interface Session {
    /**
     * Has the session's Chrome open a connection to `url`'s origin ahead of use (a preconnect
     * hint given from a page of the session). Chrome opens one socket for a hint: `numSockets`
     * is checked as Electron does, but more than one cannot be asked of Chrome over CDP.
     */
    preconnect(options: { url: string; numSockets?: number }): void;
    /**
     * The bytes of a blob of the session's pages: a `blob:` URL a page made
     * (`URL.createObjectURL`), or the UUID Chrome's blob registry knows it by.
     */
    getBlobData(identifier: string): Promise<Buffer>;
  }
}

Session.prototype.preconnect = function preconnect(this: Session, options) {
  const url = typeof options?.url === 'string' && URL.canParse(options.url) ? new URL(options.url) : undefined;
  if (!url || !/^(https?|wss?):$/.test(url.protocol)) throw new TypeError('Must pass non-empty valid url to session.preconnect.');
  const numSockets = options.numSockets ?? 1;
  if (typeof numSockets !== 'number' || !(numSockets >= 1 && numSockets <= 6)) throw new TypeError('numSocketsToPreconnect is outside range [1,6]');
  const expression = `{ const link = document.createElement('link'); link.rel = 'preconnect'; link.href = ${JSON.stringify(url.origin)};
    document.head.append(link); }`;
  // From the session's helper page standing in that origin (nothing is asked of the network for it).
  const work = this[kWithPage](url.origin, (client) => client.send('Runtime.evaluate', { expression }));
  void keepAlive(work).catch(() => undefined);
};

Session.prototype.getBlobData = function getBlobData(this: Session, identifier) {
  if (typeof identifier !== 'string') throw new TypeError('Error processing argument at index 0, conversion failure');
  const origin = identifier.startsWith('blob:') && URL.canParse(identifier.slice(5)) ? new URL(identifier.slice(5)).origin : 'http://localhost';
  return keepAlive(
    this[kWithPage](origin, async (client) => {
      const chunks: Buffer[] = [];
      try {
        if (identifier.startsWith('blob:')) await readBlobURL(client, identifier, chunks);
        else await readBlob(client, identifier, (bytes) => void chunks.push(bytes));
      } catch {
        throw new Error('Could not get blob data handle');
      }
      return Buffer.concat(chunks);
    }),
  );
};

/** A page's `blob:` URL, fetched in a page of its origin in the session (blob URLs are per origin and partition). */
async function readBlobURL(client: CdpSession, url: string, chunks: Buffer[]): Promise<void> {
  const { result, exceptionDetails } = await client.send('Runtime.evaluate', {
    expression: `fetch(${JSON.stringify(url)}).then((response) => response.blob())`,
    awaitPromise: true,
  });
  if (exceptionDetails || !result.objectId) throw new Error('no such blob');
  try {
    await readBlob(client, await blobUuid(client, result.objectId), (bytes) => void chunks.push(bytes));
  } finally {
    await sendMayFail(client, 'Runtime.releaseObject', { objectId: result.objectId });
  }
}
