declare module 'chrome-har' {
  /** One CDP event, as chrome-har reads them. */
  export interface HarMessage {
    method: string;
    params: unknown;
  }
  export interface Har {
    log: { version: string; creator: { name: string; version: string }; pages: Array<Record<string, unknown>>; entries: Array<Record<string, unknown>> };
  }
  export function harFromMessages(messages: HarMessage[], options?: { includeTextFromResponseBody?: boolean; includeResourcesFromDiskCache?: boolean }): Har;
}
