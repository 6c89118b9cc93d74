/**
 * Web Bluetooth's `navigator.bluetooth` over the session's virtual Bluetooth
 * devices, installed after device-shims.ts (serialized with `toString()`; it
 * uses the kit that script leaves). Windows only, as in Chrome. UUIDs are
 * read here with the same resolver Node uses (given as its source), so bad
 * names fail at once with Chrome's TypeError; the GATT calls go to the device
 * in Node. Debian's Chromium has no Web Bluetooth of its own to replace
 * (built without an adapter or its emulation), so this is the one there is.
 */
export function installBluetoothShim(makeResolver: (names: unknown) => (kind: string, name: unknown) => string | undefined, names: unknown): void {
  const scope = globalThis as any;
  const kit = scope.__chromeSessionDeviceKit;
  if (!kit || !kit.inWindow || scope.__chromeSessionBluetoothShim) return;
  Object.defineProperty(scope, '__chromeSessionBluetoothShim', { value: true });
  const { ask, toBase64, fromBase64, bytesOf, gesture, fire } = kit;
  const resolver = makeResolver(names);
  const LABEL: Record<string, string> = { service: 'Service', characteristic: 'Characteristic', descriptor: 'Descriptor' };
  const uuid = (kind: string, name: unknown, method: string, api: string): string => {
    const found = resolver(kind, name);
    if (found) return found;
    throw new TypeError(
      `Failed to execute '${method}' on '${api}': Invalid ${LABEL[kind]} name: '${String(name)}'. It must be a valid UUID alias (e.g. 0x1234), ` +
        `UUID (lowercase hex characters e.g. '00001234-0000-1000-8000-00805f9b34fb'), or recognized standard name from ` +
        `https://www.bluetooth.com/specifications/gatt/${kind}s e.g. '${kind === 'service' ? 'alert_notification' : kind === 'characteristic' ? 'aerobic_heart_rate_lower_limit' : 'gatt.characteristic_presentation_format'}'.`,
    );
  };
  const PROPERTIES = ['broadcast', 'read', 'writeWithoutResponse', 'write', 'notify', 'indicate', 'authenticatedSignedWrites', 'reliableWrite', 'writableAuxiliaries'];

  class BluetoothCharacteristicProperties {
    [key: string]: boolean;
    constructor(list: string[]) {
      for (const name of PROPERTIES) Object.defineProperty(this, name, { value: list.includes(name), enumerable: true });
    }
  }

  class BluetoothRemoteGATTCharacteristic extends EventTarget {
    oncharacteristicvaluechanged: ((event: Event) => void) | null = null;
    value: DataView | null = null;
    readonly service: BluetoothRemoteGATTService;
    readonly uuid: string;
    readonly properties: BluetoothCharacteristicProperties;
    /** @internal */ notifying = false;
    constructor(service: BluetoothRemoteGATTService, info: { uuid: string; properties: string[] }) {
      super();
      this.service = service;
      this.uuid = info.uuid;
      this.properties = new BluetoothCharacteristicProperties(info.properties);
    }
    #call(op: string, method: string, args: Record<string, unknown> = {}): Promise<any> {
      const device = this.service.device;
      if (!device.gatt.connected) {
        return Promise.reject(new DOMException(`Failed to execute '${method}' on 'BluetoothRemoteGATTCharacteristic': GATT Server is disconnected. Cannot perform GATT operations. (Re)connect first with \`device.gatt.connect\`.`, 'NetworkError'));
      }
      return ask(op, { deviceId: device.id, service: this.service.uuid, characteristic: this.uuid, ...args });
    }
    async readValue(): Promise<DataView> {
      const value = new DataView(fromBase64(await this.#call('bluetooth.read', 'readValue')).buffer);
      this.value = value;
      fire(this, 'characteristicvaluechanged', {});
      return value;
    }
    async #write(data: BufferSource, withResponse: boolean | undefined, method: string): Promise<void> {
      const view = bytesOf(data);
      await this.#call('bluetooth.write', method, { data: toBase64(view), ...(withResponse === undefined ? {} : { withResponse }) });
      this.value = new DataView(view.slice().buffer);
    }
    writeValue(data: BufferSource): Promise<void> {
      return this.#write(data, undefined, 'writeValue');
    }
    writeValueWithResponse(data: BufferSource): Promise<void> {
      return this.#write(data, true, 'writeValueWithResponse');
    }
    writeValueWithoutResponse(data: BufferSource): Promise<void> {
      return this.#write(data, false, 'writeValueWithoutResponse');
    }
    async startNotifications(): Promise<BluetoothRemoteGATTCharacteristic> {
      await this.#call('bluetooth.notifications', 'startNotifications', { start: true });
      this.notifying = true;
      return this;
    }
    async stopNotifications(): Promise<BluetoothRemoteGATTCharacteristic> {
      await this.#call('bluetooth.notifications', 'stopNotifications', { start: false });
      this.notifying = false;
      return this;
    }
  }

  class BluetoothRemoteGATTService extends EventTarget {
    readonly device: BluetoothDevice;
    readonly uuid: string;
    readonly isPrimary = true;
    /** @internal */ readonly characteristics = new Map<string, BluetoothRemoteGATTCharacteristic>();
    constructor(device: BluetoothDevice, id: string) {
      super();
      this.device = device;
      this.uuid = id;
    }
    async #list(method: string, name?: unknown): Promise<BluetoothRemoteGATTCharacteristic[]> {
      const wanted = name === undefined ? undefined : uuid('characteristic', name, method, 'BluetoothRemoteGATTService');
      if (!this.device.gatt.connected) {
        throw new DOMException(`Failed to execute '${method}' on 'BluetoothRemoteGATTService': GATT Server is disconnected. Cannot retrieve characteristics. (Re)connect first with \`device.gatt.connect\`.`, 'NetworkError');
      }
      const infos = await ask('bluetooth.characteristics', { deviceId: this.device.id, service: this.uuid, ...(wanted ? { characteristic: wanted } : {}) });
      return infos.map((info: { uuid: string; properties: string[] }) => {
        let found = this.characteristics.get(info.uuid);
        if (!found) this.characteristics.set(info.uuid, (found = new BluetoothRemoteGATTCharacteristic(this, info)));
        return found;
      });
    }
    async getCharacteristic(name: unknown): Promise<BluetoothRemoteGATTCharacteristic> {
      return (await this.#list('getCharacteristic', name))[0]!;
    }
    getCharacteristics(name?: unknown): Promise<BluetoothRemoteGATTCharacteristic[]> {
      return this.#list('getCharacteristics', name);
    }
  }

  class BluetoothRemoteGATTServer {
    connected = false;
    readonly device: BluetoothDevice;
    /** @internal */ readonly services = new Map<string, BluetoothRemoteGATTService>();
    constructor(device: BluetoothDevice) {
      this.device = device;
    }
    async connect(): Promise<BluetoothRemoteGATTServer> {
      await ask('bluetooth.open', { deviceId: this.device.id });
      this.connected = true;
      return this;
    }
    disconnect(): void {
      if (!this.connected) return;
      void ask('bluetooth.close', { deviceId: this.device.id }).catch(() => undefined);
      this.device.lost();
    }
    async #list(method: string, name?: unknown): Promise<BluetoothRemoteGATTService[]> {
      const wanted = name === undefined ? undefined : uuid('service', name, method, 'BluetoothRemoteGATTServer');
      if (!this.connected) {
        throw new DOMException(`Failed to execute '${method}' on 'BluetoothRemoteGATTServer': GATT Server is disconnected. Cannot retrieve services. (Re)connect first with \`device.gatt.connect\`.`, 'NetworkError');
      }
      const ids: string[] = await ask('bluetooth.services', { deviceId: this.device.id, ...(wanted ? { service: wanted } : {}) });
      return ids.map((id) => this.services.get(id) ?? this.services.set(id, new BluetoothRemoteGATTService(this.device, id)).get(id)!);
    }
    async getPrimaryService(name: unknown): Promise<BluetoothRemoteGATTService> {
      return (await this.#list('getPrimaryService', name))[0]!;
    }
    getPrimaryServices(name?: unknown): Promise<BluetoothRemoteGATTService[]> {
      return this.#list('getPrimaryServices', name);
    }
  }

  class BluetoothDevice extends EventTarget {
    ongattserverdisconnected: ((event: Event) => void) | null = null;
    readonly id: string;
    readonly name: string;
    readonly gatt: BluetoothRemoteGATTServer;
    constructor(info: { deviceId: string; deviceName: string }) {
      super();
      this.id = info.deviceId;
      this.name = info.deviceName;
      this.gatt = new BluetoothRemoteGATTServer(this);
    }
    async forget(): Promise<void> {
      this.lost();
      await ask('bluetooth.forget', { deviceId: this.id });
    }
    /** @internal The GATT connection is gone: once, with the event. */
    lost(): void {
      if (!this.gatt.connected) return;
      this.gatt.connected = false;
      for (const service of this.gatt.services.values()) for (const c of service.characteristics.values()) c.notifying = false;
      fire(this, 'gattserverdisconnected', {});
    }
  }

  const devices = new Map<string, BluetoothDevice>();
  const deviceOf = (info: any): BluetoothDevice => devices.get(info.deviceId) ?? devices.set(info.deviceId, new BluetoothDevice(info)).get(info.deviceId)!;

  class Bluetooth extends EventTarget {
    async getAvailability(): Promise<boolean> {
      return true;
    }
    async getDevices(): Promise<BluetoothDevice[]> {
      return (await ask('bluetooth.list')).map(deviceOf);
    }
    async requestDevice(options: any = {}): Promise<BluetoothDevice> {
      const method = 'requestDevice';
      const filters = options.filters;
      if ((filters === undefined) === !options.acceptAllDevices) {
        throw new TypeError("Failed to execute 'requestDevice' on 'Bluetooth': Either 'filters' should be present or 'acceptAllDevices' should be true, but not both.");
      }
      if (filters !== undefined && (!Array.isArray(filters) || filters.length === 0)) {
        throw new TypeError("Failed to execute 'requestDevice' on 'Bluetooth': 'filters' member must be non-empty to find any devices.");
      }
      const read = (filter: any) => ({
        ...(filter.services ? { services: filter.services.map((s: unknown) => uuid('service', s, method, 'Bluetooth')) } : {}),
        ...(typeof filter.name === 'string' ? { name: filter.name } : {}),
        ...(typeof filter.namePrefix === 'string' ? { namePrefix: filter.namePrefix } : {}),
        ...(filter.manufacturerData
          ? { manufacturerData: filter.manufacturerData.map((m: any) => ({ companyIdentifier: m.companyIdentifier, dataPrefix: m.dataPrefix ? [...bytesOf(m.dataPrefix)] : [], mask: m.mask ? [...bytesOf(m.mask)] : [] })) }
          : {}),
      });
      const optionalServices = (options.optionalServices ?? []).map((s: unknown) => uuid('service', s, method, 'Bluetooth'));
      gesture('Bluetooth', method);
      const info = await ask('bluetooth.request', {
        filters: (filters ?? []).map(read),
        exclusionFilters: (options.exclusionFilters ?? []).map(read),
        optionalServices,
      });
      if (!info) throw new DOMException('User cancelled the requestDevice() chooser.', 'NotFoundError');
      return deviceOf(info);
    }
  }

  const BluetoothUUID = {
    getService: (name: unknown) => uuid('service', name, 'getService', 'BluetoothUUID'),
    getCharacteristic: (name: unknown) => uuid('characteristic', name, 'getCharacteristic', 'BluetoothUUID'),
    getDescriptor: (name: unknown) => uuid('descriptor', name, 'getDescriptor', 'BluetoothUUID'),
    canonicalUUID: (alias: number) => resolver('service', Number(alias) >>> 0),
  };

  const bluetooth = new Bluetooth();
  Object.defineProperty(kit.navigatorPrototype, 'bluetooth', { get: () => bluetooth, configurable: true, enumerable: true });
  const classes = {
    Bluetooth, BluetoothDevice, BluetoothRemoteGATTServer, BluetoothRemoteGATTService, BluetoothRemoteGATTCharacteristic, BluetoothCharacteristicProperties, BluetoothUUID,
  };
  for (const [name, value] of Object.entries(classes)) Object.defineProperty(scope, name, { value, configurable: true, writable: true });
  kit.handlers.bluetooth = (message: any) => {
    const device = devices.get(message.id);
    if (!device) return;
    if (message.type === 'bluetooth.value') {
      const characteristic = device.gatt.services.get(message.service)?.characteristics.get(message.characteristic);
      if (!characteristic?.notifying) return;
      characteristic.value = new DataView(fromBase64(message.data).buffer);
      fire(characteristic, 'characteristicvaluechanged', {});
    } else if (message.type === 'bluetooth.disconnected' || message.type === 'disconnect') {
      device.lost();
    }
  };
}
