/**
 * The catalogue of what auth libraries and identity providers say in their bodies: each entry
 * has a fixture (real recorded responses, or transcribed ones citing their source), each fixture
 * gets the cause its words mean, with the words as evidence, redacted.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BODY_SIGNALS } from '../../src/core/verdict/body-signals.ts';
import { judge } from '../../src/core/verdict/diagnose.ts';
import { entry } from '../helpers/har.ts';

const dir = join(import.meta.dirname, '..', 'fixtures', 'bodies');
const recorded = JSON.parse(readFileSync(join(dir, 'recorded.json'), 'utf8')) as { libraries: { library: string; cases: { case: string; status: number; headers: { name: string; value: string }[]; body: string }[] }[] };
const transcribed = JSON.parse(readFileSync(join(dir, 'transcribed.json'), 'utf8')) as { responses: { provider: string; source: string; status: number; headers: Record<string, string>; request?: Record<string, string>; body: string; expect: string[] }[] };

/**
 * What each recorded case is, whatever the library: the causes its words may give. ("Token …"
 * to a Bearer-only library: some say the scheme is wrong, @fastify/jwt says it found no
 * Authorization at all — both true to their own reading.)
 */
const CASE_CAUSES: Record<string, string[]> = {
  'no token': ['missing-credentials'],
  expired: ['token-expired'],
  'not yet valid': ['token-not-yet-valid'],
  'wrong audience': ['token-wrong-audience'],
  'bad signature': ['invalid-token'],
  malformed: ['malformed-token'],
  'another scheme': ['scheme-mismatch', 'missing-credentials'],
  revoked: ['token-revoked'],
};
const REQUEST: Record<string, Record<string, string>> = { 'no token': {}, 'another scheme': { Authorization: 'Token 2YotnFZFEjr1zCsicMWpAA' } };

function judged(status: number, headers: Record<string, string>, body: string, req: Record<string, string> = { Authorization: 'Bearer 2YotnFZFEjr1zCsicMWpAA' }) {
  return judge(entry({ status, url: 'https://api.test/me', req, res: headers, body, mimeType: 'application/json' }), undefined, { include403: true });
}

describe('the body catalogue', () => {
  const matchedIds = new Set<string>();

  it('covers at least 40 messages and codes from at least 10 libraries and providers, each with a source', () => {
    assert.ok(BODY_SIGNALS.length >= 40, `${BODY_SIGNALS.length} entries`);
    const providers = new Set(BODY_SIGNALS.flatMap((s) => s.provider.split(/;\s*/)));
    assert.ok(providers.size >= 10, [...providers].join(', '));
    for (const s of BODY_SIGNALS) assert.ok(s.source.length > 10 && s.means.length > 5, s.id);
    assert.equal(new Set(BODY_SIGNALS.map((s) => s.id)).size, BODY_SIGNALS.length, 'ids are unique');
  });

  it('recorded responses of real libraries: their words give the cause the case is', () => {
    let withSignal = 0;
    for (const lib of recorded.libraries) {
      for (const c of lib.cases) {
        const headers = Object.fromEntries(c.headers.filter((h) => h.name.toLowerCase() !== 'content-type').map((h) => [h.name, h.value]));
        const j = judged(c.status, headers, c.body, REQUEST[c.case]);
        const allowed = CASE_CAUSES[c.case]!;
        for (const m of j.facts.bodySignals) {
          matchedIds.add(m.signal.id);
          assert.ok(allowed.includes(m.signal.cause), `${lib.library} "${c.case}": ${m.signal.id} says ${m.signal.cause}`);
        }
        if (j.facts.bodySignals.length === 0) continue;
        withSignal++;
        const said = j.facts.bodySignals[0]!.signal.cause;
        const f = j.findings.find((x) => x.cause === said);
        assert.ok(f, `${lib.library} "${c.case}": a ${said} finding (got ${j.findings.map((x) => x.cause).join(', ')})`);
        assert.ok(f.evidence.some((e) => e.kind === 'body'), `${lib.library} "${c.case}": the body is the evidence`);
      }
    }
    assert.ok(withSignal >= 30, `${withSignal} recorded responses explained by their body`);
  });

  it('transcribed responses (cited): each gives the cause its words mean', () => {
    for (const r of transcribed.responses) {
      const j = judged(r.status, r.headers, r.body, r.request ?? {});
      const ids = j.facts.bodySignals.map((m) => m.signal.id);
      for (const id of ids) matchedIds.add(id);
      for (const id of r.expect) assert.ok(ids.includes(id), `${r.provider} (${r.source}): matched ${ids.join(', ') || 'nothing'}, expected ${id}`);
      const cause = BODY_SIGNALS.find((s) => s.id === r.expect[0])!.cause;
      const f = j.findings.find((x) => x.cause === cause);
      assert.ok(f, `${r.provider}: a ${cause} finding (got ${j.findings.map((x) => x.cause).join(', ')})`);
      assert.ok(f.evidence.some((e) => e.kind === 'body'), `${r.provider}: the words are the evidence`);
    }
  });

  it('every entry of the catalogue has a fixture that it explains', () => {
    const missing = BODY_SIGNALS.filter((s) => !matchedIds.has(s.id)).map((s) => s.id);
    assert.deepEqual(missing, []);
  });

  it('a body only says why: the same verdict when the headers already said it, the body added as evidence', () => {
    const header = judged(401, { 'WWW-Authenticate': 'Bearer error="invalid_token", error_description="The access token expired"' }, '');
    const both = judged(401, { 'WWW-Authenticate': 'Bearer error="invalid_token", error_description="The access token expired"' }, '{"message":"jwt expired"}');
    assert.deepEqual(both.findings.map((f) => f.cause), header.findings.map((f) => f.cause));
    assert.ok(both.findings.find((f) => f.cause === 'token-expired')?.evidence.some((e) => e.kind === 'body'));
  });

  it('quotes are redacted: a token in the message is masked', () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLWJ5dGVz';
    const j = judged(401, { 'WWW-Authenticate': 'Bearer' }, JSON.stringify({ detail: `Signature has expired for ${token} (session 9f8e7d6c5b4a39281706f5e4d3c2b1a0)` }));
    const text = JSON.stringify(j.findings);
    assert.ok(!text.includes(token) && !text.includes('9f8e7d6c5b4a39281706f5e4d3c2b1a0'), text);
    assert.equal(j.findings[0]?.cause, 'token-expired');
  });
});
