import { CdpSessionEvent, sendMayFail, type CdpSession } from '../protocol/cdp-session.js';
import { CdpError } from '../protocol/errors.js';
import type { TargetRecord } from '../protocol/target-manager.js';
import { TypedEmitter, ElectronEvent } from './events.js';
import { backendOf } from './internal/session-backend.js';
import { forgetWebAuthnSession, watchWebAuthnCommand } from './internal/webauthn-accounts.js';
import { kContentsReady, WebContents } from './web-contents.js';

export interface DebuggerEvents {
  /** The session ended: `detach()`, or the page closed. */
  detach: [event: ElectronEvent, reason: string];
  /** An event of the session (`sessionId` `''`) or of a session attached through it. */
  message: [event: ElectronEvent, method: string, params: Record<string, unknown>, sessionId: string];
}

declare module './web-contents.js' {
  interface WebContents {
    /** Electron's `webContents.debugger`: a DevTools protocol session of the app's own on this page. */
    readonly debugger: Debugger;
  }
}

/** What Chrome's DevToolsAgentHost accepts as `attach()`'s version. */
const SUPPORTED_VERSIONS = new Set(['1.0', '1.1', '1.2', '1.3']);
const CLOSED = 'target closed while handling command';

interface Attachment {
  /** The session, once Chrome attached it (commands sent before wait on it). */
  session: Promise<CdpSession>;
  /** Rejects the commands still unanswered (detach). */
  pending: Set<(error: Error) => void>;
  /** Stops listening to the session. */
  release: () => void;
  /** A session of the connection by id. */
  lookup: (sessionId: string) => CdpSession | undefined;
  /** Sends on the page's session (set once attached). */
  send: (method: string, params: object) => Promise<unknown>;
  /** The user turned the Debugger domain on (its stops are theirs to end). */
  debugging?: boolean;
}

/**
 * Electron's Debugger: the page's DevTools protocol for the app, on a CDP
 * session of its own (`Target.attachToTarget`, flat), so what the app enables
 * and overrides there is its own, and ends with it: Chrome undoes a session's
 * emulation when it detaches. `attach()` is synchronous, as in Electron:
 * commands sent before Chrome attached wait for it. Commands have no timeout.
 * Sessions the app attaches through it (`Target.attachToTarget` with
 * `flatten`, `Target.setAutoAttach`) are reached with `sendCommand`'s
 * `sessionId`, and their events come with it.
 */
/** @internal See Debugger's getter. */
export const kDebuggingScripts = Symbol('debuggingScripts');

export class Debugger extends TypedEmitter<DebuggerEvents> {
  readonly #contents: WebContents;
  #attachment: Attachment | undefined;

  /** @internal One per WebContents (`webContents.debugger`). */
  constructor(contents: WebContents) {
    super();
    this.#contents = contents;
  }

