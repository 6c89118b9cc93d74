import { SYNC_PROMPT } from '../internal/dialogs.js';

/** The binding the page script calls with each permission request and check. */
export const PERMISSION_BINDING = '__chromeSessionPermission';

/** Where a synchronous check stopped at its `debugger` statement keeps its question and gets its answer (see internal/permission-sync.ts). */
export const SYNC_ASKED = '__chromeSessionAsked';
export const SYNC_ANSWER = '__chromeSessionAnswer';

/**
 * A check that must answer before the script's next line, where no prompt()
 * of ours can: the session, stopped at the statement, writes the answer in
 * (null: nobody stopped it, so no check handler is set; '': Chrome's to say).
 * Both locals are read after the statement, so they stay in the stopped frame.
 */
const STOPPED_CHECK = `(asked) => {
    const ${SYNC_ASKED} = JSON.stringify(asked);
    const ${SYNC_ANSWER} = { value: null };
    debugger;
    return ${SYNC_ASKED} ? ${SYNC_ANSWER}.value : null;
  }`;

/** A synchronous permission property (`Notification.permission`) that gives `answer()` unless it says nothing ('' or null). */
const SYNC_PROPERTY = `(object, name, answer) => {
    const own = object && Object.getOwnPropertyDescriptor(object, name);
    if (!own || !own.get) return;
    Object.defineProperty(object, name, {
      configurable: true,
      enumerable: own.enumerable,
      get() {
        const value = answer();
        return value === 'granted' || value === 'denied' ? value : own.get.call(this);
      },
    });
  }`;

/**
 * Runs in every frame before its own scripts. Each permission-asking web API
 * first asks the session (request or check, through the binding) and waits
 * for the answer; by then the session has set Chrome's permission for the
 * frame's origin accordingly, so the original API then succeeds or fails
 * exactly as Chrome's own does after a user's answer.
 */
