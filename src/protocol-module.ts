import { app } from './app.js';
import { session } from './partitions.js';
import type { Protocol } from './protocol.js';

export interface CustomScheme {
  scheme: string;
  privileges?: {
    standard?: boolean;
    secure?: boolean;
    bypassCSP?: boolean;
    allowServiceWorkers?: boolean;
    supportFetchAPI?: boolean;
    corsEnabled?: boolean;
    stream?: boolean;
    codeCache?: boolean;
    allowExtensions?: boolean;
  };
}

const privileged: CustomScheme[] = [];

/**
 * Records custom schemes and their privileges; before `ready` only, with
 * Electron's errors. Chrome is not told: it sends no request for a scheme it
 * does not know, so the privileges have no effect on pages here.
 */
function registerSchemesAsPrivileged(customSchemes: CustomScheme[]): void {
  if (app.isReady()) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
  if (!Array.isArray(customSchemes)) throw new TypeError('Argument must be an array of custom schemes.');
  for (const custom of customSchemes) {
    if (custom.privileges?.codeCache && !custom.privileges.standard) {
      throw new Error('Code cache can only be enabled when the custom scheme is registered as standard scheme.');
    }
  }
  privileged.push(...customSchemes.map((custom) => ({ ...custom, privileges: { ...custom.privileges } })));
}

/** The schemes registered as standard, after the built-in ones Electron lists. */
function getStandardSchemes(): string[] {
  return privileged.filter((custom) => custom.privileges?.standard).map((custom) => custom.scheme);
}

type Forwarded = Omit<Protocol, 'pausedSchemes' | 'serve' | 'explainRefusedDocument' | 'registerSchemesAsPrivileged'>;
const METHODS: Array<keyof Forwarded> = [
  'handle', 'unhandle', 'isProtocolHandled',
  'registerStringProtocol', 'registerBufferProtocol', 'registerFileProtocol', 'registerHttpProtocol', 'registerStreamProtocol', 'registerProtocol',
  'interceptStringProtocol', 'interceptBufferProtocol', 'interceptFileProtocol', 'interceptHttpProtocol', 'interceptStreamProtocol', 'interceptProtocol',
  'unregisterProtocol', 'uninterceptProtocol', 'isProtocolRegistered', 'isProtocolIntercepted',
];

/** Electron's `protocol` module: the default session's `protocol`, plus the two app-wide scheme calls. */
export const protocol = Object.assign(
  Object.fromEntries(
    METHODS.map((name) => [name, (...args: unknown[]) => (session.defaultSession.protocol[name] as (...a: unknown[]) => unknown)(...args)]),
  ) as unknown as Forwarded,
  { registerSchemesAsPrivileged, getStandardSchemes },
);
