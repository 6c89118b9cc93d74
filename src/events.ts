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
