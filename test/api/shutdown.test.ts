import test from 'ava';
import { TestServer } from '../helpers/server.js';
import { runFixture } from '../helpers/child.js';
import { livePidsMatching, waitForNoProcess } from '../helpers/processes.js';
import { freshDir } from '../helpers/setup.js';

let server: TestServer;
test.before(async () => {
  server = await TestServer.start();
  // In flight until the child ends: a download that trickles, and a request never answered.
  server.setRoute('/trickle.bin', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(1 << 30) });
    res.write(Buffer.alloc(64 * 1024));
  });
  server.setRoute('/hang', (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }));
});
test.after.always(async () => {
  await server?.stop();
});

async function startChild(t: import('ava').ExecutionContext, how: string) {
  t.timeout(60_000, `child process ending by ${how}`);
  const userData = freshDir('cs-shutdown-');
  const run = runFixture('shutdown-child', [how, userData, `${server.prefix}/`]);
  await run.line('READY');
  return { ...run, userData };
}

test.serial('app.quit() - with a download and requests in flight, leaves no Chrome process', async (t) => {
  const { exit, userData } = await startChild(t, 'quit');
  t.deepEqual(await exit, [0, null]);
  t.deepEqual(livePidsMatching(userData), [], 'every Chrome had exited when quit() resolved');
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test.serial(`${signal} - with a download and requests in flight, closes every Chrome, then exits as the signal would`, async (t) => {
    const { child, exit, userData } = await startChild(t, 'signal');
    t.true(livePidsMatching(userData).length >= 2, 'both Chromes run before the signal');
    child.kill(signal);
    const [code] = await exit;
    t.is(code, signal === 'SIGTERM' ? 143 : 130);
    t.deepEqual(livePidsMatching(userData), []);
  });
}

test.serial('an uncaught exception - leaves no Chrome process', async (t) => {
  const { exit, userData } = await startChild(t, 'throw');
  const [code] = await exit;
  t.is(code, 1);
  await t.notThrowsAsync(waitForNoProcess(userData));
});

test.serial('process.exit() - leaves no Chrome process', async (t) => {
  const { exit, userData } = await startChild(t, 'exit');
  t.deepEqual(await exit, [3, null]);
  await t.notThrowsAsync(waitForNoProcess(userData));
});

test.serial('the end of the script - closes every Chrome gracefully and exits 0', async (t) => {
  const { exit, userData } = await startChild(t, 'natural');
  t.deepEqual(await exit, [0, null]);
  t.deepEqual(livePidsMatching(userData), []);
});
