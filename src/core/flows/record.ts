/** The sign-in and token-life steps of a log, gathered an exchange at a time, and the flows they make. */
import type { HarEntry } from '../exchange/har-types.ts';
import { parseTime } from '../verdict/time.ts';
import { hostOf } from '../exchange/url.ts';
import { traceFlows, type Flow } from './flow.ts';
import { cookiesSetBy, stepOf, type FlowStep } from './step.ts';

/** At most this many refused API calls are kept as steps (a flood of 401s is linked by its first ones). */
const MAX_CALL_STEPS = 10_000;
/** Identity providers whose cookies are followed, and cookie-setting answers kept per provider. */
const MAX_PROVIDERS = 16;
const MAX_COOKIE_SETS = 16;

export class FlowRecorder {
  private readonly steps: FlowStep[] = [];
  private calls = 0;
  /** The hosts that answered an authorize request: identity providers. */
  private readonly providers = new Set<string>();
  /** The cookies each provider's host set (names only), as the silent-renew check needs them. */
  private readonly cookies = new Map<string, { at: number; names: string[] }[]>();

  observe(entry: HarEntry, index: number): void {
    const step = stepOf(entry, index);
    if (step && (step.kind !== 'api-call' || this.calls++ < MAX_CALL_STEPS)) {
      this.steps.push(step);
      if (step.kind === 'authorize' && this.providers.size < MAX_PROVIDERS) {
        const host = hostOf(step.endpoint);
        if (host !== undefined) this.providers.add(host);
      }
    }
    if (this.providers.size === 0) return;
    const host = hostOf(entry.request.url);
    if (host === undefined || !this.providers.has(host)) return;
    const names = cookiesSetBy(entry);
    if (names.length === 0) return;
    const sets = this.cookies.get(host) ?? [];
    if (sets.length >= MAX_COOKIE_SETS) sets.shift();
    sets.push({ at: parseTime(entry.startedDateTime), names });
    this.cookies.set(host, sets);
  }

  /** The flows of the steps seen (core/flows/flow.ts takes them in the order they began). */
  flows(): Flow[] {
    return traceFlows(this.steps, this.cookies);
  }
}
