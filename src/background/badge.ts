/**
 * The toolbar badge: the tab's failure count, coloured by the latest failure's severity, with
 * a tooltip naming its cause. Optional "alert" mode flashes it when a failure arrives.
 */
import type { Severity } from '../core/verdict/causes.ts';
import type { Badge } from '../platform/types.ts';
import type { TabMeta } from '../shared/records.ts';

export const BADGE_COLORS: Record<Severity | 'pending', string> = {
  error: '#C5221F',
  warning: '#B45309',
  info: '#1967D2',
  pending: '#5F6368',
};

export interface BadgeView {
  text: string;
  color: string;
  title: string;
}

export function badgeView(meta: TabMeta | undefined, paused = false): BadgeView {
  // A group of repeats (a storm of parallel 401s, a refresh loop: core/verdict/burst.ts) counts once.
  const count = Math.max(0, (meta?.count ?? 0) - (meta?.repeats ?? 0));
  if (paused) {
    const kept = count > 0 ? ` The ${count} failure${count === 1 ? '' : 's'} it captured in this tab before ${count === 1 ? 'is' : 'are'} kept.` : '';
    return { text: 'off', color: BADGE_COLORS.pending, title: `Why 401 is paused: it hears no requests.${kept} Resume from its popup.` };
  }
  if (count === 0) return { text: '', color: BADGE_COLORS.pending, title: 'Why 401: no auth failures in this tab' };
  const text = count > 999 ? '999+' : String(count);
  const latest = meta?.latest;
  const color = latest ? BADGE_COLORS[latest.severity] : BADGE_COLORS.pending;
  const repeats = meta?.repeats ?? 0;
  const n = `${count} auth failure${count === 1 ? '' : 's'} in this tab${repeats > 0 ? ` (and ${repeats} repeat${repeats === 1 ? '' : 's'} of them, grouped)` : ''}`;
  const title = latest ? `Why 401: ${n}. Latest: ${latest.title}` : `Why 401: ${n}`;
  return { text, color, title: title.length > 300 ? `${title.slice(0, 299)}…` : title };
}

/** A burst of failures updates the badge at most this often per tab (the first update is immediate). */
const THROTTLE_MS = 50;

export class BadgeController {
  private readonly shown = new Map<number, string>();
  private readonly cooling = new Map<number, { dirty: boolean; arrived: boolean }>();
  private paused = false;

  constructor(
    private readonly badge: Badge,
    private readonly meta: (tabId: number) => TabMeta | undefined,
    private readonly alertMode: () => boolean,
  ) {}

  /** Show the tab's current count; `arrived` when a new failure caused the update. */
  update(tabId: number, arrived = false): Promise<void> {
    if (tabId < 0) return Promise.resolve();
    const cool = this.cooling.get(tabId);
    if (cool) {
      cool.dirty = true;
      cool.arrived ||= arrived;
      return Promise.resolve();
    }
    this.cooling.set(tabId, { dirty: false, arrived: false });
    setTimeout(() => {
      const c = this.cooling.get(tabId);
      this.cooling.delete(tabId);
      if (c?.dirty) void this.update(tabId, c.arrived);
    }, THROTTLE_MS);
    return this.apply(tabId, arrived);
  }

  /** Paused or watching: every tab shows it (tabs it has not touched through the default). */
  async setPaused(paused: boolean, tabIds: readonly number[]): Promise<void> {
    if (paused === this.paused) return;
    this.paused = paused;
    const view = badgeView(undefined, paused);
    await this.badge.show(undefined, view.text, view.color, view.title);
    await Promise.all([...new Set([...this.shown.keys(), ...tabIds])].map((tabId) => this.reapply(tabId)));
  }

  private apply(tabId: number, arrived: boolean): Promise<void> {
    const view = badgeView(this.meta(tabId), this.paused);
    const key = `${view.text}|${view.color}|${view.title}`;
    if (this.shown.get(tabId) === key && !arrived) return Promise.resolve();
    this.shown.set(tabId, key);
    const shown = this.badge.show(tabId, view.text, view.color, view.title);
    if (arrived && view.text !== '' && this.alertMode()) void this.flash(tabId, view);
    return shown;
  }

  /** Re-apply (Firefox resets tab badges on navigation; a restarted worker re-shows them). */
  reapply(tabId: number): Promise<void> {
    this.shown.delete(tabId);
    return this.apply(tabId, false);
  }

  forget(tabId: number): void {
    this.shown.delete(tabId);
  }

  private async flash(tabId: number, view: BadgeView): Promise<void> {
    for (let i = 0; i < 3; i++) {
      await this.badge.show(tabId, view.text, '#FFB300', view.title);
      await new Promise((r) => setTimeout(r, 180));
      await this.badge.show(tabId, view.text, view.color, view.title);
      await new Promise((r) => setTimeout(r, 180));
    }
  }
}
