/**
 * Repeats of one failure (core/verdict/burst.ts): a storm of parallel 401s and a refresh loop are one
 * group; another origin, status, kind of credentials, cause or a pause between them are not.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BURST_GAP_MS, groupFailures, groupSentence, repeatCount, type BurstInput } from '../../src/core/verdict/burst.ts';
import type { CauseId } from '../../src/core/verdict/causes.ts';
import type { Finding } from '../../src/core/verdict/finding.ts';
import { entry } from '../helpers/har.ts';

const T0 = Date.parse('2026-12-06T10:00:00.000Z');
let n = 0;

function failure(at: number, spec: { url?: string; status?: number; auth?: string; cause?: CauseId; pending?: boolean } = {}): BurstInput {
  const findings = spec.pending ? [] : [{ cause: spec.cause ?? 'token-expired', title: 'The access token had expired' } as unknown as Finding];
  return {
    id: `1:${++n}`,
    at: T0 + at,
    entry: entry({ url: spec.url ?? 'https://api.test/v1/me', status: spec.status ?? 401, req: spec.auth === '' ? {} : { Authorization: spec.auth ?? 'Bearer aaaa.bbbb.cccc' } }),
    findings,
    ...(spec.pending ? { pending: true as const } : {}),
  };
}

describe('groups of repeats', () => {
  it('a storm: 200 parallel 401s with one token to several endpoints of one origin are one group of 200', () => {
    const storm = Array.from({ length: 200 }, (_, i) => failure(i * 3, { url: `https://api.test/v1/item/${i % 7}` }));
    const groups = groupFailures(storm);
    assert.equal(groups.length, 1);
    assert.equal(groups[0]!.members.length, 200);
    assert.equal(groups[0]!.head, storm[0]);
    assert.equal(repeatCount(storm), 199);
    assert.match(groupSentence(groups[0]!), /^200 requests to https:\/\/api\.test \(7 endpoints\) were answered 401 within 597 ms, all for the same reason, with the same credentials \(parallel requests, or retries\)\./);
  });

  it('a refresh loop: a new token each round, one group; the sentence says the credentials changed', () => {
    const loop = [0, 900, 1800, 2700].map((at, i) => failure(at, { auth: `Bearer token-${i}-xxxxxxxxxxxxxxxx` }));
    const [g] = groupFailures(loop);
    assert.equal(g!.members.length, 4);
    assert.match(groupSentence(g!), /over 3 seconds, all for the same reason, with 4 different tokens \(a new one each round: a refresh or retry loop\)/);
  });

  it('a loop’s retry waits for its refresh: a new token to the same endpoint joins within the loop’s round (10 s); the same token to another endpoint only within the storm’s gap', () => {
    const storm = [failure(0), failure(5, { url: 'https://api.test/v1/other' })];
    const retry = failure(3_000, { auth: 'Bearer a-new-token-from-the-refresh-xxxx' });
    assert.equal(groupFailures([...storm, retry]).length, 1, 'the retry after a slow refresh storm');
    assert.equal(groupFailures([...storm, failure(3_000, { url: 'https://api.test/v1/third' })]).length, 2, 'a later call to another endpoint');
    assert.equal(groupFailures([...storm, failure(12_000, { auth: 'Bearer a-new-token-from-the-refresh-xxxx' })]).length, 2, 'past the round');
    // A new token and new cookies (a clear, a sign-out between): a new failure, not the loop's next round.
    const cleared = failure(3_000, { auth: 'Bearer a-new-token-from-the-refresh-xxxx' });
    cleared.entry.request.headers.push({ name: 'Cookie', value: 'sid=after-a-clear' });
    assert.equal(groupFailures([...storm, cleared]).length, 2, 'new cookies');
  });

  it('different credentials to different endpoints are different failures, even a moment apart', () => {
    const list = Array.from({ length: 8 }, (_, i) => failure(i * 5, { url: `https://api.test/v1/case/${i}`, auth: `Bearer token-${i}-xxxxxxxxxxxxxxxx` }));
    assert.equal(groupFailures(list).length, 8);
  });

  it('not a repeat: another origin, status, scheme, cause or page load, or a pause longer than the gap', () => {
    const list = [
      failure(0),
      failure(10, { url: 'https://other.test/v1/me' }),
      failure(20, { status: 403 }),
      failure(30, { auth: 'Basic dXNlcjpwYXNz' }),
      failure(40, { auth: '' }),
      failure(50, { cause: 'insufficient-scope' }),
      { ...failure(60), page: 1 },
      { ...failure(70), page: 1, load: 2 },
      failure(50 + BURST_GAP_MS + 1),
    ];
    assert.equal(groupFailures(list).length, 9);
    assert.equal(repeatCount(list), 0);
  });

  it('another failure of the same kind between them closes the group: expired, revoked, expired are three', () => {
    const list = [failure(0), failure(300, { cause: 'token-revoked' }), failure(600)];
    assert.deepEqual(groupFailures(list).map((g) => g.members.length), [1, 1, 1]);
  });

  it('interleaved with another origin’s failures, each storm stays one group', () => {
    const list = Array.from({ length: 20 }, (_, i) => failure(i * 10, { url: i % 2 ? 'https://a.test/x' : 'https://b.test/y' }));
    assert.deepEqual(groupFailures(list).map((g) => g.members.length), [10, 10]);
  });

  it('a failure still being judged joins its group; once judged with another cause it stands apart', () => {
    const a = failure(0);
    const b = failure(5, { pending: true });
    assert.equal(groupFailures([a, b]).length, 1, 'pending: joins, so the badge does not count it first');
    const judged = { ...b, findings: [{ cause: 'insufficient-scope', title: 'x' } as unknown as Finding] };
    delete (judged as { pending?: true }).pending;
    assert.equal(groupFailures([a, judged]).length, 2);
    assert.doesNotMatch(groupSentence(groupFailures([a, b])[0]!), /all for the same reason/, 'not said before every verdict is in');
  });
});
