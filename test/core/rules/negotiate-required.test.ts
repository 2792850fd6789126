import assert from 'node:assert/strict';
import { it } from 'node:test';
import { causes, entry, primary } from '../../helpers/har.ts';

it('only Negotiate/NTLM offered', () => {
  const f = primary([entry({ res: { 'WWW-Authenticate': ['Negotiate', 'NTLM'] } })]);
  assert.equal(f.cause, 'negotiate-required');
  assert.equal(f.confidence, 'high');
  assert.match(f.title, /Negotiate and NTLM/);
});
it('a Negotiate token sent and refused is medium confidence', () => {
  assert.equal(primary([entry({ req: { Authorization: 'Negotiate YIIBhg==' }, res: { 'WWW-Authenticate': 'Negotiate' } })]).confidence, 'medium');
});
it('not when Basic is offered too', () => assert.ok(!causes([entry({ res: { 'WWW-Authenticate': 'Negotiate, Basic realm="x"' } })]).includes('negotiate-required')));
