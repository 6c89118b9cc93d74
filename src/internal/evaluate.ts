import type { CdpSession } from '../../protocol/cdp-session.js';

/**
 * Electron's `executeJavaScript`: `code` evaluated in a main world (the
 * target's default one, or `contextId`), awaited, its value returned by value;
 * what it throws rejects with the first line of its description.
 */
export async function evaluateForElectron(client: CdpSession, code: string, userGesture: boolean, contextId?: number): Promise<unknown> {
  const { result, exceptionDetails } = await client.send('Runtime.evaluate', {
    expression: code,
    ...(contextId !== undefined ? { contextId } : {}),
    awaitPromise: true,
    returnByValue: true,
    userGesture,
    allowUnsafeEvalBlockedByCSP: true,
  });
  if (exceptionDetails) {
    const thrown = exceptionDetails.exception;
    const message = thrown?.description ?? (thrown?.value !== undefined ? String(thrown.value) : exceptionDetails.text);
    throw new Error(message.split('\n')[0]);
  }
  return result.value;
}
