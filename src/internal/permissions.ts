import type { CdpSession } from '../../protocol/cdp-session.js';
import { sendMayFail } from '../../protocol/cdp-session.js';
import type { Protocol } from '../../protocol/cdp-types.js';
import { debug } from '../../protocol/debug.js';
import { PERMISSION_BINDING, PERMISSION_SCRIPT, WORKER_PERMISSION_SCRIPT } from '../page/permission-hooks.js';
import type { WebContents } from '../web-contents.js';
import { SYNC_PROMPT } from './dialogs.js';
import { SyncChecks } from './permission-sync.js';
import { pageOf } from './request-interceptor.js';
import type { ContextRef } from './session-backend.js';
import { frameOfContext, WebFrameMain } from '../web-frame-main.js';
import { beforeWorkerScript } from './worker-scripts.js';
import { kDebuggingScripts } from '../web-contents-debugger.js';

export type PermissionRequestHandler = (
  webContents: WebContents | null,
  permission: string,
  callback: (granted: boolean) => void,
  details: Record<string, unknown>,
) => void;
export type PermissionCheckHandler = (
  webContents: WebContents | null,
  permission: string,
  requestingOrigin: string,
  details: Record<string, unknown>,
) => boolean;

/** `setDisplayMediaRequestHandler()`'s handler. */
export type DisplayMediaRequestHandler = (
  request: { frame: WebFrameMain | null; securityOrigin: string; videoRequested: boolean; audioRequested: boolean; userGesture: boolean },
  // `video` may be a WebFrameMain too, and `audio` 'loopback', 'loopbackWithMute' or a WebFrameMain (typed loosely, to stay assignable to Electron's).
  callback: (streams: { video?: { id?: string; name?: string }; audio?: unknown; enableLocalEcho?: boolean }) => void,
) => void;

interface Asked {
  id: number;
  /** 'query': a worker's synchronous permissions.query(), whose Chrome state must follow the answer. */
  kind: 'request' | 'check' | 'display' | 'query';
  permission: string;
  details: Record<string, unknown> & { requestingUrl: string; isMainFrame: boolean; embeddingOrigin: string; descriptor?: { name?: string; sysex?: boolean } };
}

/** Targets that get the worker script and always stop for their checks. */
const WORKERS = new Set(['worker', 'shared_worker', 'service_worker']);

/** `permissions.query()` names → Electron's permission names. */
const QUERY_NAMES: Record<string, string> = {
  notifications: 'notifications',
  geolocation: 'geolocation',
  camera: 'media',
  microphone: 'media',
  'clipboard-read': 'clipboard-read',
  'clipboard-write': 'clipboard-sanitized-write',
  'storage-access': 'storage-access',
  'top-level-storage-access': 'top-level-storage-access',
  'idle-detection': 'idle-detection',
  'window-management': 'window-management',
  'display-capture': 'display-capture',
  'speaker-selection': 'speaker-selection',
  'keyboard-lock': 'keyboardLock',
  'pointer-lock': 'pointerLock',
};

/** Chrome's permission descriptors behind an Electron permission. */
function descriptorsOf(asked: Asked): Protocol.Browser.PermissionDescriptor[] {
  if (asked.details.descriptor?.name) return [asked.details.descriptor as Protocol.Browser.PermissionDescriptor];
  switch (asked.permission) {
    case 'media': {
      const types = (asked.details.mediaTypes as string[] | undefined) ?? [];
      return types.map((type) => ({ name: type === 'video' ? 'camera' : 'microphone' }));
    }
    case 'clipboard-sanitized-write':
      return [{ name: 'clipboard-write' }];
    case 'midiSysex':
      return [{ name: 'midi', sysex: true }];
    case 'pointerLock':
      return [{ name: 'pointer-lock' }];
    case 'keyboardLock':
      return [{ name: 'keyboard-lock' }];
    case 'mediaKeySystem':
      return [{ name: 'protected-media-identifier' }];
    default:
      return [{ name: asked.permission }];
  }
}

/**
 * A session's permission handlers. Chrome has no CDP event for a permission
 * prompt, so a page script (see page/permission-hooks.ts) makes each
 * permission-asking API ask us first; we ask the handler, set Chrome's
 * permission for the frame's origin to the answer (`Browser.setPermission`),
 * and let the page's call go on, so Chrome answers it as after a user's choice.
 * Without a request handler requests are granted; without a check handler
 * checks pass (Electron's defaults).
 */
