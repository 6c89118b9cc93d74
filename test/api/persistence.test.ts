import test from 'ava';
import { TestServer } from '../helpers/server.js';
import { runFixture } from '../helpers/child.js';
import { freshDir } from '../helpers/setup.js';

test('default and persist: sessions keep cookies, localStorage and IndexedDB across a restart; in-memory keeps nothing', async (t) => {
  t.timeout(120_000, 'two child processes, each starting two Chromes');
  const server = await TestServer.start();
  t.teardown(() => server.stop());
  const userData = freshDir('cs-persist-');
  const url = `${server.prefix}/page`;
  const writer = runFixture('persistence-child', ['write', userData, url]);
  await writer.stdout;
  t.deepEqual(await writer.exit, [0, null]);
  const reader = runFixture('persistence-child', ['read', userData, url]);
  const report = JSON.parse((await reader.stdout).trim()) as Record<string, unknown>;
  t.deepEqual(report, {
    default: { cookie: 'default', localStorage: 'default', indexedDB: 'default' },
    persistent: { cookie: 'persistent', localStorage: 'persistent', indexedDB: 'persistent' },
    memory: { cookie: null, localStorage: null, indexedDB: null },
  });
});
