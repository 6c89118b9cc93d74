import type { Transport, TransportCloseReason } from './transport.js';

/**
 * CDP over `--remote-debugging-pipe` (fds 3 and 4): messages are JSON texts
 * each ended by a NUL byte. A launched Chrome exits by itself when this pipe
 * closes, so even a SIGKILLed Node process leaves no browser behind.
 */
export class PipeTransport implements Transport {
  readonly #out: NodeJS.WritableStream;
  #pending: Buffer[] = [];
  #closed = false;
  onmessage?: ((message: string) => void) | undefined;
  onclose?: ((reason: TransportCloseReason) => void) | undefined;

  constructor(outgoing: NodeJS.WritableStream, incoming: NodeJS.ReadableStream) {
    this.#out = outgoing;
    incoming.on('data', (chunk: Buffer) => this.#onData(chunk));
    incoming.on('close', () => this.#didClose('pipe closed'));
    incoming.on('error', () => this.#didClose('pipe error'));
    outgoing.on('error', () => this.#didClose('pipe error'));
  }

  send(message: string): void {
    if (this.#closed) return;
    this.#out.write(message);
    this.#out.write('\0');
  }

  close(): void {
    if (this.#closed) return;
    this.#out.end();
  }

  #onData(chunk: Buffer): void {
    let start = 0;
    let end = chunk.indexOf(0, start);
    while (end !== -1) {
      const piece = chunk.subarray(start, end);
      const whole = this.#pending.length ? Buffer.concat([...this.#pending, piece]) : piece;
      this.#pending = [];
      this.onmessage?.(whole.toString('utf8'));
      start = end + 1;
      end = chunk.indexOf(0, start);
    }
    if (start < chunk.length) this.#pending.push(chunk.subarray(start));
  }

  #didClose(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.onclose?.({ reason });
  }
}
