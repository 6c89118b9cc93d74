import test from 'ava';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

// From dist/test/unit/ back to the repository.
const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

/**
 * Our Session against Electron 41's declaration (electron.d.ts): which of
 * Electron's members we lack, and which of ours are not assignable to
 * Electron's (the TypeScript checker decides, over our sources).
 */
function compare(): { missing: string; failing: string; diagnostics: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'cs-electron-types-'));
  const file = join(dir, 'check.ts');
  writeFileSync(
    file,
    `/// <reference path=${JSON.stringify(join(root, 'node_modules/electron/electron.d.ts'))} />
import type { Session } from ${JSON.stringify(join(root, 'src/index.js'))};
type Shared = Extract<keyof Session, keyof Electron.Session>;
export type Failing = { [K in Shared]: Session[K] extends Electron.Session[K] ? never : K }[Shared];
export type Missing = Exclude<keyof Electron.Session, keyof Session>;
`,
  );
  const program = ts.createProgram([file, join(root, 'src/types/chrome-har.d.ts'), join(root, 'src/types/chromium-net-errors.d.ts')], {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
    types: ['node'],
    typeRoots: [join(root, 'node_modules/@types')],
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file)!;
  const named: Record<string, string> = {};
  ts.forEachChild(source, (node) => {
    if (ts.isTypeAliasDeclaration(node)) {
      const type = checker.getTypeAtLocation(node.name);
      named[node.name.text] = checker.typeToString(type, undefined, ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.InTypeAlias);
    }
  });
  const diagnostics = ts.getPreEmitDiagnostics(program, source).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  return { missing: named.Missing!, failing: named.Failing!, diagnostics };
}

const members = (union: string) => (union === 'never' ? [] : union.split(' | ').map((name) => JSON.parse(name) as string).sort());

// Not assignable, and why: each takes or emits our WebContents, which lacks most of
// Electron's (a handler Electron types as receiving its WebContents gets ours).
const KNOWN = [
  'addListener', 'off', 'on', 'once', 'prependListener', 'prependOnceListener', 'removeAllListeners', 'removeListener', 'setMaxListeners',
  'setPermissionCheckHandler', 'setPermissionRequestHandler', 'webRequest',
].sort();

test('Session - has every member of Electron 41\'s declaration; all but the WebContents-bound ones are assignable to it', (t) => {
  const { missing, failing, diagnostics } = compare();
  t.deepEqual(diagnostics, []);
  t.deepEqual(members(missing), []);
  t.deepEqual(members(failing), KNOWN);
});
