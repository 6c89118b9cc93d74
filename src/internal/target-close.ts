import type { CdpSession } from '../../protocol/cdp-session.js';
import { settlesWithin } from './within.js';

/** How long a page whose close Chrome refused may take to go by itself before we call it gone. */
const REFUSED_CLOSE_WAIT_MS = 2_000;

/**
 * Closes a page target and resolves once it is gone (`gone`, from its
 * Detached event). Should Chrome refuse the close (the target or the whole
 * browser already going), the caller is not left waiting forever: the page is
 * given a moment to go by itself, then declared gone (`destroyNow`).
 */
export async function closeTarget(root: CdpSession, targetId: string, gone: Promise<void>, destroyNow: () => void): Promise<void> {
  const refused = await root.send('Target.closeTarget', { targetId }).then(
    () => false,
    () => true,
  );
  if (!refused) return gone;
  if (!(await settlesWithin(gone, REFUSED_CLOSE_WAIT_MS))) destroyNow();
}
