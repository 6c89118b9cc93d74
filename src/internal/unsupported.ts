/** Not a silent success: a rejection that says what Chrome cannot be asked over CDP. */
export function unsupported(what: string, why: string): Promise<never> {
  return Promise.reject(new Error(`${what} is not supported by chrome-session: ${why}`));
}

const warned = new Set<string>();

/** A process warning, once per `what`: for setters whose setting Chrome cannot be given. */
export function warnOnce(what: string, message: string): void {
  if (warned.has(what)) return;
  warned.add(what);
  process.emitWarning(`${what}: ${message}`, 'ChromeSessionWarning');
}
