import type { CdpSession } from '../protocol/cdp-session.js';
import { CdpSessionEvent, sendMayFail } from '../protocol/cdp-session.js';
import type { Protocol } from '../protocol/cdp-types.js';
import { debug } from '../protocol/debug.js';
import type { TargetManager } from '../protocol/target-manager.js';
import { ElectronEvent, TypedEmitter } from './events.js';
import { againBeforeWorkerScript } from './internal/worker-scripts.js';
import { kCreateServiceWorkerMain, kDestroyServiceWorkerMain, ServiceWorkerMain } from './service-worker-main.js';

/** Electron's ServiceWorkerInfo. */
export interface ServiceWorkerInfo {
  scriptUrl: string;
  scope: string;
  /** Chrome does not tell which renderer runs a worker over CDP: 0. */
  renderProcessId: number;
  versionId: number;
}

export type ServiceWorkerRunningStatus = 'starting' | 'running' | 'stopping' | 'stopped';

export interface ServiceWorkersEvents {
  'console-message': [event: ElectronEvent, details: { message: string; versionId: number; source: 'console-api'; level: number; sourceUrl: string; lineNumber: number }];
  'registration-completed': [event: ElectronEvent, details: { scope: string }];
  /** The details are on the event, as in Electron: `event.versionId`, `event.runningStatus`. */
  'running-status-changed': [event: ElectronEvent & { versionId: number; runningStatus: ServiceWorkerRunningStatus }];
}

/** How long `startWorkerForScope()` waits for a stopped worker to run. */
const START_TIMEOUT_MS = 30_000;
const START_FAILED = 'Failed to start service worker.';

/** Console levels as Electron numbers them. */
const LEVELS: Readonly<Record<string, number>> = { debug: 0, verbose: 0, log: 1, info: 1, warning: 2, warn: 2, error: 3 };

/**
 * `ses.serviceWorkers`: the session's service workers, as Chrome's
 * ServiceWorker domain reports them (enabled on one page of the session at
 * a time: it reports the whole context's registrations and versions), with
 * console messages from the workers' own targets.
 */
export class ServiceWorkers extends TypedEmitter<ServiceWorkersEvents> {
  readonly #versions = new Map<number, Protocol.ServiceWorker.ServiceWorkerVersion>();
  readonly #scopes = new Map<string, string>();
  readonly #completed = new Set<string>();
  readonly #mains = new Map<number, ServiceWorkerMain>();
  /** Versions that have run, and those starting again after a stop. */
  readonly #ran = new Set<number>();
  readonly #restarting = new Set<number>();
  /** Called on every version update: startWorkerForScope() waits with them. */
  readonly #versionWaiters = new Set<() => void>();
  #watcher: CdpSession | undefined;
  #targets: TargetManager | undefined;
  #warned = false;

  /** @internal The session's context, once it runs. */
  attach(targets: TargetManager): void {
    this.#targets = targets;
  }

