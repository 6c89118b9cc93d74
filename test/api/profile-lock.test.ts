import { join } from 'node:path';
import test from 'ava';
import { app, session } from '../../src/index.js';
import { readyApp } from '../helpers/setup.js';
import { startOwnChrome } from '../helpers/chrome-process.js';

test.before(async () => {
  await readyApp();
});
test.after.always(async () => {
  await app.quit();
});

test('a persistent partition whose profile another Chrome holds fails with a clear error, not a hang', async (t) => {
  const name = `locked-${process.pid}`;
  const profile = join(app.getPath('sessionData'), 'Partitions', name);
  // The holder owns the profile once it listens.
  await startOwnChrome(t, profile);
  const error = await t.throwsAsync(session.fromPartition(`persist:${name}`).cookies.get({}));
  t.regex(error!.message, /another Chrome is using this profile/);
});
