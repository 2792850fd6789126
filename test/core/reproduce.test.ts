import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { markdownReport } from '../../src/core/views/report-md.ts';
import { shellQuote, toCurl, toFetch } from '../../src/core/actions/reproduce.ts';
import { diagnoseEntry } from '../../src/core/verdict/diagnose.ts';
import { entry, jarCookie } from '../helpers/har.ts';

const CANARY = 'CANARY-token-abcdefghijklmnop';

describe('copy as cURL / fetch', () => {
  const e = entry({ method: 'POST', url: "https://api.test/x?q=it's", req: { Authorization: `Bearer ${CANARY}`, Cookie: `sid=${CANARY}`, 'X-Evil': "'; rm -rf / #", Host: 'api.test' } });
  e.request.postData = { mimeType: 'application/json', text: '{"a":"b\'c"}' };

  it('quotes every value for the shell: the command parses back to the same words', () => {
    const { text } = toCurl(e, { includeSecrets: true });
    // The shell itself splits the command: each header stays one argument.
    const words = JSON.parse(execFileSync('bash', ['-c', `printargs() { node -e 'console.log(JSON.stringify(process.argv.slice(1)))' -- "$@"; }; printargs ${text.replace(/^curl/, '').replace(/\\\n/g, ' ')}`], { encoding: 'utf8' })) as string[];
    assert.equal(words[0], "https://api.test/x?q=it's");
    assert.ok(words.includes("X-Evil: '; rm -rf / #"));
    assert.ok(words.includes('{"a":"b\'c"}'));
    assert.ok(!words.some((w) => w.startsWith('Host:')), 'the browser-managed Host header is left out');
  });
  it('masked by default, and says what it masked', () => {
    const r = toCurl(e);
    assert.ok(!r.text.includes(CANARY));
    assert.ok(r.masked.length > 0);
    assert.ok(toCurl(e, { includeSecrets: true }).text.includes(CANARY));
    assert.ok(!toCurl(e, { includeSecrets: true, withoutCookies: true }).text.includes(`sid=${CANARY}`));
  });
  it('fetch: no forbidden Cookie header, credentials include', () => {
    const r = toFetch(e, { includeSecrets: true });
    assert.match(r.text, /"credentials": "include"/);
    assert.ok(!r.text.includes(`sid=${CANARY}`));
    assert.ok(r.text.includes(`Bearer ${CANARY}`));
    assert.ok(!toFetch(e).text.includes(CANARY));
  });
  it('shellQuote', () => assert.equal(shellQuote("a'b"), "'a'\\''b'"));
});

