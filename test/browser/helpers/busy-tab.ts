/**
 * One busy-tab order (test/browser/chromium/busy-tab.test.ts, test/browser/firefox/busy-tab.test.ts):
 * scenarios run in ONE tab in a seeded random order, with what a developer's day brings between
 * them — Preserve log turned on and off, Why 401's own Clear site cookies and Undo, the list
 * cleared, navigations — each checked against the cause it gets in a fresh tab.
 */
import type { Page } from 'puppeteer-core';
import type { Scenario } from '../../lab/scenarios.ts';
import type { TabSnapshot } from '../../../src/shared/records.ts';
import { runScenario } from './chromium.ts';

export interface BusyDriver {
  request<T>(message: Record<string, unknown>): Promise<T>;
  labUrl(host: string, path: string, scheme?: 'https' | 'http'): string;
  newLabPage(): Promise<{ page: Page; tabId: number }>;
  snapshot(tabId: number): Promise<TabSnapshot>;
  clearBrowserCookies(): Promise<void>;
}

/** mulberry32: a small seeded generator, so an order can be replayed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(list: readonly T[], rnd: () => number): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const pending = (r: { partial?: string; pending?: true }) => r.pending === true;

/** Run one order; returns what went wrong (empty when every verdict matched) and the steps taken. */
export async function busyTabOrder(d: BusyDriver, scenarios: readonly Scenario[], seed: number, skew = 0): Promise<{ wrong: string[]; steps: string[] }> {
  const rnd = seeded(seed);
  const steps: string[] = [];
  const wrong: string[] = [];
  let preserveLog = false;
  await d.request({ type: 'set-settings', settings: { preserveLog, clockSkewSeconds: skew } });
  await d.clearBrowserCookies();
  const { page, tabId } = await d.newLabPage();
  let lastSeq = -1;
  try {
    for (const sc of shuffled(scenarios, rnd)) {
      const r = rnd();
      if (r < 0.2) {
        preserveLog = !preserveLog;
        await d.request({ type: 'set-settings', settings: { preserveLog, clockSkewSeconds: skew } });
        steps.push(`preserve log ${preserveLog ? 'on' : 'off'}`);
      } else if (r < 0.4) {
        const url = rnd() < 0.5 ? d.labUrl('app.test', '/') : d.labUrl('api.app.test', '/');
        const cleared = await d.request<{ undoId: string; cleared: number }>({ type: 'clear-cookies', url, scope: 'site', tabId });
        steps.push(`Why 401 cleared ${cleared.cleared} cookies of ${new URL(url).hostname}`);
        if (rnd() < 0.5 && cleared.cleared > 0) {
          await d.request({ type: 'undo-clear-cookies', undoId: cleared.undoId });
          steps.push('undo');
        }
      } else if (r < 0.5) {
        await d.request({ type: 'clear-tab', tabId });
        steps.push('list cleared');
      }
      await page.goto(d.labUrl('app.test', '/', sc.origin ?? 'https'), { waitUntil: 'load' });
      steps.push(sc.id);
      const status = await runScenario(page, sc.id);
      const want = sc.failures ?? 1;
      let snap = await d.snapshot(tabId);
      for (const until = Date.now() + 10_000; (snap.records.filter((x) => x.seq > lastSeq).length < want || snap.records.some(pending)) && Date.now() < until; ) {
        await new Promise((res) => setTimeout(res, 100));
        snap = await d.snapshot(tabId);
      }
      const mine = snap.records.filter((x) => x.seq > lastSeq);
      if (mine.length > 0) lastSeq = Math.max(...mine.map((x) => x.seq));
      const record = mine[mine.length - 1];
      const label = `${sc.id} after [${steps.slice(-6, -1).join(', ')}]`;
      if (mine.length !== want || !record) {
        wrong.push(`${label}: ${mine.length} failures recorded, ${want} expected`);
        continue;
      }
      const got = record.findings[0]?.cause;
      if (got !== sc.cause) wrong.push(`${label}: "${record.findings[0]?.title}" (${got}), not ${sc.cause}`);
      if (sc.note && !sc.note.test(record.notes?.[0]?.title ?? '')) wrong.push(`${label}: the note ${String(sc.note)} is missing`);
      const neverSaw = record.notes?.some((n) => n.kind === 'script-never-saw-status') ?? false;
      if (neverSaw && !/network error/.test(String(status))) wrong.push(`${label}: the note says the page never saw ${record.entry.response.status}; the page saw ${String(status)}`);
    }
  } finally {
    await page.close();
    await d.request({ type: 'set-settings', settings: {} });
  }
  return { wrong, steps };
}