  /** @internal Attach hook: a page may become the watcher; a worker reports its console. */
  configure(client: CdpSession, info: Protocol.Target.TargetInfo): Promise<unknown> {
    if (info.type === 'service_worker') {
      client.on('Runtime.consoleAPICalled', (event) => this.#onConsole(info.targetId, event));
      // A paused worker answers only once it runs: not waited for.
      void sendMayFail(client, 'Runtime.enable');
      return Promise.resolve();
    }
    if (info.type !== 'page' || this.#watcher) return Promise.resolve();
    // Not waited for: the page need not be held for it (the domain reports the whole state once on).
    void this.#watch(client).catch((error: unknown) => debug.ignored('service worker watcher: %s', error));
    return Promise.resolve();
  }

  /** The running workers, by version id. */
  getAllRunning(): Record<number, ServiceWorkerInfo> {
    const running: Record<number, ServiceWorkerInfo> = {};
    for (const version of this.#versions.values()) if (version.runningStatus === 'running') running[Number(version.versionId)] = this.#info(version);
    return running;
  }

  getInfoFromVersionID(versionId: number): ServiceWorkerInfo {
    const version = this.#versions.get(Number(versionId));
    if (!version || version.runningStatus !== 'running') throw new Error('Could not find service worker with that version_id');
    return this.#info(version);
  }

  /** @deprecated Electron 35: `getInfoFromVersionID`. */
  getFromVersionID(versionId: number): ServiceWorkerInfo {
    if (!this.#warned) {
      this.#warned = true;
      process.emitWarning("'getFromVersionID function' is deprecated and will be removed. Please use 'getInfoFromVersionID function' instead.", 'DeprecationWarning');
    }
    return this.getInfoFromVersionID(versionId);
  }

  /** The worker of a live version (any running status), the same object each time; undefined for none. */
  getWorkerFromVersionID(versionId: number): ServiceWorkerMain | undefined {
    const id = Number(versionId);
    const version = this.#versions.get(id);
    if (!version || version.status === 'redundant') return undefined;
    let main = this.#mains.get(id);
    if (main?.isDestroyed()) return undefined;
    if (!main) {
      main = new ServiceWorkerMain(kCreateServiceWorkerMain, { scope: this.#scopes.get(version.registrationId) ?? '', scriptURL: version.scriptURL, versionId: id });
      this.#mains.set(id, main);
    }
    return main;
  }

  /**
   * The running worker of the registration for `scope`, started first if it
   * was stopped; rejects `Failed to start service worker.` when there is none
   * or it is still starting, as Electron does.
   */
  async startWorkerForScope(scope: string): Promise<ServiceWorkerMain> {
    const find = (): Protocol.ServiceWorker.ServiceWorkerVersion | undefined => {
      const registrations = [...this.#scopes].filter(([, url]) => url === scope).map(([id]) => id);
      const live = [...this.#versions.values()].filter((version) => registrations.includes(version.registrationId) && version.status !== 'redundant');
      return live.find((version) => version.status === 'activated') ?? live[live.length - 1];
    };
    const version = find();
    const watcher = this.#watcher;
    if (!version || !watcher || version.runningStatus === 'starting') {
      debug.ignored('startWorkerForScope(%s): %s', scope, !version ? 'no live version' : !watcher ? 'no page to ask' : 'still starting');
      throw new Error(START_FAILED);
    }
    if (version.runningStatus !== 'running') {
      const running = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(START_FAILED)), START_TIMEOUT_MS);
        const check = (): void => {
          const now = this.#versions.get(Number(version.versionId));
          if (now?.runningStatus === 'running') done();
          else if (!now || now.status === 'redundant') done(new Error(START_FAILED));
        };
        const done = (error?: Error): void => {
          clearTimeout(timer);
          this.#versionWaiters.delete(check);
          if (error) reject(error);
          else resolve();
        };
        this.#versionWaiters.add(check);
      });
      await Promise.all([watcher.send('ServiceWorker.startWorker', { scopeURL: scope }).catch(() => undefined), running]);
    }
    return this.getWorkerFromVersionID(Number(version.versionId))!;
  }

  /** @internal Electron's test hook of the same name: Chrome stops every worker of the session. */
  async _stopAllWorkers(): Promise<void> {
    if (this.#watcher) await this.#watcher.send('ServiceWorker.stopAllWorkers');
  }

  async #watch(client: CdpSession): Promise<void> {
    this.#watcher = client;
    client.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      for (const registration of registrations) {
        if (registration.isDeleted) {
          this.#scopes.delete(registration.registrationId);
          for (const version of this.#versions.values()) {
            if (version.registrationId === registration.registrationId) this.#mains.get(Number(version.versionId))?.[kDestroyServiceWorkerMain]();
          }
        }
        else this.#scopes.set(registration.registrationId, registration.scopeURL);
      }
    });
    client.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      for (const version of versions) this.#onVersion(version);
    });
    client.once(CdpSessionEvent.Detached, () => {
      if (this.#watcher !== client) return;
      this.#watcher = undefined;
      // Another open page of the session takes over (Chrome reports the whole state to it).
      const next = this.#targets?.records().find((record) => record.targetInfo.type === 'page' && record.client !== client && !record.client.detached);
      if (next) void this.#watch(next.client).catch((error: unknown) => debug.ignored('service worker watcher: %s', error));
    });
    await client.send('ServiceWorker.enable');
  }

