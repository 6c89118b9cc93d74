import { open } from 'node:fs/promises';
import type { CdpSession } from '../../protocol/cdp-session.js';
import { sendMayFail } from '../../protocol/cdp-session.js';

/** How much one IO.read asks for (Chrome sends it base64 encoded in one message). */
const CHUNK = 4 * 1024 * 1024;

/**
 * Copies a file on the browser's machine to `localPath`, over CDP alone: a
 * file input in the page is given the path (`DOM.setFileInputFiles` takes
 * paths on the browser's side), and its File is read as a blob through
 * `IO.read`. How downloads of a browser elsewhere reach our disk. Returns
 * the bytes copied.
 */
export async function copyFromBrowser(client: CdpSession, browserPath: string, localPath: string): Promise<number> {
  const { result: input } = await client.send('Runtime.evaluate', {
    expression: "(() => { const input = document.createElement('input'); input.type = 'file'; return input; })()",
  });
  const objectIds = [input.objectId!];
  try {
    await client.send('DOM.setFileInputFiles', { files: [browserPath], objectId: input.objectId! });
    const { result: file } = await client.send('Runtime.callFunctionOn', {
      objectId: input.objectId!,
      functionDeclaration: 'function () { return this.files[0]; }',
    });
    if (!file.objectId) throw new Error(`The browser has no file ${browserPath}`);
    objectIds.push(file.objectId);
    // Written through a file handle: a write that fails (the folder removed meanwhile) rejects here, and nothing waits on a stream's events.
    const out = await open(localPath, 'w');
    try {
      return await readBlob(client, await blobUuid(client, file.objectId), async (bytes) => void (await out.write(bytes)));
    } finally {
      await out.close();
    }
  } finally {
    for (const objectId of objectIds) await sendMayFail(client, 'Runtime.releaseObject', { objectId });
  }
}

/** The UUID Chrome's blob registry knows a page's Blob (or File) object by. */
export async function blobUuid(client: CdpSession, objectId: string): Promise<string> {
  return (await client.send('IO.resolveBlob', { objectId })).uuid;
}

/** Reads the blob Chrome's registry knows as `uuid` through `IO.read`, chunk by chunk into `sink`; returns the bytes read. */
export async function readBlob(client: CdpSession, uuid: string, sink: (bytes: Buffer) => Promise<void> | void): Promise<number> {
  const handle = `blob:${uuid}`;
  let read = 0;
  try {
    for (;;) {
      const chunk = await client.send('IO.read', { handle, size: CHUNK });
      const bytes = Buffer.from(chunk.data, chunk.base64Encoded ? 'base64' : 'utf8');
      read += bytes.length;
      await sink(bytes);
      if (chunk.eof) return read;
    }
  } finally {
    await sendMayFail(client, 'IO.close', { handle });
  }
}
