import { readFileSync, writeFileSync } from 'node:fs';
import type http from 'node:http';
import { join } from 'node:path';
import test from 'ava';
import { session, type DownloadItem, type Session } from '../../src/index.js';
import { freshDir, serverAndApp, uniquePartition } from '../helpers/setup.js';

const SIZE = 6 * 1024 * 1024;
const CHUNK = 256 * 1024;
const CONTENT = Buffer.from(Array.from({ length: SIZE }, (_, i) => i % 251));
const ranges: string[] = [];
interface Hold {
  released: Promise<void>;
  release: () => void;
}
/** By path: a download's first response holds after its first chunk until released, so the test pauses before the server is done. */
const holds = new Map<string, Hold>();

function newHold(): Hold {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  return { released, release };
}

/** Sends CONTENT (or its rest, for a Range request when ranges are honoured) in paced chunks. */
function paced(honourRanges: boolean) {
  return (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const range = honourRanges ? /bytes=(\d+)-/.exec(req.headers.range ?? '') : null;
    if (req.headers.range) ranges.push(`${req.url} ${req.headers.range}`);
    const start = range ? Number(range[1]) : 0;
    res.writeHead(range ? 206 : 200, {
      'content-type': 'application/octet-stream',
      'content-length': SIZE - start,
      etag: '"v1"',
      ...(honourRanges ? { 'accept-ranges': 'bytes' } : {}),
      ...(range ? { 'content-range': `bytes ${start}-${SIZE - 1}/${SIZE}` } : {}),
    });
    let sent = start;
    const held = start === 0 ? holds.get(req.url ?? '') : undefined;
    const next = (): void => {
      if (res.destroyed) return;
      if (sent >= SIZE) return void res.end();
      const end = Math.min(sent + CHUNK, SIZE);
      res.write(CONTENT.subarray(sent, end));
      const first = sent === start;
      sent = end;
      if (first && held) void held.released.then(() => setTimeout(next, 25));
      else setTimeout(next, 25);
    };
    next();
  };
}

const context = serverAndApp(test, (server) => {
  server.setRoute('/ranged.bin', paced(true));
  server.setRoute('/whole.bin', paced(false));
  server.setRoute('/interrupted.bin', paced(true));
});

const fresh = (): Session => session.fromPartition(uniquePartition('resume'));

function doneOf(item: DownloadItem): Promise<string> {
  return new Promise((resolve) => item.once('done', (_event, state) => resolve(state)));
}

/** Downloads `path`, pausing at the first progress with bytes and resuming when the pause is seen. */
async function pauseAndResume(t: { is: (a: unknown, b: unknown) => void; true: (v: boolean) => void }, ses: Session, path: string) {
  const savePath = join(freshDir('cs-resume-'), 'file.bin');
  const gate = newHold();
  holds.set(path, gate);
  const item = await new Promise<DownloadItem>((resolve) => {
    ses.once('will-download', (_event, it) => {
      it.setSavePath(savePath);
      resolve(it);
    });
    ses.downloadURL(`${context.server.prefix}${path}`);
  });
  const done = doneOf(item);
  await new Promise<void>((resolve) => {
    const onUpdated = (): void => {
      if (item.getReceivedBytes() === 0) return;
      item.off('updated', onUpdated);
      item.pause();
      resolve();
    };
    item.on('updated', onUpdated);
  });
  t.true(item.isPaused());
  t.true(item.canResume());
  t.is(item.getState(), 'progressing');
  const kept = item.getReceivedBytes();
  holds.delete(path);
  gate.release();
  item.resume();
  t.is(await done, 'completed');
  t.true(readFileSync(savePath).equals(CONTENT));
  t.is(item.getReceivedBytes(), SIZE);
  return kept;
}

test('DownloadItem.pause() / resume() - the rest comes by a range request; the file is whole', async (t) => {
  const kept = await pauseAndResume(t, fresh(), '/ranged.bin');
  t.true(kept > 0 && kept < SIZE);
  t.true(ranges.includes(`/ranged.bin bytes=${kept}-`), ranges.join(', '));
});

test('DownloadItem.resume() - a server that ignores ranges sends it all again; the file is still whole', async (t) => {
  await pauseAndResume(t, fresh(), '/whole.bin');
});

test('createInterruptedDownload() - Electron\'s errors; the item resumes from its offset', async (t) => {
  const ses = fresh();
  t.throws(() => ses.createInterruptedDownload({ path: '', urlChain: [], offset: 0, length: 0 }), { message: 'Must pass non-empty path, urlChain and length.' });
  t.throws(() => ses.createInterruptedDownload({ path: '/tmp/x', urlChain: ['http://x/'], offset: 10, length: 10 }), {
    message: 'Must pass an offset value less than length.',
  });
  const path = join(freshDir('cs-interrupted-'), 'interrupted.bin');
  const half = SIZE / 2;
  writeFileSync(path, CONTENT.subarray(0, half));
  const url = `${context.server.prefix}/interrupted.bin`;
  const item = await new Promise<DownloadItem>((resolve) => {
    ses.once('will-download', (_event, it, webContents) => {
      t.is(webContents, null);
      resolve(it);
    });
    ses.createInterruptedDownload({ path, urlChain: [url], mimeType: 'application/octet-stream', offset: half, length: SIZE, eTag: '"v1"' });
  });
  t.is(item.getState(), 'interrupted');
  t.deepEqual(item.getURLChain(), [url]);
  t.is(item.getReceivedBytes(), half);
  t.is(item.getTotalBytes(), SIZE);
  t.is(item.savePath, path);
  t.true(item.canResume());
  const done = doneOf(item);
  item.resume();
  t.is(await done, 'completed');
  t.true(readFileSync(path).equals(CONTENT));
  t.true(ranges.includes(`/interrupted.bin bytes=${half}-`));
});
