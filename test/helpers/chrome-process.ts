import { spawn } from 'node:child_process';
import type { ExecutionContext } from 'ava';
import { findChrome } from '../../launcher/index.js';

/**
 * A headless Chrome of the test's own, listening on a DevTools port, on
 * `userDataDir`. Resolves with its `ws://` endpoint once it listens; the
 * whole process group is killed (and waited for) when the test ends, so no
 * helper process still writes to the profile afterwards.
 */
export async function startOwnChrome(t: ExecutionContext, userDataDir: string, cleanup?: () => void, extraArgs: string[] = []): Promise<string> {
  const chrome = spawn(
    findChrome(),
    ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--disable-quic', '--remote-debugging-port=0', `--user-data-dir=${userDataDir}`, ...extraArgs, 'about:blank'],
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  const exited = new Promise((resolve) => chrome.once('exit', resolve));
  t.teardown(async () => {
    try {
      process.kill(-chrome.pid!, 'SIGKILL');
    } catch {
      chrome.kill('SIGKILL');
    }
    await exited;
    cleanup?.();
  });
  return new Promise<string>((resolve, reject) => {
    let err = '';
    chrome.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(err);
      if (match) resolve(match[1]!);
    });
    chrome.once('exit', () => reject(new Error(`Chrome exited: ${err}`)));
  });
}
