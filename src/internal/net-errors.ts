import netErrors from 'chromium-net-errors';
import { redactUrl } from '../../protocol/errors.js';

interface NetErrorInfo {
  code: number;
  description: string;
}

// chromium-net-errors carries Chromium's net_error_list.h; index it by short name.
const byDescription = new Map<string, number>(
  (netErrors.getErrors() as NetErrorInfo[]).map((error) => [error.description, error.code]),
);

/** `-202` → `net::ERR_CERT_AUTHORITY_INVALID`; `undefined` for a code Chromium does not have. */
export function netErrorName(code: number): string | undefined {
  const found = (netErrors.getErrors() as NetErrorInfo[]).find((error) => error.code === code);
  return found ? `net::ERR_${found.description}` : undefined;
}

export interface LoadError extends Error {
  code: string;
  errno: number;
  url: string;
}

/** `net::ERR_NAME_NOT_RESOLVED` → `{ code: -105, description: 'ERR_NAME_NOT_RESOLVED' }`. */
export function netError(errorText: string): { errorCode: number; errorDescription: string } {
  const description = errorText.replace(/^net::/, '');
  const code = byDescription.get(description.replace(/^ERR_/, ''));
  return { errorCode: code ?? -2, errorDescription: code === undefined ? 'ERR_FAILED' : description };
}

/** The error `loadURL` rejects with, worded as Electron words it (a password in the URL masked, in `url` too). */
export function loadError(errorCode: number, errorDescription: string, url: string): LoadError {
  const shown = redactUrl(url);
  const error = new Error(`${errorDescription} (${errorCode}) loading '${shown}'`) as LoadError;
  error.code = errorDescription;
  error.errno = errorCode;
  error.url = shown;
  return error;
}
