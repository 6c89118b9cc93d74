/**
 * Web Bluetooth's UUIDs: 16- and 32-bit aliases, full lower-case UUIDs, and
 * the standard names of the GATT services, characteristics and descriptors
 * most used (a part of the Bluetooth SIG's assigned numbers).
 */
export const BLUETOOTH_NAMES = {
  service: {
    generic_access: 0x1800, generic_attribute: 0x1801, immediate_alert: 0x1802, link_loss: 0x1803, tx_power: 0x1804,
    current_time: 0x1805, glucose: 0x1808, health_thermometer: 0x1809, device_information: 0x180a, heart_rate: 0x180d,
    battery_service: 0x180f, blood_pressure: 0x1810, alert_notification: 0x1811, human_interface_device: 0x1812,
    scan_parameters: 0x1813, running_speed_and_cadence: 0x1814, cycling_speed_and_cadence: 0x1816, cycling_power: 0x1818,
    location_and_navigation: 0x1819, environmental_sensing: 0x181a, body_composition: 0x181b, user_data: 0x181c,
    weight_scale: 0x181d, fitness_machine: 0x1826,
  },
  characteristic: {
    'gap.device_name': 0x2a00, 'gap.appearance': 0x2a01, 'gatt.service_changed': 0x2a05, alert_level: 0x2a06,
    tx_power_level: 0x2a07, battery_level: 0x2a19, temperature_measurement: 0x2a1c, system_id: 0x2a23,
    model_number_string: 0x2a24, serial_number_string: 0x2a25, firmware_revision_string: 0x2a26,
    hardware_revision_string: 0x2a27, software_revision_string: 0x2a28, manufacturer_name_string: 0x2a29,
    heart_rate_measurement: 0x2a37, body_sensor_location: 0x2a38, heart_rate_control_point: 0x2a39,
    blood_pressure_measurement: 0x2a35, temperature: 0x2a6e, humidity: 0x2a6f, weight_measurement: 0x2a9d,
  },
  descriptor: {
    'gatt.characteristic_extended_properties': 0x2900, 'gatt.characteristic_user_description': 0x2901,
    'gatt.client_characteristic_configuration': 0x2902, 'gatt.server_characteristic_configuration': 0x2903,
  },
} as const;

export type UUIDKind = keyof typeof BLUETOOTH_NAMES;
export type UUIDResolver = (kind: UUIDKind, name: unknown) => string | undefined;

/**
 * Resolves a name as Web Bluetooth does (an alias number, a full lower-case
 * UUID, or a standard name), to undefined when it is none. Self-contained:
 * the page shim gets it with `toString()`, so both sides read names alike.
 */
export function uuidResolver(names: typeof BLUETOOTH_NAMES): UUIDResolver {
  const full = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  const canonical = (alias: number): string => `${(alias >>> 0).toString(16).padStart(8, '0')}-0000-1000-8000-00805f9b34fb`;
  return (kind, name) => {
    if (typeof name === 'number') return Number.isInteger(name) && name >= 0 && name <= 0xffffffff ? canonical(name) : undefined;
    if (typeof name !== 'string') return undefined;
    if (full.test(name)) return name;
    const alias = (names[kind] as Record<string, number>)[name];
    return alias === undefined ? undefined : canonical(alias);
  };
}

export const resolveUUID = uuidResolver(BLUETOOTH_NAMES);
