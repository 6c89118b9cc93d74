import { accessSync, constants } from 'node:fs';
import { Launcher } from 'chrome-launcher';

export class ChromeNotFoundError extends Error {
  constructor(tried: string[]) {
    super(
      `No Chrome or Chromium executable found (tried: ${tried.join(', ') || 'nothing'}). ` +
        'Set CHROME_PATH to a Chrome/Chromium binary, or install one: on Debian/Ubuntu ' +
        "'sudo apt-get install -y chromium' (or run 'bash scripts/setup.sh', which does it when run as root).",
    );
    this.name = 'ChromeNotFoundError';
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds the browser binary: the explicit option, then CHROME_PATH, then
 * chrome-launcher's detection, then the Debian package's /usr/bin/chromium.
 * Never downloads one.
 */
export function findChrome(explicit?: string): string {
  const tried: string[] = [];
  const candidates = [explicit, process.env.CHROME_PATH];
  for (const candidate of candidates) {
    if (!candidate) continue;
    if (isExecutable(candidate)) return candidate;
    tried.push(candidate);
  }
  // An explicit path that does not work is an error, not a hint to look elsewhere.
  if (tried.length) throw new ChromeNotFoundError(tried);
  let detected: string | undefined;
  try {
    detected = Launcher.getFirstInstallation();
  } catch {
    detected = undefined;
  }
  for (const candidate of [detected, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) {
    if (!candidate) continue;
    if (isExecutable(candidate)) return candidate;
    tried.push(candidate);
  }
  throw new ChromeNotFoundError(tried);
}
