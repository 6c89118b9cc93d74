import type { CdpSession } from '../../protocol/cdp-session.js';
import { sendMayFail } from '../../protocol/cdp-session.js';
import type { Protocol } from '../../protocol/cdp-types.js';
import { debug } from '../../protocol/debug.js';
import { ElectronEvent } from '../events.js';
import { DEVICE_BINDING, DEVICE_SCRIPT } from '../page/device-shims.js';
import { idOf, type DeviceSink, type VirtualDevice, type VirtualDevices, type VirtualHIDDevice, type VirtualSerialPort } from '../virtual-devices.js';
import type { WebContents } from '../web-contents.js';
import { hidInfo, matchesHidFilters, matchesSerialFilters, serialInfo, type DeviceInfo } from './device-structures.js';

export type DevicePermissionHandler = (details: { deviceType: 'hid' | 'serial' | 'usb'; origin: string; device: DeviceInfo }) => boolean;

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

class DeviceError extends Error {
  constructor(readonly domName: string, message: string) {
    super(message);
  }
}

const b64 = (data: Uint8Array): string => Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');

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

  /** Attach hook: pages and frames get the shims and their binding while paused. */
  async configure(client: CdpSession, info: Protocol.Target.TargetInfo): Promise<void> {
    if (info.type !== 'page' && info.type !== 'iframe') return;
    client.on('Runtime.bindingCalled', (event) => {
      if (event.name !== DEVICE_BINDING) return;
      void this.#onCall(client, info, event).catch((error: unknown) => debug.ignored('device call: %s', error));
    });
    client.on('Runtime.executionContextDestroyed', (event) => this.#forget(`${client.id}:${event.executionContextId}`));
    client.on('Runtime.executionContextsCleared', () => {
      for (const key of [...this.#frames.keys()]) if (key.startsWith(`${client.id}:`)) this.#forget(key);
    });
    const work: Array<Promise<unknown>> = [
      client.send('Runtime.addBinding', { name: DEVICE_BINDING }),
      client.send('Page.addScriptToEvaluateOnNewDocument', { source: DEVICE_SCRIPT }),
    ];
    if (info.type === 'iframe') work.push(client.send('Runtime.enable'));
    await Promise.all(work);
  }

  inputReport(device: VirtualHIDDevice, reportId: number, data: Uint8Array): void {
    this.#toOpened(device, { type: 'hid.input', deviceId: device.deviceId, reportId, data: b64(data) });
  }

  serialData(port: VirtualSerialPort, data: Uint8Array): void {
    this.#toOpened(port, { type: 'serial.data', portId: port.portId, data: b64(data) });
  }

  plugged(device: VirtualDevice, present: boolean): void {
    const info = device.type === 'hid' ? hidInfo(device) : serialInfo(device);
    // Frames see the device come or go where their origin may see it.
    for (const frame of this.#frames.values()) {
      if (!this.#visible(frame.origin, device)) continue;
      const message = present
        ? device.type === 'hid' ? { type: 'hid.connect', device: info } : { type: 'serial.connect', port: info }
        : device.type === 'hid' ? { type: 'hid.disconnect', deviceId: idOf(device) } : { type: 'serial.disconnect', portId: idOf(device) };
      this.#send(frame, message);
    }
    if (!present) {
      this.#opened.delete(idOf(device));
      for (const granted of this.#grants.values()) granted.delete(idOf(device));
    }
    // Electron reports plugging to the app only while a chooser is open.
    if (this.#choosers > 0) {
      const name = `${device.type === 'hid' ? 'hid-device' : 'serial-port'}-${present ? 'added' : 'removed'}`;
      if (device.type === 'hid') this.#options.emit(name, new ElectronEvent(), { device: info, frame: null });
      else this.#options.emit(name, new ElectronEvent(), info, null);
    }
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
    const webContents = this.#options.webContentsOf(info.targetId) ?? null;
    switch (call.op) {
      case 'hid.requestDevice':
        return this.#requestHid(call, webContents);
      case 'hid.getDevices':
        return this.#hid().filter((device) => this.#visible(call.origin, device)).map(hidInfo);
      case 'serial.requestPort':
        return this.#requestSerial(call, webContents);
      case 'serial.getPorts':
        return this.#serial().filter((port) => this.#visible(call.origin, port)).map(serialInfo);
    }
    const device = this.#options.devices.get(String(call.deviceId ?? call.portId));
    if (!device || !this.#visible(call.origin, device)) throw new DeviceError('NotFoundError', 'The device was not found or is no longer allowed.');
    const opened = this.#opened.get(idOf(device)) ?? new Set<string>();
    this.#opened.set(idOf(device), opened);
    const data = typeof call.data === 'string' ? Buffer.from(call.data, 'base64') : Buffer.alloc(0);
    switch (call.op) {
      case 'hid.open':
      case 'serial.open':
        opened.add(key);
        if (device.type === 'serial') device.openOptions = call.options as Record<string, unknown>;
        device.emit('open', ...(device.type === 'serial' ? [call.options] : []));
        return null;
      case 'hid.close':
      case 'serial.close':
        opened.delete(key);
        if (device.type === 'serial') device.openOptions = undefined;
        device.emit('close');
        return null;
      case 'hid.forget':
      case 'serial.forget':
        return this.#revoke(device, call.origin);
      case 'hid.sendReport':
        return void device.emit('output-report', Number(call.reportId), data);
      case 'hid.sendFeatureReport':
        return void device.emit('feature-report', Number(call.reportId), data);
      case 'hid.receiveFeatureReport': {
        const answer = await (device as VirtualHIDDevice).featureReport(Number(call.reportId));
        const bytes = ArrayBuffer.isView(answer) ? new Uint8Array(answer.buffer, answer.byteOffset, answer.byteLength) : Uint8Array.from(answer);
        return b64(bytes);
      }
      case 'serial.write':
        return void device.emit('data', data);
      case 'serial.setSignals':
        return void device.emit('signals', call.signals);
      case 'serial.getSignals':
        return { ...(device as VirtualSerialPort).signals };
      default:
        throw new DeviceError('NotSupportedError', `Unknown device call ${call.op}`);
    }
  }

  async #requestHid(call: Call, webContents: WebContents | null): Promise<unknown[]> {
    if (!this.#options.check(webContents, 'hid', call.origin, { requestingUrl: call.url, isMainFrame: call.isMainFrame })) return [];
    const candidates = this.#hid().filter((device) => matchesHidFilters(device, call.filters as unknown[], call.exclusionFilters as unknown[]));
    const chosen = await this.#choose('select-hid-device', (event, callback) =>
      this.#options.emit('select-hid-device', event, { deviceList: candidates.map(hidInfo), frame: null }, callback),
    );
    const device = candidates.find((candidate) => candidate.deviceId === chosen) ?? this.#hid().find((candidate) => candidate.deviceId === chosen);
    if (!device) return [];
    this.#grant(call.origin, device);
    return [hidInfo(device)];
  }

  async #requestSerial(call: Call, webContents: WebContents | null): Promise<unknown> {
    if (!this.#options.check(webContents, 'serial', call.origin, { requestingUrl: call.url, isMainFrame: call.isMainFrame })) return null;
    const candidates = this.#serial().filter((port) => matchesSerialFilters(port, call.filters as unknown[]));
    const chosen = await this.#choose('select-serial-port', (event, callback) =>
      this.#options.emit('select-serial-port', event, candidates.map(serialInfo), webContents, callback),
    );
    const port = this.#serial().find((candidate) => candidate.portId === chosen);
    if (!port) return null;
    this.#grant(call.origin, port);
    return serialInfo(port);
  }

  /** Electron's chooser: a listener answers through the callback, at once or (having called preventDefault) later. */
  #choose(name: string, emit: (event: ElectronEvent, callback: (id?: string | null) => void) => void): Promise<string | null> {
    if (this.#options.listenerCount(name) === 0) return Promise.resolve(null);
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
      if (!event.defaultPrevented) callback(null);
    });
  }

  #grant(origin: string, device: VirtualDevice): void {
    const granted = this.#grants.get(origin) ?? new Set<string>();
    granted.add(idOf(device));
    this.#grants.set(origin, granted);
  }

  #revoke(device: VirtualDevice, origin: string): null {
    this.#grants.get(origin)?.delete(idOf(device));
    for (const [key, frame] of this.#frames) if (frame.origin === origin) this.#opened.get(idOf(device))?.delete(key);
    if (device.type === 'hid') this.#options.emit('hid-device-revoked', new ElectronEvent(), { device: hidInfo(device), origin, frame: null });
    else this.#options.emit('serial-port-revoked', new ElectronEvent(), { port: serialInfo(device), origin, frame: null });
    return null;
  }

  /** Whether `origin` may use `device`: chosen for it, or allowed by the device permission handler. */
  #visible(origin: string, device: VirtualDevice): boolean {
    if (this.#grants.get(origin)?.has(idOf(device))) return true;
    const handler = this.#permissionHandler;
    if (!handler) return false;
    try {
      return handler({ deviceType: device.type, origin, device: device.type === 'hid' ? hidInfo(device) : serialInfo(device) }) === true;
    } catch (error) {
      debug.ignored('device permission handler threw: %s', error);
      return false;
    }
  }

  #hid(): VirtualHIDDevice[] {
    return this.#options.devices.list().filter((device): device is VirtualHIDDevice => device.type === 'hid');
  }

  #serial(): VirtualSerialPort[] {
    return this.#options.devices.list().filter((device): device is VirtualSerialPort => device.type === 'serial');
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
