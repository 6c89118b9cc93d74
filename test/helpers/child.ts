import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Runs a compiled fixture (dist/test/fixtures/<name>.js) in its own Node process. */
export function runFixture(name: string, args: string[]): { child: ChildProcess; stdout: Promise<string>; exit: Promise<[number | null, NodeJS.Signals | null]>; line: (text: string) => Promise<void> } {
  const script = fileURLToPath(new URL(`../fixtures/${name}.js`, import.meta.url));
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const lineWaiters: Array<[string, () => void]> = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (const [text, resolve] of lineWaiters) if (out.includes(text)) resolve();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exit = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (code, signal) => resolve([code, signal])));
  const stdout = exit.then(([code]) => {
    if (code !== 0 && !out) throw new Error(`fixture ${name} exited ${code}: ${err}`);
    return out;
  });
  const line = (text: string) =>
    new Promise<void>((resolve, reject) => {
      if (out.includes(text)) return resolve();
      lineWaiters.push([text, resolve]);
      void exit.then(() => {
        if (!out.includes(text)) reject(new Error(`fixture ${name} ended before '${text}': ${err}`));
      });
    });
  return { child, stdout, exit, line };
}
