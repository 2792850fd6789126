/**
 * The ranking principle (README, "Causes"; DESIGN.md): what the user must fix first comes first,
 * and a server's explicit error outranks inference from claims the server has implicitly
 * accepted. Checked as properties over random failures that mix every kind of evidence.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import { CAUSES, CAUSE_IDS } from '../../src/core/verdict/causes.ts';
import { INFERENCE_TIER, judge, rankFindings } from '../../src/core/verdict/diagnose.ts';
import { emptyTimeline, observe } from '../../src/core/exchange/timeline.ts';
import { entry, jwt } from '../helpers/har.ts';

const AT = Date.parse('2025-06-01T12:00:00Z') / 1000;
/** Causes whose finding rests on the server's own words (its error code). */
const STATED = new Set(['invalid-token', 'insufficient-scope', 'invalid-request']);

const claims = fc.record(
  {
    aud: fc.constantFrom('https://api.test', 'https://orders.example.com/', 'billing', 'https://billing.test', ['https://api.test', 'x']),
    exp: fc.constantFrom(AT - 3600, AT + 3600, AT + 5),
    nbf: fc.constantFrom(AT - 60, AT + 600),
    scope: fc.constantFrom('read', 'read write', ''),
  },
  { requiredKeys: [] },
);
const challenge = fc.constantFrom(
  'Bearer realm="api"',
  'Bearer error="invalid_token"',
  'Bearer error="invalid_token", error_description="The access token expired"',
  'Bearer error="invalid_token", error_description="Invalid audience"',
  'Bearer error="insufficient_scope", scope="write"',
  'Bearer error="invalid_request"',
  'Basic realm="x"',
  'DPoP algs="ES256"',
  '',
);
const auth = fc.oneof(
  claims.map((c) => `Bearer ${jwt(c)}`),
  claims.map((c) => jwt(c)),
  fc.constantFrom('Bearer undefined', 'Bearer Bearer abc', 'Basic Zm9v', 'Bearer "abc"', 'Token abc', undefined),
);
const failure = fc.record({
  status: fc.constantFrom(401, 401, 403, 400),
  challenge,
  auth,
  earlierSuccess: fc.boolean(),
  cookie: fc.constantFrom(undefined, 'sid=abc', 'theme=dark'),
  statusText: fc.constantFrom('', 'Unauthorized', 'Your IP address is not allowed'),
});

it('the ranking is by tier, and a finding a rule only inferred never precedes one the evidence or the server states', () => {
  for (const id of STATED) assert.ok(CAUSES[id as (typeof CAUSE_IDS)[number]].tier < INFERENCE_TIER, `${id} outranks inference by design`);
  fc.assert(
    fc.property(failure, (spec) => {
      const req: Record<string, string> = {};
      if (spec.auth !== undefined) req['Authorization'] = spec.auth;
      if (spec.cookie) req['Cookie'] = spec.cookie;
      const e = entry({ status: spec.status, statusText: spec.statusText, url: 'https://api.test/orders', req, res: spec.challenge ? { 'WWW-Authenticate': spec.challenge } : {} });
      const timeline = emptyTimeline();
      if (spec.earlierSuccess) observe(timeline, entry({ status: 200, url: 'https://api.test/orders/1', at: '2025-06-01T11:59:00Z', req }));
      const j = judge(e, timeline, { include403: true });
      const ranked = rankFindings(j.facts);
      for (let k = 1; k < ranked.length; k++) assert.ok(ranked[k - 1]!.tier <= ranked[k]!.tier, 'ordered by tier');
      const stated = ranked.findIndex((r) => STATED.has(r.finding.cause) && !r.inferred);
      if (stated !== -1) {
        for (const r of ranked.slice(0, stated)) assert.ok(!r.inferred && r.tier < INFERENCE_TIER, `${r.finding.cause} (inferred) outranks the server's ${ranked[stated]!.finding.cause}`);
      }
      // The server validated the token (insufficient_scope): no inference from its claims against that.
      if (j.facts.stated?.view.error === 'insufficient_scope') assert.ok(!ranked.some((r) => r.finding.cause === 'token-wrong-audience'));
      for (const r of ranked) if (r.inferred) assert.match(`${r.finding.title} ${r.finding.explanation}`, /guess/i, 'an inference says it is a guess');
      assert.deepEqual(ranked.map((r) => r.finding.cause), j.findings.length > 0 && ranked.length > 0 ? j.findings.map((f) => f.cause) : ranked.map((r) => r.finding.cause));
    }),
    { numRuns: 1500, seed: 20261130 },
  );
});
