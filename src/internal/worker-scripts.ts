import type { CdpSession } from '../../protocol/cdp-session.js';
import { sendMayFail } from '../../protocol/cdp-session.js';
import type { Protocol } from '../../protocol/cdp-types.js';
import { debug } from '../../protocol/debug.js';
import { useDomain } from './network-domain.js';

interface WorkerScripts {
  readonly sources: string[];
  ready: Promise<void>;
  /** Stopped before the worker's first script, waiting to run the sources there. */
  armed: boolean;
}

const byClient = new WeakMap<CdpSession, WorkerScripts>();

/**
 * Runs `source` in a new dedicated, shared or service worker right before
 * the worker's own script. A worker paused at its start has no global scope yet
 * (what `Runtime.evaluate` reaches then has no web APIs: no `navigator`, no
 * `isSecureContext`), and once let go its script runs at once; so an
 * instrumentation breakpoint stops it before its first script (the worker's
 * own, with its URL), the sources are evaluated there, and the worker goes on
 * (the debugger off again unless another feature keeps it on). Call from an
 * attach hook, while the worker is paused.
 */
export function beforeWorkerScript(client: CdpSession, source: string): Promise<void> {
  let scripts = byClient.get(client);
  if (!scripts) {
    scripts = { sources: [], ready: Promise.resolve(), armed: false };
    byClient.set(client, scripts);
    scripts.ready = stopBeforeFirstScript(client, scripts);
  }
  scripts.sources.push(source);
  return scripts.ready;
}

/**
 * A service worker Chrome starts again keeps its session (no attach hook runs):
 * the scripts given for it go in before its script again. Resolves once set
 * (at once for a worker with none); then let it run.
 */
export function againBeforeWorkerScript(client: CdpSession): Promise<void> {
  const scripts = byClient.get(client);
  if (!scripts || scripts.armed) return scripts?.ready ?? Promise.resolve();
  scripts.ready = stopBeforeFirstScript(client, scripts);
  return scripts.ready;
}

async function stopBeforeFirstScript(client: CdpSession, scripts: WorkerScripts): Promise<void> {
  const { sources } = scripts;
  scripts.armed = true;
  let breakpointId: Promise<string> | undefined;
  let release: Promise<() => void> | undefined;
  const onPaused = (event: Protocol.Debugger.PausedEvent): void => {
    // Scripts evaluated by us (no URL) are let go; the worker's own is the one.
    if (event.reason !== 'instrumentation' || !(event.data as { url?: string } | undefined)?.url) {
      void sendMayFail(client, 'Debugger.resume');
      return;
    }
    client.off('Debugger.paused', onPaused);
    const install = async (): Promise<void> => {
      try {
        if (breakpointId) await client.send('Debugger.removeBreakpoint', { breakpointId: await breakpointId });
        // In the paused script's frame: its global is the worker's (a worker started anew may have no default context yet).
        const callFrameId = event.callFrames[0]?.callFrameId;
        for (const expression of sources) {
          const { exceptionDetails } = callFrameId
            ? await client.send('Debugger.evaluateOnCallFrame', { callFrameId, expression })
            : await client.send('Runtime.evaluate', { expression });
          if (exceptionDetails) debug.ignored('worker script: %s', exceptionDetails.exception?.description ?? exceptionDetails.text);
        }
      } finally {
        scripts.armed = false;
        // Let go, and the domain off again unless someone else keeps it on (the synchronous permission checks).
        await sendMayFail(client, 'Debugger.resume');
        if (release) (await release)();
      }
    };
    install().catch((error: unknown) => debug.ignored('scripts before a worker: %s', error));
  };
  client.on('Debugger.paused', onPaused);
  // In this order on the one session: the breakpoint needs the debugger on.
  const enabled = (release = useDomain(client, 'Debugger'));
  breakpointId = client.send('Debugger.setInstrumentationBreakpoint', { instrumentation: 'beforeScriptExecution' }).then((r) => r.breakpointId);
  await Promise.all([enabled, breakpointId]);
}
