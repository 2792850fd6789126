/** The list filter's Network-panel syntax, over records made by the real diagnosis. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { judge } from '../../src/core/verdict/diagnose.ts';
import type { HarEntry } from '../../src/core/exchange/har-types.ts';
import { parseFilter } from '../../src/panel/filter.ts';
import type { StoredRecord } from '../../src/shared/records.ts';
import { entry } from '../helpers/har.ts';

function rec(i: number, e: HarEntry): StoredRecord {
  const j = judge(e);
  return { id: `1:${i}`, tabId: 1, seq: i, at: 0, page: 0, entry: j.entry, findings: j.findings };
}

const rows = [
  rec(1, entry({ url: 'https://api.example.com/v1/me', res: { 'WWW-Authenticate': 'Bearer realm="api"' } })),
  rec(2, entry({ method: 'OPTIONS', url: 'https://api.example.com/v1/me', req: { 'Access-Control-Request-Method': 'GET', Origin: 'https://app.example.com' } })),
  rec(3, entry({ url: 'https://auth.other.test/token?x=1', status: 407, res: { 'Proxy-Authenticate': 'Basic realm="proxy"' } })),
  rec(4, entry({ url: 'https://app.example.com/api/orders', req: { Authorization: 'Bearer undefined' }, res: { 'WWW-Authenticate': 'Bearer' } })),
];
const ids = (q: string) => rows.filter((r) => parseFilter(q).test(r)).map((r) => r.seq);

it('words match method, URL, status and cause; every term must match', () => {
  assert.deepEqual(ids(''), [1, 2, 3, 4]);
  assert.deepEqual(ids('orders'), [4]);
  assert.deepEqual(ids('placeholder'), [4]);
  assert.deepEqual(ids('api.example.com me'), [1, 2]);
});
it('status:, method:, domain:, cause:, scheme:', () => {
  assert.deepEqual(ids('status:401'), [1, 2, 4]);
  assert.deepEqual(ids('status:4xx'), [1, 2, 3, 4]);
  assert.deepEqual(ids('status:407'), [3]);
  assert.deepEqual(ids('method:OPTIONS'), [2]);
  assert.deepEqual(ids('method:options'), [2]);
  assert.deepEqual(ids('domain:api.example.com'), [1, 2]);
  assert.deepEqual(ids('domain:*.example.com'), [1, 2, 4]);
  assert.deepEqual(ids('cause:preflight-unauthenticated'), [2]);
  assert.deepEqual(ids('cause:placeholder'), [4]);
  assert.deepEqual(ids('scheme:bearer'), [4]);
});
it('a leading - negates; /regex/ matches the URL and the rest', () => {
  assert.deepEqual(ids('-method:OPTIONS'), [1, 3, 4]);
  assert.deepEqual(ids('-domain:*.example.com'), [3]);
  assert.deepEqual(ids('/v\\d\\/me$/'), [1, 2]);
  assert.deepEqual(ids('-/example/'), [3]);
  assert.deepEqual(ids('/token\\?x=1/ status:407'), [3]);
  assert.deepEqual(ids('/a b/'), [], 'a regex may hold a space');
});
it('a broken regex is reported, not thrown, and the other terms still apply', () => {
  const f = parseFilter('/(/ status:407');
  assert.equal(f.errors.length, 1);
  assert.deepEqual(rows.filter((r) => f.test(r)).map((r) => r.seq), [3]);
});
it('an unknown key is a word; "-" alone is a word', () => {
  assert.deepEqual(ids('foo:bar'), []);
  assert.deepEqual(ids('-'), [1, 2, 3, 4], 'every row has a hyphenated cause id');
});
