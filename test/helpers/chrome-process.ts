import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import type { ExecutionContext } from 'ava';
import { findChrome } from '../../launcher/index.js';

/**
 * Starts `command` in a process group of its own; the whole group is killed
 * (and waited for) when the test ends, then `cleanup` runs, so no helper
 * process outlives the test or still writes to its files afterwards.
 */
export function spawnGroup(t: ExecutionContext, command: string, args: string[], stdio: StdioOptions, cleanup?: () => void): ChildProcess {
  const child = spawn(command, args, { stdio, detached: true });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  t.teardown(async () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
    await exited;
    cleanup?.();
  });
  return child;
}

/**
 * A headless Chrome of the test's own, listening on a DevTools port, on
 * `userDataDir`. Resolves with its `ws://` endpoint once it listens.
 * `wrap` runs it under another command (given Chrome's argv, returns the command to spawn).
 */
export async function startOwnChrome(
  t: ExecutionContext,
  userDataDir: string,
  cleanup?: () => void,
  extraArgs: string[] = [],
  wrap: (argv: string[]) => string[] = (argv) => argv,
): Promise<string> {
  const [command, ...args] = wrap([
    findChrome(), '--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--disable-quic', '--remote-debugging-port=0', `--user-data-dir=${userDataDir}`, ...extraArgs, 'about:blank',
  ]);
  const chrome = spawnGroup(t, command!, args, ['ignore', 'ignore', 'pipe'], cleanup);
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