export const PERMISSION_SCRIPT = `(() => {
  const call = globalThis[${JSON.stringify(PERMISSION_BINDING)}];
  if (typeof call !== 'function' || globalThis.__chromeSessionPermissionHooks) return;
  Object.defineProperty(globalThis, '__chromeSessionPermissionHooks', { value: true });
  const answers = new Map();
  let next = 0;
  Object.defineProperty(globalThis, '__chromeSessionPermissionAnswer', {
    value: (id, value) => { const resolve = answers.get(id); answers.delete(id); if (resolve) resolve(value); },
  });
  const ancestors = location.ancestorOrigins;
  const embedding = ancestors && ancestors.length ? ancestors[ancestors.length - 1] : location.origin;
  const ask = (kind, permission, extra) => new Promise((resolve) => {
    const id = ++next;
    answers.set(id, resolve);
    call(JSON.stringify({ id, kind, permission, details: { requestingUrl: location.href, isMainFrame: window === window.top, embeddingOrigin: embedding, ...extra } }));
  });
  // Synchronous checks (Notification.permission): a prompt() of ours the session answers at once,
  // with the check handler's answer. Chrome refuses dialogs to cross-origin frames: they stop instead.
  const promptOf = window.prompt;
  const stopped = ${STOPPED_CHECK};
  const checkNow = (name) => {
    const asked = { kind: 'check', permission: name, details: { requestingUrl: location.href, isMainFrame: window === window.top, embeddingOrigin: embedding, descriptor: { name } } };
    if (window !== window.top && embedding !== location.origin) {
      const answer = stopped(asked);
      return answer === null ? 'granted' : answer;
    }
    try {
      return promptOf.call(window, ${JSON.stringify(SYNC_PROMPT)} + JSON.stringify(asked));
    } catch {
      return null;
    }
  };
  (${SYNC_PROPERTY})(globalThis.Notification, 'permission', () => checkNow('notifications'));
  const wrap = (object, name, kind, describe) => {
    const original = object && object[name];
    if (typeof original !== 'function') return;
    object[name] = function (...args) {
      const [permission, extra] = describe(...args);
      const self = this;
      return ask(kind, permission, extra).then(() => original.apply(self, args));
    };
  };
  const fixed = (permission, extra) => () => [permission, extra];
  if (globalThis.Notification) {
    const original = Notification.requestPermission;
    Notification.requestPermission = function (callback) {
      return ask('request', 'notifications', {}).then(() => original.call(Notification)).then((result) => {
        if (typeof callback === 'function') callback(result);
        return result;
      });
    };
  }
  const geolocation = globalThis.navigator && navigator.geolocation;
  if (geolocation) {
    const original = geolocation.getCurrentPosition;
    geolocation.getCurrentPosition = function (...args) {
      ask('request', 'geolocation', {}).then(() => original.apply(geolocation, args));
    };
    // watchPosition answers its id at once: ours, mapped to Chrome's once the session answered.
    const watch = geolocation.watchPosition;
    const clear = geolocation.clearWatch;
    const watches = new Map();
    let nextWatch = 0;
    geolocation.watchPosition = function (...args) {
      const id = ++nextWatch;
      watches.set(id, undefined);
      ask('request', 'geolocation', {}).then(() => { if (watches.has(id)) watches.set(id, watch.apply(geolocation, args)); });
      return id;
    };
    geolocation.clearWatch = function (id) {
      const real = watches.get(id);
      watches.delete(id);
      if (real !== undefined) clear.call(geolocation, real);
    };
  }
  wrap(globalThis.IdleDetector, 'requestPermission', 'request', fixed('idle-detection', {}));
  wrap(globalThis, 'getScreenDetails', 'request', fixed('window-management', {}));
  // No Chrome prompt stands behind these: a denial is ours to give, worded as Chrome's.
  const guarded = (object, name, permission, denial, asks = () => true) => {
    const original = object && object[name];
    if (typeof original !== 'function') return;
    object[name] = function (...args) {
      const self = this;
      if (!asks()) return original.apply(self, args);
      return ask('request', permission, {}).then((granted) => {
        if (granted !== false) return original.apply(self, args);
        return denial(self);
      });
    };
  };
  const refuse = (name, message) => () => Promise.reject(new DOMException(message, name));
  const element = globalThis.Element && Element.prototype;
  guarded(element, 'requestFullscreen', 'fullscreen', (target) => {
    target.dispatchEvent(new Event('fullscreenerror', { bubbles: true, composed: true }));
    return Promise.reject(new TypeError('Permissions check failed'));
  });
  guarded(element, 'requestPointerLock', 'pointerLock', (target) => {
    target.ownerDocument.dispatchEvent(new Event('pointerlockerror', { bubbles: true, composed: true }));
    return Promise.reject(new DOMException('The pointer lock request was denied.', 'NotAllowedError'));
  });
  guarded(globalThis.Keyboard && Keyboard.prototype, 'lock', 'keyboardLock', refuse('NotAllowedError', 'Permission denied.'));
  // A document of the top frame's origin has its storage already: Chrome asks nobody.
  guarded(globalThis.Document && Document.prototype, 'requestStorageAccess', 'storage-access', refuse('NotAllowedError', 'requestStorageAccess: Permission denied.'), () => embedding !== location.origin);
  guarded(globalThis.Document && Document.prototype, 'requestStorageAccessFor', 'top-level-storage-access', refuse('NotAllowedError', 'requestStorageAccessFor: Permission denied.'));
  guarded(globalThis.navigator, 'requestMediaKeySystemAccess', 'mediaKeySystem', refuse('NotSupportedError', 'Unsupported keySystem or supportedConfigurations.'));
  const media = globalThis.navigator && navigator.mediaDevices;
  guarded(media, 'selectAudioOutput', 'speaker-selection', refuse('NotAllowedError', 'Permission denied.'));
  wrap(media, 'getUserMedia', 'request', (constraints) => ['media', {
    mediaTypes: [...(constraints && constraints.video ? ['video'] : []), ...(constraints && constraints.audio ? ['audio'] : [])],
    securityOrigin: location.href,
  }]);
  const clipboard = globalThis.navigator && navigator.clipboard;
  wrap(clipboard, 'read', 'request', fixed('clipboard-read', {}));
  wrap(clipboard, 'readText', 'request', fixed('clipboard-read', {}));
  wrap(clipboard, 'write', 'request', fixed('clipboard-sanitized-write', {}));
  wrap(clipboard, 'writeText', 'request', fixed('clipboard-sanitized-write', {}));
  wrap(globalThis.navigator, 'requestMIDIAccess', 'request', (options) => [options && options.sysex ? 'midiSysex' : 'midi', {}]);
  const display = media && media.getDisplayMedia;
  if (display) {
    // The handler picks a source; the page gets a live stream drawn with its name (no screen to capture headless).
    media.getDisplayMedia = function (constraints = {}) {
      const extra = { videoRequested: constraints.video !== false, audioRequested: Boolean(constraints.audio),
        userGesture: Boolean(navigator.userActivation && navigator.userActivation.isActive) };
      return ask('display', 'display-capture', extra).then((answer) => {
        if (answer === 'unsupported') throw new DOMException('Not supported', 'NotSupportedError');
        if (!answer || !answer.video) throw new DOMException('Permission denied', 'NotAllowedError');
        const name = answer.video.name || answer.video.id || 'screen';
        const canvas = document.createElement('canvas');
        canvas.width = 640;
        canvas.height = 360;
        const g = canvas.getContext('2d');
        const draw = () => { g.fillStyle = '#246'; g.fillRect(0, 0, 640, 360); g.fillStyle = '#fff'; g.font = '24px sans-serif'; g.fillText(name, 20, 40); g.fillText(new Date().toISOString(), 20, 80); };
        draw();
        const timer = setInterval(draw, 100);
        const stream = canvas.captureStream(10);
        // Granted audio: a live track, silent (headless Chrome has no sound to loop back).
        if (answer.audio) stream.addTrack(new AudioContext().createMediaStreamDestination().stream.getAudioTracks()[0]);
        const [track] = stream.getVideoTracks();
        Object.defineProperty(track, 'label', { value: name });
        const stop = track.stop.bind(track);
        track.stop = () => { clearInterval(timer); stop(); };
        return stream;
      });
    };
  }
  const permissions = globalThis.navigator && navigator.permissions;
  wrap(permissions, 'query', 'check', (descriptor) => [descriptor && descriptor.name, { descriptor }]);
})()`;

