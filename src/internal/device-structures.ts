import type { HIDCollectionInfo, USBConfigurationInfo, VirtualDevice, VirtualHIDDevice, VirtualSerialPort, VirtualUSBDevice } from '../virtual-devices.js';
import type { VirtualBluetoothDevice } from '../virtual-bluetooth.js';
import type { WebContents } from '../web-contents.js';
import type { WebFrameMain } from '../web-frame-main.js';
import { ElectronEvent } from '../events.js';

/** Electron's HIDDevice structure. */
export interface HIDDeviceInfo {
  deviceId: string;
  name: string;
  vendorId: number;
  productId: number;
  serialNumber: string;
  guid: string;
  collections: HIDCollection[];
  /** For the page: WebHID's `productName`. */
  productName: string;
}

/** A HID collection as Electron and WebHID give it: every field present. */
export interface HIDCollection {
  usagePage: number;
  usage: number;
  type: number;
  children: HIDCollection[];
  inputReports: HIDReport[];
  outputReports: HIDReport[];
  featureReports: HIDReport[];
}

interface HIDReport {
  reportId: number;
  items: unknown[];
}

function fullCollection(collection: HIDCollectionInfo): HIDCollection {
  const reports = (list: HIDCollectionInfo['inputReports']) => (list ?? []).map((report) => ({ ...report, items: report.items ?? [] }));
  return {
    ...collection,
    type: collection.type ?? 0,
    children: (collection.children ?? []).map(fullCollection),
    inputReports: reports(collection.inputReports),
    outputReports: reports(collection.outputReports),
    featureReports: reports(collection.featureReports),
  };
}

/** Electron's SerialPort structure (vendor and product ids are decimal strings). */
export interface SerialPortInfo {
  portId: string;
  portName: string;
  displayName: string;
  vendorId?: string;
  productId?: string;
  serialNumber: string;
}

/** Electron's USBDevice structure (with the configurations, for the page). */
export interface USBDeviceInfo {
  deviceId: string;
  vendorId: number;
  productId: number;
  productName: string;
  manufacturerName: string;
  serialNumber: string;
  deviceClass: number;
  deviceSubclass: number;
  deviceProtocol: number;
  usbVersionMajor: number;
  usbVersionMinor: number;
  usbVersionSubminor: number;
  deviceVersionMajor: number;
  deviceVersionMinor: number;
  deviceVersionSubminor: number;
  configurations: USBConfigurationInfo[];
}

/** Electron's BluetoothDevice structure. */
export interface BluetoothDeviceInfo {
  deviceName: string;
  deviceId: string;
}

export type DeviceInfo = HIDDeviceInfo | SerialPortInfo | USBDeviceInfo | BluetoothDeviceInfo;
type Emit = (event: string, ...args: unknown[]) => boolean;
type Choice = (id?: string | null) => void;

/** What differs between WebHID, Web Serial and WebUSB: Electron's structures and events, and the page's filters. */
export interface DeviceKind<D extends VirtualDevice = VirtualDevice> {
  readonly type: D['type'];
  info(device: D): DeviceInfo;
  matches(device: D, filters: unknown[], exclusionFilters: unknown[]): boolean;
  /** Emits the chooser event (`select-hid-device`...) with the candidates. */
  choose(emit: Emit, event: ElectronEvent, candidates: DeviceInfo[], webContents: WebContents | null, callback: Choice, frame: WebFrameMain | null): void;
  readonly chooserEvent: string;
  /** Who has the chooser event (Web Bluetooth's is the window's), and what nobody's answer chooses: nothing, or the first device. */
  readonly chooser?: { on: 'webContents'; unanswered: 'first' };
  /** Records what else a chooser's grant allows (Web Bluetooth: the services named). */
  granted?(device: D, origin: string, call: Record<string, unknown>): void;
  /** Emits `*-added`/`*-removed` (only while a chooser is open, as Electron does). */
  plugged(emit: Emit, info: DeviceInfo, present: boolean): void;
  revoked(emit: Emit, info: DeviceInfo, origin: string): void;
}

export function hidInfo(device: VirtualHIDDevice): HIDDeviceInfo {
  return {
    deviceId: device.deviceId,
    name: device.productName,
    vendorId: device.vendorId,
    productId: device.productId,
    serialNumber: device.serialNumber,
    guid: device.deviceId,
    collections: device.collections.map(fullCollection),
    productName: device.productName,
  };
}

export function serialInfo(port: VirtualSerialPort): SerialPortInfo {
  const info: SerialPortInfo = { portId: port.portId, portName: port.displayName || port.portId, displayName: port.displayName, serialNumber: port.serialNumber };
  if (port.vendorId !== undefined) info.vendorId = port.vendorId;
  if (port.productId !== undefined) info.productId = port.productId;
  return info;
}

export function usbInfo(device: VirtualUSBDevice): USBDeviceInfo {
  const { configurations, ...options } = device.options;
  return {
    deviceId: device.deviceId,
    ...options,
    usbVersionMajor: 2,
    usbVersionMinor: 0,
    usbVersionSubminor: 0,
    deviceVersionMajor: 1,
    deviceVersionMinor: 0,
    deviceVersionSubminor: 0,
    configurations,
  };
}

type Filter = Record<string, unknown>;
const anyMatch = (filters: unknown[], test: (filter: Filter) => boolean): boolean => filters.some((filter) => test((filter ?? {}) as Filter));
const field = (filter: Filter, name: string, value: unknown): boolean => filter[name] === undefined || filter[name] === value;

function hidMatches(device: VirtualHIDDevice, filter: Filter): boolean {
  if (!field(filter, 'vendorId', device.vendorId) || !field(filter, 'productId', device.productId)) return false;
  if (filter.usagePage === undefined && filter.usage === undefined) return true;
  return device.collections.some((collection) => field(filter, 'usagePage', collection.usagePage) && field(filter, 'usage', collection.usage));
}