describe('Markdown report', () => {
  it('masks secrets, escapes markup from the network, says what it masked', () => {
    const e = entry({ req: { Authorization: `Bearer ${CANARY}` }, res: { 'WWW-Authenticate': 'Bearer realm="<img src=x onerror=alert(1)>", error="invalid_token", error_description="```\\n# injected"' } });
    const md = markdownReport([{ entry: e, findings: diagnoseEntry(e) }], { generatedAt: new Date('2025-06-01T12:00:00Z') });
    assert.ok(!md.includes(CANARY));
    assert.match(md, /Secrets were masked in this report: authorization header values: 1/);
    assert.ok(!/<img/.test(md.replace(/````*[\s\S]*?````*/g, '').replace(/`[^`\n]*`/g, '')), 'no raw HTML outside code');
    assert.match(md, /## 1\. `GET https:\/\/api\.example\.com\/v1\/me` → 401/);
    const withSecrets = markdownReport([{ entry: e, findings: diagnoseEntry(e) }], { includeSecrets: true });
    // A URL with a fragment reads as written in a heading (no "\#"), and a code span cannot be closed by the URL.
    const hash = entry({ url: 'https://app.test/#/orders?x=`y`', res: { 'WWW-Authenticate': 'Bearer' } });
    assert.match(markdownReport([{ entry: hash, findings: diagnoseEntry(hash) }]), /## 1\. `` GET https:\/\/app\.test\/#\/orders\?x=`y` `` → 401/);
    // With Preserve log, every page is named.
    const onPage = (u: string) => { const x = entry({ res: { 'WWW-Authenticate': 'Bearer' } }); x._why401 = { topLevelUrl: u }; return { entry: x, findings: diagnoseEntry(x) }; };
    assert.match(markdownReport([onPage('https://app.test/a'), onPage('https://app.test/b'), onPage('https://app.test/a')]), /3 auth failures on 2 pages: `https:\/\/app\.test\/a`, `https:\/\/app\.test\/b`/);
    assert.ok(withSecrets.includes(CANARY));
    assert.match(withSecrets, /includes secrets/);
  });
});

describe('a re-run through the page: its answer is untrusted input', () => {
  it('parseOutcome accepts only a well-formed answer, bounded', async () => {
    const { parseOutcome } = await import('../../src/core/actions/rerun-result.ts');
    assert.deepEqual(parseOutcome({ status: 200, statusText: 'OK', headers: [['a', 'b'], [1, 2], 'x'] }), { status: 200, statusText: 'OK', headers: [['a', 'b']] });
    for (const [i, bad] of [null, 'x', [], { status: '200' }, { status: 1.5 }, { status: -1 }, { status: 99999 }, { get status() { throw new Error('boom'); } }].entries()) {
      let out;
      try {
        out = parseOutcome(bad);
      } catch {
        assert.fail('never throws');
      }
      assert.equal(out.status, 0, `case ${i}`);
      assert.ok(out.error, 'says the page answered badly');
    }
    assert.equal(parseOutcome({ status: 401, statusText: 'x'.repeat(10_000), headers: Array.from({ length: 1000 }, () => ['h', 'v']) }).headers.length, 200);
  });
  it('a re-run never hands the page a pasted token; a browser-added credential is not resent through it either', async () => {
    const { rerunRequest } = await import('../../src/core/actions/rerun.ts');
    const e = entry({ method: 'POST', req: { Authorization: 'Bearer old', Cookie: 'sid=x', 'Sec-Fetch-Mode': 'cors', 'X-Trace': '1', Host: 'api.test' } });
    const r = rerunRequest(e, 'edited', { authorization: 'Bearer new' });
    assert.deepEqual(r.headers, { 'X-Trace': '1', Authorization: 'Bearer new' });
    assert.equal(rerunRequest(e, 'without-cookies').credentials, 'omit');
  });
  it('"as sent" is as sent: cookies only when the original carried them; a cookie the browser withheld is named beforehand, and the answer is never "fixed"', async () => {
    const { rerunDifferences, rerunRequest, rerunResult } = await import('../../src/core/actions/rerun.ts');
    const { fixedBy } = await import('../../src/core/actions/rerun-result.ts');
    // The original went without cookies (fetch's default credentials mode, cross-origin): so does the re-run.
    const bare = entry({ url: 'https://api.test/me', why: { type: 'xmlhttprequest', initiator: 'https://app.test' }, jar: [jarCookie({ name: 'sid', domain: 'api.test', sameSite: 'no_restriction', secure: true })] });
    assert.equal(rerunRequest(bare, 'as-sent').credentials, 'omit');
    assert.deepEqual(rerunDifferences(bare, 'extension', rerunRequest(bare, 'as-sent')), []);
    // A cross-site fetch with cookies, "sid_strict" withheld by SameSite=Strict: from the extension it may go along.
    const strict = entry({
      url: 'https://api.test/me',
      req: { Cookie: 'theme=dark', Origin: 'https://app.test' },
      why: { type: 'xmlhttprequest', initiator: 'https://app.test', topLevelUrl: 'https://app.test/' },
      jar: [jarCookie({ name: 'sid_strict', domain: 'api.test', sameSite: 'strict' }), jarCookie({ name: 'theme', domain: 'api.test', sameSite: 'no_restriction', secure: true })],
    });
    const request = rerunRequest(strict, 'as-sent');
    assert.equal(request.credentials, 'include');
    const differs = rerunDifferences(strict, 'extension', request);
    assert.equal(differs.length, 1);
    assert.match(differs[0]!, /"sid_strict" was withheld from the original \(it is SameSite=Strict and this request is cross-site\)/);
    const result = rerunResult(strict, 'as-sent', 'extension', request, { status: 200, statusText: 'OK', headers: [] });
    assert.deepEqual(result.differs, differs);
    assert.equal(fixedBy([result]), undefined, 'a 200 from a different request fixes nothing');
    // The same request as the original (nothing withheld): a 200 is "fixed".
    const same = rerunResult(bare, 'as-sent', 'extension', rerunRequest(bare, 'as-sent'), { status: 200, statusText: 'OK', headers: [] });
    assert.equal(same.differs, undefined);
    assert.equal(fixedBy([same]), 'a re-run');
    // A new token is an experiment, not a reproduction: its 200 says what fixes it.
    assert.equal(fixedBy([rerunResult(strict, 'edited', 'extension', rerunRequest(strict, 'edited', { authorization: 'Bearer n' }), { status: 200, statusText: 'OK', headers: [] })]), 'a re-run with a new Authorization');
  });
  it('a frame\'s failure re-runs in that frame when DevTools lists its document: the same request, nothing differs, its 200 is "fixed"', async () => {
    const { actionPlan } = await import('../../src/core/views/detail.ts');
    const { factsOf } = await import('../../src/core/verdict/diagnose.ts');
    const { rerunDifferences, rerunRequest, rerunResult } = await import('../../src/core/actions/rerun.ts');
    const { fixedBy, rerunLabel } = await import('../../src/core/actions/rerun-result.ts');
    // api.test's widget, framed by app.test, calls its API with its own (partitioned) cookie; the
    // SameSite=Strict session cookie is withheld by the browser.
    const e = entry({
      url: 'https://api.test/s/session/me',
      req: { Cookie: 'sid_chip=1' },
      why: { type: 'xmlhttprequest', frameId: 7, initiator: 'https://api.test', topLevelUrl: 'https://app.test/' },
      jar: [jarCookie({ name: 'sid_strict', domain: 'api.test', sameSite: 'strict' }), jarCookie({ name: 'sid_chip', domain: 'api.test', sameSite: 'no_restriction', secure: true })],
    });
    const record = { entry: e, findings: [] };
    const live = { source: 'live' as const, pageUrl: 'https://app.test/', canFetchInPage: true };
    // DevTools lists the top page, an unrelated frame, then two documents of the widget's origin: the newest is chosen.
    const frames = ['https://app.test/', 'https://ads.test/x', 'https://api.test/old', 'https://api.test/widget#a'];
    const plan = actionPlan(record, factsOf(e), { ...live, frames });
    assert.equal(plan.where['as-sent'].inPage, true);
    assert.equal(plan.where['as-sent'].frameUrl, 'https://api.test/widget#a');
    assert.match(plan.where['as-sent'].text, /^in the frame that sent it \(https:\/\/api\.test\/widget#a/);
    assert.deepEqual(plan.where['as-sent'].differs, [], 'in its own frame the browser withholds what it withheld');
    assert.equal(plan.where['without-cookies'].frameUrl, 'https://api.test/widget#a');
    assert.equal(plan.where.edited.frameUrl, undefined, 'a pasted token is never handed to a frame either');
    assert.equal(plan.where.edited.inPage, false);
    const request = rerunRequest(e, 'as-sent');
    const result = rerunResult(e, 'as-sent', 'frame', request, { status: 200, statusText: 'OK', headers: [] });
    assert.equal(result.differs, undefined);
    assert.equal(fixedBy([result]), 'a re-run');
    assert.equal(rerunLabel(result), 'as sent (in the frame that sent it)');
    // Its 401 is judged as the browser decided in that frame (the Cookie header is invisible to
    // fetch(); the jar says what went): the cookie withheld again, not "no credentials".
    const again = rerunResult(e, 'as-sent', 'frame', request, { status: 401, statusText: 'Unauthorized', headers: [] });
    assert.equal(again.findings[0]?.cause, 'cookie-blocked', again.findings.map((x) => x.title).join(' | '));
    assert.match(again.findings[0]!.title, /sid_strict/);
    // From the extension what went is not known: nothing claims that no cookie went.
    const elsewhere = rerunResult(e, 'as-sent', 'extension', request, { status: 401, statusText: 'Unauthorized', headers: [] });
    for (const x of elsewhere.findings) assert.doesNotMatch(`${x.title} ${x.explanation}`, /no session cookie|No credentials were sent/, x.title);
    assert.match(elsewhere.findings[0]!.title, /^No Authorization header was sent \(which cookies went is not visible\)$/);
    // Without a document of its origin (Firefox lists none; the frame is gone), it goes from the
    // extension, and says what will differ.
    for (const without of [undefined, ['https://app.test/', 'https://ads.test/x']]) {
      const p = actionPlan(record, factsOf(e), { ...live, frames: without });
      assert.equal(p.where['as-sent'].frameUrl, undefined);
      assert.equal(p.where['as-sent'].inPage, false);
      assert.deepEqual(p.where['as-sent'].differs, rerunDifferences(e, 'extension', request));
      assert.equal(p.where['as-sent'].differs.length, 1);
    }
    // A top-frame request is not sent to a frame, whatever frames the page has.
    const top = entry({ url: 'https://api.test/me', why: { type: 'xmlhttprequest', frameId: 0, initiator: 'https://api.test' } });
    assert.equal(actionPlan({ entry: top, findings: [] }, factsOf(top), { ...live, frames }).where['as-sent'].frameUrl, undefined);
  });
});
