import test from 'ava';
import { TestServer } from '../helpers/server.js';
import { runFixture, type FixtureRun } from '../helpers/child.js';
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

/** Each run's limit, inside the test's own: when it is reached, the failure shows what the child printed and logged. */
const CHILD_LIMIT_MS = 50_000;

/**
 * A promise that rejects once `run` has taken CHILD_LIMIT_MS, with what it printed; the child is killed
 * at the test's end if it still runs.
 */
function limit(t: import('ava').ExecutionContext, run: FixtureRun, what: string): Promise<never> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not end within ${CHILD_LIMIT_MS / 1000} s\n${run.report()}`)), CHILD_LIMIT_MS);
  });
  t.teardown(() => {
    clearTimeout(timer);
    if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
  });
  return late;
}

async function startChild(t: import('ava').ExecutionContext, how: string) {
  t.timeout(60_000, `child process ending by ${how}`);
  const userData = freshDir('cs-shutdown-');
  // The child logs the CDP commands it sends (stderr), so that a run that hangs says where.
  const run = runFixture('shutdown-child', [how, userData, `${server.prefix}/`], { DEBUG: 'chrome-session:send,chrome-session:ignored' });
  const late = limit(t, run, `the child (${how})`);
  await Promise.race([run.line('READY'), late]);
  return { ...run, exit: Promise.race([run.exit, late]), userData };
}

test.serial('app.quit() - with a download and requests in flight, leaves no Chrome process', async (t) => {
  const { exit, userData, stdout } = await startChild(t, 'quit');
  t.deepEqual(await exit, [0, null]);
  t.deepEqual(livePidsMatching(userData), [], 'every Chrome had exited when quit() resolved');
  // The download still receiving was cancelled, as Chrome's download manager does at shutdown, before quit() resolved.
  t.regex(await stdout, /DOWNLOAD DONE cancelled\nQUIT RESOLVED/);
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test.serial(`${signal} - with a download and requests in flight, closes every Chrome, then exits as the signal would`, async (t) => {
    const { child, exit, userData, stdout } = await startChild(t, 'signal');
    t.true(livePidsMatching(userData).length >= 2, 'both Chromes run before the signal');
    child.kill(signal);
    const [code] = await exit;
    t.is(code, signal === 'SIGTERM' ? 143 : 130);
    t.deepEqual(livePidsMatching(userData), []);
    t.regex(await stdout, /DOWNLOAD DONE cancelled/);
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

/** Runs test/fixtures/quit-child.ts to its end; what it printed (JSON), and the Chromes it left. */
async function quitChild(t: import('ava').ExecutionContext, how: string): Promise<{ report: Record<string, unknown>; exit: [number | null, NodeJS.Signals | null]; left: number[] }> {
  t.timeout(60_000, `quit child (${how})`);
  const userData = freshDir('cs-quit-');
  const run = runFixture('quit-child', [how, userData, `${server.prefix}/`]);
  const late = limit(t, run, `the quit child (${how})`);
  const [out, exit] = await Promise.race([Promise.all([run.stdout, run.exit]), late]);
  return { report: JSON.parse(out) as Record<string, unknown>, exit, left: livePidsMatching(userData) };
}

test.serial('app.quit() - before-quit, every window asked to close at once, their closed, will-quit, quit; no Chrome left', async (t) => {
  const { report, exit, left } = await quitChild(t, 'events');
  const events = report.afterQuit as string[];
  t.deepEqual(events.slice(0, 3), ['before-quit', 'close 0', 'close 1'], 'both windows are asked before either has closed');
  t.deepEqual(events.slice(3, 5).sort(), ['closed 0', 'closed 1']);
  t.deepEqual(events.slice(5), ['will-quit', 'quit']);
  t.deepEqual(exit, [0, null]);
  t.deepEqual(left, []);
});

test.serial("app.quit() - a window that prevents its 'close' cancels the quit: the others close, the app and that window go on; the next quit ends it", async (t) => {
  const { report, exit, left } = await quitChild(t, 'refuse');
  const afterRefusal = report.afterRefusal as { events: string[]; destroyed: boolean[]; stillRuns: number };
  t.deepEqual(afterRefusal.events, ['before-quit', 'close 0', 'close 1', 'closed 0'], "no will-quit: the quit stopped there");
  t.deepEqual(afterRefusal.destroyed, [true, false]);
  t.is(afterRefusal.stillRuns, 2);
  t.deepEqual(report.afterQuit, ['before-quit', 'close 1', 'closed 1', 'will-quit', 'quit']);
  t.deepEqual(exit, [0, null]);
  t.deepEqual(left, []);
});
