import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Session } from './session.js';
import { systemLocale } from './internal/app-paths.js';

/** The languages Chromium's Hunspell spell checker has dictionaries for, as Electron lists them. */
const LANGUAGES = [
  'af', 'bg', 'ca', 'cs', 'cy', 'da', 'de', 'el', 'en-AU', 'en-CA', 'en-GB', 'en-GB-oxendict', 'en-US', 'es', 'es-419', 'es-AR',
  'es-ES', 'es-MX', 'es-US', 'et', 'fa', 'fo', 'fr', 'he', 'hi', 'hr', 'hu', 'hy', 'id', 'it', 'ko', 'lt', 'lv', 'nb', 'nl', 'pl',
  'pt-BR', 'pt-PT', 'ro', 'ru', 'sh', 'sk', 'sl', 'sq', 'sr', 'sv', 'ta', 'tg', 'tr', 'uk', 'vi',
];

declare module './session.js' {
  interface Session {
    /** Whether the session's spell checker is on (kept; see the README for what Chrome does with it). */
    spellCheckerEnabled: boolean;
    /** The language codes `setSpellCheckerLanguages` takes. */
    readonly availableSpellCheckerLanguages: string[];
    setSpellCheckerEnabled(enable: boolean): void;
    isSpellCheckerEnabled(): boolean;
    setSpellCheckerLanguages(languages: string[]): void;
    getSpellCheckerLanguages(): string[];
    setSpellCheckerDictionaryDownloadURL(url: string): void;
    /** The words of the session's custom dictionary (Chrome's `Custom Dictionary.txt` in a persistent profile). */
    listWordsInSpellCheckerDictionary(): Promise<string[]>;
    /** Adds `word` to the custom dictionary: false for an in-memory session, as in Electron. */
    addWordToSpellCheckerDictionary(word: string): boolean;
    removeWordFromSpellCheckerDictionary(word: string): boolean;
  }
}

interface SpellState {
  enabled: boolean;
  languages: string[];
  downloadURL: string | undefined;
}
const states = new WeakMap<Session, SpellState>();
function stateOf(session: Session): SpellState {
  let state = states.get(session);
  if (!state) {
    const locale = systemLocale();
    state = { enabled: true, languages: LANGUAGES.includes(locale) ? [locale] : ['en-US'], downloadURL: undefined };
    states.set(session, state);
  }
  return state;
}

/** Chrome's custom dictionary file of the session's profile, or undefined for an in-memory session. */
function dictionaryFile(session: Session): string | undefined {
  return session.storagePath ? join(session.storagePath, 'Default', 'Custom Dictionary.txt') : undefined;
}

/** The words, one per line; Chrome's own checksum line is left out. */
function readWords(file: string): string[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('checksum_v1'));
}

function writeWords(file: string, words: string[]): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, words.map((word) => `${word}\n`).join(''), { mode: 0o600 });
}

Object.defineProperty(Session.prototype, 'spellCheckerEnabled', {
  get(this: Session) {
    return stateOf(this).enabled;
  },
  set(this: Session, enable: boolean) {
    this.setSpellCheckerEnabled(enable);
  },
});
Object.defineProperty(Session.prototype, 'availableSpellCheckerLanguages', {
  get: () => [...LANGUAGES],
});

Session.prototype.setSpellCheckerEnabled = function setSpellCheckerEnabled(this: Session, enable) {
  if (typeof enable !== 'boolean') throw new TypeError('Error processing argument at index 0, conversion failure');
  stateOf(this).enabled = enable;
};
Session.prototype.isSpellCheckerEnabled = function isSpellCheckerEnabled(this: Session) {
  return stateOf(this).enabled;
};
Session.prototype.setSpellCheckerLanguages = function setSpellCheckerLanguages(this: Session, languages) {
  if (!Array.isArray(languages)) throw new TypeError('Error processing argument at index 0, conversion failure');
  for (const code of languages) {
    if (!LANGUAGES.includes(code)) throw new Error(`Invalid language code provided: "${String(code)}" is not a valid language code`);
  }
  stateOf(this).languages = [...new Set(languages)];
};
Session.prototype.getSpellCheckerLanguages = function getSpellCheckerLanguages(this: Session) {
  return [...stateOf(this).languages];
};
Session.prototype.setSpellCheckerDictionaryDownloadURL = function setSpellCheckerDictionaryDownloadURL(this: Session, url) {
  if (typeof url !== 'string' || !URL.canParse(url)) throw new Error('The URL you provided to setSpellCheckerDictionaryDownloadURL is not a valid URL');
  stateOf(this).downloadURL = url;
};
Session.prototype.listWordsInSpellCheckerDictionary = function listWordsInSpellCheckerDictionary(this: Session) {
  const file = dictionaryFile(this);
  return Promise.resolve(file ? readWords(file) : []);
};
Session.prototype.addWordToSpellCheckerDictionary = function addWordToSpellCheckerDictionary(this: Session, word) {
  const file = dictionaryFile(this);
  if (!file || typeof word !== 'string' || !word.trim() || /\s/.test(word.trim())) return false;
  const words = readWords(file);
  if (words.includes(word)) return false;
  writeWords(file, [...words, word]);
  return true;
};
Session.prototype.removeWordFromSpellCheckerDictionary = function removeWordFromSpellCheckerDictionary(this: Session, word) {
  const file = dictionaryFile(this);
  if (!file || typeof word !== 'string') return false;
  const words = readWords(file);
  if (!words.includes(word)) return false;
  writeWords(file, words.filter((each) => each !== word));
  return true;
};