  attach(protocolVersion?: string): void {
    if (this.#attachment) throw new TypeError('Debugger is already attached to the target');
    if (protocolVersion !== undefined && protocolVersion !== '' && !SUPPORTED_VERSIONS.has(String(protocolVersion))) {
      throw new TypeError('Requested protocol version is not supported');
    }
    if (this.#contents.isDestroyed()) throw new TypeError('No target available');
    const attachment: Attachment = { session: Promise.resolve(undefined as never), pending: new Set(), release: () => undefined, lookup: () => undefined, send: () => Promise.reject(new Error('No target available')) };
    attachment.session = this.#connect(attachment);
    // A page that closed before Chrome attached: the session ends as a closed target's does.
    attachment.session.catch(() => this.#end(attachment));
    this.#attachment = attachment;
  }

  isAttached(): boolean {
    return this.#attachment !== undefined;
  }

  /** @internal Whether the user's session has the Debugger domain on, so the page's stops are theirs too. */
  get [kDebuggingScripts](): boolean {
    return this.#attachment?.debugging === true;
  }

  detach(): void {
    const attachment = this.#attachment;
    if (!attachment) return;
    this.#end(attachment);
    void attachment.session.then(
      (session) => {
        const root = session.parent;
        if (root) void sendMayFail(root, 'Target.detachFromTarget', { sessionId: session.id });
      },
      () => undefined,
    );
  }

  /** Sends `method` to the page's session (or to `sessionId`, one attached through it); resolves with its result. */
  async sendCommand(method: string, commandParams?: object, sessionId?: string): Promise<any> {
    const attachment = this.#attachment;
    if (!attachment) throw new Error('No target available');
    if (typeof method !== 'string') throw new Error('Invalid method');
    if (sessionId === '') throw new Error('Empty session id is not allowed');
    const params = typeof commandParams === 'object' && commandParams !== null ? commandParams : {};
    const session = await attachment.session.catch(() => {
      throw new Error(CLOSED);
    });
    // Detached while Chrome attached it.
    if (this.#attachment !== attachment) throw new Error(CLOSED);
    // As in Electron, a session id that is no string is no session id.
    const target = typeof sessionId !== 'string' ? session : through(session, attachment.lookup(sessionId));
    if (!target) throw new Error('Session with given id not found.');
    return new Promise((resolve, reject) => {
      attachment.pending.add(reject);
      target
        .sendRaw(method, params)
        .then(
          async (result) => {
            if (target === session && (method === 'Debugger.enable' || method === 'Debugger.disable')) attachment.debugging = method === 'Debugger.enable';
            if (target === session && method.startsWith('WebAuthn.')) {
              await watchWebAuthnCommand(this.#contents, method, params, result, attachment.send).catch(() => undefined);
            }
            resolve(result);
          },
          (error: unknown) => reject(error instanceof CdpError && error.chromeMessage !== undefined ? new Error(error.chromeMessage) : new Error(CLOSED)),
        )
        .finally(() => attachment.pending.delete(reject));
    });
  }

  async #connect(attachment: Attachment): Promise<CdpSession> {
    const [record, backend] = await Promise.all([this.#contents[kContentsReady]() as Promise<TargetRecord>, backendOf(this.#contents.session)]);
    const session = await backend.host.router.attachForeign(record.targetId);
    attachment.lookup = (id) => backend.host.connection.session(id);
    attachment.send = (method, params) => session.sendRaw(method, params);
    // Detached while Chrome attached it: detach() detaches it once it is here.
    if (this.#attachment !== attachment) return session;
    session.tap = (method, params, from) => {
      if (this.#attachment === attachment) forApp(() => this.emit('message', new ElectronEvent(), method, params as Record<string, unknown>, from === session.id ? '' : from));
    };
    const onDetached = (): void => this.#end(attachment);
    session.once(CdpSessionEvent.Detached, onDetached);
    attachment.release = () => {
      session.tap = undefined;
      session.off(CdpSessionEvent.Detached, onDetached);
    };
    return session;
  }

  /** Ends `attachment` (once): its commands reject, 'detach' is emitted. */
  #end(attachment: Attachment): void {
    if (this.#attachment !== attachment) return;
    this.#attachment = undefined;
    attachment.release();
    forgetWebAuthnSession(this.#contents, attachment.send);
    for (const reject of attachment.pending) reject(new Error(CLOSED));
    attachment.pending.clear();
    forApp(() => this.emit('detach', new ElectronEvent(), 'target closed'));
  }
}

/** Runs the app's listeners: what one throws is the app's own (an uncaught exception, as in Electron), never ours to stop on. */
function forApp(emit: () => void): void {
  try {
    emit();
  } catch (error) {
    process.nextTick(() => {
      throw error;
    });
  }
}

/** `found` when it is `root` or a session attached through it (never one of ours). */
function through(root: CdpSession, found: CdpSession | undefined): CdpSession | undefined {
  for (let at = found; at; at = at.parent) if (at === root) return found;
  return undefined;
}

const debuggers = new WeakMap<WebContents, Debugger>();

Object.defineProperty(WebContents.prototype, 'debugger', {
  configurable: true,
  get(this: WebContents): Debugger {
    let found = debuggers.get(this);
    if (!found) debuggers.set(this, (found = new Debugger(this)));
    return found;
  },
});
