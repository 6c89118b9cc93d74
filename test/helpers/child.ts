import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** How much of a fixture's stderr is kept for a failure's message: its last lines, each cut short. */
const STDERR_TAIL_LINES = 60;
const STDERR_LINE_CHARS = 240;

export interface FixtureRun {
  child: ChildProcess;
  stdout: Promise<string>;
  exit: Promise<[number | null, NodeJS.Signals | null]>;
  line: (text: string) => Promise<void>;
  /** What the fixture printed so far: all of stdout, the end of stderr. */
  report: () => string;
}

/** Runs a compiled fixture (dist/test/fixtures/<name>.js) in its own Node process. */
export function runFixture(name: string, args: string[], env: NodeJS.ProcessEnv = {}): FixtureRun {
  const script = fileURLToPath(new URL(`../fixtures/${name}.js`, import.meta.url));
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let out = '';
  let err = '';
  let errLines: string[] = [];
  const lineWaiters: Array<[string, () => void]> = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (const [text, resolve] of lineWaiters) if (out.includes(text)) resolve();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    const lines = err.split('\n');
    err = lines.pop()!.slice(0, STDERR_LINE_CHARS);
    errLines = [...errLines, ...lines.map((line) => line.slice(0, STDERR_LINE_CHARS))].slice(-STDERR_TAIL_LINES);
  });
  const exit = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (code, signal) => resolve([code, signal])));
  const errTail = () => [...errLines, err.slice(0, STDERR_LINE_CHARS)].join('\n');
  const stdout = exit.then(([code]) => {
    if (code !== 0 && !out) throw new Error(`fixture ${name} exited ${code}: ${errTail()}`);
    return out;
  });
  const line = (text: string) =>
    new Promise<void>((resolve, reject) => {
      if (out.includes(text)) return resolve();
      lineWaiters.push([text, resolve]);
      void exit.then(() => {
        if (!out.includes(text)) reject(new Error(`fixture ${name} ended before '${text}': ${errTail()}`));
      });
    });
  const report = () => `stdout:\n${out}\nstderr (end):\n${errTail()}`;
  return { child, stdout, exit, line, report };
}
