/** Internal entry points between public classes, out of users' reach (symbols, not names). */
export const kDownloadURL = Symbol('downloadURL');
