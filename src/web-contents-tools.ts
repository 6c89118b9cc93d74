import { open } from 'node:fs/promises';
import { whileRendererLives } from './internal/renderer-alive.js';
import { sendMayFail, type CdpSession } from '../protocol/cdp-session.js';
import type { TargetManager } from '../protocol/target-manager.js';
import { debug } from '../protocol/debug.js';
import { TargetClosedError } from '../protocol/errors.js';
import { keepAlive } from './internal/keep-alive.js';
import { NativeImage, nativeImage } from './native-image.js';
import { pageWatchers, WebContents } from './web-contents.js';
import { alive, clientOf, type Rectangle } from './web-contents-extras.js';

/** Electron's device emulation parameters (`enableDeviceEmulation`). */
export interface DeviceEmulationParameters {
  /** `desktop` (default) or `mobile`. */
  screenPosition?: 'desktop' | 'mobile';
  /** The emulated screen (0 x 0: the real one). */
  screenSize?: { width: number; height: number };
  /** Where the view sits on the screen (mobile only). */
  viewPosition?: { x: number; y: number };
  /** 0: the real one. */
  deviceScaleFactor?: number;
  /** The emulated view (0 x 0: no override). */
  viewSize?: { width: number; height: number };
  /** The scale of the emulated view in the available space. */
  scale?: number;
}

export interface SharedWorkerInfo {
  id: string;
  url: string;
}

declare module './web-contents.js' {
  interface WebContents {
    /** Writes a V8 heap snapshot of the page's main frame to `filePath` (Chrome's `.heapsnapshot` format). */
    takeHeapSnapshot(filePath: string): Promise<void>;
    /** Emulates a screen and view (Chrome's device metrics emulation). */
    enableDeviceEmulation(parameters: DeviceEmulationParameters): void;
    disableDeviceEmulation(): void;
    /** Calls `callback` with each frame the page paints (its whole view), until endFrameSubscription(). */
    beginFrameSubscription(onlyDirtyOrCallback: boolean | FrameCallback, callback?: FrameCallback): void;
    endFrameSubscription(): void;
    /** The shared workers of its session's pages. */
    getAllSharedWorkers(): SharedWorkerInfo[];
    scrollToTop(): void;
    scrollToBottom(): void;
  }
}

export type FrameCallback = (image: NativeImage, dirtyRect: Rectangle) => void;

const targetsOf = new WeakMap<WebContents, TargetManager>();
pageWatchers.add((contents, targets) => targetsOf.set(contents, targets));

const snapshots = new WeakMap<WebContents, Promise<unknown>>();

WebContents.prototype.takeHeapSnapshot = function takeHeapSnapshot(this: WebContents, filePath: string) {
  if (typeof filePath !== 'string') return Promise.reject(new TypeError('Error processing argument at index 0, conversion failure'));
  // One at a time: Chrome's chunks name no snapshot.
  const taken = (snapshots.get(this) ?? Promise.resolve()).then(() => heapSnapshot(this, filePath));
  snapshots.set(this, taken.catch(() => undefined));
  return keepAlive(taken);
};

async function heapSnapshot(contents: WebContents, filePath: string): Promise<void> {
  if (contents.isDestroyed() || contents.isCrashed()) throw new Error('Failed to take heap snapshot with nonexistent render frame');
  const client = await clientOf(contents).catch(() => {
    throw new Error('Failed to take heap snapshot with nonexistent render frame');
  });
  const file = await open(filePath, 'w').catch(() => {
    throw new Error(`Failed to take heap snapshot with invalid file path ${filePath}`);
  });
  // Chunks are written in order; the first failure stops the rest and is the outcome.
  let writing: Promise<void> = Promise.resolve();
  let failed: unknown;
  const onChunk = ({ chunk }: { chunk: string }): void => {
    writing = writing.then(async () => {
      if (failed === undefined) await file.write(chunk).catch((error: unknown) => void (failed = error));
    });
  };
  client.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  try {
    // Chrome sends every chunk before it answers.
    await whileRendererLives(contents, () => new Error('renderer gone'), () => client.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false }));
    await writing;
    if (failed !== undefined) throw failed;
  } catch (error) {
    debug.ignored('heap snapshot: %s', error);
    throw new Error(error instanceof TargetClosedError ? 'Failed to take heap snapshot with nonexistent render frame' : 'Failed to take heap snapshot');
  } finally {
    client.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
    await writing;
    await file.close();
  }
}