  #onVersion(version: Protocol.ServiceWorker.ServiceWorkerVersion): void {
    const id = Number(version.versionId);
    const previous = this.#versions.get(id);
    this.#onRestart(id, previous, version);
    this.#versions.set(id, version);
    if (version.status === 'redundant') this.#mains.get(id)?.[kDestroyServiceWorkerMain]();
    if (version.status === 'redundant' && version.runningStatus === 'stopped') {
      this.#versions.delete(id);
      this.#mains.delete(id);
      this.#ran.delete(id);
      this.#restarting.delete(id);
    }
    if (previous?.runningStatus !== version.runningStatus) {
      const event = Object.assign(new ElectronEvent(), { versionId: id, runningStatus: version.runningStatus as ServiceWorkerRunningStatus });
      this.emit('running-status-changed', event);
    }
    for (const check of [...this.#versionWaiters]) check();
    // A registration is complete once its first version has installed.
    const installed = version.status === 'installed' || version.status === 'activating' || version.status === 'activated';
    if (installed && !this.#completed.has(version.registrationId)) {
      this.#completed.add(version.registrationId);
      const scope = this.#scopes.get(version.registrationId);
      if (scope) this.emit('registration-completed', new ElectronEvent(), { scope });
    }
  }

  /**
   * A worker started again (stopped by Chrome or by us) waits for the debugger on the session
   * still attached to its target, and no attach hook runs for it: its preloads (and the cookie
   * watch) are set to go in again, then it is let go. Its target id comes with a later update.
   */
  #onRestart(id: number, previous: Protocol.ServiceWorker.ServiceWorkerVersion | undefined, version: Protocol.ServiceWorker.ServiceWorkerVersion): void {
    if (version.runningStatus === 'running') this.#ran.add(id);
    if (previous?.runningStatus === 'stopped' && version.runningStatus === 'starting' && this.#ran.has(id)) this.#restarting.add(id);
    if (!this.#restarting.has(id) || !version.targetId) return;
    const attached = this.#targets?.get(version.targetId);
    if (!attached || attached.status !== 'ready') return;
    this.#restarting.delete(id);
    const { client } = attached;
    void againBeforeWorkerScript(client)
      .catch((error: unknown) => debug.ignored('scripts of a restarted worker: %s', error))
      .then(() => sendMayFail(client, 'Runtime.runIfWaitingForDebugger'));
  }

  #onConsole(targetId: string, event: Protocol.Runtime.ConsoleAPICalledEvent): void {
    const version = [...this.#versions.values()].find((candidate) => candidate.targetId === targetId);
    const frame = event.stackTrace?.callFrames[0];
    const message = event.args.map((arg) => (arg.value !== undefined ? String(arg.value) : (arg.description ?? ''))).join(' ');
    this.emit('console-message', new ElectronEvent(), {
      message,
      versionId: version ? Number(version.versionId) : -1,
      source: 'console-api',
      level: LEVELS[event.type] ?? 1,
      sourceUrl: frame?.url ?? version?.scriptURL ?? '',
      lineNumber: (frame?.lineNumber ?? -1) + 1,
    });
  }

  #info(version: Protocol.ServiceWorker.ServiceWorkerVersion): ServiceWorkerInfo {
    return { scriptUrl: version.scriptURL, scope: this.#scopes.get(version.registrationId) ?? '', renderProcessId: 0, versionId: Number(version.versionId) };
  }
}
