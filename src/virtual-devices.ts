import { EventEmitter } from 'node:events';
import { bytes } from './internal/bytes.js';
import { VirtualBluetoothDevice, type BluetoothSink, type VirtualBluetoothOptions } from './virtual-bluetooth.js';

/** A HID collection, as WebHID's HIDCollectionInfo describes one. */
export interface HIDCollectionInfo {
  usagePage: number;
  usage: number;
  type?: number;
  children?: HIDCollectionInfo[];
  inputReports?: Array<{ reportId: number; items?: unknown[] }>;
  outputReports?: Array<{ reportId: number; items?: unknown[] }>;
  featureReports?: Array<{ reportId: number; items?: unknown[] }>;
}

export interface VirtualHIDOptions {
  vendorId: number;
  productId: number;
  productName?: string;
  serialNumber?: string;
  collections?: HIDCollectionInfo[];
}

export interface VirtualSerialPortOptions {
  /** Decimal strings, as Electron's SerialPort gives them (`'9025'` for 0x2341). */
  vendorId?: string;
  productId?: string;
  displayName?: string;
  serialNumber?: string;
}

/** The input signals a serial port reports to `getSignals()`. */
export interface SerialInputSignals {
  dataCarrierDetect: boolean;
  clearToSend: boolean;
  ringIndicator: boolean;
  dataSetReady: boolean;
}

/** Where devices send what a test makes them send (the session's pages). */
export interface DeviceSink extends BluetoothSink {
  inputReport(device: VirtualHIDDevice, reportId: number, data: Uint8Array): void;
  serialData(port: VirtualSerialPort, data: Uint8Array): void;
  plugged(device: VirtualDevice, present: boolean): void;
}

let nextId = 0;


/**
 * A HID device that exists only for one session's pages. Events: `open`,
 * `close`, `output-report` `(reportId, data)` for the page's `sendReport`,
 * `feature-report` `(reportId, data)` for `sendFeatureReport`. A page's
 * `receiveFeatureReport(reportId)` gets what `featureReport(reportId)` returns
 * (set it to answer; empty by default).
 */
export class VirtualHIDDevice extends EventEmitter {
  readonly type = 'hid';
  readonly deviceId = `hid-${++nextId}`;
  readonly vendorId: number;
  readonly productId: number;
  readonly productName: string;
  readonly serialNumber: string;
  readonly collections: HIDCollectionInfo[];
  /** Answers the page's `receiveFeatureReport(reportId)`. */
  featureReport: (reportId: number) => ArrayBufferView | number[] | Promise<ArrayBufferView | number[]> = () => new Uint8Array();
  /** @internal */
  sink: DeviceSink | undefined;

  constructor(options: VirtualHIDOptions) {
    super();
    if (!Number.isInteger(options?.vendorId) || !Number.isInteger(options?.productId)) throw new TypeError('vendorId and productId must be integers');
    this.vendorId = options.vendorId;
    this.productId = options.productId;
    this.productName = options.productName ?? '';
    this.serialNumber = options.serialNumber ?? '';
    this.collections = options.collections ?? [];
  }

  /** Sends an input report to every page that has the device open (`inputreport` events). */
  sendInputReport(reportId: number, data: ArrayBufferView | ArrayBuffer | number[] | string): void {
    this.sink?.inputReport(this, reportId, bytes(data));
  }
}

/**
 * A serial port that exists only for one session's pages. Events: `open`
 * `(options)` with the page's open options, `close`, `data` `(Buffer)` for
 * what the page writes, `signals` `(signals)` for its `setSignals()`.
 * `write(data)` sends bytes to the page's `readable`; `signals` is what the
 * page's `getSignals()` reads.
 */
export class VirtualSerialPort extends EventEmitter {
  readonly type = 'serial';
  readonly portId = `serial-${++nextId}`;
  readonly vendorId: string | undefined;
  readonly productId: string | undefined;
  readonly displayName: string;
  readonly serialNumber: string;
  signals: SerialInputSignals = { dataCarrierDetect: false, clearToSend: false, ringIndicator: false, dataSetReady: false };
  /** The page's open options while it has the port open. */
  openOptions: Record<string, unknown> | undefined;
  /** @internal */
  sink: DeviceSink | undefined;

