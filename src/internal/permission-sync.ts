import type { CdpSession } from '../../protocol/cdp-session.js';
import { CdpSessionEvent, sendMayFail } from '../../protocol/cdp-session.js';
import type { Protocol } from '../../protocol/cdp-types.js';
import { debug } from '../../protocol/debug.js';
import { SYNC_ANSWER, SYNC_ASKED } from '../page/permission-hooks.js';
import { useDomain } from './network-domain.js';

/** Answers one synchronous check (its JSON, as the page script wrote it): 'granted' or 'denied'. */
export type SyncAnswerer = (client: CdpSession, info: Protocol.Target.TargetInfo, asked: string) => Promise<string>;
/** Whether someone else debugs the target (webContents.debugger): a stop that is not ours is then theirs. */
export type ForeignDebugger = (info: Protocol.Target.TargetInfo) => boolean;

interface ClientState {
  info: Protocol.Target.TargetInfo;
  /** The Debugger domain's release while the channel is on. */
  release: Promise<(() => void) | undefined> | undefined;
}

/**
 * The synchronous channel of the checks a page script cannot make with a
 * prompt() of ours: Chrome shows no dialog of a cross-origin frame, and
 * workers have none. There, the script (see page/permission-hooks.ts) puts its
 * question in a local variable and runs a `debugger` statement. The Debugger
 * domain is on in the session's workers, and in its pages and out-of-process
 * frames while a check handler is set, so the
 * statement stops the script; we read the question in the stopped frame,
 * write the handler's answer into it and let the script go on, all before its
 * next line. With the domain off (no handler) the statement does nothing and
 * the script takes Electron's default (a check passes).
 */
export class SyncChecks {
  readonly #answer: SyncAnswerer;
  readonly #foreign: ForeignDebugger;
  readonly #clients = new Map<CdpSession, ClientState>();

  constructor(answer: SyncAnswerer, foreign: ForeignDebugger) {
    this.#answer = answer;
    this.#foreign = foreign;
  }

  /** Follows a target's stops from now on; the channel is on when `on`. */
  async configure(client: CdpSession, info: Protocol.Target.TargetInfo, on: boolean): Promise<void> {
    let state = this.#clients.get(client);
    if (!state) {
      const created: ClientState = { info, release: undefined };
      state = created;
      this.#clients.set(client, created);
      client.on('Debugger.paused', (event) => {
        if (created.release) void this.#onPaused(client, created, event);
      });
      client.once(CdpSessionEvent.Detached, () => this.#clients.delete(client));
    }
    await this.#switch(client, state, on);
  }

  /** Turns the channel on or off for every page and frame followed (workers keep theirs). */
  async setOn(on: boolean): Promise<void> {
    const framing = [...this.#clients].filter(([, state]) => state.info.type === 'page' || state.info.type === 'iframe');
    await Promise.all(framing.map(([client, state]) => this.#switch(client, state, on)));
  }

  // On from the target's start (its attach hook): turned on at a page's first child frame, it came too late for the
  // frame's first script now and then. It costs a page of 25 scripts a tenth of its load, only while a handler is set.
  async #switch(client: CdpSession, state: ClientState, on: boolean): Promise<void> {
    if (on && !state.release) {
      state.release = useDomain(client, 'Debugger').catch((error: unknown) => {
        debug.ignored('synchronous checks: %s', error);
        return undefined;
      });
      await state.release;
    } else if (!on && state.release) {
      const release = state.release;
      state.release = undefined;
      (await release)?.();
    }
  }

  async #onPaused(client: CdpSession, state: ClientState, event: Protocol.Debugger.PausedEvent): Promise<void> {
    // Breakpoints of others (the scripts put in workers before their first) are theirs to answer.
    if (event.reason === 'instrumentation') return;
    // Every other stop is let go below, whatever happens, unless it may be the user's (see ForeignDebugger).
    const callFrameId = event.callFrames[0]?.callFrameId;
    let ours = false;
    try {
      if (!callFrameId) return;
      const { result } = await client.send('Debugger.evaluateOnCallFrame', {
        callFrameId,
        expression: `typeof ${SYNC_ASKED} === 'string' ? ${SYNC_ASKED} : ''`,
        returnByValue: true,
        silent: true,
      });
      const asked = typeof result.value === 'string' ? result.value : '';
      // A `debugger` statement of the page's own: it goes on, unless a debugger of the user's stopped there too.
      if (!asked) return;
      ours = true;
      const answer = await this.#answer(client, state.info, asked);
      await client.send('Debugger.evaluateOnCallFrame', { callFrameId, expression: `${SYNC_ANSWER}.value = ${JSON.stringify(answer)}`, silent: true });
    } catch (error) {
      debug.ignored('synchronous check: %s', error);
    } finally {
      if (ours || !this.#foreign(state.info)) await sendMayFail(client, 'Debugger.resume');
    }
  }
}
