import type { VirtualBluetoothDevice, VirtualCharacteristic } from '../virtual-bluetooth.js';
import { b64 } from './bytes.js';
import { DeviceError } from './device-error.js';

const NOT_PERMITTED = (): DeviceError => new DeviceError('NotSupportedError', 'GATT operation not permitted.');

/**
 * What a page's GATT calls do to a virtual Bluetooth device (the broker has
 * checked that the page's origin may use it; the page shim, that it is
 * connected and that the UUIDs are valid), with Chrome's errors.
 */
export function bluetoothOp(device: VirtualBluetoothDevice, op: string, call: Record<string, unknown>): unknown {
  const service = String(call.service ?? '');
  switch (op) {
    case 'bluetooth.services': {
      const allowed = device.allowed.get(String(call.origin)) ?? new Set<string>();
      if (call.service !== undefined) {
        if (!allowed.has(service)) {
          throw new DeviceError('SecurityError', "Origin is not allowed to access the service. Tip: Add the service UUID to 'optionalServices' in requestDevice() options. https://goo.gl/HxfxSQ");
        }
        if (!device.services.has(service)) throw new DeviceError('NotFoundError', `No Services matching UUID ${service} found in Device.`);
        return [service];
      }
      const found = [...device.services.keys()].filter((uuid) => allowed.has(uuid));
      if (!found.length) throw new DeviceError('NotFoundError', 'No Services found in device.');
      return found;
    }
    case 'bluetooth.characteristics': {
      const characteristics = [...(device.services.get(service)?.values() ?? [])];
      const wanted = call.characteristic === undefined ? characteristics : characteristics.filter((c) => c.uuid === call.characteristic);
      if (!wanted.length) {
        throw new DeviceError(
          'NotFoundError',
          call.characteristic === undefined ? 'No Characteristics found in service.' : `No Characteristics matching UUID ${String(call.characteristic)} found in Service with UUID ${service}.`,
        );
      }
      return wanted.map(({ uuid, properties }) => ({ uuid, properties }));
    }
    case 'bluetooth.read': {
      const characteristic = characteristicOf(device, service, call);
      if (!characteristic.properties.includes('read')) throw NOT_PERMITTED();
      return b64(characteristic.value);
    }
    case 'bluetooth.write': {
      const characteristic = characteristicOf(device, service, call);
      const withResponse = call.withResponse as boolean | undefined;
      const can = characteristic.properties;
      const allowed = withResponse === undefined ? can.includes('write') || can.includes('writeWithoutResponse') : can.includes(withResponse ? 'write' : 'writeWithoutResponse');
      if (!allowed) throw NOT_PERMITTED();
      characteristic.value = Uint8Array.from(Buffer.from(String(call.data ?? ''), 'base64'));
      device.emit('write', service, characteristic.uuid, characteristic.value, withResponse ?? can.includes('write'));
      return null;
    }
    case 'bluetooth.notifications': {
      const characteristic = characteristicOf(device, service, call);
      if (call.start && !characteristic.properties.includes('notify') && !characteristic.properties.includes('indicate')) throw NOT_PERMITTED();
      return null;
    }
    default:
      throw new DeviceError('NotSupportedError', `Unknown device call ${op}`);
  }
}

function characteristicOf(device: VirtualBluetoothDevice, service: string, call: Record<string, unknown>): VirtualCharacteristic {
  const found = device.services.get(service)?.get(String(call.characteristic));
  if (!found) throw new DeviceError('InvalidStateError', 'GATT Characteristic no longer exists.');
  return found;
}