WebContents.prototype.enableDeviceEmulation = function enableDeviceEmulation(this: WebContents, parameters: DeviceEmulationParameters) {
  alive(this);
  const given = typeof parameters === 'object' && parameters !== null ? parameters : {};
  const number = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
  const mobile = given.screenPosition === 'mobile';
  const metrics = {
    width: Math.round(number(given.viewSize?.width)),
    height: Math.round(number(given.viewSize?.height)),
    deviceScaleFactor: number(given.deviceScaleFactor),
    mobile,
    scale: number(given.scale) || 1,
    screenWidth: Math.round(number(given.screenSize?.width)),
    screenHeight: Math.round(number(given.screenSize?.height)),
    positionX: mobile ? Math.round(number(given.viewPosition?.x)) : 0,
    positionY: mobile ? Math.round(number(given.viewPosition?.y)) : 0,
  };
  withClient(this, (client) => sendMayFail(client, 'Emulation.setDeviceMetricsOverride', metrics));
};

WebContents.prototype.disableDeviceEmulation = function disableDeviceEmulation(this: WebContents) {
  alive(this);
  withClient(this, (client) => sendMayFail(client, 'Emulation.clearDeviceMetricsOverride'));
};

/** Runs `work` on the page's session in call order (Electron's methods here are synchronous). */
function withClient(contents: WebContents, work: (client: CdpSession) => Promise<unknown>): void {
  const previous = queues.get(contents) ?? Promise.resolve();
  const next = previous.then(() => clientOf(contents)).then(work, (error: unknown) => debug.ignored('%s', error));
  queues.set(contents, next.catch(() => undefined));
}
const queues = new WeakMap<WebContents, Promise<unknown>>();

interface Subscription {
  callback: FrameCallback;
  stop: () => void;
}
const subscriptions = new WeakMap<WebContents, Subscription>();

WebContents.prototype.beginFrameSubscription = function beginFrameSubscription(this: WebContents, onlyDirtyOrCallback: boolean | FrameCallback, maybeCallback?: FrameCallback) {
  alive(this);
  const callback = typeof onlyDirtyOrCallback === 'function' ? onlyDirtyOrCallback : maybeCallback;
  if (typeof callback !== 'function') throw new TypeError('Error processing argument at index 0, conversion failure');
  const running = subscriptions.get(this);
  if (running) {
    // As in Electron, a second subscription takes the first one's place.
    running.callback = callback;
    return;
  }
  const subscription: Subscription = { callback, stop: () => undefined };
  subscriptions.set(this, subscription);
  withClient(this, async (client) => {
    if (subscriptions.get(this) !== subscription) return;
    const onFrame = ({ data, metadata, sessionId }: { data: string; metadata: { deviceWidth: number; deviceHeight: number }; sessionId: number }): void => {
      void sendMayFail(client, 'Page.screencastFrameAck', { sessionId });
      const image = nativeImage.createFromBuffer(Buffer.from(data, 'base64'));
      const { width, height } = image.getSize();
      try {
        subscription.callback(image, { x: 0, y: 0, width: width || Math.round(metadata.deviceWidth), height: height || Math.round(metadata.deviceHeight) });
      } catch (error) {
        process.emitWarning(error instanceof Error ? error : String(error));
      }
    };
    client.on('Page.screencastFrame', onFrame);
    subscription.stop = () => {
      client.off('Page.screencastFrame', onFrame);
      void sendMayFail(client, 'Page.stopScreencast');
    };
    await client.send('Page.startScreencast', { format: 'png' });
  });
};

WebContents.prototype.endFrameSubscription = function endFrameSubscription(this: WebContents) {
  const subscription = subscriptions.get(this);
  if (!subscription) return;
  subscriptions.delete(this);
  withClient(this, async () => subscription.stop());
};

WebContents.prototype.getAllSharedWorkers = function getAllSharedWorkers(this: WebContents) {
  const targets = targetsOf.get(this);
  if (!targets) return [];
  return targets
    .records()
    .filter((record) => record.targetInfo.type === 'shared_worker')
    .map((record) => ({ id: record.targetId, url: record.targetInfo.url }));
};

WebContents.prototype.scrollToTop = function scrollToTop(this: WebContents) {
  alive(this);
  withClient(this, (client) => sendMayFail(client, 'Runtime.evaluate', { expression: 'scrollTo(scrollX, 0)' }));
};

WebContents.prototype.scrollToBottom = function scrollToBottom(this: WebContents) {
  alive(this);
  withClient(this, (client) =>
    sendMayFail(client, 'Runtime.evaluate', { expression: 'scrollTo(scrollX, (document.scrollingElement || document.documentElement).scrollHeight)' }),
  );
};
