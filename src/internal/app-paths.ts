import { existsSync, readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

type AppPackage = { dir: string; name?: string; version?: string } | undefined;
let found: { of: string; pkg: AppPackage } | undefined;

/** The app's package.json (the nearest one above the main script, as Electron's app folder): its folder and fields. */
export function appPackage(): AppPackage {
  const from = process.argv[1] ? dirname(resolve(process.argv[1])) : process.cwd();
  if (found?.of !== from) found = { of: from, pkg: findPackage(from) };
  return found.pkg;
}

function findPackage(from: string): AppPackage {
  let dir = from;
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { productName?: string; name?: string; version?: string };
        const name = pkg.productName ?? pkg.name;
        if (name) return { dir, name, ...(typeof pkg.version === 'string' ? { version: pkg.version } : {}) };
      } catch {
        // An unreadable package.json names nothing; keep looking up.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The system's locale, as a BCP 47 tag (`en-US`): the environment's, as Chromium's l10n takes it. */
export function systemLocale(): string {
  return Intl.DateTimeFormat().resolvedOptions().locale;
}

/** The app name Electron would use: the nearest package.json's productName or name. */
export function defaultAppName(): string {
  return appPackage()?.name ?? 'Electron';
}

/** Linux defaults for app.getPath(), as Electron computes them. */
export function defaultPath(name: string, appName: string, lookup: (name: string) => string): string | undefined {
  const home = homedir();
  const xdg = (variable: string, fallback: string): string => process.env[variable] || join(home, fallback);
  switch (name) {
    case 'home':
      return home;
    case 'appData':
      return xdg('XDG_CONFIG_HOME', '.config');
    case 'userData':
      return join(lookup('appData'), appName);
    case 'sessionData':
      return lookup('userData');
    case 'temp':
      return tmpdir();
    case 'exe':
      return process.execPath;
    case 'module':
      return process.execPath;
    case 'logs':
      return join(lookup('userData'), 'logs');
    case 'crashDumps':
      return join(lookup('userData'), 'Crashpad');
    case 'downloads':
      return join(home, 'Downloads');
    case 'desktop':
      return join(home, 'Desktop');
    case 'documents':
      return join(home, 'Documents');
    case 'music':
      return join(home, 'Music');
    case 'pictures':
      return join(home, 'Pictures');
    case 'videos':
      return join(home, 'Videos');
    default:
      return undefined;
  }
}
