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
