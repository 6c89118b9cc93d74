import test from 'ava';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { session } from '../../src/index.js';
import { freshDir, openWindow, removeDir, serverAndApp, uniquePartition } from '../helpers/setup.js';

const PAGE = '<!doctype html><title>saved</title><link rel="stylesheet" href="/style.css"><img src="img/dot.png"><p id="p">as served</p>';
// A one-pixel PNG.
const DOT = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==', 'base64');

const context = serverAndApp(test, (server) => {
  server.setPage('/page', PAGE);
  server.setRoute('/style.css', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/css' });
    res.end('p { color: red }');
  });
  server.setRoute('/img/dot.png', (_req, res) => {
    res.writeHead(200, { 'content-type': 'image/png' });
    res.end(DOT);
  });
});

test('savePage - HTMLOnly as served, HTMLComplete with its resources beside it, MHTML in one file', async (t) => {
  const win = await openWindow(t, session.fromPartition(uniquePartition('save')), `${context.server.prefix}/page`);
  const contents = win.webContents;
  await contents.executeJavaScript("document.getElementById('p').textContent = 'changed live'");
  const dir = freshDir('cs-save-');
  t.teardown(() => removeDir(dir));

  await contents.savePage(join(dir, 'only.html'), 'HTMLOnly');
  t.is(readFileSync(join(dir, 'only.html'), 'utf8'), PAGE);

  await contents.savePage(join(dir, 'complete.html'), 'HTMLComplete');
  const complete = readFileSync(join(dir, 'complete.html'), 'utf8');
  t.regex(complete, /changed live/, 'the live document');
  t.regex(complete, /href="complete_files\/style\.css"/);
  t.regex(complete, /src="complete_files\/dot\.png"/);
  t.deepEqual(readdirSync(join(dir, 'complete_files')).sort(), ['dot.png', 'style.css']);
  t.deepEqual(readFileSync(join(dir, 'complete_files', 'dot.png')), DOT);

  await contents.savePage(join(dir, 'page.mhtml'), 'MHTML');
  const mhtml = readFileSync(join(dir, 'page.mhtml'), 'utf8');
  t.regex(mhtml, /multipart\/related/);
  t.regex(mhtml, /changed live/);
});

test('savePage - Electron\'s errors', async (t) => {
  const win = await openWindow(t, session.fromPartition(uniquePartition('save')), `${context.server.prefix}/page`);
  await t.throwsAsync(win.webContents.savePage('relative.html', 'HTMLOnly'), { message: 'Path must be absolute' });
  await t.throwsAsync(win.webContents.savePage('/tmp/x.html', 'PDF' as 'MHTML'), { instanceOf: TypeError, message: 'Error processing argument at index 1, conversion failure' });
  await t.throwsAsync(win.webContents.savePage('/nonexistent-dir/x/y.html', 'MHTML'), { message: 'Failed to save the page' });
  t.false(existsSync('relative.html'));
});
