import type { ProxyConfig } from './proxy-settings.js';

/** Chrome's proxy switches: sessions take them as their default configuration, Chrome itself never sees them. */
export const PROXY_SWITCHES = ['no-proxy-server', 'proxy-pac-url', 'proxy-auto-detect', 'proxy-server', 'proxy-bypass-list'] as const;

interface SwitchReader {
  hasSwitch(name: string): boolean;
  getSwitchValue(name: string): string;
}

/**
 * The configuration Chrome would take from its command line, in its order of
 * precedence (`--no-proxy-server`, `--proxy-pac-url`, `--proxy-auto-detect`,
 * `--proxy-server` with `--proxy-bypass-list`); `undefined` when none is given.
 */
export function proxyConfigFromSwitches(commandLine: SwitchReader): ProxyConfig | undefined {
  if (commandLine.hasSwitch('no-proxy-server')) return { mode: 'direct' };
  if (commandLine.hasSwitch('proxy-pac-url')) return { mode: 'pac_script', pacScript: commandLine.getSwitchValue('proxy-pac-url') };
  if (commandLine.hasSwitch('proxy-auto-detect')) return { mode: 'auto_detect' };
  if (commandLine.hasSwitch('proxy-server')) {
    return {
      mode: 'fixed_servers',
      proxyRules: commandLine.getSwitchValue('proxy-server'),
      proxyBypassRules: commandLine.getSwitchValue('proxy-bypass-list'),
    };
  }
  return undefined;
}
