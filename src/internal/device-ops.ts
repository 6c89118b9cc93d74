import { bluetoothOp } from './bluetooth-ops.js';
import { b64 } from './bytes.js';
import { DeviceError } from './device-error.js';
import type { USBControlSetup, USBInAnswer, VirtualDevice, VirtualHIDDevice, VirtualSerialPort, VirtualUSBDevice } from '../virtual-devices.js';

/** Chrome's protected USB interface classes, by Electron's names. */
export type USBProtectedClass = 'audio' | 'audio-video' | 'hid' | 'mass-storage' | 'smart-card' | 'video' | 'wireless';
/** `setUSBProtectedClassesHandler`'s handler: given Chrome's protected classes, the ones that stay protected. */
export type USBProtectedClassesHandler = (details: { protectedClasses: USBProtectedClass[] }) => USBProtectedClass[];

/** Chrome's protected USB interface classes, by Electron's names. */
const PROTECTED_CLASSES: Readonly<Record<USBProtectedClass, number>> = {
  audio: 0x01,
  hid: 0x03,
  'mass-storage': 0x08,
  'smart-card': 0x0b,
  video: 0x0e,
  'audio-video': 0x10,
  wireless: 0xe0,
};


function bytesOf(data: ArrayBufferView | number[] | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array();
  return ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : Uint8Array.from(data);
}

/** A device's answer to an IN transfer, as WebUSB's USBInTransferResult (data in base64). */
function inResult(answer: USBInAnswer, length: number): { status: string; data: string } {
  if (ArrayBuffer.isView(answer) || Array.isArray(answer)) {
    const data = bytesOf(answer);
    return data.length > length ? { status: 'babble', data: b64(data.subarray(0, length)) } : { status: 'ok', data: b64(data) };
  }
  return { status: answer.status, data: b64(bytesOf(answer.data)) };
}

/**
 * What the page's reports, serial traffic and USB transfers do to a virtual
 * device (the broker has checked that the page's origin may use it).
 */
export async function deviceOp(device: VirtualDevice, op: string, call: Record<string, unknown>, protectedClasses: USBProtectedClassesHandler | null): Promise<unknown> {
  if (device.type === 'bluetooth') return bluetoothOp(device, op, call);
  const data = typeof call.data === 'string' ? Buffer.from(call.data, 'base64') : Buffer.alloc(0);
  switch (op) {
    case 'hid.sendReport':
      return void device.emit('output-report', Number(call.reportId), data);
    case 'hid.sendFeatureReport':
      return void device.emit('feature-report', Number(call.reportId), data);
    case 'hid.receiveFeatureReport':
      return b64(bytesOf(await (device as VirtualHIDDevice).featureReport(Number(call.reportId))));
    case 'serial.write':
      return void device.emit('data', data);
    case 'serial.setSignals':
      return void device.emit('signals', call.signals);
    case 'serial.getSignals':
      return { ...(device as VirtualSerialPort).signals };
    case 'usb.selectConfiguration':
      return void device.emit('configuration', Number(call.configurationValue));
    case 'usb.claimInterface':
      if (isProtected(Number(call.interfaceClass), protectedClasses)) {
        throw new DeviceError('SecurityError', "Failed to execute 'claimInterface' on 'USBDevice': The requested interface implements a protected class.");
      }
      return void device.emit('claim-interface', Number(call.interfaceNumber));
    case 'usb.releaseInterface':
      return void device.emit('release-interface', Number(call.interfaceNumber));
    case 'usb.selectAlternateInterface':
      return void device.emit('alternate-interface', Number(call.interfaceNumber), Number(call.alternateSetting));
    case 'usb.controlTransferOut':
      device.emit('control-transfer-out', call.setup as USBControlSetup, data);
      return { status: 'ok', bytesWritten: data.length };
    case 'usb.controlTransferIn':
      return inResult(await (device as VirtualUSBDevice).controlTransferIn(call.setup as USBControlSetup, Number(call.length)), Number(call.length));
    case 'usb.transferOut':
      device.emit('transfer-out', Number(call.endpointNumber), data);
      return { status: 'ok', bytesWritten: data.length };
    case 'usb.transferIn':
      return inResult(await (device as VirtualUSBDevice).transferIn(Number(call.endpointNumber), Number(call.length)), Number(call.length));
    case 'usb.isochronousTransferOut': {
      const lengths = (call.packetLengths as unknown[]).map(Number);
      const packets: Buffer[] = [];
      for (let offset = 0, index = 0; index < lengths.length; offset += lengths[index]!, index++) packets.push(data.subarray(offset, offset + lengths[index]!));
      device.emit('isochronous-transfer-out', Number(call.endpointNumber), packets);
      return { packets: packets.map((packet) => ({ bytesWritten: packet.length, status: 'ok' })) };
    }
    case 'usb.isochronousTransferIn': {
      const lengths = (call.packetLengths as unknown[]).map(Number);
      const answers = await (device as VirtualUSBDevice).isochronousTransferIn(Number(call.endpointNumber), lengths);
      return lengths.map((length, index) => inResult(answers[index] ?? [], length));
    }
    case 'usb.reset':
      return void device.emit('reset');
    default:
      throw new DeviceError('NotSupportedError', `Unknown device call ${op}`);
  }
}

function isProtected(interfaceClass: number, handler: USBProtectedClassesHandler | null): boolean {
  let names = Object.keys(PROTECTED_CLASSES) as USBProtectedClass[];
  if (handler) {
    try {
      const kept = handler({ protectedClasses: [...names] });
      if (Array.isArray(kept)) names = names.filter((name) => kept.includes(name));
    } catch {
      // A throwing handler leaves Chrome's protection in place.
    }
  }
  return names.some((name) => PROTECTED_CLASSES[name] === interfaceClass);
}
