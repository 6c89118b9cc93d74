import type { TargetRecord } from '../../protocol/target-manager.js';
import type { SessionKind } from '../session.js';
import { runtime } from './runtime.js';
import type { ContextRef } from './session-backend.js';
import type { BrowserHost, ContextOptions } from './browser-host.js';

/**
 * The Chrome context a session runs on: its own Chrome for a persistent
 * partition, the main Chrome's default context for the default session, or
 * a fresh context of the main Chrome (taken from the spare pool, with its
 * spare page as `seed`) for an in-memory partition.
 */
export async function acquireContext(
  kind: SessionKind,
  options: ContextOptions,
): Promise<{ context: ContextRef; seed: TargetRecord | undefined }> {
  const acquired = await acquire(kind, options);
  // Commands of this context that a dying Chrome cuts off fail naming the session.
  acquired.context.targets.owner = kind.name;
  return acquired;
}

async function acquire(kind: SessionKind, options: ContextOptions): Promise<{ context: ContextRef; seed: TargetRecord | undefined }> {
  if (kind.type === 'profile') {
    const host = await runtime.startHost(kind.storagePath, options);
    return { context: defaultContextOf(host), seed: undefined };
  }
  if (kind.type === 'default') return { context: defaultContextOf(await runtime.mainHost()), seed: undefined };
  const host = await runtime.contextHost();
  const fresh = await host.contexts.take(options);
  const context = { host, targets: fresh.targets, browserContextId: fresh.targets.browserContextId, forwarder: host.forwarderOf(fresh.targets) };
  return { context, seed: fresh.page };
}

function defaultContextOf(host: BrowserHost): ContextRef {
  return { host, targets: host.defaultContext, browserContextId: undefined, forwarder: host.forwarderOf(host.defaultContext) };
}
