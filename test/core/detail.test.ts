/**
 * core/views/detail.ts: the detail's model agrees with the verdict it shows, table-driven over synthetic
 * failures (clock skew, redirects, preflights, cookies, re-runs, parameters) and over Chrome's own
 * HAR exports of the lab's scenarios. (Every lab scenario live: test/browser/chromium/scenarios.test.ts.)
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { detailOf, type DetailRecord } from '../../src/core/views/detail.ts';
import { diagnoseTimeline, judge } from '../../src/core/verdict/diagnose.ts';
import { readHar } from '../../src/core/exchange/har-read.ts';
import type { RerunResult } from '../../src/core/actions/rerun-result.ts';
import { checkDetail } from '../helpers/detail-invariants.ts';
import { entry, jarCookie, jwt, sec } from '../helpers/har.ts';

function record(e: ReturnType<typeof entry>, options: { clockSkewSeconds?: number } = {}, reruns?: RerunResult[]): DetailRecord {
  const j = judge(e, undefined, options);
  return { id: 't:1', at: Date.parse(e.startedDateTime), entry: j.entry, findings: j.findings, notes: j.notes, ...(reruns ? { reruns } : {}) };
}

const AT = '2025-06-01T12:00:00.000Z';
const expiredBy = (seconds: number) => entry({ at: AT, req: { Authorization: `Bearer ${jwt({ sub: 'u', exp: sec(AT) - seconds, iat: sec(AT) - 3600 })}` }, res: { 'WWW-Authenticate': 'Bearer realm="api", error="invalid_token"' } });

describe('the detail model', () => {
  it('paints exp red exactly when the verdict says expired, with the clock-skew setting the verdict used', () => {
    for (const [skew, expired] of [
      [0, true],
      [60, false],
      [20, true],
    ] as const) {
      const r = record(expiredBy(30), { clockSkewSeconds: skew });
      const m = checkDetail(r);
      const exp = m.token!.marks.find((x) => x.label.startsWith('exp'))!;
      assert.equal(exp.bad, expired, `skew ${skew}s: mark`);
      assert.equal(r.findings.some((f) => f.cause === 'token-expired' && f.evidence.some((e) => e.kind === 'claim')), expired, `skew ${skew}s: verdict`);
      if (skew > 0) assert.match(m.token!.request!.at, new RegExp(`tolerance ${skew} s`));
    }
  });

  it('marks a hop as dropping Authorization by the redirect rule\'s own origin test', () => {
    const e = entry({ url: 'https://api2.test/v1/me', why: { redirectChain: [{ url: 'https://api.test/v1/me', status: 307, location: 'https://api2.test/v1/me', authorizationSent: true }] }, res: { 'WWW-Authenticate': 'Bearer realm="api"' } });
    const m = checkDetail(record(e));
    assert.deepEqual(m.redirects.map((h) => h.dropped), [true]);
    const same = entry({ url: 'https://api.test/v2/me', why: { redirectChain: [{ url: 'https://api.test/v1/me', status: 307, location: 'https://api.test:443/v2/me', authorizationSent: true }] }, res: { 'WWW-Authenticate': 'Bearer realm="api"' } });
    assert.deepEqual(checkDetail(record(same)).redirects.map((h) => h.dropped), [false], 'the default port is the same origin');
  });

  it('gives a preflight no cookie reasoning and no re-run', () => {
    const e = entry({ method: 'OPTIONS', req: { Origin: 'https://app.test', 'Access-Control-Request-Method': 'GET' }, jar: [jarCookie({ name: 'sid', domain: 'api.example.com' })] });
    const m = checkDetail(record(e));
    assert.equal(m.cookies?.held, undefined);
    assert.match(m.cookies?.sentNote ?? '', /never carries cookies/);
    assert.deepEqual(m.actions.rerunModes, []);
  });

  it('never says "every cookie was sent" beside counts that disagree (out-of-scope cookies counted apart)', () => {
    const e = entry({
      url: 'https://api.example.com/s/session/me',
      req: { Cookie: 'a=1; b=2' },
      res: { 'WWW-Authenticate': 'Cookie realm="app"' },
      jar: [jarCookie({ name: 'a', domain: 'api.example.com' }), jarCookie({ name: 'b', domain: 'api.example.com' }), jarCookie({ name: 'sid_path', domain: 'api.example.com', path: '/app', httpOnly: true })],
    });
    const m = checkDetail(record(e));
    assert.equal(m.cookies?.held?.notSent.length, 0);
    assert.match(m.cookies!.held!.counts, /^2 cookies held for this URL, 2 sent; 1 session cookie of the site outside its scope/);
    assert.deepEqual(m.cookies!.held!.outOfScope.map((c) => c.name), ['sid_path']);
  });

  it('says "fixed" only while the latest re-run succeeded', () => {
    const ok: RerunResult = { at: 1, mode: 'as-sent', context: 'page', status: 200, statusText: 'OK', findings: [] };
    const again: RerunResult = { at: 2, mode: 'as-sent', context: 'page', status: 401, statusText: 'Unauthorized', findings: [] };
    assert.match(detailOf(record(expiredBy(30), {}, [ok]), { source: 'live' }).headline, /^Fixed by a re-run\. /);
    const m = detailOf(record(expiredBy(30), {}, [ok, again]), { source: 'live' });
    assert.doesNotMatch(m.headline, /Fixed/);
    assert.notEqual(m.severity, 'ok');
    assert.deepEqual(m.reruns.map((r) => r.ok), [true, false]);
  });

  it('explains a challenge\'s parameters from the vocabulary, error codes included', () => {
    const m = checkDetail(record(entry({ res: { 'WWW-Authenticate': 'Bearer realm="api", error="insufficient_scope", scope="read write"' } })));
    const params = Object.fromEntries(m.challenge.items[0]!.params.map((p) => [p.name, p.meaning]));
    assert.match(params['error']!, /lacks a permission/);
    assert.match(params['scope']!, /permissions/);
  });

  it('leads with a fix the failure can take: no cookie clearing or live action for an imported one', () => {
    const e = entry({ url: 'https://api.example.com/me', res: { 'WWW-Authenticate': 'Cookie realm="app"' }, jar: [jarCookie({ name: 'sid', domain: 'api.example.com', sameSite: 'strict', httpOnly: true })], why: { type: 'xmlhttprequest', initiator: 'https://other.test', topLevelUrl: 'https://other.test/' } });
    const r = record(e);
    const live = checkDetail(r, 'live');
    const imported = checkDetail(r, 'import');
    assert.equal(imported.actions.clearCookies, false);
    assert.notEqual(imported.actions.lead, 'clear-site-cookies');
    if (r.findings[0]?.actions.includes('clear-site-cookies')) assert.equal(live.actions.lead, 'clear-site-cookies');
  });

  it('is computed once per record and context', () => {
    const r = record(expiredBy(30));
    assert.equal(detailOf(r, { source: 'live' }), detailOf(r, { source: 'live' }));
    assert.notEqual(detailOf(r, { source: 'live' }), detailOf(r, { source: 'import' }));
  });

  it('agrees with the verdict on every failure of Chrome\'s own HAR exports of the lab', () => {
    const dir = join(import.meta.dirname, '..', 'fixtures', 'chrome-devtools');
    let n = 0;
    const files = readdirSync(dir).filter((f) => f.endsWith('.har'));
    for (const file of files) {
      const { entries } = readHar(readFileSync(join(dir, file), 'utf8'));
      for (const f of diagnoseTimeline(entries)) {
        checkDetail({ id: `har:${f.index}`, at: Date.parse(f.entry.startedDateTime), entry: f.entry, findings: f.findings, notes: f.notes }, 'import');
        n++;
      }
    }
    assert.ok(n >= files.length, `${n} failures checked in ${files.length} files`);
  });
});

describe('the row view', () => {
  it('leads with the path; shows the host beside it when it is another origin or the list is imported', async () => {
    const { urlView, rowOf, clockTime } = await import('../../src/core/views/view.ts');
    assert.deepEqual(urlView('https://api.test:4401/s/bearer/me?x=1', 'https://app.test:4401'), { path: '/s/bearer/me?x=1', host: 'api.test:4401', crossOrigin: true, full: 'https://api.test:4401/s/bearer/me?x=1' });
    assert.equal(urlView('https://app.test/s/me', 'https://app.test').crossOrigin, false);
    assert.equal(urlView('https://app.test/s/me').crossOrigin, true, 'no page (an import): every row names its host');
    assert.match(urlView(`https://api.test/me?access_token=${'a'.repeat(30)}`).path, /access_token=\[redacted/);
    const r = rowOf(record(expiredBy(30)));
    assert.equal(r.time?.text, '12:00:00.000Z', 'UTC, as every sentence core writes');
    assert.equal(clockTime(Number.NaN), undefined);
  });
});

describe('the action plan decides what asks first', () => {
  it('a pasted token always confirms; a GET as sent does not, unless imported; a POST always does', () => {
    const get = record(expiredBy(30));
    assert.deepEqual(detailOf(get, { source: 'live' }).actions.confirm, { 'as-sent': false, 'without-cookies': false, edited: true });
    assert.deepEqual(detailOf(get, { source: 'import' }).actions.confirm, { 'as-sent': true, 'without-cookies': true, edited: true });
    const post = record(entry({ method: 'POST', res: { 'WWW-Authenticate': 'Bearer realm="api"' } }));
    assert.deepEqual(detailOf(post, { source: 'live' }).actions.confirm, { 'as-sent': true, 'without-cookies': true, edited: true });
  });
});
