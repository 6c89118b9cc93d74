/**
 * Page-side: reports every change of the main frame's document.title through
 * a CDP binding. Runs before the page's own scripts (added while paused);
 * serialized with Function#toString, so it must be self-contained.
 */
export function observeTitle(bindingName: string): void {
  if (window !== window.top) return;
  const scope = globalThis as unknown as Record<string, ((payload: string) => void) | undefined>;
  const notify = scope[bindingName];
  if (!notify) return;
  // The page need not see our binding.
  delete scope[bindingName];
  let last = document.title;
  const check = (): void => {
    const title = document.title;
    if (title === last) return;
    last = title;
    notify(title);
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true });
  document.addEventListener('DOMContentLoaded', check);
}

export const TITLE_BINDING = '__chromeSessionTitle';
export const TITLE_SCRIPT = `(${observeTitle.toString()})(${JSON.stringify(TITLE_BINDING)})`;
