import test from 'ava';
import { session, type BrowserWindow, type Session } from '../../src/index.js';
import { nextEvent, openWindow, serverAndApp, uniquePartition } from '../helpers/setup.js';

const context = serverAndApp(test, (server) => server.setPage('/signin', '<title>sign in</title>'));
const fresh = (): Session => session.fromPartition(uniquePartition('webauthn'));
const b64url = (text: string): string => Buffer.from(text).toString('base64url');

/** A window at a localhost page with a virtual authenticator (added through webContents.debugger) holding alice's and bob's passkeys. */
async function signInPage(t: Parameters<typeof openWindow>[0], ses: Session): Promise<BrowserWindow> {
  const win = await openWindow(t, ses, `${context.server.crossOrigin}/signin`);
  const dbg = win.webContents.debugger;
  dbg.attach();
  await dbg.sendCommand('WebAuthn.enable');
  const { authenticatorId } = await dbg.sendCommand('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  for (const [id, name] of [['cred-alice', 'alice'], ['cred-bob', 'bob']] as const) {
    const privateKey = await win.webContents.executeJavaScript(`crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign'])
      .then((key) => crypto.subtle.exportKey('pkcs8', key.privateKey)).then((bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))))`);
    await dbg.sendCommand('WebAuthn.addCredential', {
      authenticatorId,
      credential: {
        credentialId: Buffer.from(id).toString('base64'), isResidentCredential: true, rpId: 'localhost', privateKey,
        userHandle: Buffer.from(`uh-${name}`).toString('base64'), userName: `${name}@example.com`, userDisplayName: name.toUpperCase(), signCount: 0,
      },
    });
  }
  return win;
}

const signIn = (win: BrowserWindow, extra = ''): Promise<any> =>
  win.webContents.executeJavaScript(`navigator.credentials.get({ publicKey: { challenge: new Uint8Array(32), rpId: 'localhost', userVerification: 'required'${extra} } })
    .then((c) => ({ ok: true, id: c.id }), (e) => ({ ok: false, name: e.name }))`);

test('select-webauthn-account - the listener picks among the discoverable credentials; the page signs in with that one', async (t) => {
  const ses = fresh();
  const win = await signInPage(t, ses);
  const seen: any[] = [];
  ses.on('select-webauthn-account', (event, details, callback) => {
    seen.push(details);
    event.preventDefault();
    setImmediate(() => callback(details.accounts.find((account) => account.name === 'bob@example.com')?.credentialId));
  });
  t.deepEqual(await signIn(win), { ok: true, id: b64url('cred-bob') });
  t.is(seen.length, 1);
  t.is(seen[0].relyingPartyId, 'localhost');
  t.is(seen[0].frame, win.webContents.mainFrame);
  t.deepEqual(
    [...seen[0].accounts].sort((a, b) => a.credentialId.localeCompare(b.credentialId)),
    [
      { credentialId: b64url('cred-alice'), userHandle: b64url('uh-alice'), name: 'alice@example.com', displayName: 'ALICE' },
      { credentialId: b64url('cred-bob'), userHandle: b64url('uh-bob'), name: 'bob@example.com', displayName: 'BOB' },
    ],
  );
  // A request that names its credential asks nobody.
  const named = `, allowCredentials: [{ type: 'public-key', id: Uint8Array.from('cred-alice', (c) => c.charCodeAt(0)) }]`;
  t.deepEqual(await signIn(win, named), { ok: true, id: b64url('cred-alice') });
  t.is(seen.length, 1);
});

test('select-webauthn-account - no listener, no choice or a throwing listener: as in Electron', async (t) => {
  const ses = fresh();
  const win = await signInPage(t, ses);
  // Nobody to choose: Electron cancels (Chrome alone would take the first account).
  t.deepEqual(await signIn(win), { ok: false, name: 'NotAllowedError' });
  const cancel = (_event: unknown, _details: unknown, callback: (id?: string | null) => void): void => callback();
  ses.on('select-webauthn-account', cancel);
  t.deepEqual(await signIn(win), { ok: false, name: 'NotAllowedError' });
  ses.off('select-webauthn-account', cancel);
  const warned = new Promise<Error>((resolve) => process.once('warning', resolve));
  ses.once('select-webauthn-account', (_event, details, callback) => {
    callback(details.accounts.find((account) => account.displayName === 'ALICE')!.credentialId);
    throw new Error('listener bug');
  });
  t.deepEqual(await signIn(win), { ok: true, id: b64url('cred-alice') });
  t.is((await warned).message, 'listener bug');
  // The page gives up while the listener is still choosing: its request ends with its AbortSignal's reason.
  const choosing = nextEvent(ses, 'select-webauthn-account');
  const aborted = win.webContents.executeJavaScript(`(() => {
    const controller = new AbortController();
    window.giveUp = () => controller.abort();
    return navigator.credentials.get({ signal: controller.signal, publicKey: { challenge: new Uint8Array(32), rpId: 'localhost' } })
      .then(() => 'signed in', (e) => e.name);
  })()`);
  await choosing;
  await win.webContents.executeJavaScript('window.giveUp()');
  t.is(await aborted, 'AbortError');
});