  constructor(options: VirtualSerialPortOptions = {}) {
    super();
    for (const key of ['vendorId', 'productId'] as const) {
      const value = options[key];
      if (value !== undefined && !/^\d+$/.test(String(value))) throw new TypeError(`${key} must be a decimal string`);
    }
    this.vendorId = options.vendorId === undefined ? undefined : String(options.vendorId);
    this.productId = options.productId === undefined ? undefined : String(options.productId);
    this.displayName = options.displayName ?? '';
    this.serialNumber = options.serialNumber ?? '';
  }

  /** Sends bytes to the page that has the port open (its `readable`). */
  write(data: ArrayBufferView | ArrayBuffer | number[] | string): void {
    this.sink?.serialData(this, bytes(data));
  }
}

/** A USB endpoint, interface alternate, interface and configuration, as WebUSB describes them. */
export interface USBEndpointInfo {
  endpointNumber: number;
  direction: 'in' | 'out';
  type: 'bulk' | 'interrupt' | 'isochronous';
  packetSize?: number;
}
export interface USBAlternateInfo {
  alternateSetting: number;
  interfaceClass: number;
  interfaceSubclass?: number;
  interfaceProtocol?: number;
  interfaceName?: string;
  endpoints?: USBEndpointInfo[];
}
export interface USBInterfaceInfo {
  interfaceNumber: number;
  alternates: USBAlternateInfo[];
}
export interface USBConfigurationInfo {
  configurationValue: number;
  configurationName?: string;
  interfaces: USBInterfaceInfo[];
}

export interface VirtualUSBOptions {
  vendorId: number;
  productId: number;
  productName?: string;
  manufacturerName?: string;
  serialNumber?: string;
  deviceClass?: number;
  deviceSubclass?: number;
  deviceProtocol?: number;
  configurations?: USBConfigurationInfo[];
}

/** A control transfer's setup, as WebUSB's USBControlTransferParameters. */
export interface USBControlSetup {
  requestType: 'standard' | 'class' | 'vendor';
  recipient: 'device' | 'interface' | 'endpoint' | 'other';
  request: number;
  value: number;
  index: number;
}

/** What a device answers an IN transfer with: bytes (`ok`), or a status. */
export type USBInAnswer = ArrayBufferView | number[] | { status: 'stall' | 'babble'; data?: ArrayBufferView | number[] };

/**
 * A USB device that exists only for one session's pages. Events: `open`,
 * `close`, `transfer-out` `(endpointNumber, data)`, `control-transfer-out`
 * `(setup, data)`, `isochronous-transfer-out` `(endpointNumber, packets)`. IN
 * transfers are answered by `transferIn(endpointNumber, length)`,
 * `controlTransferIn(setup, length)` and `isochronousTransferIn(endpointNumber,
 * packetLengths)` (set them; by default an IN transfer, and each isochronous
 * packet, waits for `pushIn(endpointNumber, data)`, and a control IN transfer stalls).
 */
