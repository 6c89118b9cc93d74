import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { freshDir, removeDir } from '../helpers/setup.js';

const library = fileURLToPath(new URL('../../src/index.js', import.meta.url));

test('app.getVersion(), getAppPath(), getName(), isPackaged - from the app\'s package.json above its main script', (t) => {
  const dir = freshDir('cs-app-info-');
  t.teardown(() => removeDir(dir));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'my-app', productName: 'My App', version: '3.2.1' }));
  mkdirSync(join(dir, 'lib'));
  const script = join(dir, 'lib', 'main.mjs');
  writeFileSync(
    script,
    `import { app } from ${JSON.stringify(library)};
console.log(JSON.stringify({ version: app.getVersion(), path: app.getAppPath(), name: app.getName(), packaged: app.isPackaged,
  locale: app.getLocale(), country: app.getLocaleCountryCode(), languages: app.getPreferredSystemLanguages() }));`,
  );
  const info = JSON.parse(execFileSync(process.execPath, [script], { env: { ...process.env, LANG: 'de_AT.UTF-8', LC_ALL: 'de_AT.UTF-8' } }).toString());
  t.like(info, { version: '3.2.1', path: dir, name: 'My App', packaged: false });
  // The system's locale, from the environment, as Chromium's l10n takes it.
  t.like(info, { locale: 'de-AT', country: 'AT', languages: ['de-AT'] });
});
