import { BLUETOOTH_NAMES, uuidResolver } from '../internal/bluetooth-uuids.js';
import { installBluetoothShim } from './bluetooth-shim.js';
import { installUsbShim } from './usb-shim.js';

/** The binding the device shims call with each request. */
export const DEVICE_BINDING = '__chromeSessionDevices';

/**
 * Runs in every frame before its scripts (serialized with `toString()`, so it
 * refers to nothing outside itself). In secure contexts it puts WebHID's
 * `navigator.hid` and Web Serial's `navigator.serial` in place of Chrome's
 * (whose headless choosers never answer): every call goes to the session
 * through the binding; answers come back through
 * `__chromeSessionDeviceReply(id, error, result)`, device events through
 * `__chromeSessionDeviceEvent(message)`. (WebHID and Web Serial are not in
 * TypeScript's DOM library: their objects are typed loosely here.)
 */
export function installDeviceShims(binding: string): void {
  const scope = globalThis as any;
  const call = scope[binding];
  if (typeof call !== 'function' || scope.__chromeSessionDeviceShims || !scope.isSecureContext || !scope.navigator) return;
  Object.defineProperty(scope, '__chromeSessionDeviceShims', { value: true });
  // Dedicated workers get the APIs Chrome exposes there, without the choosers (window-only in the specs).
  const inWindow = typeof scope.Window === 'function' && scope instanceof scope.Window;
  const navigatorPrototype = (inWindow ? scope.Navigator : scope.WorkerNavigator).prototype;
  const pending = new Map<number, { resolve: (value: any) => void; reject: (error: unknown) => void }>();
  let next = 0;
  const ask = (op: string, args: Record<string, unknown> = {}): Promise<any> =>
    new Promise((resolve, reject) => {
      const id = ++next;
      pending.set(id, { resolve, reject });
      call(JSON.stringify({ id, op, origin: location.origin, url: location.href, isMainFrame: inWindow && window === window.top, ...args }));
    });
  const toBase64 = (data: Uint8Array): string => {
    let text = '';
    for (let i = 0; i < data.length; i += 0x8000) text += String.fromCharCode(...data.subarray(i, i + 0x8000));
    return btoa(text);
  };
  const fromBase64 = (text: string): Uint8Array => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  const bytesOf = (data: any): Uint8Array => {
    if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (data instanceof ArrayBuffer) return new Uint8Array(data);
    throw new TypeError("The provided value is not of type '(ArrayBuffer or ArrayBufferView)'.");
  };
  const gesture = (api: string, method: string): void => {
    if (!(navigator as any).userActivation?.isActive) {
      throw new DOMException(`Failed to execute '${method}' on '${api}': Must be handling a user gesture to show a permission request.`, 'SecurityError');
    }
  };
  const fire = (target: EventTarget, type: string, fields: Record<string, unknown>): void => {
    const event = new Event(type);
    for (const [key, value] of Object.entries(fields)) Object.defineProperty(event, key, { value, enumerable: true });
    target.dispatchEvent(event);
    const handler = (target as any)[`on${type}`];
    if (typeof handler === 'function') handler.call(target, event);
  };

  class HIDDevice extends EventTarget {
    oninputreport: ((event: Event) => void) | null = null;
    opened = false;
    readonly vendorId: number;
    readonly productId: number;
    readonly productName: string;
    readonly collections: unknown[];
    readonly #id: string;
    constructor(info: any) {
      super();
      this.#id = info.deviceId;
      this.vendorId = info.vendorId;
      this.productId = info.productId;
      this.productName = info.productName;
      this.collections = info.collections;
    }
    async open(): Promise<void> {
      if (this.opened) throw new DOMException("Failed to execute 'open' on 'HIDDevice': The device is already open.", 'InvalidStateError');
      await ask('hid.open', { deviceId: this.#id });
      this.opened = true;
    }
    async close(): Promise<void> {
      if (this.opened) await ask('hid.close', { deviceId: this.#id });
      this.opened = false;
    }
    async forget(): Promise<void> {
      await ask('hid.forget', { deviceId: this.#id });
      this.opened = false;
    }
    #mustBeOpen(method: string): void {
      if (!this.opened) throw new DOMException(`Failed to execute '${method}' on 'HIDDevice': The device must be opened first.`, 'InvalidStateError');
    }
    async sendReport(reportId: number, data: BufferSource): Promise<void> {
      this.#mustBeOpen('sendReport');
      await ask('hid.sendReport', { deviceId: this.#id, reportId, data: toBase64(bytesOf(data)) });
    }
    async sendFeatureReport(reportId: number, data: BufferSource): Promise<void> {
      this.#mustBeOpen('sendFeatureReport');
      await ask('hid.sendFeatureReport', { deviceId: this.#id, reportId, data: toBase64(bytesOf(data)) });
    }
    async receiveFeatureReport(reportId: number): Promise<DataView> {
      this.#mustBeOpen('receiveFeatureReport');
      const data = fromBase64(await ask('hid.receiveFeatureReport', { deviceId: this.#id, reportId }));
      return new DataView(data.buffer);
    }
  }

  class SerialPort extends EventTarget {
    onconnect: ((event: Event) => void) | null = null;
    ondisconnect: ((event: Event) => void) | null = null;
    readable: ReadableStream<Uint8Array> | null = null;
    writable: WritableStream<Uint8Array> | null = null;
    readonly #id: string;
    readonly #info: { usbVendorId?: number; usbProductId?: number };
    #controller: ReadableStreamDefaultController<Uint8Array> | undefined;
    constructor(info: any) {
      super();
      this.#id = info.portId;
      this.#info = {};
      if (info.vendorId !== undefined) this.#info.usbVendorId = Number(info.vendorId);
      if (info.productId !== undefined) this.#info.usbProductId = Number(info.productId);
    }
    getInfo(): { usbVendorId?: number; usbProductId?: number } {
      return { ...this.#info };
    }
    async open(options: { baudRate?: number } & Record<string, unknown>): Promise<void> {
      if (!options || typeof options.baudRate !== 'number') throw new TypeError("Failed to execute 'open' on 'SerialPort': Required member is undefined.");
      if (this.readable || this.writable) throw new DOMException("Failed to execute 'open' on 'SerialPort': The port is already open.", 'InvalidStateError');
      await ask('serial.open', { deviceId: this.#id, options });
      this.readable = new ReadableStream<Uint8Array>({ start: (controller) => void (this.#controller = controller) });
      this.writable = new WritableStream<Uint8Array>({ write: (chunk) => ask('serial.write', { deviceId: this.#id, data: toBase64(bytesOf(chunk)) }) });
    }
    async close(): Promise<void> {
      if (!this.readable && !this.writable) throw new DOMException("Failed to execute 'close' on 'SerialPort': The port is already closed.", 'InvalidStateError');
      this.#finish();
      await ask('serial.close', { deviceId: this.#id });
    }
    async forget(): Promise<void> {
      this.#finish();
      await ask('serial.forget', { deviceId: this.#id });
    }
    async setSignals(signals: Record<string, boolean>): Promise<void> {
      await ask('serial.setSignals', { deviceId: this.#id, signals });
    }
    async getSignals(): Promise<Record<string, boolean>> {
      return ask('serial.getSignals', { deviceId: this.#id });
    }
    /** @internal */ received(data: Uint8Array): void {
      this.#controller?.enqueue(data);
    }
    /** @internal */ lost(): void {
      this.#controller?.error(new DOMException('The device has been lost.', 'NetworkError'));
      this.#controller = undefined;
      this.readable = null;
      this.writable = null;
    }
    #finish(): void {
      try {
        this.#controller?.close();
      } catch {
        // Already errored or closed.
      }
      this.#controller = undefined;
      this.readable = null;
      this.writable = null;
    }
  }

  const hidDevices = new Map<string, HIDDevice>();
  const serialPorts = new Map<string, SerialPort>();
  const hidDevice = (info: any): HIDDevice => hidDevices.get(info.deviceId) ?? hidDevices.set(info.deviceId, new HIDDevice(info)).get(info.deviceId)!;
  const serialPort = (info: any): SerialPort => serialPorts.get(info.portId) ?? serialPorts.set(info.portId, new SerialPort(info)).get(info.portId)!;

  class HID extends EventTarget {
    onconnect: ((event: Event) => void) | null = null;
    ondisconnect: ((event: Event) => void) | null = null;
    async getDevices(): Promise<HIDDevice[]> {
      return (await ask('hid.list')).map(hidDevice);
    }
    async requestDevice(options: { filters?: unknown[]; exclusionFilters?: unknown[] }): Promise<HIDDevice[]> {
      if (!options || !Array.isArray(options.filters)) throw new TypeError("Failed to execute 'requestDevice' on 'HID': Failed to read the 'filters' property from 'HIDDeviceRequestOptions': Required member is undefined.");
      gesture('HID', 'requestDevice');
      const info = await ask('hid.request', { filters: options.filters, exclusionFilters: options.exclusionFilters ?? [] });
      return info ? [hidDevice(info)] : [];
    }
  }

  class Serial extends EventTarget {
    onconnect: ((event: Event) => void) | null = null;
    ondisconnect: ((event: Event) => void) | null = null;
    async getPorts(): Promise<SerialPort[]> {
      return (await ask('serial.list')).map(serialPort);
    }
    async requestPort(options: { filters?: unknown[] } = {}): Promise<SerialPort> {
      gesture('Serial', 'requestPort');
      const info = await ask('serial.request', { filters: options.filters ?? [] });
      if (!info) throw new DOMException("Failed to execute 'requestPort' on 'Serial': No port selected by the user.", 'NotFoundError');
      return serialPort(info);
    }
  }

  const hid = new HID();
  const serial = new Serial();
  if (!inWindow) {
    delete (Serial.prototype as any).requestPort;
    delete (HID.prototype as any).requestDevice;
  }
  // A worker gets the APIs Chrome has there, no others.
  const apis = [['hid', hid, [['HID', HID], ['HIDDevice', HIDDevice]]], ['serial', serial, [['Serial', Serial], ['SerialPort', SerialPort]]]] as const;
  for (const [name, value, classes] of apis) {
    if (!inWindow && !(name in navigatorPrototype)) continue;
    Object.defineProperty(navigatorPrototype, name, { get: () => value, configurable: true, enumerable: true });
    for (const [className, constructor] of classes) Object.defineProperty(scope, className, { value: constructor, configurable: true, writable: true });
  }

  Object.defineProperty(scope, '__chromeSessionDeviceReply', {
    value: (id: number, error: { name: string; message: string } | null, result: unknown) => {
      const waiting = pending.get(id);
      pending.delete(id);
      if (!waiting) return;
      if (error) waiting.reject(error.name === 'TypeError' ? new TypeError(error.message) : new DOMException(error.message, error.name));
      else waiting.resolve(result);
    },
  });
  // Each API handles its own events; WebUSB's shim (usb-shim.ts) adds its handler through the kit.
  const handlers: Record<string, (message: any) => void> = {
    hid: (message) => {
      if (message.type === 'hid.input') {
        const device = hidDevices.get(message.id);
        if (device?.opened) fire(device, 'inputreport', { device, reportId: message.reportId, data: new DataView(fromBase64(message.data).buffer) });
      } else if (message.type === 'connect') {
        fire(hid, 'connect', { device: hidDevice(message.device) });
      } else {
        const device = hidDevices.get(message.id);
        if (!device) return;
        device.opened = false;
        fire(hid, 'disconnect', { device });
      }
    },
    serial: (message) => {
      if (message.type === 'serial.data') {
        serialPorts.get(message.id)?.received(fromBase64(message.data));
      } else if (message.type === 'connect') {
        const port = serialPort(message.device);
        fire(port, 'connect', {});
        fire(serial, 'connect', { port });
      } else {
        const port = serialPorts.get(message.id);
        if (!port) return;
        port.lost();
        fire(port, 'disconnect', {});
        fire(serial, 'disconnect', { port });
      }
    },
  };
  Object.defineProperty(scope, '__chromeSessionDeviceEvent', {
    value: (message: any) => handlers[message.kind ?? String(message.type).split('.')[0]]?.(message),
  });
  Object.defineProperty(scope, '__chromeSessionDeviceKit', { value: { ask, toBase64, fromBase64, bytesOf, gesture, fire, handlers, inWindow, navigatorPrototype } });
}

/** The script installed in every frame of a session's pages, and evaluated in each dedicated worker before it runs. */
export const DEVICE_SCRIPT = [
  `(${installDeviceShims.toString()})(${JSON.stringify(DEVICE_BINDING)});`,
  `(${installUsbShim.toString()})();`,
  `(${installBluetoothShim.toString()})(${uuidResolver.toString()}, ${JSON.stringify(BLUETOOTH_NAMES)});`,
].join('\n');
