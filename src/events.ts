import { EventEmitter } from 'node:events';

/** The `event` object Electron passes first to most listeners. */
export class ElectronEvent {
  #defaultPrevented = false;
  preventDefault(): void {
    this.#defaultPrevented = true;
  }
  get defaultPrevented(): boolean {
    return this.#defaultPrevented;
  }
}

/** Event-map-typed EventEmitter: the base of every public class. */
export class TypedEmitter<Events extends Record<keyof Events, unknown[]>> extends EventEmitter<Events> {}

/**
 * Whether `emitter` has listeners of `name`, and a way to hear when that may
 * have changed (after the change: Node tells of a new listener before adding it).
 */
export function listenerWatch(emitter: EventEmitter, name: string): { listening(): boolean; onListenersChanged(changed: () => void): () => void } {
  return {
    listening: () => emitter.listenerCount(name) > 0,
    onListenersChanged(changed) {
      const onChange = (event: string | symbol): void => {
        if (event === name) queueMicrotask(changed);
      };
      emitter.on('newListener', onChange).on('removeListener', onChange);
      return () => emitter.off('newListener', onChange).off('removeListener', onChange);
    },
  };
}