/**
 * Runs in every dedicated, shared and service worker before its own script
 * (see internal/worker-scripts.ts): `Notification.permission` and
 * `navigator.permissions.query()` ask the check handler through a stop
 * (workers have no dialogs); a query's state then follows the answer, as in
 * pages. The session keeps the Debugger on in workers, so each check stops.
 */
export const WORKER_PERMISSION_SCRIPT = `(() => {
  if (globalThis.__chromeSessionPermissionHooks) return;
  Object.defineProperty(globalThis, '__chromeSessionPermissionHooks', { value: true });
  const stopped = ${STOPPED_CHECK};
  const check = (kind, name, descriptor) =>
    stopped({ kind, permission: name, details: { requestingUrl: location.href, isMainFrame: false, embeddingOrigin: location.origin, descriptor } });
  (${SYNC_PROPERTY})(globalThis.Notification, 'permission', () => check('check', 'notifications', { name: 'notifications' }));
  const permissions = globalThis.navigator && navigator.permissions;
  const query = permissions && permissions.query;
  if (typeof query === 'function') {
    permissions.query = function (descriptor, ...rest) {
      if (descriptor && typeof descriptor.name === 'string') check('query', descriptor.name, descriptor);
      return query.call(this, descriptor, ...rest);
    };
  }
})()`;
