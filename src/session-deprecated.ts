import type { Extension } from './extensions.js';
import { Session } from './session.js';

// Electron 36 moved the extension methods to `ses.extensions`; the Session forms still work, with a warning.
declare module './session.js' {
  interface Session {
    /** @deprecated Electron 36: `ses.extensions.loadExtension()`. */
    loadExtension(path: string, options?: { allowFileAccess?: boolean }): Promise<Extension>;
    /** @deprecated Electron 36: `ses.extensions.removeExtension()`. */
    removeExtension(extensionId: string): void;
    /** @deprecated Electron 36: `ses.extensions.getExtension()`. */
    getExtension(extensionId: string): Extension | null;
    /** @deprecated Electron 36: `ses.extensions.getAllExtensions()`. */
    getAllExtensions(): Extension[];
  }
}

const warned = new Set<string>();
function deprecated(name: string): void {
  if (warned.has(name)) return;
  warned.add(name);
  process.emitWarning(`'session.${name}' is deprecated and will be removed. Please use 'session.extensions.${name}' instead.`, 'DeprecationWarning');
}

Session.prototype.loadExtension = function loadExtension(this: Session, path, options) {
  deprecated('loadExtension');
  return this.extensions.loadExtension(path, options);
};
Session.prototype.removeExtension = function removeExtension(this: Session, extensionId) {
  deprecated('removeExtension');
  this.extensions.removeExtension(extensionId);
};
Session.prototype.getExtension = function getExtension(this: Session, extensionId) {
  deprecated('getExtension');
  return this.extensions.getExtension(extensionId);
};
Session.prototype.getAllExtensions = function getAllExtensions(this: Session) {
  deprecated('getAllExtensions');
  return this.extensions.getAllExtensions();
};
