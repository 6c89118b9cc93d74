import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join } from 'node:path';
import type { CdpSession } from '../protocol/cdp-session.js';
import type { Protocol } from '../protocol/cdp-types.js';
import { whileRendererLives } from './internal/renderer-alive.js';
import type { TargetRecord } from '../protocol/target-manager.js';
import { evaluateForElectron } from './internal/evaluate.js';
import { keepAlive } from './internal/keep-alive.js';
import { kContentsReady, WebContents } from './web-contents.js';

export type SavePageType = 'HTMLOnly' | 'HTMLComplete' | 'MHTML';

declare module './web-contents.js' {
  interface WebContents {
    /** Saves the page at `fullPath`: its HTML, the HTML with its resources beside it (`<name>_files`), or one MHTML file. */
    savePage(fullPath: string, saveType: SavePageType): Promise<void>;
  }
}

const TYPES = new Map(['HTMLOnly', 'HTMLComplete', 'MHTML'].map((type) => [type.toLowerCase(), type as SavePageType]));
/** Resources saved beside the page (as Chrome's "Webpage, Complete"). */
const SAVED = new Set(['Stylesheet', 'Image', 'Script', 'Font', 'Media']);
const WORLD = 'chrome-session-save';

/** The page's document with each saved resource's reference pointing at its copy (runs in the page). */
/* c8 ignore start: runs in the page */
function serializeWithCopies(copies: Record<string, string>): string {
  const clone = document.documentElement.cloneNode(true) as HTMLElement;
  const originals = document.documentElement.querySelectorAll('[src], [href], [poster]');
  const cloned = clone.querySelectorAll('[src], [href], [poster]');
  originals.forEach((element, index) => {
    for (const attribute of ['src', 'href', 'poster']) {
      const value = element.getAttribute(attribute);
      if (value === null) continue;
      let absolute = value;
      try {
        absolute = new URL(value, document.baseURI).href;
      } catch {
        continue;
      }
      const copy = copies[absolute];
      if (copy !== undefined) cloned[index]?.setAttribute(attribute, copy);
    }
  });
  const doctype = document.doctype ? `<!DOCTYPE ${document.doctype.name}>\n` : '';
  return doctype + clone.outerHTML;
}
/* c8 ignore stop */

async function frameTree(client: CdpSession): Promise<Protocol.Page.FrameResourceTree> {
  return (await client.send('Page.getResourceTree')).frameTree;
}

async function contentOf(client: CdpSession, frameId: string, url: string): Promise<Buffer> {
  const { content, base64Encoded } = await client.send('Page.getResourceContent', { frameId, url });
  return Buffer.from(content, base64Encoded ? 'base64' : 'utf8');
}

/** The HTML as it came (Chrome's "HTML only"): the main document's own bytes, or the live DOM when Chrome kept none. */
async function saveHtmlOnly(client: CdpSession, fullPath: string): Promise<void> {
  const { frame } = await frameTree(client);
  const html = await contentOf(client, frame.id, frame.url).catch(() => undefined);
  await writeFile(fullPath, html ?? (await serialize(client, frame.id, {})));
}

/** The live document, its stylesheets, images, scripts, fonts and media saved in `<name>_files` beside it. */
async function saveComplete(client: CdpSession, fullPath: string): Promise<void> {
  const tree = await frameTree(client);
  const folderName = `${basename(fullPath, extname(fullPath))}_files`;
  const folder = join(dirname(fullPath), folderName);
  const copies: Record<string, string> = {};
  const used = new Set<string>();
  await mkdir(folder, { recursive: true });
  for (const resource of tree.resources) {
    if (!SAVED.has(resource.type) || copies[resource.url] !== undefined || !/^(https?|file|data):/.test(resource.url)) continue;
    const body = await contentOf(client, tree.frame.id, resource.url).catch(() => undefined);
    if (!body) continue;
    const wanted = decodeURIComponent(new URL(resource.url).pathname.split('/').pop() || 'resource').replace(/[^\w.-]/g, '_') || 'resource';
    let name = wanted;
    for (let n = 1; used.has(name); n++) name = `${basename(wanted, extname(wanted))}(${n})${extname(wanted)}`;
    used.add(name);
    await writeFile(join(folder, name), body);
    copies[resource.url] = `${encodeURIComponent(folderName)}/${encodeURIComponent(name)}`;
  }
  await writeFile(fullPath, await serialize(client, tree.frame.id, copies));
}

async function serialize(client: CdpSession, frameId: string, copies: Record<string, string>): Promise<string> {
  const { executionContextId } = await client.send('Page.createIsolatedWorld', { frameId, worldName: WORLD });
  return String(await evaluateForElectron(client, `(${serializeWithCopies.toString()})(${JSON.stringify(copies)})`, false, executionContextId));
}

WebContents.prototype.savePage = function savePage(this: WebContents, fullPath: string, saveType: SavePageType) {
  if (typeof fullPath !== 'string') return Promise.reject(new TypeError('Error processing argument at index 0, conversion failure'));
  const type = typeof saveType === 'string' ? TYPES.get(saveType.toLowerCase()) : undefined;
  if (!type) return Promise.reject(new TypeError('Error processing argument at index 1, conversion failure'));
  if (!isAbsolute(fullPath)) return Promise.reject(new Error('Path must be absolute'));
  const save = async (): Promise<void> => {
    if (this.isDestroyed()) throw new Error('Object has been destroyed');
    const { client } = (await this[kContentsReady]()) as TargetRecord;
    const failed = (): Error => new Error('Failed to save the page');
    try {
      // The document comes from its renderer: none while it is crashed.
      await whileRendererLives(this, failed, async () => {
        if (type === 'MHTML') await writeFile(fullPath, (await client.send('Page.captureSnapshot', { format: 'mhtml' })).data);
        else if (type === 'HTMLOnly') await saveHtmlOnly(client, fullPath);
        else await saveComplete(client, fullPath);
      });
    } catch {
      throw failed();
    }
  };
  return keepAlive(save());
};
