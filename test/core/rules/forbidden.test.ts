import assert from 'node:assert/strict';
import { it } from 'node:test';
import { diagnoseTimeline } from '../../../src/core/verdict/diagnose.ts';
import { entry, primary } from '../../helpers/har.ts';

it('a plain 403 is a failure only with include403', () => {
  const e = entry({ status: 403, req: { Cookie: 'sid=abc' } });
  assert.equal([...diagnoseTimeline([{ index: 0, entry: e }])].length, 0);
  const f = primary([e], { include403: true });
  assert.equal(f.cause, 'forbidden');
  assert.equal(f.confidence, 'high');
  assert.match(f.explanation, /signing in again will not help/);
});
