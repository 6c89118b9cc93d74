import { siteOf } from './cookie-convert.js';

/**
 * Chrome's partitioned storage keys (blink::StorageKey), for the contexts a
 * session has been in: a frame or worker under a top-level site other than
 * its own (or under its own site through a cross-site frame) keeps its
 * storage apart, under `<origin>/^0<top-level site>` (or `<origin>/^31`).
 * `Storage.clearDataForOrigin` reaches only an origin's first-party key.
 */
export interface EmbeddedKey {
  /** The serialized key, as `Storage.clearDataForStorageKey` takes it. */
  key: string;
  origin: string;
  /** The top-level schemeful site: `scheme://registrable-domain`, no port. */
  topSite: string;
}

/** An origin's schemeful site. */
export function schemefulSite(origin: string): string {
  const url = new URL(origin);
  return `${url.protocol}//${siteOf(url.hostname)}`;
}

/** The third-party keys of the embedded contexts seen (each a JSON list: own origin, ancestors' origins, top one last). */
export function embeddedKeys(embeddedSeen: Iterable<string>): EmbeddedKey[] {
  const keys = new Map<string, EmbeddedKey>();
  for (const entry of embeddedSeen) {
    const [origin, ...ancestors] = JSON.parse(entry) as string[];
    if (origin === undefined || !ancestors.length) continue;
    const own = schemefulSite(origin);
    const sites = ancestors.map(schemefulSite);
    if (sites.every((site) => site === own)) continue; // first-party: the origin's own key
    const topSite = sites[sites.length - 1]!;
    const key = topSite === own ? `${origin}/^31` : `${origin}/^0${topSite}`;
    keys.set(key, { key, origin, topSite });
  }
  return [...keys.values()];
}

export type OriginMatchingMode = 'third-parties-included' | 'origin-in-all-contexts';

/**
 * Whether clearing `origin` reaches a third-party key, as Chrome's
 * BrowsingDataFilterBuilder matches: by its top-level site
 * (`third-parties-included`, the default), or by its own origin
 * (`origin-in-all-contexts`).
 */
export function keyMatches(entry: EmbeddedKey, origin: string, mode: OriginMatchingMode): boolean {
  return mode === 'origin-in-all-contexts' ? entry.origin === origin : entry.topSite === schemefulSite(origin);
}
