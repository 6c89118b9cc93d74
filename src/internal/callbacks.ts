/**
 * Electron's callback era (seeds 002/003): when the last argument is a
 * function, the call reports through it as `(error, result)` and returns
 * nothing; otherwise it returns the promise.
 */
export function settle<T>(
  work: Promise<T>,
  callback: ((error: Error | null, result?: T) => void) | undefined,
): Promise<T> | undefined {
  if (typeof callback !== 'function') return work;
  work.then(
    (result) => callback(null, result),
    (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
  );
  return undefined;
}

/**
 * The 1.x forms that call back with the result alone (`getCacheSize(callback(size))`,
 * `clearCache(callback())`, `resolveProxy(url, callback(proxy))`), also when the work
 * failed (then with no argument); without a callback, the promise.
 */
export function callBack<T>(work: Promise<T>, callback: ((result: T) => void) | (() => void) | undefined): Promise<T> | undefined {
  if (typeof callback !== 'function') return work;
  const call = callback as (...args: unknown[]) => void;
  work.then(
    (result) => (result === undefined ? call() : call(result)),
    () => call(),
  );
  return undefined;
}
