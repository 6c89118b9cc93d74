import type { CdpSession } from '../protocol/cdp-session.js';
import { inputCommands, type InputEvent } from './internal/input-events.js';
import { keepAlive } from './internal/keep-alive.js';
import { frameDisposed, whileRendererLives } from './internal/renderer-alive.js';
import { evaluateForElectron } from './internal/evaluate.js';
import { WebContents } from './web-contents.js';
import { alive, clientOf, mainFrameWorld } from './web-contents-extras.js';

export type { InputEvent } from './internal/input-events.js';

/** Electron's WebSource. */
export interface WebSource {
  code: string;
  url?: string;
}

declare module './web-contents.js' {
  interface WebContents {
    /** Sends a mouse, wheel or keyboard event to the page, as a user's (Electron's InputEvent objects); in order with the others. */
    sendInputEvent(inputEvent: InputEvent): void;
    /** Types `text` into the focused element. */
    insertText(text: string): Promise<void>;
    /** Editing commands on the focused frame, as Chrome's editor runs them. */
    undo(): void;
    redo(): void;
    cut(): void;
    copy(): void;
    paste(): void;
    pasteAndMatchStyle(): void;
    delete(): void;
    selectAll(): void;
    unselect(): void;
    /** Replaces the selection with `text`. */
    replace(text: string): void;
    replaceMisspelling(text: string): void;
    /** Runs `scripts` in the isolated world `worldId` of the main frame; resolves with the last one's value. */
    executeJavaScriptInIsolatedWorld(worldId: number, scripts: WebSource[], userGesture?: boolean): Promise<unknown>;
    /** `window`: every WebContents here shows a window's page. */
    getType(): 'window';
    /** Whether the main frame is loading a document. */
    isLoadingMainFrame(): boolean;
  }
}

/** Each page's input, sent one command after another so sequences keep their order. */
const queues = new WeakMap<WebContents, Promise<unknown>>();

/** Queues `work` on the page's input queue; a failure (the page closing) ends that work only. */
function enqueue(contents: WebContents, work: (client: CdpSession) => Promise<unknown>): Promise<void> {
  alive(contents);
  const previous = queues.get(contents) ?? Promise.resolve();
  const next = previous.then(() => clientOf(contents)).then(work);
  const settled = next.then(() => undefined, () => undefined);
  queues.set(contents, settled);
  return keepAlive(next.then(() => undefined));
}

WebContents.prototype.sendInputEvent = function sendInputEvent(this: WebContents, inputEvent: InputEvent) {
  const commands = inputCommands(inputEvent);
  if (!commands) throw new Error('Invalid event object');
  void enqueue(this, async (client) => {
    for (const { method, params } of commands) await client.send(method as 'Input.dispatchKeyEvent', params as never);
  }).catch(() => undefined);
};

WebContents.prototype.insertText = function insertText(this: WebContents, text: string) {
  if (typeof text !== 'string') return Promise.reject(new TypeError('Error processing argument at index 0, conversion failure'));
  // Nothing to type: it still waits for the input sent before it.
  return enqueue(this, (client) => whileRendererLives(this, frameDisposed, async () => (text ? client.send('Input.insertText', { text }) : undefined)));
};

/** The isolated world undo and redo run in. */
const EDIT_WORLD = 'chrome-session-edit';

/**
 * Chrome's editor commands, run as a key press carrying them (no key reaches
 * the page); undo and redo, which Chrome does not take that way, through the
 * main frame's `document.execCommand` (from an isolated world: the page's own may be replaced).
 */
function editingCommand(contents: WebContents, command: string): void {
  void enqueue(contents, async (client) => {
    if (command !== 'undo' && command !== 'redo') return client.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', commands: [command] });
    const world = await mainFrameWorld(contents, EDIT_WORLD);
    return evaluateForElectron(world.client, `document.execCommand(${JSON.stringify(command)})`, false, world.contextId);
  }).catch(() => undefined);
}

const COMMANDS = {
  undo: 'undo',
  redo: 'redo',
  cut: 'cut',
  copy: 'copy',
  paste: 'paste',
  pasteAndMatchStyle: 'pasteAndMatchStyle',
  delete: 'delete',
  selectAll: 'selectAll',
  unselect: 'unselect',
} as const;
for (const [name, command] of Object.entries(COMMANDS)) {
  Object.defineProperty(WebContents.prototype, name, {
    value: function editing(this: WebContents) {
      editingCommand(this, command);
    },
    writable: true,
    configurable: true,
  });
}

WebContents.prototype.replace = function replace(this: WebContents, text: string) {
  if (typeof text !== 'string') throw new TypeError('Error processing argument at index 0, conversion failure');
  void enqueue(this, (client) => client.send('Input.insertText', { text })).catch(() => undefined);
};

WebContents.prototype.replaceMisspelling = function replaceMisspelling(this: WebContents, text: string) {
  this.replace(text);
};

WebContents.prototype.executeJavaScriptInIsolatedWorld = function executeJavaScriptInIsolatedWorld(
  this: WebContents,
  worldId: number,
  scripts: WebSource[],
  userGesture = false,
) {
  if (!Number.isInteger(worldId)) return Promise.reject(new TypeError('Error processing argument at index 0, conversion failure'));
  if (!Array.isArray(scripts) || scripts.some((script) => typeof script?.code !== 'string')) {
    return Promise.reject(new TypeError('Error processing argument at index 1, conversion failure'));
  }
  const run = async (): Promise<unknown> => {
    alive(this);
    // One world per id and document, as Electron's: what a script leaves there, the next one sees.
    const { client, contextId } = await mainFrameWorld(this, `chrome-session-world-${worldId}`);
    let value: unknown;
    for (const { code, url } of scripts) value = await evaluateForElectron(client, url ? `${code}\n//# sourceURL=${url}` : code, userGesture, contextId);
    return value;
  };
  return keepAlive(run());
};

WebContents.prototype.getType = function getType() {
  return 'window';
};

WebContents.prototype.isLoadingMainFrame = function isLoadingMainFrame(this: WebContents) {
  return this.isLoading();
};
