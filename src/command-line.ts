/**
 * `app.commandLine`: switches for Chrome, added before the app is ready.
 *
 * Electron parity: as in Electron, switches only take effect for browsers
 * started after they are added (here: the main Chrome at `whenReady()`, and
 * each persistent partition's Chrome when it first starts).
 */
export class CommandLine {
  readonly #switches = new Map<string, string | undefined>();
  readonly #args: string[] = [];

  /** Appends `--name` or `--name=value`. */
  appendSwitch(name: string, value?: string): void {
    if (typeof name !== 'string') throw new TypeError('Switch name must be a string');
    this.#switches.set(name.replace(/^--/, ''), value === undefined ? undefined : String(value));
  }

  /** Appends a bare argument (quoted for you as Chromium does). */
  appendArgument(value: string): void {
    this.#args.push(String(value));
  }

  hasSwitch(name: string): boolean {
    return this.#switches.has(name.replace(/^--/, ''));
  }

  /** The switch's value, or `''` when absent or valueless. */
  getSwitchValue(name: string): string {
    return this.#switches.get(name.replace(/^--/, '')) ?? '';
  }

  removeSwitch(name: string): void {
    this.#switches.delete(name.replace(/^--/, ''));
  }

  /** The Chrome arguments these switches make. */
  toArgs(): string[] {
    const args = [...this.#switches].map(([name, value]) => (value === undefined ? `--${name}` : `--${name}=${value}`));
    return [...args, ...this.#args];
  }
}
