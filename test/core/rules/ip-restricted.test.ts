import assert from 'node:assert/strict';
import { it } from 'node:test';
import { causes, entry, lastFailure } from '../../helpers/har.ts';

it("the server's words point at an address restriction (low confidence)", () => {
  const d = lastFailure([entry({ req: { Authorization: 'Bearer abc' }, res: { 'WWW-Authenticate': 'Bearer realm="api"' }, body: 'Access denied: your IP address 10.1.2.3 is not on the allow-list' })]);
  const f = d.findings.find((x) => x.cause === 'ip-restricted')!;
  assert.equal(f.confidence, 'low');
  assert.match(f.title, /IP address 10\.1\.2\.3/);
  assert.equal(d.findings[0]!.cause, 'ip-restricted', 'the server stating a reason outranks a bare refusal');
});
it('no such words, no finding', () => assert.ok(!causes([entry({ body: 'Unauthorized' })]).includes('ip-restricted')));
