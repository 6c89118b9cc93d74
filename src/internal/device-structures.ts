import type { VirtualHIDDevice, VirtualSerialPort } from '../virtual-devices.js';

/** Electron's HIDDevice structure. */
export interface HIDDeviceInfo {
  deviceId: string;
  name: string;
  vendorId: number;
  productId: number;
  serialNumber: string;
  guid: string;
  collections: unknown[];
  /** For the page: WebHID's `productName`. */
  productName: string;
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

export type DeviceInfo = HIDDeviceInfo | SerialPortInfo;

export function hidInfo(device: VirtualHIDDevice): HIDDeviceInfo {
  return {
    deviceId: device.deviceId,
    name: device.productName,
    vendorId: device.vendorId,
    productId: device.productId,
    serialNumber: device.serialNumber,
    guid: device.deviceId,
    collections: device.collections,
    productName: device.productName,
  };
}

export function serialInfo(port: VirtualSerialPort): SerialPortInfo {
  const info: SerialPortInfo = { portId: port.portId, portName: port.displayName || port.portId, displayName: port.displayName, serialNumber: port.serialNumber };
  if (port.vendorId !== undefined) info.vendorId = port.vendorId;
  if (port.productId !== undefined) info.productId = port.productId;
  return info;
}

interface HidFilter {
  vendorId?: number;
  productId?: number;
  usagePage?: number;
  usage?: number;
}

function matchesHidFilter(device: VirtualHIDDevice, filter: HidFilter): boolean {
  if (filter.vendorId !== undefined && filter.vendorId !== device.vendorId) return false;
  if (filter.productId !== undefined && filter.productId !== device.productId) return false;
  if (filter.usagePage === undefined && filter.usage === undefined) return true;
  return device.collections.some(
    (collection) => (filter.usagePage === undefined || collection.usagePage === filter.usagePage) && (filter.usage === undefined || collection.usage === filter.usage),
  );
}

/** WebHID's filters: a device any filter matches (all when there are none), and no exclusion filter does. */
export function matchesHidFilters(device: VirtualHIDDevice, filters: unknown[], exclusionFilters: unknown[]): boolean {
  const included = filters.length === 0 || filters.some((filter) => matchesHidFilter(device, (filter ?? {}) as HidFilter));
  return included && !exclusionFilters.some((filter) => matchesHidFilter(device, (filter ?? {}) as HidFilter));
}

/** Web Serial's filters: `usbVendorId` and `usbProductId` (numbers) against the port's decimal ids; all ports when none. */
export function matchesSerialFilters(port: VirtualSerialPort, filters: unknown[]): boolean {
  if (filters.length === 0) return true;
  return filters.some((filter) => {
    const { usbVendorId, usbProductId } = (filter ?? {}) as { usbVendorId?: number; usbProductId?: number };
    if (usbVendorId !== undefined && Number(port.vendorId) !== usbVendorId) return false;
    return usbProductId === undefined || Number(port.productId) === usbProductId;
  });
}