export class PermissionBroker {
  #requestHandler: PermissionRequestHandler | null = null;
  #checkHandler: PermissionCheckHandler | null = null;
  #displayHandler: DisplayMediaRequestHandler | null = null;
  readonly #pending = new Set<(granted: boolean) => void>();
  #backend: ContextRef | undefined;
  readonly #webContentsOf: (pageTargetId: string) => WebContents | undefined;
  readonly #sync = new SyncChecks(
    (_client, info, asked) => this.#answerStopped(info, asked),
    (info) => {
      const page = pageOf(this.#backend?.targets.get(info.targetId));
      return Boolean(page && this.#webContentsOf(page)?.debugger[kDebuggingScripts]);
    },
  );

  constructor(webContentsOf: (pageTargetId: string) => WebContents | undefined) {
    this.#webContentsOf = webContentsOf;
  }

  /** The session's context, once it runs (handlers can be set before). */
  attach(backend: ContextRef): void {
    this.#backend = backend;
  }

  setRequestHandler(handler: PermissionRequestHandler | null): void {
    this.#requestHandler = handler;
    // Requests the old handler left unanswered are denied.
    const pending = [...this.#pending];
    this.#pending.clear();
    for (const deny of pending) deny(false);
  }

  setCheckHandler(handler: PermissionCheckHandler | null): void {
    this.#checkHandler = handler;
    // Cross-origin frames stop for their synchronous checks only while a handler can answer them.
    this.#sync.setOn(handler !== null).catch((error: unknown) => debug.ignored('synchronous checks: %s', error));
  }

  setDisplayMediaHandler(handler: DisplayMediaRequestHandler | null): void {
    this.#displayHandler = handler;
  }

  /** The check handler's answer for a device API (`hid`, `serial`, `usb`) of `origin`; no handler passes. */
  checkDevice(webContents: WebContents | null, permission: string, origin: string, details: Record<string, unknown>): boolean {
    const handler = this.#checkHandler;
    if (!handler) return true;
    try {
      return Boolean(handler(webContents, permission, `${origin}/`, details));
    } catch (error) {
      debug.ignored('permission check handler threw: %s', error);
      return false;
    }
  }

  /** A request seen from our side, not asked by a page script (`openExternal`): the handler's answer. */
  requestFor(targetId: string, permission: string, details: { requestingUrl: string; isMainFrame: boolean } & Record<string, unknown>): Promise<boolean> {
    const page = pageOf(this.#backend?.targets.get(targetId)) ?? targetId;
    return this.#request(this.#webContentsOf(page) ?? null, { id: 0, kind: 'request', permission, details: { ...details, embeddingOrigin: '' } });
  }

  /** Attach hook: pages and iframes get the script and its binding while paused. */
  async configure(client: CdpSession, info: Protocol.Target.TargetInfo): Promise<void> {
    if (WORKERS.has(info.type)) {
      await Promise.all([beforeWorkerScript(client, WORKER_PERMISSION_SCRIPT), this.#sync.configure(client, info, true)]);
      return;
    }
    if (info.type !== 'page' && info.type !== 'iframe') return;
    client.on('Runtime.bindingCalled', (event) => {
      if (event.name === PERMISSION_BINDING) void this.#answer(client, info, event).catch((error: unknown) => debug.ignored('permission: %s', error));
    });
    // The page script's synchronous checks reach the page target only (Chrome shows no dialog of a cross-origin frame).
    if (info.type === 'page') {
      client.on('Page.javascriptDialogOpening', ({ message }) => {
        if (!message.startsWith(SYNC_PROMPT)) return;
        void sendMayFail(client, 'Page.handleJavaScriptDialog', { accept: true, promptText: this.#checkNow(info, message.slice(SYNC_PROMPT.length)) });
      });
    }
    const work: Array<Promise<unknown>> = [
      client.send('Runtime.addBinding', { name: PERMISSION_BINDING }),
      client.send('Page.addScriptToEvaluateOnNewDocument', { source: PERMISSION_SCRIPT }),
      this.#sync.configure(client, info, this.#checkHandler !== null),
    ];
    // OOPIFs do not get Runtime from the page hooks; bindings report only with it on.
    if (info.type === 'iframe') work.push(client.send('Runtime.enable'));
    await Promise.all(work);
  }

  async #answer(client: CdpSession, info: Protocol.Target.TargetInfo, event: Protocol.Runtime.BindingCalledEvent): Promise<void> {
    const backend = this.#backend;
    if (!backend) return;
    const asked = JSON.parse(event.payload) as Asked;
    const origin = new URL(asked.details.requestingUrl).origin;
    const page = pageOf(backend.targets.get(info.targetId)) ?? info.targetId;
    const webContents = this.#webContentsOf(page) ?? null;
    const reply = (value: unknown): Promise<unknown> =>
      client.send('Runtime.evaluate', {
        expression: `globalThis.__chromeSessionPermissionAnswer(${Number(asked.id)}, ${JSON.stringify(value ?? null)})`,
        contextId: event.executionContextId,
      });
    if (asked.kind === 'display') {
      await reply(await this.#display(asked, origin, frameOfContext(client, event.executionContextId)));
      return;
    }
    let granted: boolean;
    if (asked.kind === 'request') granted = await this.#request(webContents, asked);
    else granted = this.#check(webContents, asked, origin);
    await this.#setChrome(asked, origin, granted);
    // The answer too: the page gives the denials no Chrome permission stands behind (fullscreen).
    await reply(granted);
  }

  /** Sets Chrome's permission for the asking origin (in its embedder) to the answer, so the page's own call follows it. */
  async #setChrome(asked: Asked, origin: string, granted: boolean): Promise<void> {
    const backend = this.#backend;
    if (!backend) return;
    const setting = granted ? 'granted' : 'denied';
    const embedding = asked.details.embeddingOrigin;
    const root = backend.host.connection.root;
    const context = backend.browserContextId ? { browserContextId: backend.browserContextId } : {};
    await Promise.all(
      descriptorsOf(asked).map((permission) =>
        sendMayFail(root, 'Browser.setPermission', {
          permission,
          setting,
          origin: embedding,
          ...(embedding !== origin ? { embeddedOrigin: origin } : {}),
          ...context,
        }),
      ),
    );
  }

  /**
   * A check a frame or worker stopped for (see permission-sync.ts): the check
   * handler's answer; a worker's query also sets Chrome's state to it. A
   * dedicated worker's WebContents is its page's; shared and service workers have none.
   */
  async #answerStopped(info: Protocol.Target.TargetInfo, payload: string): Promise<string> {
    const asked = { id: 0, ...(JSON.parse(payload) as Omit<Asked, 'id'>) };
    const origin = new URL(asked.details.requestingUrl).origin;
    const owned = info.type !== 'shared_worker' && info.type !== 'service_worker';
    const page = owned ? pageOf(this.#backend?.targets.get(info.targetId)) : undefined;
    const granted = this.#check(page ? this.#webContentsOf(page) ?? null : null, asked, origin);
    if (asked.kind === 'query') await this.#setChrome(asked, origin, granted);
    return granted ? 'granted' : 'denied';
  }

  /** The display handler's choice: a video source (id, name), null when denied, 'unsupported' without a handler. */
  #display(asked: Asked, origin: string, frame: WebFrameMain | null): Promise<unknown> {
    const handler = this.#displayHandler;
    if (!handler) return Promise.resolve('unsupported');
    const request = {
      frame,
      securityOrigin: `${origin}/`,
      videoRequested: Boolean(asked.details.videoRequested),
      audioRequested: Boolean(asked.details.audioRequested),
      userGesture: Boolean(asked.details.userGesture),
    };
    return new Promise((resolve) => {
      try {
        handler(request, (streams) => {
          const video = streams?.video;
          if (!video) return resolve(null);
          // A frame stands for its page's content: named by its URL (the page draws the name; there is no compositor to copy headless).
          const source = video instanceof WebFrameMain ? { id: video.frameToken, name: video.url } : { id: String(video.id ?? ''), name: String(video.name ?? '') };
          resolve({ video: source, audio: Boolean(streams.audio) && request.audioRequested });
        });
      } catch (error) {
        debug.ignored('display media handler threw: %s', error);
        resolve(null);
      }
    });
  }

  #request(webContents: WebContents | null, asked: Asked): Promise<boolean> {
    const handler = this.#requestHandler;
    if (!handler) return Promise.resolve(true);
    const { descriptor: _descriptor, embeddingOrigin: _embedding, ...details } = asked.details;
    return new Promise((resolve) => {
      let answered = false;
      const callback = (granted: boolean): void => {
        if (answered) return;
        answered = true;
        this.#pending.delete(callback);
        resolve(Boolean(granted));
      };
      this.#pending.add(callback);
      try {
        handler(webContents, asked.permission, callback, details);
      } catch (error) {
        debug.ignored('permission request handler threw: %s', error);
        callback(false);
      }
    });
  }

  /** A synchronous check from a page (`Notification.permission`): 'granted' or 'denied', as the check handler says. */
  #checkNow(info: Protocol.Target.TargetInfo, payload: string): string {
    try {
      const asked = { id: 0, kind: 'check', ...(JSON.parse(payload) as Pick<Asked, 'permission' | 'details'>) } as Asked;
      const webContents = this.#webContentsOf(info.targetId) ?? null;
      return this.#check(webContents, asked, new URL(asked.details.requestingUrl).origin) ? 'granted' : 'denied';
    } catch (error) {
      debug.ignored('synchronous permission check: %s', error);
      return '';
    }
  }

  #check(webContents: WebContents | null, asked: Asked, origin: string): boolean {
    const queried = asked.details.descriptor?.name ?? '';
    const permission = QUERY_NAMES[queried] ?? 'unknown';
    const handler = this.#checkHandler;
    if (!handler) return true;
    const { descriptor: _descriptor, embeddingOrigin, ...rest } = asked.details;
    const details: Record<string, unknown> = { ...rest, embeddingOrigin: `${embeddingOrigin}/` };
    if (permission === 'media') {
      details.mediaType = queried === 'camera' ? 'video' : 'audio';
      details.securityOrigin = asked.details.requestingUrl;
    }
    // Electron passes no WebContents for checks from cross-origin subframes.
    const crossOriginFrame = !asked.details.isMainFrame && embeddingOrigin !== origin;
    try {
      return Boolean(handler(crossOriginFrame ? null : webContents, permission, `${origin}/`, details));
    } catch (error) {
      debug.ignored('permission check handler threw: %s', error);
      return false;
    }
  }
}

/** Electron's check on handler arguments. */
export function nullOrFunction<T>(handler: T | null): T | null {
  if (handler !== null && typeof handler !== 'function') throw new TypeError('Must pass null or function');
  return handler;
}
