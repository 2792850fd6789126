/** A report's bound on a long value (core/auth/syntax.ts bounded) and the count it prints (groupDigits). */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { bounded, groupDigits } from '../../src/core/auth/syntax.ts';
import { logNeedsBody } from '../../src/core/flows/step.ts';

it('groupDigits writes a count as toLocaleString("en-US") does, without the locale data', () => {
  for (const n of [0, 7, 999, 1000, 12_345, 123_456, 1_000_000, 1_048_000, 2 ** 31, Number.MAX_SAFE_INTEGER, -1, -1234, -1_000_000]) {
    assert.equal(groupDigits(n), n.toLocaleString('en-US'), String(n));
  }
});

it('bounded keeps a short value whole and cuts a long one, saying how much was left out', () => {
  assert.equal(bounded('short', 10), 'short');
  assert.equal(bounded('x'.repeat(1_048_600), 600), `${'x'.repeat(600)}… 1,048,000 more characters`);
});

it('a recorded log’s reader fetches the bodies of auth failures and of sign-in steps only', () => {
  assert.equal(logNeedsBody('GET', 'https://api.test/me', undefined, 401), true);
  assert.equal(logNeedsBody('GET', 'https://proxy.test/', undefined, 407), true);
  assert.equal(logNeedsBody('POST', 'https://idp.test/token', 'grant_type=authorization_code&code=c', 200), true);
  assert.equal(logNeedsBody('GET', 'https://idp.test/.well-known/openid-configuration', undefined, 200), true);
  assert.equal(logNeedsBody('GET', 'https://app.test/', undefined, 200), false);
  assert.equal(logNeedsBody('POST', 'https://app.test/form', 'name=x', 500), false);
});
