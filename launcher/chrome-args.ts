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
    // A failed load stays failed, as in Electron: Chrome would reload error pages again and again on its own.
    '--disable-auto-reload',
    // localStorage on disk 1 s after a change (not 5 s, nor later under Chrome's 60-commits-an-hour
    // limit): a crash loses less, and ses.flushStorageData() can wait for it (CDP cannot force it).
    '--enable-aggressive-domstorage-flushing',
    // Keep Chrome from asking the (absent) OS keyring for cookie encryption.
    '--password-store=basic',
    '--use-mock-keychain',
    // CDP over fds 3/4: no port to poll, and Chrome exits when our end of the pipe closes.
    '--remote-debugging-pipe',
    // Lets CDP load unpacked extensions (ses.extensions), over the pipe only.
    '--enable-unsafe-extension-debugging',
    // Every new window otherwise starts two omnibox-popup WebUI pages, each with its own
    // renderer: most of a window's cost here, for a popup a headless window never shows.
    '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup',
  ];
  // Headless machines have no camera or microphone: Chrome's fake ones stand in, so media requests can be tested.
  if (options.headless) args.push('--headless=new', '--disable-gpu', '--hide-scrollbars', '--mute-audio', '--use-fake-device-for-media-stream');
  // Chrome refuses to run as root with its sandbox on.
  if (options.noSandbox) args.push('--no-sandbox');
  return args;
}

/**
 * Chrome honours only the last `--enable-features`/`--disable-features` it is
 * given, so ours and the user's are merged into one of each.
 */
export function mergeFeatureSwitches(args: string[]): string[] {
  const merged = new Map<string, string[]>();
  const rest: string[] = [];
  for (const arg of args) {
    const match = /^--(enable-features|disable-features)=(.*)$/.exec(arg);
    if (!match) {
      rest.push(arg);
      continue;
    }
    const list = merged.get(match[1]!) ?? [];
    for (const feature of match[2]!.split(',')) if (feature && !list.includes(feature)) list.push(feature);
    merged.set(match[1]!, list);
  }
  return [...rest, ...[...merged].map(([name, list]) => `--${name}=${list.join(',')}`)];
}
