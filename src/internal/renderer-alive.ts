import type { WebContents } from '../web-contents.js';

/**
 * Runs work that only the page's renderer can answer. Chrome holds such
 * commands while the renderer is gone (until a new one runs, if ever), so on a
 * crashed page it fails at once, and if the renderer goes while it runs it
 * fails then, with `error()`: Electron's answer for that call.
 */
export function whileRendererLives<T>(contents: WebContents, error: () => Error, work: () => Promise<T>): Promise<T> {
  if (contents.isCrashed()) return Promise.reject(error());
  return new Promise<T>((resolve, reject) => {
    const gone = (): void => reject(error());
    contents.once('render-process-gone', gone);
    work()
      .then(resolve, reject)
      .finally(() => contents.off('render-process-gone', gone));
  });
}

/** Electron's rejection of a call into a frame whose renderer is gone. */
export const frameDisposed = (): Error => new Error('Render frame was disposed before WebFrameMain could be accessed');
