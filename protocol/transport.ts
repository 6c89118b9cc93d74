/**
 * A transport carries whole CDP messages (JSON text) both ways. The connection
 * owns ids, routing and timeouts; a transport only moves bytes.
 */
export interface Transport {
  send(message: string): void;
  close(): void;
  /** Called once per incoming message. */
  onmessage?: ((message: string) => void) | undefined;
  /** Called once when the transport closes, for whatever reason. */
  onclose?: ((reason: TransportCloseReason) => void) | undefined;
}

export interface TransportCloseReason {
  code?: number | undefined;
  reason?: string | undefined;
}
