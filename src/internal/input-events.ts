import type { Protocol } from '../../protocol/cdp-types.js';

/** Electron's InputEvent modifiers. */
export type InputModifier =
  | 'shift' | 'control' | 'ctrl' | 'alt' | 'meta' | 'command' | 'cmd' | 'iskeypad' | 'isautorepeat'
  | 'leftbuttondown' | 'middlebuttondown' | 'rightbuttondown' | 'capslock' | 'numlock' | 'left' | 'right';

/** Electron's MouseInputEvent, MouseWheelInputEvent and KeyboardInputEvent, as `sendInputEvent` takes them. */
export interface InputEvent {
  type: string;
  modifiers?: string[];
  x?: number;
  y?: number;
  button?: 'left' | 'middle' | 'right';
  clickCount?: number;
  deltaX?: number;
  deltaY?: number;
  keyCode?: string;
}

type Command =
  | { method: 'Input.dispatchMouseEvent'; params: Protocol.Input.DispatchMouseEventRequest }
  | { method: 'Input.dispatchKeyEvent'; params: Protocol.Input.DispatchKeyEventRequest };

const MOUSE: Record<string, Protocol.Input.DispatchMouseEventRequest['type']> = {
  mouseDown: 'mousePressed',
  mouseUp: 'mouseReleased',
  mouseMove: 'mouseMoved',
  mouseEnter: 'mouseMoved',
  mouseLeave: 'mouseMoved',
  contextMenu: 'mousePressed',
  mouseWheel: 'mouseWheel',
};
const KEYS: Record<string, Protocol.Input.DispatchKeyEventRequest['type']> = { keyDown: 'keyDown', rawKeyDown: 'rawKeyDown', keyUp: 'keyUp', char: 'char' };
const BUTTON_BITS: Record<string, number> = { left: 1, right: 2, middle: 4 };

interface Key {
  key: string;
  code: string;
  keyCode: number;
  text?: string;
}

/** Electron's accelerator key names that are not a character themselves. */
const NAMED: Record<string, Key> = {
  enter: { key: 'Enter', code: 'Enter', keyCode: 13, text: '\r' },
  return: { key: 'Enter', code: 'Enter', keyCode: 13, text: '\r' },
  tab: { key: 'Tab', code: 'Tab', keyCode: 9, text: '\t' },
  space: { key: ' ', code: 'Space', keyCode: 32, text: ' ' },
  backspace: { key: 'Backspace', code: 'Backspace', keyCode: 8 },
  delete: { key: 'Delete', code: 'Delete', keyCode: 46 },
  insert: { key: 'Insert', code: 'Insert', keyCode: 45 },
  escape: { key: 'Escape', code: 'Escape', keyCode: 27 },
  esc: { key: 'Escape', code: 'Escape', keyCode: 27 },
  up: { key: 'ArrowUp', code: 'ArrowUp', keyCode: 38 },
  down: { key: 'ArrowDown', code: 'ArrowDown', keyCode: 40 },
  left: { key: 'ArrowLeft', code: 'ArrowLeft', keyCode: 37 },
  right: { key: 'ArrowRight', code: 'ArrowRight', keyCode: 39 },
  home: { key: 'Home', code: 'Home', keyCode: 36 },
  end: { key: 'End', code: 'End', keyCode: 35 },
  pageup: { key: 'PageUp', code: 'PageUp', keyCode: 33 },
  pagedown: { key: 'PageDown', code: 'PageDown', keyCode: 34 },
  shift: { key: 'Shift', code: 'ShiftLeft', keyCode: 16 },
  control: { key: 'Control', code: 'ControlLeft', keyCode: 17 },
  ctrl: { key: 'Control', code: 'ControlLeft', keyCode: 17 },
  alt: { key: 'Alt', code: 'AltLeft', keyCode: 18 },
  option: { key: 'Alt', code: 'AltLeft', keyCode: 18 },
  meta: { key: 'Meta', code: 'MetaLeft', keyCode: 91 },
  super: { key: 'Meta', code: 'MetaLeft', keyCode: 91 },
  command: { key: 'Meta', code: 'MetaLeft', keyCode: 91 },
  cmd: { key: 'Meta', code: 'MetaLeft', keyCode: 91 },
  capslock: { key: 'CapsLock', code: 'CapsLock', keyCode: 20 },
  numlock: { key: 'NumLock', code: 'NumLock', keyCode: 144 },
  plus: { key: '+', code: 'Equal', keyCode: 187, text: '+' },
};
/** US-layout codes of the punctuation keys: [unshifted, shifted, code, Windows key code]. */
const PUNCTUATION: Array<[string, string, string, number]> = [
  [';', ':', 'Semicolon', 186], ['=', '+', 'Equal', 187], [',', '<', 'Comma', 188], ['-', '_', 'Minus', 189],
  ['.', '>', 'Period', 190], ['/', '?', 'Slash', 191], ['`', '~', 'Backquote', 192], ['[', '{', 'BracketLeft', 219],
  ['\\', '|', 'Backslash', 220], [']', '}', 'BracketRight', 221], ["'", '"', 'Quote', 222],
];
const DIGIT_SHIFTED = ')!@#$%^&*(';

