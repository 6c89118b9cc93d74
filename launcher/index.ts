export { launch, type LaunchOptions, type LaunchedBrowser } from './launch.js';
export { connect, connectBrowser, type ConnectOptions, type ConnectedBrowser } from './connect.js';
export { isLoopbackUrl, type WebDriverSession } from './webdriver.js';
export { BrowserProcess, type BrowserExit } from './browser-process.js';
export { findChrome, ChromeNotFoundError } from './executable.js';
export { defaultChromeArgs } from './chrome-args.js';
