import { EventEmitter } from 'node:events';
import { resolveUUID } from './internal/bluetooth-uuids.js';
import { bytes, type Bytes } from './internal/bytes.js';

/** Web Bluetooth's characteristic properties. */
export type BluetoothProperty =
  | 'broadcast' | 'read' | 'writeWithoutResponse' | 'write' | 'notify' | 'indicate' | 'authenticatedSignedWrites' | 'reliableWrite' | 'writableAuxiliaries';

export interface VirtualBluetoothOptions {
  /** The name the page sees (`device.name`) and Electron's `deviceName`. */
  name?: string;
  /** Primary services, each with its characteristics: UUIDs as numbers (aliases), full UUIDs or standard names. */
  services?: Array<{ uuid: string | number; characteristics?: Array<{ uuid: string | number; properties?: BluetoothProperty[]; value?: Bytes }> }>;
  /** Advertised manufacturer data by company identifier, for `manufacturerData` filters. */
  manufacturerData?: Record<number, Bytes>;
  /** Pairing the device asks for on its first connection (the session's `setBluetoothPairingHandler` answers); none by default. */
  pairing?: 'confirm' | 'confirmPin' | 'providePin';
  /** The PIN shown (`confirmPin`) or to be given (`providePin`). */
  pin?: string;
}

/** @internal A characteristic as the device keeps it. */
export interface VirtualCharacteristic {
  uuid: string;
  properties: BluetoothProperty[];
  value: Uint8Array;
}

/** Where a Bluetooth device sends what a test makes it send (the session's pages). */
export interface BluetoothSink {
  bluetoothValue(device: VirtualBluetoothDevice, service: string, characteristic: string, value: Uint8Array): void;
  bluetoothDisconnected(device: VirtualBluetoothDevice): void;
}

let nextId = 0;

function uuidOf(kind: 'service' | 'characteristic', name: string | number): string {
  const uuid = resolveUUID(kind, name);
  if (!uuid) throw new TypeError(`Invalid ${kind} UUID: ${String(name)}`);
  return uuid;
}

/**
 * A Bluetooth LE peripheral that exists only for one session's pages, with a
 * GATT server of primary services and characteristics. Events: `open` and
 * `close` (a page's `gatt.connect()`/`disconnect()`), `write`
 * `(service, characteristic, value, withResponse)` for the page's writes
 * (which also become the characteristic's value). `notify()` changes a value
 * and tells the pages that started notifications; `disconnect()` drops the
 * pages' GATT connections (`gattserverdisconnected`).
 */
export class VirtualBluetoothDevice extends EventEmitter {
  readonly type = 'bluetooth';
  readonly deviceId = `bluetooth-${++nextId}`;
  readonly name: string;
  /** @internal */
  readonly services: Map<string, Map<string, VirtualCharacteristic>>;
  /** @internal */
  readonly manufacturerData: Map<number, Uint8Array>;
  /** @internal The services each origin may use (those its requestDevice() named). */
  readonly allowed = new Map<string, Set<string>>();
  readonly pairing: VirtualBluetoothOptions['pairing'];
  readonly pin: string;
  /** @internal Paired with the session (once, like a real bond). */
  paired = false;
  /** @internal */
  sink: BluetoothSink | undefined;

  constructor(options: VirtualBluetoothOptions = {}) {
    super();
    this.name = options.name ?? '';
    this.pairing = options.pairing;
    this.pin = options.pin ?? '';
    this.services = new Map(
      (options.services ?? []).map((service) => [
        uuidOf('service', service.uuid),
        new Map(
          (service.characteristics ?? []).map((c) => {
            const uuid = uuidOf('characteristic', c.uuid);
            return [uuid, { uuid, properties: [...(c.properties ?? ['read'])], value: bytes(c.value ?? []) }] as const;
          }),
        ),
      ]),
    );
    this.manufacturerData = new Map(Object.entries(options.manufacturerData ?? {}).map(([id, data]) => [Number(id), bytes(data)]));
  }

  /** A characteristic's value now (what the page's `readValue()` gets). */
  value(service: string | number, characteristic: string | number): Uint8Array {
    return this.#characteristic(service, characteristic).value;
  }

  /** Sets a characteristic's value without telling the pages. */
  setValue(service: string | number, characteristic: string | number, value: Bytes): void {
    this.#characteristic(service, characteristic).value = bytes(value);
  }

  /** Sets a characteristic's value and tells the pages that started its notifications (`characteristicvaluechanged`). */
  notify(service: string | number, characteristic: string | number, value: Bytes): void {
    const found = this.#characteristic(service, characteristic);
    found.value = bytes(value);
    this.sink?.bluetoothValue(this, uuidOf('service', service), found.uuid, found.value);
  }

  /** Drops every page's GATT connection to the device, as going out of range would. */
  disconnect(): void {
    this.sink?.bluetoothDisconnected(this);
  }

  #characteristic(service: string | number, characteristic: string | number): VirtualCharacteristic {
    const found = this.services.get(uuidOf('service', service))?.get(uuidOf('characteristic', characteristic));
    if (!found) throw new Error(`No characteristic ${String(characteristic)} in service ${String(service)}`);
    return found;
  }
}
