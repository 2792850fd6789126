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
  const { judge } = await import('../../../src/core/verdict/diagnose.ts');
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

it('an OAuth token request refused invalid_client with no client authentication: the client’s credentials, not cookies; a note sends the reader to its flow', async () => {
  const { judge } = await import('../../../src/core/verdict/diagnose.ts');
  const { jarCookie } = await import('../../helpers/har.ts');
  // The provider's session cookie is held for another path: cookie rules would speak of it on any other request.
  const token = entry({
    method: 'POST',
    url: 'https://idp.test/token',
    req: { Origin: 'https://app.test' },
    form: { grant_type: 'authorization_code', client_id: 'spa', code: 'c0de-0123456789', redirect_uri: 'https://app.test/cb' },
    jar: [jarCookie({ name: '_session', domain: 'idp.test', path: '/session' })],
    body: JSON.stringify({ error: 'invalid_client', error_description: 'client authentication failed' }),
  });
  const j = judge(token);
  assert.deepEqual(j.findings.map((f) => f.cause), ['missing-credentials', 'missing-challenge']);
  assert.equal(j.findings[0]!.title, 'No client credentials were sent to the token endpoint');
  assert.equal(j.findings[0]!.confidence, 'high');
  assert.match(j.findings[0]!.explanation, /grant_type=authorization_code\) carried a client_id and no client authentication.*invalid_client/);
  assert.match(j.findings[0]!.fixes.developers[0]!, /public client/);
  const note = j.notes.find((n) => n.kind === 'token-request');
  assert.equal(note?.title, 'A token request of an OAuth sign-in, answered invalid_client ("client authentication failed")');
  // A client secret in the form: not "nothing was sent".
  const secret = judge(entry({ method: 'POST', url: 'https://idp.test/token', form: { grant_type: 'refresh_token', refresh_token: 'rt-0123456789abcdef', client_secret: 'shh-0123456789' }, body: JSON.stringify({ error: 'invalid_client' }) }));
  assert.ok(!secret.findings.some((f) => f.cause === 'missing-credentials'));
  assert.match(secret.notes.find((n) => n.kind === 'token-request')?.title ?? '', /^A refresh of an OAuth sign-in, answered invalid_client$/);
});
