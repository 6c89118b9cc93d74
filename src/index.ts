/**
 * chrome-session: Electron's main-process session API on real Chrome.
 * Change `from 'electron'` to `from 'chrome-session'`.
 */
export { app, type App, type AppEvents, type ChildProcessGoneDetails, type ProcessMetric } from './app.js';
export { session, type FromPartitionOptions } from './partitions.js';
export { BrowserWindow, type BrowserWindowConstructorOptions, type WebPreferences, type BrowserWindowEvents } from './browser-window.js';
export { webContents, type WebContents, type WebContentsEvents, type LoadURLOptions } from './web-contents.js';
export { webFrameMain, type WebFrameMain } from './web-frame-main.js';
export type { HandlerDetails, WindowOpenHandlerResponse, DidCreateWindowDetails } from './window-open.js';
import './window-open.js';
import './web-contents-extras.js';
import './web-contents-input.js';
import './browser-window-geometry.js';
import './web-contents-save.js';
import './web-contents-find.js';
import './web-contents-debugger.js';
import './web-contents-tools.js';
import './web-contents-files.js';
export type { PrintToPDFOptions, Rectangle } from './web-contents-extras.js';
export type { InputEvent, WebSource } from './web-contents-input.js';
export type { SavePageType } from './web-contents-save.js';
export type { FindInPageOptions, FoundInPageResult } from './web-contents-find.js';
export type { Debugger } from './web-contents-debugger.js';
export type { DeviceEmulationParameters, FrameCallback, SharedWorkerInfo } from './web-contents-tools.js';
export type { LoadFileOptions } from './web-contents-files.js';
export { nativeImage, type NativeImage } from './native-image.js';
export type { Session, DownloadURLOptions } from './session.js';
export type { SessionEvents, DeviceChoice } from './session-events.js';
export type {
  VirtualDevices,
  VirtualHIDDevice,
  VirtualSerialPort,
  VirtualUSBDevice,
  VirtualHIDOptions,
  VirtualSerialPortOptions,
  VirtualUSBOptions,
  HIDCollectionInfo,
  SerialInputSignals,
  USBConfigurationInfo,
  USBControlSetup,
} from './virtual-devices.js';
export type { VirtualBluetoothDevice, VirtualBluetoothOptions, BluetoothProperty } from './virtual-bluetooth.js';
export type { HIDDeviceInfo, SerialPortInfo, USBDeviceInfo, BluetoothDeviceInfo } from './internal/device-structures.js';
export type { SSLConfig } from './session-network-config.js';
export type { BluetoothPairingDetails, BluetoothPairingHandler } from './session-devices.js';
export { protocol, type CustomScheme } from './protocol-module.js';
export { net } from './net.js';
export { ClientRequest, type ClientRequestConstructorOptions, type UploadProgress } from './net-request.js';
export { IncomingMessage } from './net-incoming-message.js';
export { netLog } from './net-log-module.js';
export type { NetLog, NetLogOptions } from './net-log.js';
export type { Extensions, Extension, ExtensionsEvents } from './extensions.js';
export type { ServiceWorkers, ServiceWorkersEvents, ServiceWorkerInfo, ServiceWorkerRunningStatus } from './service-workers.js';
export type { ServiceWorkerMain } from './service-worker-main.js';
export type { DownloadItem, DownloadItemEvents, DownloadState } from './download-item.js';
export type { AuthInfo, AuthenticationResponseDetails } from './internal/login.js';
export type { Protocol, ProtocolHandler, ProtocolRequest, ProtocolResponse } from './protocol.js';
export type { WebRequest, WebRequestFilter } from './web-request.js';
export type { Cookies, CookiesEvents } from './cookies.js';
export type { CommandLine } from './command-line.js';
export type { BrowserEndpoint } from './internal/remote-pool.js';
export type { Cookie, CookiesGetFilter, CookiesSetDetails } from './structures.js';
export { ElectronEvent } from './events.js';
export { ProtocolError, TargetClosedError, ConnectionClosedError, ProtocolTimeoutError } from '../protocol/errors.js';
export { ChromeNotFoundError } from '../launcher/executable.js';
