/** Calling webRequest listeners so that every request is answered once, whatever a listener does. */

const DEFAULT_LISTENER_TIMEOUT_MS = 30_000;

/** How long a blocking listener may take to call back: 30 s, or `CHROME_SESSION_LISTENER_TIMEOUT_MS`. */
export function listenerTimeout(): number {
  const value = Number(process.env.CHROME_SESSION_LISTENER_TIMEOUT_MS);
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_LISTENER_TIMEOUT_MS;
}

/** Runs a blocking listener: its answer, or `{}` (continue unchanged) when it throws or does not call back in time. */
export function callBlocking<D extends { url: string }, R extends object>(
  name: string,
  listener: (details: D, callback: (response?: R) => void) => void,
  details: D,
): Promise<Partial<R>> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (answer: Partial<R>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(answer);
    };
    const ms = listenerTimeout();
    const timer = setTimeout(() => {
      reportListenerError(new Error(`webRequest.${name} listener did not call back within ${ms} ms; ${details.url} continues unchanged`));
      finish({});
    }, ms);
    timer.unref();
    try {
      listener(details, (response) => finish(response && typeof response === 'object' ? response : {}));
    } catch (error) {
      reportListenerError(new Error(`webRequest.${name} listener threw; ${details.url} continues unchanged: ${String(error)}`, { cause: error }));
      finish({});
    }
  });
}

export function callObserver(name: string, call: () => void): void {
  try {
    call();
  } catch (error) {
    reportListenerError(new Error(`webRequest.${name} listener threw: ${String(error)}`, { cause: error }));
  }
}

export function reportListenerError(error: unknown): void {
  const warning = error instanceof Error ? error : new Error(String(error));
  warning.name = 'WebRequestListenerError';
  process.emitWarning(warning);
}
