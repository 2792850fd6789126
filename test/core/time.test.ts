import assert from 'node:assert/strict';
import { it } from 'node:test';
import { duration, iso, relative, when } from '../../src/core/verdict/time.ts';

it('ISO 8601 UTC with a relative phrase', () => {
  const req = Date.parse('2025-06-01T12:00:00Z');
  assert.equal(iso(Date.parse('2025-06-01T11:00:00Z')), '2025-06-01T11:00:00Z');
  assert.equal(iso(Date.parse('2025-06-01T11:00:00.250Z')), '2025-06-01T11:00:00.250Z');
  assert.equal(when(Date.parse('2025-06-01T11:00:00Z'), req), '2025-06-01T11:00:00Z, 1 hour before the request');
  assert.equal(relative(req + 90_000, req), '2 minutes after the request');
  assert.equal(relative(req + 200, req), 'just after the request');
  assert.equal(relative(req, req), 'at the time of the request');
  assert.equal(duration(3 * 86400_000), '3 days');
  assert.equal(iso(Number.NaN), 'an invalid time');
});
