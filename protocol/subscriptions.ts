import { EventEmitter } from 'node:events';

/**
 * EventEmitter typed by an event map, plus `subscribe()`, which returns the
 * disposer. Payload types follow the key: CDP event names from
 * ProtocolMapping, lifecycle Symbols from each class's map.
 */
export class TypedEventEmitter<M extends Record<keyof M, unknown[]>> extends EventEmitter<M> {
  subscribe<K extends keyof M & (string | symbol)>(event: K, handler: (...args: M[K]) => void): () => void {
    // Node's typings cannot relate a generic key to its listener type; this is the one cast.
    const untyped = this as unknown as EventEmitter;
    const listener = handler as (...args: unknown[]) => void;
    untyped.on(event, listener);
    return () => untyped.off(event, listener);
  }
}
