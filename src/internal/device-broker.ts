import type { CdpSession } from '../../protocol/cdp-session.js';
import { sendMayFail } from '../../protocol/cdp-session.js';
import type { Protocol } from '../../protocol/cdp-types.js';
import { debug } from '../../protocol/debug.js';
import { ElectronEvent } from '../events.js';
import { DEVICE_BINDING, DEVICE_SCRIPT } from '../page/device-shims.js';
import { beforeWorkerScript } from './worker-scripts.js';
import { idOf, type DeviceSink, type VirtualDevice, type VirtualDevices, type VirtualHIDDevice, type VirtualSerialPort } from '../virtual-devices.js';
import type { VirtualBluetoothDevice } from '../virtual-bluetooth.js';
import type { WebContents } from '../web-contents.js';
import { b64 } from './bytes.js';
import { DeviceError } from './device-error.js';
import { deviceOp, type USBProtectedClassesHandler } from './device-ops.js';
import { KINDS, kindOf, type DeviceInfo, type DeviceKind, type HIDDeviceInfo, type SerialPortInfo, type USBDeviceInfo } from './device-structures.js';
import { frameOfContext, type WebFrameMain } from '../web-frame-main.js';

/** `setDevicePermissionHandler`'s handler: whether `origin` may use `device` without a chooser. */
export type DevicePermissionHandler = (
  details:
    | { deviceType: 'hid'; origin: string; device: HIDDeviceInfo }
    | { deviceType: 'serial'; origin: string; device: SerialPortInfo }
    | { deviceType: 'usb'; origin: string; device: USBDeviceInfo },
) => boolean;

export interface BluetoothPairingDetails {
  deviceId: string;
  pairingKind: 'confirm' | 'confirmPin' | 'providePin';
  /** The frame that connects (null when it is gone by then). */
  frame: WebFrameMain | null;
  /** The PIN to confirm (`confirmPin`). */
  pin?: string;
}

export type BluetoothPairingHandler = (details: BluetoothPairingDetails, callback: (response: { confirmed: boolean; pin?: string | null }) => void) => void;

/** What the broker needs of its session. */
export interface DeviceBrokerOptions {
  devices: VirtualDevices;
  /** The session's `emit`, and how many listeners an event has. */
  emit: (event: string, ...args: unknown[]) => boolean;
  listenerCount: (event: string) => number;
  /** The session's permission check handler, for `hid` and `serial`. */
  check: (webContents: WebContents | null, permission: string, origin: string, details: Record<string, unknown>) => boolean;
  /** The WebContents a target (page or frame) belongs to. */
  webContentsOf: (targetId: string) => WebContents | undefined;
}

interface Frame {
  client: CdpSession;
  contextId: number;
  origin: string;
}

interface Call {
  id: number;
  op: string;
  origin: string;
  url: string;
  isMainFrame: boolean;
  [key: string]: unknown;
}

/**
 * A session's device prompts over its virtual devices. The page shims
 * (page/device-shims.ts) bring every WebHID and Web Serial call here; a
 * chooser becomes Electron's `select-hid-device`/`select-serial-port`, the
 * devices chosen are granted per origin (or by the device permission
 * handler), and the devices' reports and data go to the frames that have them
 * open. Grants live with the session: partitions never see each other's.
 */
export class DeviceBroker implements DeviceSink {
  readonly #options: DeviceBrokerOptions;
  #permissionHandler: DevicePermissionHandler | null = null;
  #protectedClasses: USBProtectedClassesHandler | null = null;
  #pairingHandler: BluetoothPairingHandler | null = null;
  readonly #grants = new Map<string, Set<string>>();
  readonly #frames = new Map<string, Frame>();
  readonly #opened = new Map<string, Set<string>>();
  #choosers = 0;

  constructor(options: DeviceBrokerOptions) {
    this.#options = options;
    options.devices.connect(this);
  }

  setPermissionHandler(handler: DevicePermissionHandler | null): void {
    this.#permissionHandler = handler;
  }

