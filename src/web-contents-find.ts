import { ElectronEvent } from './events.js';
import { debug } from '../protocol/debug.js';
import { evaluateForElectron } from './internal/evaluate.js';
import { WebContents } from './web-contents.js';
import { mainFrameWorld } from './web-contents-extras.js';
import type { FoundInPageResult } from './web-contents-events.js';

export interface FindInPageOptions {
  /** Search forward (default) or backward. */
  forward?: boolean;
  /** Go on with the current search (true) or start a new one (false, the default). */
  findNext?: boolean;
  matchCase?: boolean;
}

export type { FoundInPageResult } from './web-contents-events.js';

declare module './web-contents.js' {
  interface WebContents {
    /** Finds `text` in the page; the result comes with 'found-in-page'. Returns the request's id. */
    findInPage(text: string, options?: FindInPageOptions): number;
    /** Ends the search: clears the match's selection, keeps it, or activates (focuses, clicks) what it is in. */
    stopFindInPage(action: 'clearSelection' | 'keepSelection' | 'activateSelection'): void;
  }
}

const WORLD = 'chrome-session-find';
let lastRequestId = 0;

/* c8 ignore start: runs in the page */
/**
 * The page's side of a search: the matches of `text` in the document's text
 * (across element boundaries), the active one selected and scrolled to.
 */
function findInDocument(text: string, forward: boolean, findNext: boolean, matchCase: boolean): Omit<FoundInPageResult, 'requestId' | 'finalUpdate'> {
  const scope = globalThis as unknown as { __csFind?: { text: string; matchCase: boolean; active: number } };
  const nodes: Text[] = [];
  let all = '';
  const walker = document.createTreeWalker(document.body ?? document.documentElement, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => (node.parentElement && ['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'].includes(node.parentElement.tagName) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  const starts: number[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    starts.push(all.length);
    nodes.push(node as Text);
    all += (node as Text).data;
  }
  const haystack = matchCase ? all : all.toLowerCase();
  const needle = matchCase ? text : text.toLowerCase();
  const found: number[] = [];
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) found.push(at);
  const previous = scope.__csFind;
  let active = 0;
  if (findNext && previous && previous.text === text && previous.matchCase === matchCase && found.length) {
    active = (previous.active + (forward ? 1 : -1) + found.length) % found.length;
  } else if (!forward && found.length) active = found.length - 1;
  scope.__csFind = { text, matchCase, active };
  const selection = getSelection();
  selection?.removeAllRanges();
  if (!found.length) return { activeMatchOrdinal: 0, matches: 0, selectionArea: { x: 0, y: 0, width: 0, height: 0 } };
  const locate = (offset: number): [Text, number] => {
    let index = starts.length - 1;
    while (index > 0 && starts[index]! > offset) index--;
    return [nodes[index]!, offset - starts[index]!];
  };
  const range = document.createRange();
  range.setStart(...locate(found[active]!));
  range.setEnd(...locate(found[active]! + needle.length));
  range.startContainer.parentElement?.scrollIntoView({ block: 'center', inline: 'nearest' });
  selection?.addRange(range);
  const box = range.getBoundingClientRect();
  return {
    activeMatchOrdinal: active + 1,
    matches: found.length,
    selectionArea: { x: Math.round(box.x), y: Math.round(box.y), width: Math.round(box.width), height: Math.round(box.height) },
  };
}

function stopInDocument(action: string): void {
  const scope = globalThis as unknown as { __csFind?: unknown };
  delete scope.__csFind;
  const selection = getSelection();
  if (action === 'activateSelection') {
    const element = selection?.anchorNode?.parentElement?.closest('a, button, input, select, textarea, [tabindex]') as HTMLElement | null | undefined;
    element?.focus();
    element?.click();
  }
  if (action === 'clearSelection') selection?.removeAllRanges();
}
/* c8 ignore stop */

async function inFindWorld(contents: WebContents, expression: string): Promise<unknown> {
  const { client, contextId } = await mainFrameWorld(contents, WORLD);
  return evaluateForElectron(client, expression, false, contextId);
}

WebContents.prototype.findInPage = function findInPage(this: WebContents, text: string, options: FindInPageOptions = {}) {
  if (typeof text !== 'string') throw new TypeError('Error processing argument at index 0, conversion failure');
  if (text === '') throw new Error('Must provide a non-empty search content');
  if (this.isDestroyed()) throw new Error('Object has been destroyed');
  const requestId = ++lastRequestId;
  const args = [text, options.forward ?? true, options.findNext ?? false, options.matchCase ?? false].map((value) => JSON.stringify(value)).join(', ');
  void inFindWorld(this, `(${findInDocument.toString()})(${args})`).then(
    (found) => this.emit('found-in-page', new ElectronEvent(), { requestId, ...(found as Omit<FoundInPageResult, 'requestId' | 'finalUpdate'>), finalUpdate: true }),
    (error: unknown) => debug.ignored('findInPage: %s', error),
  );
  return requestId;
};

WebContents.prototype.stopFindInPage = function stopFindInPage(this: WebContents, action) {
  if (!['clearSelection', 'keepSelection', 'activateSelection'].includes(action)) throw new TypeError('Error processing argument at index 0, conversion failure');
  if (this.isDestroyed()) throw new Error('Object has been destroyed');
  void inFindWorld(this, `(${stopInDocument.toString()})(${JSON.stringify(action)})`).catch((error: unknown) => debug.ignored('stopFindInPage: %s', error));
};
