import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HarError, readHar } from '../../src/core/har-read.ts';
import { entry, har } from '../helpers/har.ts';

const err = (text: string) => {
  try {
    readHar(text);
  } catch (e) {
    assert.ok(e instanceof HarError);
    return e.message;
  }
  return 'no error';
};

describe('readHar', () => {
  it('reads entries in order, with our _why401 fields', () => {
    const e = entry({ why: { tabId: 3, initiator: 'https://app.test' } });
    const r = readHar(JSON.stringify(har([e, entry({ status: 200 })])));
    assert.equal(r.entries.length, 2);
    assert.equal(r.entries[0]!.entry._why401?.tabId, 3);
    assert.deepEqual(r.errors, []);
  });
  it('one clear line for what is not a HAR', () => {
    assert.match(err(''), /empty/);
    assert.match(err('hello'), /not JSON/);
    assert.match(err('[1,2]'), /not a HAR/);
    assert.match(err('{"foo": 1}'), /not a HAR/);
    assert.match(err('{"log": {"entries": [{"request": '), /truncated/);
    assert.match(err('{"log": {"entries": []}} trailing'), /not JSON/);
    assert.match(err('{"log": {"entries": [}]}'), /not JSON/);
  });
  it('entries with wrong types are skipped and reported: a partial result', () => {
    const good = entry();
    const text = JSON.stringify({ log: { entries: [good, 5, { request: {}, response: { status: 401 } }, { request: { method: 'GET', url: 'u', headers: 'x' }, response: { status: 401 } }, good] } });
    const r = readHar(text);
    assert.deepEqual(r.entries.map((e) => e.index), [0, 4]);
    assert.equal(r.errors.length, 3);
    assert.match(r.errors[0]!, /^entry 1 /);
    assert.match(r.errors[2]!, /request.headers is not a list/);
  });
  it('no prototype pollution from __proto__ or constructor keys', () => {
    const text = '{"log":{"entries":[{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"request":{"method":"GET","url":"https://x.test/","headers":[{"name":"__proto__","value":"x"}],"__proto__":{"polluted":true}},"response":{"status":401,"headers":[]},"_why401":{"__proto__":{"polluted":true},"cookieJar":[{"__proto__":{"polluted":true},"name":"a","domain":"x.test"}]}}]}}';
    const r = readHar(text);
    assert.equal(r.entries.length, 1);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    assert.equal((r.entries[0]!.entry as unknown as Record<string, unknown>)['polluted'], undefined);
  });
  it('deeply nested content does not overflow anything', () => {
    const deep = '['.repeat(50000) + ']'.repeat(50000);
    const text = `{"log":{"pages":${deep},"entries":[${JSON.stringify(entry())}]}}`;
    assert.equal(readHar(text).entries.length, 1);
  });
  it('a byte order mark and strings with brackets and escaped quotes', () => {
    const e = entry({ res: { 'WWW-Authenticate': 'Bearer realm="a]}\\"{["' } });
    const r = readHar(`\uFEFF${JSON.stringify(har([e]))}`);
    assert.equal(r.entries[0]!.entry.response.headers[0]!.value, 'Bearer realm="a]}\\"{["');
  });
  it('header values of the wrong type become text', () => {
    const text = JSON.stringify({ log: { entries: [{ request: { method: 'GET', url: 'u', headers: [{ name: 'X', value: 5 }, { name: 'Y', value: null }] }, response: { status: 401 } }] } });
    assert.deepEqual(readHar(text).entries[0]!.entry.request.headers, [{ name: 'X', value: '5' }, { name: 'Y', value: '' }]);
  });
});
