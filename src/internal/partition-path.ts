// Characters Chromium's path escaping percent-encodes in a partition name
// (besides non-printable and non-ASCII bytes). '/' is kept, as in Electron.
const ESCAPED = new Set([...' "#%:<>?[\\]^`{|}']);

/**
 * The directory name Electron gives a `persist:` partition: lower-cased, then
 * unsafe bytes percent-encoded with upper-case hex (`My App` → `my%20app`).
 * Ours, for safety: a name with an empty, `.` or `..` segment (`../x`, `a//b`,
 * `/`) would leave `Partitions/` or land on another partition's folder;
 * Electron lets it. Its `/` and `.` are encoded too, so it stays one folder
 * inside.
 */
export function escapePartitionName(name: string): string {
  const bytes = Buffer.from(name.toLowerCase(), 'utf8');
  let out = '';
  for (const byte of bytes) {
    const char = String.fromCharCode(byte);
    if (byte < 0x20 || byte >= 0x7f || ESCAPED.has(char)) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    else out += char;
  }
  if (!out.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) return out;
  return out.replace(/[/.]/g, (char) => (char === '/' ? '%2F' : '%2E'));
}
