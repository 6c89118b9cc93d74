import type { ElectronEvent } from './events.js';
import type { DownloadItem } from './download-item.js';
import type { WebContents } from './web-contents.js';
import type { WebFrameMain } from './web-frame-main.js';
import type { HIDDeviceInfo, SerialPortInfo, USBDeviceInfo } from './internal/device-structures.js';
import type { Extension } from './extensions.js';
import type { SelectWebAuthnAccountDetails } from './internal/webauthn-accounts.js';

/** A chooser's answer: a device or port id, or nothing for none. */
export type DeviceChoice = (id?: string | null) => void;

export interface SessionEvents {
  /** @deprecated Electron 36: `ses.extensions`' event. */
  'extension-loaded': [event: ElectronEvent, extension: Extension];
  /** @deprecated Electron 36: `ses.extensions`' event. */
  'extension-unloaded': [event: ElectronEvent, extension: Extension];
  /** @deprecated Electron 36: `ses.extensions`' event. */
  'extension-ready': [event: ElectronEvent, extension: Extension];
  /** A page asks for a preconnection (`<link rel=preconnect>`): the origin, and whether credentials may go on it. */
  preconnect: [event: ElectronEvent, preconnectUrl: string, allowCredentials: boolean];
  /** A download begins; set `item.savePath` here, or `event.preventDefault()` to cancel it. */
  'will-download': [event: ElectronEvent, item: DownloadItem, webContents: WebContents | null];
  /** A page asks for a HID device: `callback(deviceId)` picks one (call `event.preventDefault()` to answer later). */
  'select-hid-device': [event: ElectronEvent, details: { deviceList: HIDDeviceInfo[]; frame: WebFrameMain | null }, callback: DeviceChoice];
  /** A HID device was plugged in while a chooser is open. */
  'hid-device-added': [event: ElectronEvent, details: { device: HIDDeviceInfo; frame: null }];
  /** A HID device was unplugged while a chooser is open. */
  'hid-device-removed': [event: ElectronEvent, details: { device: HIDDeviceInfo; frame: null }];
  /** A page gave up a HID device (`device.forget()`). */
  'hid-device-revoked': [event: ElectronEvent, details: { device: HIDDeviceInfo; origin: string; frame: null }];
  /** A page asks for a serial port: `callback(portId)` picks one (call `event.preventDefault()` to answer later). */
  'select-serial-port': [event: ElectronEvent, portList: SerialPortInfo[], webContents: WebContents | null, callback: DeviceChoice];
  /** A serial port was plugged in while a chooser is open. */
  'serial-port-added': [event: ElectronEvent, port: SerialPortInfo, webContents: WebContents | null];
  /** A serial port was unplugged while a chooser is open. */
  'serial-port-removed': [event: ElectronEvent, port: SerialPortInfo, webContents: WebContents | null];
  /** A page gave up a serial port (`port.forget()`). */
  'serial-port-revoked': [event: ElectronEvent, details: { port: SerialPortInfo; origin: string; frame: null }];
  /** A page asks for a USB device: `callback(deviceId)` picks one (call `event.preventDefault()` to answer later). */
  'select-usb-device': [event: ElectronEvent, details: { deviceList: USBDeviceInfo[]; frame: WebFrameMain | null }, callback: DeviceChoice];
  /**
   * A sign-in (`navigator.credentials.get()` naming no credential) that several discoverable credentials
   * of the page's virtual authenticators match: `callback(credentialId)` picks one, `callback()` cancels.
   */
  'select-webauthn-account': [event: ElectronEvent, details: SelectWebAuthnAccountDetails, callback: (credentialId?: string | null) => void];
  /** A USB device was plugged in while a chooser is open. */
  'usb-device-added': [event: ElectronEvent, device: USBDeviceInfo, webContents: WebContents | null];
  /** A USB device was unplugged while a chooser is open. */
  'usb-device-removed': [event: ElectronEvent, device: USBDeviceInfo, webContents: WebContents | null];
  /** A page gave up a USB device (`device.forget()`). */
  'usb-device-revoked': [event: ElectronEvent, details: { device: USBDeviceInfo; origin: string; frame: null }];
}
