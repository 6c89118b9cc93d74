/** What `login` listeners get about a challenge (Electron's shapes). */
export interface AuthenticationResponseDetails {
  url: string;
  pid: number;
}

export interface AuthInfo {
  isProxy: boolean;
  scheme: string;
  host: string;
  port: number;
  realm: string;
}

export type LoginCallback = (username?: string, password?: string) => void;

export interface LoginHandling {
  /** Whether anyone listens to 'login' (then every request may be challenged, so Chrome asks us). */
  wanted(): boolean;
  /** Emits 'login' for a challenge of the page `pageTargetId`; true when a listener took it (preventDefault). */
  emit(pageTargetId: string | undefined, details: AuthenticationResponseDetails, authInfo: AuthInfo, callback: LoginCallback): boolean;
}

// Set by web-contents.ts, which knows the windows and the app; read by the interceptor.
let handling: LoginHandling = { wanted: () => false, emit: () => false };
const watchers = new Set<() => void>();

export function setLoginHandling(value: LoginHandling): void {
  handling = value;
}

export function loginHandling(): LoginHandling {
  return handling;
}

/** Runs `watcher` whenever a 'login' listener is added or removed anywhere; returns the disposer. */
export function onLoginDemandChanged(watcher: () => void): () => void {
  watchers.add(watcher);
  return () => watchers.delete(watcher);
}

export function loginDemandChanged(): void {
  for (const watcher of watchers) watcher();
}
