import test from 'ava';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { livePidsMatching } from '../helpers/processes.js';

test('examples/ci-device-prompt - the page connects to the virtual LED controller and shows its answer; no Chrome is left', async (t) => {
  const script = fileURLToPath(new URL('../../examples/ci-device-prompt.js', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [script], { timeout: 60_000 });
  t.is(stdout.trim(), 'page says: LED on');
  t.deepEqual(livePidsMatching('ci-device-prompt-'), []);
});

test('examples/ci-passkey-login - the listener picks bob among two passkeys and the page signs him in; no Chrome is left', async (t) => {
  const script = fileURLToPath(new URL('../../examples/ci-passkey-login.js', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [script], { timeout: 60_000 });
  t.is(stdout.trim(), 'page says: signed in as bob');
  t.deepEqual(livePidsMatching('ci-passkey-login-'), []);
});
