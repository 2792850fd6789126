import assert from 'node:assert/strict';
import { it } from 'node:test';
import { causes, entry, primary } from '../../helpers/har.ts';

it('RFC 9449 §9: resource server 401 use_dpop_nonce', () => {
  const f = primary([
    entry({
      req: { Authorization: 'DPoP abc.def.ghi', DPoP: 'eyJ0eXAiOiJkcG9wK2p3dCJ9.e30.sig' },
      res: { 'WWW-Authenticate': 'DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"', 'DPoP-Nonce': 'eyJ7S_zG.eyJH0-Z.HX4w-7v' },
    }),
  ]);
  assert.equal(f.cause, 'dpop-nonce-required');
  assert.match(f.explanation, /§9/);
});
it('RFC 9449 §8: authorization server 400 with a JSON error body', () => {
  const f = primary([entry({ method: 'POST', status: 400, url: 'https://sso.test/token', res: { 'DPoP-Nonce': 'n1' }, body: '{"error":"use_dpop_nonce","error_description":"Authorization server requires nonce in DPoP proof"}' })]);
  assert.equal(f.cause, 'dpop-nonce-required');
  assert.equal(f.confidence, 'high');
});
it('no DPoP-Nonce, no finding', () => assert.ok(!causes([entry({ res: { 'WWW-Authenticate': 'DPoP algs="ES256"' } })]).includes('dpop-nonce-required')));