function usbMatches(device: VirtualUSBDevice, filter: Filter): boolean {
  const options = device.options;
  if (!field(filter, 'vendorId', options.vendorId) || !field(filter, 'productId', options.productId) || !field(filter, 'serialNumber', options.serialNumber)) return false;
  // A class filter matches the device's class or any interface's, as WebUSB's do.
  const classes = [{ c: options.deviceClass, s: options.deviceSubclass, p: options.deviceProtocol }];
  for (const configuration of options.configurations) {
    for (const iface of configuration.interfaces) {
      for (const alternate of iface.alternates) classes.push({ c: alternate.interfaceClass, s: alternate.interfaceSubclass ?? 0, p: alternate.interfaceProtocol ?? 0 });
    }
  }
  return classes.some(({ c, s, p }) => field(filter, 'classCode', c) && field(filter, 'subclassCode', s) && field(filter, 'protocolCode', p));
}

/** WebHID's and WebUSB's rule: any filter matches (all devices when there are none), and no exclusion filter does. */
function filtered<D>(match: (device: D, filter: Filter) => boolean): (device: D, filters: Filter[], exclusions: Filter[]) => boolean {
  return (device, filters, exclusions) => (filters.length === 0 || anyMatch(filters, (f) => match(device, f))) && !anyMatch(exclusions, (f) => match(device, f));
}

const HID: DeviceKind<VirtualHIDDevice> = {
  type: 'hid',
  info: hidInfo,
  matches: filtered(hidMatches),
  chooserEvent: 'select-hid-device',
  choose: (emit, event, deviceList, _webContents, callback, frame) => void emit('select-hid-device', event, { deviceList, frame }, callback),
  plugged: (emit, device, present) => void emit(present ? 'hid-device-added' : 'hid-device-removed', new ElectronEvent(), { device, frame: null }),
  revoked: (emit, device, origin) => void emit('hid-device-revoked', new ElectronEvent(), { device, origin, frame: null }),
};

const SERIAL: DeviceKind<VirtualSerialPort> = {
  type: 'serial',
  info: serialInfo,
  matches: (port, filters) =>
    filters.length === 0 || anyMatch(filters, (f) => field(f, 'usbVendorId', Number(port.vendorId)) && field(f, 'usbProductId', Number(port.productId))),
  chooserEvent: 'select-serial-port',
  choose: (emit, event, portList, webContents, callback) => void emit('select-serial-port', event, portList, webContents, callback),
  plugged: (emit, port, present) => void emit(present ? 'serial-port-added' : 'serial-port-removed', new ElectronEvent(), port, null),
  revoked: (emit, port, origin) => void emit('serial-port-revoked', new ElectronEvent(), { port, origin, frame: null }),
};

const USB: DeviceKind<VirtualUSBDevice> = {
  type: 'usb',
  info: usbInfo,
  matches: filtered(usbMatches),
  chooserEvent: 'select-usb-device',
  choose: (emit, event, deviceList, _webContents, callback, frame) => void emit('select-usb-device', event, { deviceList, frame }, callback),
  plugged: (emit, device, present) => void emit(present ? 'usb-device-added' : 'usb-device-removed', new ElectronEvent(), device, null),
  revoked: (emit, device, origin) => void emit('usb-device-revoked', new ElectronEvent(), { device, origin, frame: null }),
};

function bluetoothMatches(device: VirtualBluetoothDevice, filter: Filter): boolean {
  const services = (filter.services as string[] | undefined) ?? [];
  if (!services.every((uuid) => device.services.has(uuid))) return false;
  if (typeof filter.name === 'string' && device.name !== filter.name) return false;
  if (typeof filter.namePrefix === 'string' && !device.name.startsWith(filter.namePrefix)) return false;
  const makers = (filter.manufacturerData as Array<{ companyIdentifier: number; dataPrefix?: number[]; mask?: number[] }> | undefined) ?? [];
  return makers.every(({ companyIdentifier, dataPrefix = [], mask = [] }) => {
    const data = device.manufacturerData.get(companyIdentifier);
    return data !== undefined && dataPrefix.every((byte, i) => ((data[i] ?? -1) & (mask[i] ?? 0xff)) === (byte & (mask[i] ?? 0xff)));
  });
}

const BLUETOOTH: DeviceKind<VirtualBluetoothDevice> = {
  type: 'bluetooth',
  info: (device) => ({ deviceName: device.name, deviceId: device.deviceId }),
  // acceptAllDevices comes as no filters.
  matches: filtered(bluetoothMatches),
  chooserEvent: 'select-bluetooth-device',
  chooser: { on: 'webContents', unanswered: 'first' },
  choose: (_emit, event, devices, webContents, callback) => void webContents?.emit('select-bluetooth-device', event, devices as BluetoothDeviceInfo[], callback),
  granted: (device, origin, call) => {
    const named = [...((call.filters as Filter[] | undefined) ?? []).flatMap((f) => (f.services as string[] | undefined) ?? []), ...((call.optionalServices as string[] | undefined) ?? [])];
    device.allowed.set(origin, new Set([...(device.allowed.get(origin) ?? []), ...named]));
  },
  // Electron has no Bluetooth added/removed/revoked events.
  plugged: () => undefined,
  revoked: () => undefined,
};

export const KINDS = { hid: HID, serial: SERIAL, usb: USB, bluetooth: BLUETOOTH } as const;

/** The kind of a device, typed loosely (each kind's functions take its own devices). */
export function kindOf(device: VirtualDevice): DeviceKind {
  return KINDS[device.type] as unknown as DeviceKind;
}
