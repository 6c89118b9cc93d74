import type { WebFrameMain } from './web-frame-main.js';
import type { ElectronEvent } from './events.js';
import type { BluetoothDeviceInfo } from './internal/device-structures.js';
import type { AuthenticationResponseDetails, AuthInfo, LoginCallback } from './internal/login.js';
import type { NavigationEvent } from './web-contents-navigation.js';
import type { BrowserWindow } from './browser-window.js';
import type { DidCreateWindowDetails } from './window-open.js';

/** What 'did-fail-load' and 'did-fail-provisional-load' carry. */
type LoadFailureArgs = [
  event: ElectronEvent,
  errorCode: number,
  errorDescription: string,
  validatedURL: string,
  isMainFrame: boolean,
  frameProcessId: number,
  frameRoutingId: number,
];

/** The deprecated positional arguments of the navigation events, after the event. */
type NavigationArgs = [url: string, isInPlace: boolean, isMainFrame: boolean, frameProcessId: number, frameRoutingId: number];

export interface LoadURLOptions {
  /** A URL, or `{url, policy}` with a referrer policy name. */
  httpReferrer?: string | { url: string; policy?: string };
  /** The user agent for this page from now on. */
  userAgent?: string;
  /** Extra headers for this navigation, "Name: value" separated by "\n". */
  extraHeaders?: string;
}

export interface ConsoleMessageDetails {
  level: 'debug' | 'info' | 'warning' | 'error';
  message: string;
  lineNumber: number;
  sourceId: string;
}

export interface RenderProcessGoneDetails {
  reason: 'crashed' | 'killed' | 'oom' | 'abnormal-exit' | 'clean-exit';
  exitCode: number;
}

export interface WebContentsEvents {
  'did-start-loading': [event: ElectronEvent];
  'did-stop-loading': [event: ElectronEvent];
  /** The main frame's document and its subresources have loaded (the `load` event). */
  'did-finish-load': [event: ElectronEvent];
  'did-fail-load': LoadFailureArgs;
  /** A navigation failed or was stopped before its document committed (a prevented one: -3, `ERR_ABORTED`). */
  'did-fail-provisional-load': LoadFailureArgs;
  /** A frame (the main one included) finished loading its document. */
  'did-frame-finish-load': [event: ElectronEvent, isMainFrame: boolean, frameProcessId: number, frameRoutingId: number];
  /** Any frame started navigating (the session's own loads included). */
  'did-start-navigation': [details: NavigationEvent, ...NavigationArgs];
  /** The page's main frame is about to navigate at the document's wish: `preventDefault()` keeps it where it is. */
  'will-navigate': [details: NavigationEvent, ...NavigationArgs];
  /** Any frame is about to navigate at its document's wish: `preventDefault()` keeps it where it is. */
  'will-frame-navigate': [details: NavigationEvent];
  /** The result of `findInPage()`. */
  'found-in-page': [event: ElectronEvent, result: FoundInPageResult];
  /** A server redirect of a navigation, before Chrome follows it (preventable: the navigation then fails). */
  'will-redirect': [details: NavigationEvent, ...NavigationArgs];
  /** A server redirect of a navigation being followed. */
  'did-redirect-navigation': [details: NavigationEvent, ...NavigationArgs];
  /** A document committed in any frame. */
  'did-frame-navigate': [
    event: ElectronEvent,
    url: string,
    httpResponseCode: number,
    httpStatusText: string,
    isMainFrame: boolean,
    frameProcessId: number,
    frameRoutingId: number,
  ];
  /** The main frame's DOMContentLoaded. */
  'dom-ready': [event: ElectronEvent];
  /** An iframe (or a nested one) appeared in the page. */
  'frame-created': [event: ElectronEvent, details: { frame: WebFrameMain }];
  'did-navigate': [event: ElectronEvent, url: string, httpResponseCode: number, httpStatusText: string];
  'did-navigate-in-page': [event: ElectronEvent, url: string, isMainFrame: boolean, frameProcessId: number, frameRoutingId: number];
  'page-title-updated': [event: ElectronEvent, title: string, explicitSet: boolean];
  /** The event carries the details too (Electron 35+); the positional arguments are the older form. */
  'console-message': [event: ElectronEvent & ConsoleMessageDetails, level: number, message: string, line: number, sourceId: string];
  'render-process-gone': [event: ElectronEvent, details: RenderProcessGoneDetails];
  /** HTTP authentication asked for; `event.preventDefault()` and `callback(username, password)` answer it (then app's 'login'). */
  login: [event: ElectronEvent, details: AuthenticationResponseDetails, authInfo: AuthInfo, callback: LoginCallback];
  /** A `beforeunload` handler would keep the page: it stays unless a listener calls `event.preventDefault()`. */
  'will-prevent-unload': [event: ElectronEvent];
  /**
   * A page's `navigator.bluetooth.requestDevice()`: `callback(deviceId)` chooses, `''` cancels. As in
   * Electron, with no listener or without `event.preventDefault()`, the first device is chosen.
   */
  'select-bluetooth-device': [event: ElectronEvent, devices: BluetoothDeviceInfo[], callback: (deviceId: string) => void];
  /** A window the page opened was made (after the window-open handler allowed it). */
  'did-create-window': [window: BrowserWindow, details: DidCreateWindowDetails];
  destroyed: [];
}

/** What 'found-in-page' reports of a `findInPage()` request. */
export interface FoundInPageResult {
  requestId: number;
  /** The active match's position among the matches, from 1 (0: none). */
  activeMatchOrdinal: number;
  matches: number;
  /** The active match's box in the viewport. */
  selectionArea: { x: number; y: number; width: number; height: number };
  finalUpdate: boolean;
}

/** Chrome's console levels as Electron's `console-message` level numbers and names. */
export const CONSOLE_LEVELS: Record<string, [number, ConsoleMessageDetails['level']]> = {
  debug: [0, 'debug'],
  log: [1, 'info'],
  info: [1, 'info'],
  warning: [2, 'warning'],
  error: [3, 'error'],
  assert: [3, 'error'],
};
