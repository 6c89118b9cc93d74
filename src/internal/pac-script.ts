import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createPacResolver } from 'pac-resolver';
import { QuickJS } from 'quickjs-wasi';

export type FindProxyForURL = (url: string, host: string) => Promise<string>;

let engine: Promise<QuickJS> | undefined;

/** One QuickJS engine for every PAC script of the process, loaded on first need. */
function quickJs(): Promise<QuickJS> {
  engine ??= (async () => {
    const wasm = await readFile(createRequire(import.meta.url).resolve('quickjs-wasi/quickjs.wasm'));
    return QuickJS.create({ wasm });
  })();
  return engine;
}

/** Compiles a PAC script (pac-resolver: FindProxyForURL with the standard helpers, sandboxed in QuickJS). */
export async function loadPacScript(source: string): Promise<FindProxyForURL> {
  const findProxy = createPacResolver(await quickJs(), source);
  return (url, host) => findProxy(url, host);
}