/** The key an Electron `keyCode` names: a character, or an accelerator name (case-insensitive). */
export function keyOf(name: string): Key {
  const named = NAMED[name.toLowerCase()];
  if (named) return named;
  const fn = /^f([1-9]|1\d|2[0-4])$/i.exec(name);
  if (fn) return { key: `F${fn[1]}`, code: `F${fn[1]}`, keyCode: 111 + Number(fn[1]) };
  const numpad = /^num([0-9])$/i.exec(name);
  if (numpad) return { key: numpad[1]!, code: `Numpad${numpad[1]}`, keyCode: 96 + Number(numpad[1]), text: numpad[1]! };
  if ([...name].length !== 1) return { key: name, code: '', keyCode: 0, text: name };
  if (/[a-z]/i.test(name)) return { key: name, code: `Key${name.toUpperCase()}`, keyCode: name.toUpperCase().charCodeAt(0), text: name };
  if (/[0-9]/.test(name)) return { key: name, code: `Digit${name}`, keyCode: name.charCodeAt(0), text: name };
  const digit = DIGIT_SHIFTED.indexOf(name);
  if (digit >= 0) return { key: name, code: `Digit${digit}`, keyCode: 48 + digit, text: name };
  const punctuation = PUNCTUATION.find(([plain, shifted]) => plain === name || shifted === name);
  if (punctuation) return { key: name, code: punctuation[2], keyCode: punctuation[3], text: name };
  return { key: name, code: '', keyCode: 0, text: name };
}

/** CDP's modifier bits (Alt 1, Ctrl 2, Meta 4, Shift 8) and pressed buttons of Electron's modifier names. */
function modifiersOf(names: string[] = []): { modifiers: number; buttons: number } {
  const set = new Set(names.map((name) => String(name).toLowerCase()));
  const has = (...candidates: string[]): boolean => candidates.some((name) => set.has(name));
  const modifiers = (has('alt') ? 1 : 0) | (has('control', 'ctrl') ? 2 : 0) | (has('meta', 'command', 'cmd') ? 4 : 0) | (has('shift') ? 8 : 0);
  const buttons = (has('leftbuttondown') ? 1 : 0) | (has('rightbuttondown') ? 2 : 0) | (has('middlebuttondown') ? 4 : 0);
  return { modifiers, buttons };
}

/**
 * The CDP commands for one of Electron's input events (a mouse event, a wheel
 * turn or a key), or undefined for an object that is none of them. A `char`
 * types its key's text; `keyDown` and `rawKeyDown` press the key without
 * typing (as in Electron, text comes with `char`).
 */
export function inputCommands(event: InputEvent): Command[] | undefined {
  if (!event || typeof event !== 'object' || typeof event.type !== 'string') return undefined;
  const { modifiers, buttons } = modifiersOf(Array.isArray(event.modifiers) ? event.modifiers : []);
  const mouse = MOUSE[event.type];
  if (mouse) {
    const x = Number(event.x ?? 0);
    const y = Number(event.y ?? 0);
    if (mouse === 'mouseWheel') {
      // Electron's deltas follow the wheel (positive: up, left); the DOM's follow the content.
      return [{ method: 'Input.dispatchMouseEvent', params: { type: mouse, x, y, modifiers, deltaX: -Number(event.deltaX ?? 0), deltaY: -Number(event.deltaY ?? 0) } }];
    }
    const button = event.type === 'contextMenu' ? 'right' : mouse === 'mouseMoved' ? (buttons & 1 ? 'left' : buttons & 2 ? 'right' : buttons & 4 ? 'middle' : 'none') : (event.button ?? 'left');
    const pressed = mouse === 'mousePressed' ? buttons | (BUTTON_BITS[button] ?? 0) : mouse === 'mouseReleased' ? buttons & ~(BUTTON_BITS[button] ?? 0) : buttons;
    const clickCount = mouse === 'mouseMoved' ? 0 : Number(event.clickCount ?? 1);
    const params: Protocol.Input.DispatchMouseEventRequest = { type: mouse, x, y, modifiers, button, buttons: pressed, clickCount };
    if (event.type !== 'contextMenu') return [{ method: 'Input.dispatchMouseEvent', params }];
    return [{ method: 'Input.dispatchMouseEvent', params }, { method: 'Input.dispatchMouseEvent', params: { ...params, type: 'mouseReleased', buttons } }];
  }
  const keyType = KEYS[event.type];
  if (!keyType || typeof event.keyCode !== 'string') return undefined;
  const key = keyOf(event.keyCode);
  const text = key.text === undefined ? undefined : modifiers & 8 && /^[a-z]$/.test(key.text) ? key.text.toUpperCase() : key.text;
  const params: Protocol.Input.DispatchKeyEventRequest = {
    type: keyType === 'keyDown' ? 'rawKeyDown' : keyType,
    modifiers,
    key: key.key,
    code: key.code,
    windowsVirtualKeyCode: key.keyCode,
    nativeVirtualKeyCode: key.keyCode,
  };
  if (keyType === 'char') Object.assign(params, { text: text ?? '', unmodifiedText: text ?? '' });
  return [{ method: 'Input.dispatchKeyEvent', params }];
}
