import { mkdirSync } from 'node:fs';
import { launch as launchChrome } from 'chrome-launcher';
import { PipeTransport } from '../protocol/pipe-transport.js';
import { BrowserProcess } from './browser-process.js';
import { defaultChromeArgs, mergeFeatureSwitches } from './chrome-args.js';
import { findChrome } from './executable.js';
import { withoutExternalOpener } from './external-opener.js';

export interface LaunchOptions {
  /** The profile directory; created when missing. */
  userDataDir: string;
  /** Browser binary; default: CHROME_PATH, detection, /usr/bin/chromium. */
  executablePath?: string | undefined;
  /** Extra switches, after the defaults (a later switch wins in Chrome). */
  args?: string[] | undefined;
  /** Default true. */
  headless?: boolean | undefined;
  /** Default: true when running as root, where Chrome's sandbox cannot start. */
  noSandbox?: boolean | undefined;
  env?: NodeJS.ProcessEnv | undefined;
}

export interface LaunchedBrowser {
  process: BrowserProcess;
  transport: PipeTransport;
}

/** Starts Chrome with chrome-launcher on a pipe (no port, no polling). */
export async function launch(options: LaunchOptions): Promise<LaunchedBrowser> {
  const chromePath = findChrome(options.executablePath);
  // The profile holds cookies and credentials: readable by this user only.
  mkdirSync(options.userDataDir, { recursive: true, mode: 0o700 });
  const headless = options.headless ?? true;
  const noSandbox = options.noSandbox ?? process.getuid?.() === 0;
  const launched = await launchChrome({
    chromePath,
    userDataDir: options.userDataDir,
    ignoreDefaultFlags: true,
    handleSIGINT: false,
    logLevel: 'silent',
    chromeFlags: mergeFeatureSwitches([...defaultChromeArgs({ headless, noSandbox }), ...(options.args ?? [])]),
    envVars: withoutExternalOpener(options.env ?? process.env),
  });
  const pipes = launched.remoteDebuggingPipes;
  if (!pipes) {
    launched.kill();
    throw new Error('Chrome started without its debugging pipe');
  }
  const browser = new BrowserProcess(launched.process, options.userDataDir);
  // The pipes must not keep Node alive by themselves either.
  for (const stream of [pipes.incoming, pipes.outgoing] as Array<NodeJS.ReadableStream & { unref?: () => void }>) {
    (stream as unknown as { unref?: () => void }).unref?.();
  }
  return { process: browser, transport: new PipeTransport(pipes.outgoing, pipes.incoming) };
}
