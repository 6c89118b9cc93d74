import type { CdpSession } from '../../protocol/cdp-session.js';
import type { Protocol } from '../../protocol/cdp-types.js';

/** A download made by a helper page: headers for its request; `onResponse` says whether to save the response. */
export interface HelperDownload {
  headers: Record<string, string> | undefined;
  /** The response redirected to `url`: its request is the download's now. */
  onRedirect(url: string): void;
  onResponse(status: number, headers: Protocol.Fetch.HeaderEntry[]): boolean;
}

/**
 * A helper's download response (paused at the response stage): a redirect is
 * followed (`follow` makes the next URL's response the one to save), an error
 * status refused, anything else made an attachment so Chrome saves it.
 */
export async function answerHelperDownload(
  client: CdpSession,
  event: Protocol.Fetch.RequestPausedEvent,
  download: HelperDownload,
  follow: (next: string) => Promise<void>,
): Promise<void> {
  const { requestId } = event;
  const headers = event.responseHeaders ?? [];
  const location = headers.find((h) => h.name.toLowerCase() === 'location')?.value;
  if (location && event.responseStatusCode! >= 300 && event.responseStatusCode! < 400) {
    const next = new URL(location, event.request.url).href;
    download.onRedirect(next);
    await follow(next);
    await client.send('Fetch.continueRequest', { requestId });
    return;
  }
  if (!download.onResponse(event.responseStatusCode!, headers)) {
    await client.send('Fetch.failRequest', { requestId, errorReason: 'Failed' });
    return;
  }
  const disposition = headers.find((h) => h.name.toLowerCase() === 'content-disposition');
  // The rest of a resumed download comes as 206: Chrome saves it as a whole file, joined to the first part by us.
  const ranged = event.responseStatusCode === 206;
  if (disposition && /^\s*attachment/i.test(disposition.value) && !ranged) {
    await client.send('Fetch.continueRequest', { requestId });
    return;
  }
  const rest = headers.filter((h) => h !== disposition && !(ranged && h.name.toLowerCase() === 'content-range'));
  const filename = disposition?.value.match(/;\s*filename\*?=.*$/i)?.[0] ?? '';
  await client.send('Fetch.continueResponse', {
    requestId,
    responseCode: ranged ? 200 : event.responseStatusCode!,
    responsePhrase: ranged ? 'OK' : event.responseStatusText || 'OK',
    responseHeaders: [...rest, { name: 'Content-Disposition', value: `attachment${filename}` }],
  });
}
