import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

let folder: string | undefined;

/**
 * Chrome's environment with an `xdg-open` that opens nothing first on its
 * PATH (Linux): Chrome launches `mailto:` and other external links through
 * `xdg-open` by itself, while in Electron the app's permission handler
 * decides (`openExternal`) and the app opens them. Chrome does not ask over
 * CDP, so it is kept from opening anything itself; the session asks the
 * handler and opens granted links with the system's opener.
 */
export function withoutExternalOpener(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (process.platform !== 'linux') return env;
  if (!folder) {
    const made = mkdtempSync(join(tmpdir(), 'chrome-session-opener-'));
    const script = join(made, 'xdg-open');
    writeFileSync(script, '#!/bin/sh\n# chrome-session: external links are opened by the session, not by Chrome.\nexit 0\n');
    chmodSync(script, 0o700);
    process.once('exit', () => rmSync(made, { recursive: true, force: true }));
    folder = made;
  }
  return { ...env, PATH: `${folder}${delimiter}${env.PATH ?? ''}` };
}
