import type { BluetoothPairingHandler, DevicePermissionHandler } from './internal/device-broker.js';
import type { USBProtectedClassesHandler } from './internal/device-ops.js';
import { nullOrFunction } from './internal/permissions.js';
import { kDeviceBroker } from './internal/symbols.js';
import { Session } from './session.js';

export type { BluetoothPairingDetails, BluetoothPairingHandler } from './internal/device-broker.js';

declare module './session.js' {
  interface Session {
    /** Grants devices without a chooser: `handler({ deviceType, origin, device })` returns true to allow (they appear in `getDevices()`). */
    setDevicePermissionHandler(handler: DevicePermissionHandler | null): void;
    /** Which of Chrome's protected USB classes stay protected: `handler({ protectedClasses })` returns them. */
    setUSBProtectedClassesHandler(handler: USBProtectedClassesHandler | null): void;
    /**
     * Answers the pairing a virtual Bluetooth device asks for (its `pairing` option) when a page
     * first connects to it: `callback({ confirmed, pin })`. Without a handler, pairing is cancelled.
     */
    setBluetoothPairingHandler(handler: BluetoothPairingHandler | null): void;
  }
}

Session.prototype.setDevicePermissionHandler = function setDevicePermissionHandler(this: Session, handler) {
  this[kDeviceBroker].setPermissionHandler(nullOrFunction(handler));
};

Session.prototype.setUSBProtectedClassesHandler = function setUSBProtectedClassesHandler(this: Session, handler) {
  this[kDeviceBroker].setProtectedClassesHandler(nullOrFunction(handler));
};

Session.prototype.setBluetoothPairingHandler = function setBluetoothPairingHandler(this: Session, handler) {
  this[kDeviceBroker].setPairingHandler(nullOrFunction(handler));
};
