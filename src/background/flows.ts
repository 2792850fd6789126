/**
 * Sign-in flows as the capture sees them, with DevTools closed: per tab, the steps core reads
 * from what webRequest shows (URLs, headers, statuses, token requests' form bodies, and in
 * Firefox token answers' bodies; no other body), kept in memory and storage.session (a stopped
 * worker loses none), and the flows core makes of them. Steps hold fingerprints and masked URLs
 * only (core/flows/step.ts). The per-request cost is one URL test; an entry is built only for a
 * request that may be a step, or a refused one when the tab's token answers were read.
 */
import { harEntry } from '../core/exchange/exchange.ts';
import { traceFlows } from '../core/flows/flow.ts';
import { mayBeStep, stepOf, type FlowStep } from '../core/flows/step.ts';
import { flowViews, type FlowView } from '../core/flows/view.ts';
import { BURST_GAP_MS } from '../core/verdict/burst.ts';
import { iso } from '../core/verdict/time.ts';
import type { KeyValueStore, RequestDetails, WebRequestHeader } from '../platform/types.ts';
import { toHarHeaders } from './webrequest-details.ts';

/** Where the steps are kept across a worker restart (storage.session). */
export const FLOW_STEPS_KEY = 'why401.flowSteps';
/** The most steps kept per tab (the oldest go first): a sign-in is a handful, a refresh one. */
export const MAX_STEPS_PER_TAB = 300;

export class FlowLog {
  private readonly steps = new Map<number, FlowStep[]>();
  /** Per tab, the access tokens (fingerprints) its token answers issued: a refused call carrying one is a step. */
  private readonly issued = new Map<number, Set<string>>();
  private next = 0;
  private saving: ReturnType<typeof setTimeout> | undefined;
  readonly ready: Promise<void>;

  /**
   * `answers`: whether the browser lets the capture read token answers (Firefox's response
   * filter), so the flows know what was issued — asked when needed: the API exists only while the
   * capture's permission is held.
   */
  constructor(
    private readonly session: KeyValueStore,
    private readonly answers: () => boolean = () => false,
  ) {
    this.ready = this.restore();
  }

  get readsAnswers(): boolean {
    return this.answers();
  }

  /**
   * A response arrived: if the exchange is a sign-in step, keep it. `token`: a token request's
   * form, when it started, and (Firefox) its answer's body — read here for what it issued or the
   * provider's error, then dropped: the step keeps fingerprints only.
   */
  observe(d: RequestDetails, requestHeaders: readonly WebRequestHeader[] | undefined, token?: { form?: string; at: number; answer?: string }, startedAt?: number): void {
    if (d.tabId < 0) return;
    // A refused call with a bearer token is a step when the capture saw a token answer of this tab issue it (Firefox).
    const refused = d.statusCode === 401 || d.statusCode === 403;
    if (!token && !mayBeStep(d.url) && !(refused && this.issued.get(d.tabId)?.size)) return;
    const started = token?.at ?? startedAt ?? d.timeStamp;
    const entry = harEntry({
      startedDateTime: iso(started),
      time: d.timeStamp - started,
      method: d.method,
      url: d.url,
      requestHeaders: toHarHeaders(requestHeaders as WebRequestHeader[] | undefined),
      status: d.statusCode ?? 0,
      responseHeaders: toHarHeaders(d.responseHeaders),
      ...(token?.form !== undefined ? { postData: { mimeType: 'application/x-www-form-urlencoded', text: token.form } } : {}),
      ...(token?.answer !== undefined ? { content: { size: token.answer.length, mimeType: 'application/json', text: token.answer } } : {}),
    });
    const step = stepOf(entry, this.next++);
    if (!step) return;
    if (step.kind === 'api-call' && (step.token === undefined || !this.issued.get(d.tabId)?.has(step.token))) return;
    // A flood of refused calls with one token to one endpoint is one step (the sign-in's steps must
    // not be pushed out), unless a token answer came between them (a call after it is another story).
    if (step.kind === 'api-call') {
      const recent = this.steps.get(d.tabId)?.slice(-50) ?? [];
      const same = recent.find((s) => s.kind === 'api-call' && s.token === step.token && s.endpoint === step.endpoint && Math.abs(step.at - s.at) <= BURST_GAP_MS);
      if (same && !recent.some((t) => t.kind === 'token' && t.end > same.at && t.end <= step.at)) return;
    }
    if (step.accessIssued !== undefined) {
      const issued = this.issued.get(d.tabId) ?? new Set<string>();
      issued.add(step.accessIssued);
      if (issued.size > MAX_STEPS_PER_TAB) issued.delete(issued.values().next().value!);
      this.issued.set(d.tabId, issued);
    }
    const list = this.steps.get(d.tabId) ?? [];
    list.push(step);
    if (list.length > MAX_STEPS_PER_TAB) list.splice(0, list.length - MAX_STEPS_PER_TAB);
    this.steps.set(d.tabId, list);
    this.saveSoon();
  }

  /** The tab's flows as the views show them, broken ones first. */
  flows(tabId: number): FlowView[] {
    const list = this.steps.get(tabId);
    return list ? flowViews(traceFlows(list)) : [];
  }

  /** Clear, or a closed tab: its steps go. */
  forgetTab(tabId: number): void {
    this.issued.delete(tabId);
    if (this.steps.delete(tabId)) this.saveSoon();
  }

  forgetAll(): void {
    this.steps.clear();
    this.issued.clear();
    this.saveSoon();
  }

  private saveSoon(): void {
    if (this.saving !== undefined) return;
    this.saving = setTimeout(() => {
      this.saving = undefined;
      const value: Record<string, FlowStep[]> = {};
      for (const [tabId, list] of this.steps) value[String(tabId)] = list;
      void this.session.set({ [FLOW_STEPS_KEY]: value }).catch(() => undefined);
    }, 100);
  }

  private async restore(): Promise<void> {
    try {
      const saved = (await this.session.get([FLOW_STEPS_KEY]))[FLOW_STEPS_KEY];
      if (typeof saved !== 'object' || saved === null) return;
      for (const [key, list] of Object.entries(saved as Record<string, unknown>)) {
        const tabId = Number(key);
        if (!Number.isInteger(tabId) || !Array.isArray(list)) continue;
        const steps = list.filter(isStep).slice(-MAX_STEPS_PER_TAB);
        // Steps seen since the worker started come after the restored ones.
        this.steps.set(tabId, [...steps, ...(this.steps.get(tabId) ?? [])]);
        for (const s of steps) {
          this.next = Math.max(this.next, s.index + 1);
          if (s.accessIssued !== undefined) this.issued.set(tabId, (this.issued.get(tabId) ?? new Set<string>()).add(s.accessIssued));
        }
      }
    } catch {
      // storage.session unreadable: the steps start empty
    }
  }
}

const KINDS = new Set(['discovery', 'authorize', 'callback', 'token', 'end-session', 'api-call']);

/** A step as this module wrote it (storage.session is the extension's own, but read defensively). */
function isStep(v: unknown): v is FlowStep {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Record<string, unknown>;
  return typeof s['kind'] === 'string' && KINDS.has(s['kind']) && typeof s['index'] === 'number' && typeof s['at'] === 'number' && typeof s['url'] === 'string' && typeof s['endpoint'] === 'string' && typeof s['status'] === 'number' && typeof s['method'] === 'string';
}
