/**
 * Everything we hold on Chrome (pipe, process, sockets) is unref'd, so a
 * script ends when its own work ends. While a public call is waiting on
 * Chrome (an event, not just a command), this keeps Node's event loop alive.
 */
let pending = 0;
let handle: NodeJS.Timeout | undefined;

export function keepAlive<T>(work: Promise<T>): Promise<T> {
  pending++;
  handle ??= setInterval(() => undefined, 1 << 30);
  return work.finally(() => {
    pending--;
    if (pending === 0 && handle) {
      clearInterval(handle);
      handle = undefined;
    }
  });
}
