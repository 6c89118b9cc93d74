import { spawn } from 'node:child_process';
import { join } from 'node:path';
import test from 'ava';
import { app, session } from '../../src/index.js';
import { findChrome } from '../../launcher/index.js';
import { readyApp } from '../helpers/setup.js';

test.before(async () => {
  await readyApp();
});
test.after.always(async () => {
  await app.quit();
});

test('a persistent partition whose profile another Chrome holds fails with a clear error, not a hang', async (t) => {
  const name = `locked-${process.pid}`;
  const profile = join(app.getPath('sessionData'), 'Partitions', name);
  const holder = spawn(findChrome(), ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  const exited = new Promise((resolve) => holder.once('exit', resolve));
  t.teardown(async () => {
    try {
      process.kill(-holder.pid!, 'SIGKILL');
    } catch {
      holder.kill('SIGKILL');
    }
    await exited;
  });
  // The holder owns the profile once it listens.
  await new Promise<void>((resolve, reject) => {
    let err = '';
    holder.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      if (err.includes('DevTools listening')) resolve();
    });
    holder.once('exit', () => reject(new Error(`holder exited: ${err}`)));
  });
  const error = await t.throwsAsync(session.fromPartition(`persist:${name}`).cookies.get({}));
  t.regex(error!.message, /another Chrome is using this profile/);
});
