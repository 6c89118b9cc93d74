import type { Protocol } from './cdp-types.js';
import type { Connection } from './connection.js';
import { sendMayFail, type CdpSession } from './cdp-session.js';
import { TargetClosedError } from './errors.js';
import { TargetManager } from './target-manager.js';
import { debug } from './debug.js';

/**
 * Browser-level target plumbing: one `Target.setAutoAttach` (paused, flat) for
 * the whole browser, each attachment routed to the TargetManager of its
 * browser context. Targets of contexts nobody registered (another client's,
 * on a shared remote browser) are let run and detached.
 */
export class TargetRouter {
  readonly #connection: Connection;
  readonly #managers = new Map<string, TargetManager>();
  /** Targets someone is attaching a foreign session to, and how many (Chrome tells of the session before it answers). */
  readonly #foreignTargets = new Map<string, number>();
  #defaultContextId = '';

  constructor(connection: Connection) {
    this.#connection = connection;
    const root = connection.root;
    root.on('Target.attachedToTarget', (event) => this.#onAttachedToTarget(event));
    root.on('Target.targetInfoChanged', ({ targetInfo }) => this.#managerOf(targetInfo)?.infoChanged(targetInfo));
    connection.describeOwner = (sessionId, params) => {
      const contextId = (params as { browserContextId?: unknown } | undefined)?.browserContextId;
      if (typeof contextId === 'string') return this.#managers.get(contextId)?.owner;
      // A root command without a context is the default context's (a persistent partition's Chrome is all its).
      if (!sessionId) return this.#managers.get(this.#defaultContextId)?.owner;
      return [...this.#managers.values()].find((manager) => manager.hasSession(sessionId))?.owner;
    };
    root.on('Target.targetDestroyed', ({ targetId }) => {
      for (const manager of this.#managers.values()) manager.destroyed(targetId);
    });
    connection.onClose((error) => {
      for (const manager of this.#managers.values()) manager.failWaiters(error);
    });
    root.on('Target.targetCrashed', (event) => {
      for (const manager of this.#managers.values()) manager.crashed(event);
    });
  }

  get defaultBrowserContextId(): string {
    return this.#defaultContextId;
  }

  /**
   * Learns the default context and starts auto-attach. Managers registered
   * before this (the default one, typically) see the targets that already exist.
   */
  async initialize(beforeAttach?: (defaultContextId: string) => void): Promise<void> {
    const root = this.#connection.root;
    const [{ defaultBrowserContextId }] = await Promise.all([
      root.send('Target.getBrowserContexts'),
      root.send('Target.setDiscoverTargets', { discover: true }),
    ]);
    this.#defaultContextId = defaultBrowserContextId ?? '';
    beforeAttach?.(this.#defaultContextId);
    await root.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: true });
  }

  /** Creates and registers the manager for a browser context (`''`: the default one). */
  createManager(browserContextId: string): TargetManager {
    const id = browserContextId || this.#defaultContextId;
    const manager = new TargetManager(id, (sessionId) => this.#connection.session(sessionId));
    this.#managers.set(id, manager);
    return manager;
  }

  removeManager(manager: TargetManager): void {
    if (this.#managers.get(manager.browserContextId) === manager) this.#managers.delete(manager.browserContextId);
    manager.dispose();
  }

  #managerOf(info: Protocol.Target.TargetInfo): TargetManager | undefined {
    return this.#managers.get(info.browserContextId || this.#defaultContextId);
  }

  /**
   * A session of its own on a target, for a client that drives it itself
   * (webContents.debugger): kept from the target's manager, which would take
   * it for a second attachment and detach it.
   */
  async attachForeign(targetId: string): Promise<CdpSession> {
    this.#foreignTargets.set(targetId, (this.#foreignTargets.get(targetId) ?? 0) + 1);
    try {
      const { sessionId } = await this.#connection.root.send('Target.attachToTarget', { targetId, flatten: true });
      const client = this.#connection.session(sessionId);
      if (!client) throw new TargetClosedError('Target.attachToTarget', 'Session closed');
      return client;
    } finally {
      const left = (this.#foreignTargets.get(targetId) ?? 1) - 1;
      if (left) this.#foreignTargets.set(targetId, left);
      else this.#foreignTargets.delete(targetId);
    }
  }

  #onAttachedToTarget(event: Protocol.Target.AttachedToTargetEvent): void {
    const client = this.#connection.session(event.sessionId);
    if (!client) return;
    if (!event.waitingForDebugger && this.#foreignTargets.has(event.targetInfo.targetId)) return;
    const manager = this.#managerOf(event.targetInfo);
    if (manager) {
      manager.attach(event, client);
      return;
    }
    debug.ignored('target %s of unknown context %s: released', event.targetInfo.targetId, event.targetInfo.browserContextId);
    void sendMayFail(client, 'Runtime.runIfWaitingForDebugger').then(() =>
      sendMayFail(this.#connection.root, 'Target.detachFromTarget', { sessionId: event.sessionId }),
    );
  }
}
