/**
 * A passkey sign-in tested with no authenticator and nobody to pick the
 * account: `node dist/examples/ci-passkey-login.js`. Chrome's virtual
 * authenticator (set up through `webContents.debugger`, as Electron's own tests
 * do) holds passkeys of two accounts; the page signs in without naming one,
 * so the session's 'select-webauthn-account' listener chooses, and the page
 * shows who signed in.
 */
import { session, BrowserWindow } from '../src/index.js';
import { startExample, statusOf } from './example-kit.js';

const PAGE = `<!doctype html><title>Sign in</title>
<button id="signin">Sign in with a passkey</button><p id="status">signed out</p>
<script>
  document.getElementById('signin').onclick = async () => {
    const status = document.getElementById('status');
    try {
      const credential = await navigator.credentials.get({ publicKey: { challenge: new Uint8Array(32), rpId: 'localhost', userVerification: 'required' } });
      status.textContent = 'signed in as ' + new TextDecoder().decode(credential.response.userHandle);
    } catch (error) {
      status.textContent = 'refused: ' + error.name;
    }
  };
</script>`;

const { port, stop } = await startExample('ci-passkey-login', PAGE);

const ses = session.fromPartition('ci-passkeys');
const win = new BrowserWindow({ show: false, webPreferences: { session: ses } });
// localhost: a secure context, and the relying party of the passkeys.
await win.loadURL(`http://localhost:${port}/`);

// The authenticator, and a passkey for each of two accounts.
const dbg = win.webContents.debugger;
dbg.attach();
await dbg.sendCommand('WebAuthn.enable');
const { authenticatorId } = await dbg.sendCommand('WebAuthn.addVirtualAuthenticator', {
  options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
});
for (const user of ['alice', 'bob']) {
  const privateKey = await win.webContents.executeJavaScript(`crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign'])
    .then((key) => crypto.subtle.exportKey('pkcs8', key.privateKey)).then((bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))))`);
  await dbg.sendCommand('WebAuthn.addCredential', {
    authenticatorId,
    credential: {
      credentialId: Buffer.from(`passkey-${user}`).toString('base64'),
      isResidentCredential: true,
      rpId: 'localhost',
      privateKey,
      userHandle: Buffer.from(user).toString('base64'),
      userName: `${user}@example.com`,
      signCount: 0,
    },
  });
}

// The account chooser: pick bob.
ses.on('select-webauthn-account', (_event, { accounts }, callback) => callback(accounts.find((account) => account.name === 'bob@example.com')?.credentialId));

await win.webContents.executeJavaScript("document.getElementById('signin').click()", true);
console.log(`page says: ${await statusOf(win, 'signed out')}`);
await stop();
