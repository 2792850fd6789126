import assert from 'node:assert/strict';
import { it } from 'node:test';
import { causes, entry, primary } from '../../helpers/har.ts';

it('nothing sent, the server asks for Bearer', () => {
  const f = primary([entry({ res: { 'WWW-Authenticate': 'Bearer realm="api"' } })]);
  assert.equal(f.cause, 'missing-credentials');
  assert.equal(f.title, 'No credentials were sent; the server asks for Bearer (realm "api")');
  assert.equal(f.confidence, 'high');
});
it('an earlier request to the same origin carried Authorization', () => {
  const f = primary([entry({ status: 200, req: { Authorization: 'Bearer abc' } }), entry({ res: { 'WWW-Authenticate': 'Bearer' } })]);
  assert.match(f.explanation, /earlier request .* did carry an Authorization header/);
});
it('invalid_request for a missing token is still "nothing was sent" first', () => {
  assert.deepEqual(causes([entry({ res: { 'WWW-Authenticate': 'Bearer error="invalid_request", error_description="No token"' } })]).slice(0, 2), ['missing-credentials', 'invalid-request']);
});
it('credentials sent: not this cause', () => assert.ok(!causes([entry({ req: { Authorization: 'Bearer x' }, res: { 'WWW-Authenticate': 'Bearer' } })]).includes('missing-credentials')));
it('light capture: the Cookie header was not visible; inferred from the jar, and said so', async () => {
  const { primary: first, entry: e, jarCookie: jc } = await import('../../helpers/har.ts');
  const { judge } = await import('../../../src/core/diagnose.ts');
  // A same-origin navigation: the jar's sendable session cookie counts as sent (inferred).
  const nav = e({ url: 'https://app.test/account', resourceType: 'document', why: { capture: 'light', initiator: 'https://app.test', type: 'main_frame' }, jar: [jc({ name: 'sid', domain: 'app.test' })], res: { 'WWW-Authenticate': 'Bearer realm="x"' } });
  const j = judge(nav);
  assert.match(j.findings[0]!.explanation, /the session cookie "sid" would have been sent/);
  assert.equal(j.notes.find((n) => n.kind === 'light-capture')?.evidence[0]?.note, 'inferred from the jar');
  // Nothing held: it does not claim "no session cookie" as observed.
  const none = first([e({ url: 'https://app.test/account', why: { capture: 'light', initiator: 'https://app.test', type: 'main_frame' }, jar: [], res: { 'WWW-Authenticate': 'Bearer realm="x"' } })]);
  assert.match(none.explanation, /Cookie header was not visible to Why 401/);
  assert.doesNotMatch(none.explanation, /no session cookie/);
});
