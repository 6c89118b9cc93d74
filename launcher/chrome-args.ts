/** Switches every Chrome we start gets, each with the reason. */
export function defaultChromeArgs(options: { headless: boolean; noSandbox: boolean }): string[] {
  const args = [
    // The network here is closed: no background traffic, updates, sync or QUIC probes.
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--no-first-run',
    // No "make Chrome default" prompt and no crash-upload prompts.
    '--no-default-browser-check',
    '--disable-breakpad',
    // Background tabs must keep full speed: every window here is driven, none is looked at.
    '--disable-background-timer-throttling',
    '--disable-backgrounding-occluded-windows',
    '--disable-renderer-backgrounding',
    // No prompts that would stall a window with nobody to answer them.
    '--disable-prompt-on-repost',
    '--disable-hang-monitor',
    '--disable-popup-blocking',
    // Keep Chrome from asking the (absent) OS keyring for cookie encryption.
    '--password-store=basic',
    '--use-mock-keychain',
    // CDP over fds 3/4: no port to poll, and Chrome exits when our end of the pipe closes.
    '--remote-debugging-pipe',
  ];
  if (options.headless) args.push('--headless=new', '--disable-gpu', '--hide-scrollbars', '--mute-audio');
  // Chrome refuses to run as root with its sandbox on.
  if (options.noSandbox) args.push('--no-sandbox');
  return args;
}
