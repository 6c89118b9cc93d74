import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { app } from '../../src/index.js';
import { findChrome } from '../../launcher/index.js';

/**
 * Points the app at a fresh userData directory and makes it ready. Fails
 * (never skips) when no Chromium is installed, naming the way to get one.
 */
export async function readyApp(): Promise<string> {
  try {
    findChrome();
  } catch (error) {
    throw new Error(`Browser tests need Chromium: run 'bash scripts/setup.sh' or set CHROME_PATH.\n${String(error)}`);
  }
  const userData = freshDir('cs-test-');
  app.setPath('userData', userData);
  await app.whenReady();
  return userData;
}

export function freshDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(path: string): void {
  rmSync(path, { recursive: true, force: true });
}

let counter = 0;
/** A partition name no other test in this process uses. */
export function uniquePartition(label = 'test'): string {
  return `${label}-${process.pid}-${++counter}`;
}
