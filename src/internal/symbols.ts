/** Internal entry points between public classes, out of users' reach (symbols, not names). */
export const kDownloadURL = Symbol('downloadURL');
/** A session's helper page standing in an origin, for work done in the session's Chrome (`Session[kWithPage](origin, work)`). */
export const kWithPage = Symbol('withPage');
/** A session's device broker (`Session[kDeviceBroker]`), for the device handlers set outside session.ts. */
export const kDeviceBroker = Symbol('deviceBroker');
