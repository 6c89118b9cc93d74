import type { CdpSession } from '../../protocol/cdp-session.js';
import { debug } from '../../protocol/debug.js';
import type { Protocol } from '../../protocol/cdp-types.js';
import type { TargetRecord } from '../../protocol/target-manager.js';
import { ElectronEvent } from '../events.js';
import { WEBAUTHN_ANSWER, WEBAUTHN_BINDING, WEBAUTHN_SCRIPT } from '../page/webauthn-hook.js';
import { kContentsReady, type WebContents } from '../web-contents.js';
import { frameOfContext, type WebFrameMain } from '../web-frame-main.js';
import { rejectAfter } from './within.js';

/** Electron's WebAuthnAccount: a discoverable credential a sign-in may use. */
export interface WebAuthnAccount {
  /** URL-safe base64 (no padding), as `PublicKeyCredential.id`. */
  credentialId: string;
  userHandle?: string;
  name?: string;
  displayName?: string;
}

export interface SelectWebAuthnAccountDetails {
  relyingPartyId: string;
  frame: WebFrameMain | null;
  accounts: WebAuthnAccount[];
}

/** How the app's own session sends to the page (webContents.debugger). */
type Send = (method: string, params: object) => Promise<unknown>;

interface PageState {
  /** The virtual authenticators the app added to the page, with the session that owns them. */
  authenticators: Map<string, Send>;
  installed: Promise<void> | undefined;
}

const pages = new WeakMap<WebContents, PageState>();
/** How long a virtual authenticator may take to list its credentials. */
const ASK_MS = 10_000;

/**
 * Electron's 'select-webauthn-account' for Chrome's virtual authenticators
 * (the only ones a headless Chrome has: added by the app with
 * `webContents.debugger`'s `WebAuthn.addVirtualAuthenticator`, as Electron's
 * own tests do). Chrome answers a sign-in that several discoverable
 * credentials match with the first, asking nobody; so once a page has an
 * authenticator, its `navigator.credentials.get()` asks us first (see
 * page/webauthn-hook.ts): with more than one account of the relying party,
 * the session's listener chooses, and the request goes to Chrome for that
 * credential alone; no listener, or no choice, fails it with
 * `NotAllowedError`, as in Electron.
 */
export async function watchWebAuthnCommand(contents: WebContents, method: string, params: object, result: unknown, send: Send): Promise<void> {
  const state = pages.get(contents) ?? { authenticators: new Map<string, Send>(), installed: undefined };
  pages.set(contents, state);
  if (method === 'WebAuthn.addVirtualAuthenticator') {
    const id = (result as { authenticatorId?: unknown }).authenticatorId;
    if (typeof id !== 'string') return;
    state.authenticators.set(id, send);
    // In place before the command resolves, so the app's next sign-in already asks.
    state.installed ??= install(contents, state).catch((error: unknown) => {
      state.installed = undefined;
      debug.ignored('webauthn hook: %s', error);
    });
    await state.installed;
  } else if (method === 'WebAuthn.removeVirtualAuthenticator') {
    state.authenticators.delete(String((params as { authenticatorId?: unknown }).authenticatorId));
  } else if (method === 'WebAuthn.disable') {
    state.authenticators.clear();
  }
}

/** The app's session on the page ended: Chrome removed the authenticators it added. */
export function forgetWebAuthnSession(contents: WebContents, send: Send): void {
  const state = pages.get(contents);
  if (!state) return;
  for (const [id, owner] of state.authenticators) if (owner === send) state.authenticators.delete(id);
}

async function install(contents: WebContents, state: PageState): Promise<void> {
  const { client } = (await contents[kContentsReady]()) as TargetRecord;
  client.on('Runtime.bindingCalled', (event) => {
    if (event.name === WEBAUTHN_BINDING) void answer(contents, state, client, event).catch((error: unknown) => debug.ignored('webauthn: %s', error));
  });
  await Promise.all([
    client.send('Runtime.addBinding', { name: WEBAUTHN_BINDING }),
    client.send('Page.addScriptToEvaluateOnNewDocument', { source: WEBAUTHN_SCRIPT }),
  ]);
  // The document already there (the app added the authenticator to a loaded page).
  await client.send('Runtime.evaluate', { expression: WEBAUTHN_SCRIPT });
}

async function answer(contents: WebContents, state: PageState, client: CdpSession, event: Protocol.Runtime.BindingCalledEvent): Promise<void> {
  const asked = JSON.parse(event.payload) as { id: number; rpId: string };
  const reply = (value: string): Promise<unknown> =>
    client.send('Runtime.evaluate', { expression: `globalThis.${WEBAUTHN_ANSWER}(${Number(asked.id)}, ${JSON.stringify(value)})`, contextId: event.executionContextId });
  const frame = frameOfContext(client, event.executionContextId);
  const rpId = String(asked.rpId);
  // The frame's own host or a domain above it, as WebAuthn allows; Chrome refuses any other (no account is shown for it).
  const host = frame ? hostOf(frame.url) : '';
  const accounts = host === rpId || host.endsWith(`.${rpId}`) ? await accountsOf(state, rpId) : [];
  if (accounts.length < 2) {
    await reply('pass');
    return;
  }
  const chosen = await choose(contents, { relyingPartyId: rpId, frame, accounts });
  await reply(chosen && accounts.some((account) => account.credentialId === chosen) ? `id:${chosen}` : 'cancel');
}

/** The discoverable credentials of `rpId` on the page's virtual authenticators. */
async function accountsOf(state: PageState, rpId: string): Promise<WebAuthnAccount[]> {
  const lists = await Promise.all(
    [...state.authenticators].map(([authenticatorId, send]) =>
      rejectAfter(send('WebAuthn.getCredentials', { authenticatorId }), ASK_MS).then(
        (result) => (result as Protocol.WebAuthn.GetCredentialsResponse).credentials,
        () => [],
      ),
    ),
  );
  return lists.flat().filter((credential) => credential.isResidentCredential && credential.rpId === rpId).map(toAccount);
}

function toAccount(credential: Protocol.WebAuthn.Credential): WebAuthnAccount {
  const account: WebAuthnAccount = { credentialId: base64url(credential.credentialId) };
  if (credential.userHandle) account.userHandle = base64url(credential.userHandle);
  if (credential.userName !== undefined) account.name = credential.userName;
  if (credential.userDisplayName !== undefined) account.displayName = credential.userDisplayName;
  return account;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

function base64url(base64: string): string {
  return Buffer.from(base64, 'base64').toString('base64url');
}

/** The session's listener's choice; none without a listener. The request waits for the callback, as in Electron. */
function choose(contents: WebContents, details: SelectWebAuthnAccountDetails): Promise<string | null> {
  const session = contents.session;
  if (session.listenerCount('select-webauthn-account') === 0) return Promise.resolve(null);
  return new Promise((resolve) => {
    let settled = false;
    const callback = (credentialId?: string | null): void => {
      if (settled) return;
      settled = true;
      contents.off('destroyed', gone);
      resolve(typeof credentialId === 'string' && credentialId ? credentialId : null);
    };
    const gone = (): void => callback(null);
    contents.once('destroyed', gone);
    try {
      session.emit('select-webauthn-account', new ElectronEvent(), details, callback);
    } catch (error) {
      // Reported; an answer already given stands, as in Electron.
      process.emitWarning(error instanceof Error ? error : String(error));
      callback(null);
    }
  });
}