  setProtectedClassesHandler(handler: USBProtectedClassesHandler | null): void {
    this.#protectedClasses = handler;
  }

  setPairingHandler(handler: BluetoothPairingHandler | null): void {
    this.#pairingHandler = handler;
  }

  /** Attach hook: pages and frames get the shims and their binding while paused; dedicated workers get them evaluated before they run. */
  async configure(client: CdpSession, info: Protocol.Target.TargetInfo): Promise<void> {
    if (info.type !== 'page' && info.type !== 'iframe' && info.type !== 'worker') return;
    // Workers only of sessions with virtual devices when they start (stopping one before its script costs a little).
    if (info.type === 'worker' && this.#options.devices.list().length === 0) return;
    client.on('Runtime.bindingCalled', (event) => {
      if (event.name !== DEVICE_BINDING) return;
      void this.#onCall(client, info, event).catch((error: unknown) => debug.ignored('device call: %s', error));
    });
    client.on('Runtime.executionContextDestroyed', (event) => this.#forget(`${client.id}:${event.executionContextId}`));
    client.on('Runtime.executionContextsCleared', () => {
      for (const key of [...this.#frames.keys()]) if (key.startsWith(`${client.id}:`)) this.#forget(key);
    });
    if (info.type === 'worker') return this.#configureWorker(client);
    const work: Array<Promise<unknown>> = [
      client.send('Runtime.addBinding', { name: DEVICE_BINDING }),
      client.send('Page.addScriptToEvaluateOnNewDocument', { source: DEVICE_SCRIPT }),
    ];
    if (info.type === 'iframe') work.push(client.send('Runtime.enable'));
    await Promise.all(work);
  }

  /** A dedicated worker: the binding, and the shims right before its script. */
  async #configureWorker(client: CdpSession): Promise<void> {
    await Promise.all([
      client.send('Runtime.addBinding', { name: DEVICE_BINDING }),
      client.send('Runtime.enable'),
      beforeWorkerScript(client, DEVICE_SCRIPT),
    ]);
  }

  inputReport(device: VirtualHIDDevice, reportId: number, data: Uint8Array): void {
    this.#toOpened(device, { type: 'hid.input', id: device.deviceId, reportId, data: b64(data) });
  }

  serialData(port: VirtualSerialPort, data: Uint8Array): void {
    this.#toOpened(port, { type: 'serial.data', id: port.portId, data: b64(data) });
  }

  bluetoothValue(device: VirtualBluetoothDevice, service: string, characteristic: string, value: Uint8Array): void {
    this.#toOpened(device, { type: 'bluetooth.value', id: device.deviceId, service, characteristic, data: b64(value) });
  }

  bluetoothDisconnected(device: VirtualBluetoothDevice): void {
    if (!this.#opened.get(device.deviceId)?.size) return;
    this.#toOpened(device, { type: 'bluetooth.disconnected', id: device.deviceId });
    this.#opened.delete(device.deviceId);
    device.emit('close');
  }

  plugged(device: VirtualDevice, present: boolean): void {
    const kind = kindOf(device);
    const info = kind.info(device);
    // Frames see the device come or go where their origin may see it.
    const message = present ? { type: 'connect', kind: kind.type, device: info } : { type: 'disconnect', kind: kind.type, id: idOf(device) };
    for (const frame of this.#frames.values()) if (this.#visible(frame.origin, device)) this.#send(frame, message);
    if (!present) {
      this.#opened.delete(idOf(device));
      for (const granted of this.#grants.values()) granted.delete(idOf(device));
    }
    // Electron reports plugging to the app only while a chooser is open.
    if (this.#choosers > 0) kind.plugged(this.#options.emit, info, present);
  }

  async #onCall(client: CdpSession, info: Protocol.Target.TargetInfo, event: Protocol.Runtime.BindingCalledEvent): Promise<void> {
    const message = JSON.parse(event.payload) as Call;
    const frame = { client, contextId: event.executionContextId, origin: message.origin };
    this.#frames.set(`${client.id}:${event.executionContextId}`, frame);
    let error: { name: string; message: string } | null = null;
    let result: unknown = null;
    try {
      result = await this.#handle(message, frame, info);
    } catch (failure) {
      error = failure instanceof DeviceError ? { name: failure.domName, message: failure.message } : { name: 'NotFoundError', message: String(failure) };
    }
    await sendMayFail(client, 'Runtime.evaluate', {
      expression: `globalThis.__chromeSessionDeviceReply(${message.id}, ${JSON.stringify(error)}, ${JSON.stringify(result ?? null)})`,
      contextId: event.executionContextId,
    });
  }

  async #handle(call: Call, frame: Frame, info: Protocol.Target.TargetInfo): Promise<unknown> {
    const key = `${frame.client.id}:${frame.contextId}`;
    const [type, op] = call.op.split('.') as [keyof typeof KINDS, string];
    const kind = KINDS[type] as unknown as DeviceKind | undefined;
    if (!kind) throw new DeviceError('NotSupportedError', `Unknown device call ${call.op}`);
    if (op === 'request') return this.#request(kind, call, this.#options.webContentsOf(info.targetId) ?? null, frameOfContext(frame.client, frame.contextId));
    if (op === 'list') return this.#ofKind(kind).filter((device) => this.#visible(call.origin, device)).map((device) => kind.info(device));
    const device = this.#options.devices.get(String(call.deviceId));
    if (!device || device.type !== type || !this.#visible(call.origin, device)) throw new DeviceError('NotFoundError', 'The device was not found or is no longer allowed.');
    const opened = this.#opened.get(idOf(device)) ?? new Set<string>();
    this.#opened.set(idOf(device), opened);
    switch (op) {
      case 'open':
        if (device.type === 'bluetooth' && device.pairing && !device.paired) await pair(device, this.#pairingHandler, frameOfContext(frame.client, frame.contextId));
        opened.add(key);
        if (device.type === 'serial') device.openOptions = call.options as Record<string, unknown>;
        // Once the page has its answer: what the device does on 'open' (send, disconnect) comes after it.
        setImmediate(() => device.emit('open', ...(device.type === 'serial' ? [call.options] : [])));
        return null;
      case 'close':
        opened.delete(key);
        if (device.type === 'serial') device.openOptions = undefined;
        device.emit('close');
        return null;
      case 'forget':
        return this.#revoke(kind, device, call.origin);
      default:
        return deviceOp(device, call.op, call, this.#protectedClasses);
    }
  }

  /** A chooser for the page: the check handler first, then Electron's event with the devices the filters match. */
  async #request(kind: DeviceKind, call: Call, webContents: WebContents | null, frame: WebFrameMain | null): Promise<DeviceInfo | null> {
    // Web Bluetooth asks no check handler in Electron; the other three do.
    const checked = kind.type === 'bluetooth' || this.#options.check(webContents, kind.type, call.origin, { requestingUrl: call.url, isMainFrame: call.isMainFrame });
    if (!checked) return null;
    const filters = (call.filters as unknown[] | undefined) ?? [];
    const candidates = this.#ofKind(kind).filter((device) => kind.matches(device, filters, (call.exclusionFilters as unknown[] | undefined) ?? []));
    const listeners = kind.chooser?.on === 'webContents' ? (webContents?.listenerCount(kind.chooserEvent as never) ?? 0) : this.#options.listenerCount(kind.chooserEvent);
    // Unanswered, a Web Bluetooth chooser takes the first device (Electron's rule); the others take none.
    const unanswered = kind.chooser?.unanswered === 'first' && candidates[0] ? idOf(candidates[0]) : null;
    const chosen = await this.#choose(kind.chooserEvent, listeners, unanswered, (event, callback) =>
      kind.choose(this.#options.emit, event, candidates.map((device) => kind.info(device)), webContents, callback, frame),
    );
    // A device plugged in while the chooser was open can be picked too.
    const device = this.#ofKind(kind).find((candidate) => idOf(candidate) === chosen);
    if (!device) return null;
    this.#grant(call.origin, device);
    kind.granted?.(device, call.origin, call);
    return kind.info(device);
  }

  /** Electron's chooser: a listener answers through the callback, at once or (having called preventDefault) later. */
  #choose(
    name: string,
    listeners: number,
    unanswered: string | null,
    emit: (event: ElectronEvent, callback: (id?: string | null) => void) => void,
  ): Promise<string | null> {
    if (listeners === 0) return Promise.resolve(unanswered);
    return new Promise((resolve) => {
      let settled = false;
      const callback = (id?: string | null): void => {
        if (settled) return;
        settled = true;
        this.#choosers--;
        resolve(id ? String(id) : null);
      };
      this.#choosers++;
      const event = new ElectronEvent();
      try {
        emit(event, callback);
      } catch (error) {
        debug.ignored('%s listener threw: %s', name, error);
        callback(null);
      }
      if (!event.defaultPrevented) callback(unanswered);
    });
  }

  #grant(origin: string, device: VirtualDevice): void {
    const granted = this.#grants.get(origin) ?? new Set<string>();
    granted.add(idOf(device));
    this.#grants.set(origin, granted);
  }

  #revoke(kind: DeviceKind, device: VirtualDevice, origin: string): null {
    this.#grants.get(origin)?.delete(idOf(device));
    for (const [key, frame] of this.#frames) if (frame.origin === origin) this.#opened.get(idOf(device))?.delete(key);
    kind.revoked(this.#options.emit, kind.info(device), origin);
    return null;
  }

  /** Whether `origin` may use `device`: chosen for it, or allowed by the device permission handler. */
  #visible(origin: string, device: VirtualDevice): boolean {
    if (this.#grants.get(origin)?.has(idOf(device))) return true;
    const handler = this.#permissionHandler;
    // Electron's device permission handler is for HID, serial and USB.
    if (!handler || device.type === 'bluetooth') return false;
    try {
      return handler({ deviceType: device.type, origin, device: kindOf(device).info(device) } as Parameters<DevicePermissionHandler>[0]) === true;
    } catch (error) {
      debug.ignored('device permission handler threw: %s', error);
      return false;
    }
  }

  #ofKind(kind: DeviceKind): VirtualDevice[] {
    return this.#options.devices.list().filter((device) => device.type === kind.type);
  }

  #toOpened(device: VirtualDevice, message: Record<string, unknown>): void {
    for (const key of this.#opened.get(idOf(device)) ?? []) {
      const frame = this.#frames.get(key);
      if (frame) this.#send(frame, message);
    }
  }

  #send(frame: Frame, message: Record<string, unknown>): void {
    void sendMayFail(frame.client, 'Runtime.evaluate', {
      expression: `globalThis.__chromeSessionDeviceEvent(${JSON.stringify(message)})`,
      contextId: frame.contextId,
    });
  }

  #forget(key: string): void {
    this.#frames.delete(key);
    for (const opened of this.#opened.values()) opened.delete(key);
  }
}

/** A virtual Bluetooth device's pairing, answered by the session's handler (none: cancelled), with Chrome's errors. */
async function pair(device: VirtualBluetoothDevice, handler: BluetoothPairingHandler | null, frame: WebFrameMain | null): Promise<void> {
  const kind = device.pairing!;
  const response = await new Promise<{ confirmed?: boolean; pin?: string | null } | undefined>((resolve) => {
    if (!handler) return resolve(undefined);
    try {
      handler({ deviceId: device.deviceId, pairingKind: kind, frame, ...(kind === 'confirmPin' ? { pin: device.pin } : {}) }, resolve);
    } catch (error) {
      debug.ignored('bluetooth pairing handler threw: %s', error);
      resolve(undefined);
    }
  });
  if (!response?.confirmed) throw new DeviceError('NetworkError', 'Authentication canceled.');
  if (kind === 'providePin' && String(response.pin ?? '') !== device.pin) throw new DeviceError('NetworkError', 'Authentication failed.');
  device.paired = true;
}
