import { debuglog } from 'node:util';

/**
 * Debug namespaces, on with NODE_DEBUG=cdp-send,cdp-recv,cdp-ignored.
 * `ignored` is where sendMayFail reports the errors it chooses not to raise.
 */
export const debug = {
  send: debuglog('cdp-send'),
  ignored: debuglog('cdp-ignored'),
};
