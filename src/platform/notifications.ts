/** Optional system notifications (off unless the user turns them on; the browser then asks for the permission). */
import { browser } from './browser.ts';
import type { LatestFailure } from '../shared/records.ts';

export async function notifyFailure(enabled: boolean, latest: LatestFailure | undefined): Promise<void> {
  if (!enabled || !latest) return;
  const notifications = (browser as unknown as { notifications?: { create(o: Record<string, unknown>): Promise<string> } }).notifications;
  if (!notifications) return;
  try {
    await notifications.create({ type: 'basic', iconUrl: browser.runtime.getURL('icons/icon-128.png'), title: 'Why 401', message: latest.plain.slice(0, 200) });
  } catch {
    // Permission not granted: nothing to show.
  }
}
