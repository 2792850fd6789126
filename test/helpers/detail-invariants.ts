/**
 * What must hold between a failure's verdict and the detail core's model shows of it, for any
 * failure: the view and the verdict cannot disagree (marks, hops, cookies, the headline, the lead
 * action). Checked over synthetic cases (test/core/detail.test.ts), Chrome's own HAR exports of
 * the lab, and every lab scenario live in Chromium (test/browser/chromium/scenarios.test.ts).
 */
import assert from 'node:assert/strict';
import { CAUSES } from '../../src/core/verdict/causes.ts';
import { detailOf, type DetailModel, type DetailRecord } from '../../src/core/views/detail.ts';

export function checkDetail(record: DetailRecord, source: 'live' | 'import' = 'live'): DetailModel {
  const m = detailOf(record, { source });
  const causes = record.findings.map((f) => f.cause);
  const where = `${record.entry.request.method} ${record.entry.request.url}`;
  assert.deepEqual(m.findings.map((f) => f.finding.cause), causes, `${where}: the model shows the verdict's findings, in order`);
  assert.ok(m.headline.endsWith(record.findings[0]?.title ?? 'No explanation'), `${where}: the headline is the verdict's`);
  // Token marks paint red exactly where the verdict's own tests fail the token.
  for (const mark of m.token?.marks ?? []) {
    if (mark.label.startsWith('exp') && mark.bad && m.token?.named.startsWith('The')) assert.ok(causes.includes('token-expired'), `${where}: exp painted red, yet the verdict does not say expired`);
    if (mark.label.startsWith('nbf') && mark.bad) assert.ok(causes.includes('token-not-yet-valid'), `${where}: nbf painted red, yet the verdict does not say not-yet-valid`);
  }
  if (causes.includes('token-expired') && m.token?.marks.some((x) => x.label.startsWith('exp')) && m.token.named.startsWith('The')) {
    const exp = m.token.marks.find((x) => x.label.startsWith('exp'))!;
    const said = record.findings.find((f) => f.cause === 'token-expired')!;
    if (said.evidence.some((e) => e.kind === 'claim' && /exp/.test(e.label))) assert.ok(exp.bad, `${where}: the verdict says exp passed, the mark is not red`);
  }
  // A hop marked "dropped here" is the redirect rule's own finding.
  if (m.redirects.some((h) => h.dropped)) assert.ok(causes.includes('auth-dropped-on-redirect') || record.entry.response.status !== 401, `${where}: a hop shows Authorization dropped, the verdict does not`);
  if (causes[0] === 'auth-dropped-on-redirect') assert.ok(m.redirects.some((h) => h.dropped), `${where}: the verdict says dropped, no hop shows it`);
  // Cookie evidence never contradicts itself; a preflight gets no cookie reasoning.
  if (record.entry.request.method === 'OPTIONS' && m.cookies) assert.equal(m.cookies.held, undefined, `${where}: a preflight is given "held but not sent"`);
  const held = m.cookies?.held;
  if (held && held.notSent.length === 0) {
    const [, inScope, sent] = /^(\d+) cookies? held for this URL, (\d+) sent/.exec(held.counts) ?? [];
    assert.equal(inScope, sent, `${where}: "${held.noneText}" beside "${held.counts}"`);
  }
  // The bar leads with an action the findings name, and never with one the failure cannot take.
  if (m.actions.lead) assert.ok(record.findings.some((f) => f.actions.includes(m.actions.lead!)), `${where}: the lead action comes from a finding`);
  if (m.actions.lead === 'clear-site-cookies') assert.ok(source === 'live', 'only a live failure can clear cookies');
  if (record.entry.request.method === 'OPTIONS') assert.deepEqual(m.actions.rerunModes, [], `${where}: a preflight cannot be re-run`);
  for (const f of m.findings) assert.equal(f.cause.label, CAUSES[f.finding.cause].label);
  return m;
}