export class VirtualUSBDevice extends EventEmitter {
  readonly type = 'usb';
  readonly deviceId = `usb-${++nextId}`;
  readonly options: Required<Omit<VirtualUSBOptions, 'configurations'>> & { configurations: USBConfigurationInfo[] };
  readonly #queues = new Map<number, Uint8Array[]>();
  readonly #waiting = new Map<number, Array<(data: Uint8Array) => void>>();
  transferIn: (endpointNumber: number, length: number) => USBInAnswer | Promise<USBInAnswer> = (endpointNumber) => this.#next(endpointNumber);
  controlTransferIn: (setup: USBControlSetup, length: number) => USBInAnswer | Promise<USBInAnswer> = () => ({ status: 'stall' });
  /** Answers an isochronous IN transfer, one answer per packet (by default each waits for a `pushIn`). */
  isochronousTransferIn: (endpointNumber: number, packetLengths: number[]) => USBInAnswer[] | Promise<USBInAnswer[]> = (endpointNumber, packetLengths) =>
    Promise.all(packetLengths.map(() => this.#next(endpointNumber)));
  /** @internal */
  sink: DeviceSink | undefined;

  constructor(options: VirtualUSBOptions) {
    super();
    if (!Number.isInteger(options?.vendorId) || !Number.isInteger(options?.productId)) throw new TypeError('vendorId and productId must be integers');
    this.options = {
      vendorId: options.vendorId,
      productId: options.productId,
      productName: options.productName ?? '',
      manufacturerName: options.manufacturerName ?? '',
      serialNumber: options.serialNumber ?? '',
      deviceClass: options.deviceClass ?? 0,
      deviceSubclass: options.deviceSubclass ?? 0,
      deviceProtocol: options.deviceProtocol ?? 0,
      configurations: options.configurations ?? [],
    };
  }

  /** Queues bytes for the page's next `transferIn` on `endpointNumber`. */
  pushIn(endpointNumber: number, data: ArrayBufferView | ArrayBuffer | number[] | string): void {
    const waiting = this.#waiting.get(endpointNumber)?.shift();
    if (waiting) return waiting(bytes(data));
    const queue = this.#queues.get(endpointNumber) ?? [];
    queue.push(bytes(data));
    this.#queues.set(endpointNumber, queue);
  }

  #next(endpointNumber: number): Promise<Uint8Array> {
    const queued = this.#queues.get(endpointNumber)?.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve) => {
      const waiting = this.#waiting.get(endpointNumber) ?? [];
      waiting.push(resolve);
      this.#waiting.set(endpointNumber, waiting);
    });
  }
}

export type VirtualDevice = VirtualHIDDevice | VirtualSerialPort | VirtualUSBDevice | VirtualBluetoothDevice;

/**
 * `ses.devices`: the virtual devices a session's pages can ask for with
 * `navigator.hid`, `navigator.serial`, `navigator.usb` and `navigator.bluetooth`. Adding or removing one while a page
 * is open is plugging or unplugging it (`connect`/`disconnect` in the page).
 * Headless Chrome cannot reach physical devices over CDP: these stand in.
 */
export class VirtualDevices {
  readonly #devices = new Map<string, VirtualDevice>();
  #sink: DeviceSink | undefined;

  /** @internal The session's pages, once the session runs. */
  connect(sink: DeviceSink): void {
    this.#sink = sink;
    for (const device of this.#devices.values()) device.sink = sink;
  }

  addHID(options: VirtualHIDOptions): VirtualHIDDevice {
    return this.#add(new VirtualHIDDevice(options));
  }

  addSerialPort(options?: VirtualSerialPortOptions): VirtualSerialPort {
    return this.#add(new VirtualSerialPort(options));
  }

  addUSB(options: VirtualUSBOptions): VirtualUSBDevice {
    return this.#add(new VirtualUSBDevice(options));
  }

  /** A Bluetooth LE peripheral for `navigator.bluetooth` (see VirtualBluetoothDevice). */
  addBluetooth(options?: VirtualBluetoothOptions): VirtualBluetoothDevice {
    return this.#add(new VirtualBluetoothDevice(options));
  }

  /** Unplugs the device: pages that had it see `disconnect`. */
  remove(device: VirtualDevice): void {
    const id = idOf(device);
    if (!this.#devices.delete(id)) return;
    this.#sink?.plugged(device, false);
    device.sink = undefined;
  }

  list(): VirtualDevice[] {
    return [...this.#devices.values()];
  }

  /** @internal */
  get(id: string): VirtualDevice | undefined {
    return this.#devices.get(id);
  }

  #add<T extends VirtualDevice>(device: T): T {
    this.#devices.set(idOf(device), device);
    device.sink = this.#sink;
    this.#sink?.plugged(device, true);
    return device;
  }
}

export function idOf(device: VirtualDevice): string {
  return device.type === 'serial' ? device.portId : device.deviceId;
}
