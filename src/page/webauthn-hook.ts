/** The binding the page script calls before a sign-in that may match several accounts. */
export const WEBAUTHN_BINDING = '__chromeSessionWebAuthn';
export const WEBAUTHN_ANSWER = '__chromeSessionWebAuthnAnswer';
/** Chrome's message for a WebAuthn request nobody allowed. */
export const NOT_ALLOWED = 'The operation either timed out or was not allowed. See: https://www.w3.org/TR/webauthn-2/#sctn-privacy-considerations-client.';

/**
 * Runs in a page's frames once a virtual authenticator is on the page. A
 * `navigator.credentials.get()` that names no credential (so any
 * discoverable one of the relying party may answer) first asks the session
 * which account to use: `pass` lets it go as asked (one account or none),
 * `id:<base64url>` sends it for that credential only, anything else fails it
 * with `NotAllowedError`, as a cancelled request does.
 */
export const WEBAUTHN_SCRIPT = `(() => {
  const call = globalThis[${JSON.stringify(WEBAUTHN_BINDING)}];
  const proto = globalThis.CredentialsContainer && CredentialsContainer.prototype;
  if (typeof call !== 'function' || !proto || globalThis.${WEBAUTHN_ANSWER}) return;
  const answers = new Map();
  let next = 0;
  Object.defineProperty(globalThis, ${JSON.stringify(WEBAUTHN_ANSWER)}, {
    value: (id, value) => { const resolve = answers.get(id); answers.delete(id); if (resolve) resolve(value); },
  });
  const original = proto.get;
  const bytesOf = (base64url) => Uint8Array.from(atob(base64url.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  proto.get = function get(options, ...rest) {
    const key = options && options.publicKey;
    if (!key || (key.allowCredentials && key.allowCredentials.length) || options.mediation === 'conditional') return original.call(this, options, ...rest);
    const self = this;
    const signal = options.signal;
    if (signal && signal.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const id = ++next;
      answers.set(id, resolve);
      // An abort while the account is being chosen ends the request, as Chrome's own chooser does.
      if (signal) signal.addEventListener('abort', () => { answers.delete(id); reject(signal.reason); }, { once: true });
      call(JSON.stringify({ id, rpId: key.rpId || location.hostname }));
    }).then((answer) => {
      if (answer === 'pass') return original.call(self, options, ...rest);
      if (typeof answer !== 'string' || !answer.startsWith('id:')) throw new DOMException(${JSON.stringify(NOT_ALLOWED)}, 'NotAllowedError');
      const allowCredentials = [{ type: 'public-key', id: bytesOf(answer.slice(3)) }];
      return original.call(self, { ...options, publicKey: { ...key, allowCredentials } }, ...rest);
    });
  };
})()`;
