import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HarError, readHar, scanHarEntries, type ReadInto, type ScanBuffer } from '../../src/core/exchange/har-read.ts';
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

describe('scanHarEntries read a chunk at a time', () => {
  /** Every entry (offsets and bytes) or the error, scanning `bytes` whole or through a reader. */
  const scan = (source: Uint8Array | ReadInto, chunkSize?: number) => {
    const out: string[] = [];
    try {
      for (const s of scanHarEntries(source, chunkSize)) out.push(`${s.index} ${s.start}-${s.end} ${decoder.decode(s.bytes)}`);
    } catch (e) {
      assert.ok(e instanceof HarError, String(e));
      out.push(`error: ${e.message}`);
    }
    return out;
  };
  /** A reader that hands out the bytes in pieces of the given sizes, in turn. */
  const reader = (bytes: Uint8Array, pieces: number[]): ReadInto => {
    let at = 0;
    let k = 0;
    return (into) => {
      const n = Math.min(into.length, pieces[k++ % pieces.length]!, bytes.length - at);
      into.set(bytes.subarray(at, at + n));
      at += n;
      return n;
    };
  };
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  // Shapes a chunk boundary can cut: escapes and runs of backslashes before quotes, brackets in
  // strings, bare values as entries, keys split across reads, a byte order mark, multi-byte UTF-8.
  const texts = [
    `\uFEFF${JSON.stringify(har([entry({ res: { 'WWW-Authenticate': 'Bearer realm="a]}\\"{["' } }), entry({ status: 200 })]))}`,
    '{"log":{"creator":{"name":"x\\\\\\"}"},"entries":[1, null ,"s\\\\",{"a":"\\\\\\\\"},[],true]}}',
    '{"lo\\u0067":{},"log":{"pages":[{"entries":[5]}],"entries":[{"k":"é😀\\""}]},"x":"}"}',
    '  {"log":{"entries":[]}}  ',
    '', 'hello', '[1]', '{"foo":1}', '{"log":{"entries":[{"request":', '{"log":{"entries":[]}} x', '{"log":{"entries":[}]}}', '\uFEFF', '{"log":{"entries":["abc', '\u00ef{}',
  ];
  it('finds the same entries and errors as a scan of the whole file, wherever the reads end', () => {
    for (const text of texts) {
      const bytes = encoder.encode(text);
      const whole = scan(bytes);
      for (const pieces of [[1], [2], [3], [1, 5], [7, 1, 2], [64]]) {
        for (const chunkSize of [1, 4, 16]) {
          assert.deepEqual(scan(reader(bytes, pieces), chunkSize), whole, `${JSON.stringify(text.slice(0, 40))} in pieces of ${pieces} from a ${chunkSize}-byte buffer`);
        }
      }
    }
  });
  it('holds only the entry being read: the buffer grows to the largest entry, not to the file', () => {
    const big = 'v'.repeat(10_000);
    const text = JSON.stringify(har(Array.from({ length: 50 }, () => entry({ req: { 'X-Big': big } }))));
    let largest = 0;
    let read = 0;
    const inner = reader(encoder.encode(text), [4096]);
    const n = [...scanHarEntries((into) => {
      largest = Math.max(largest, into.buffer.byteLength);
      const got = inner(into);
      read += got;
      return got;
    }, 4096)].length;
    assert.equal(n, 50);
    assert.equal(read, encoder.encode(text).length);
    assert.ok(largest < text.length / 10, `the buffer grew to ${largest} bytes for a ${text.length}-byte file`);
  });
  it('a buffer kept for a second scan of the file gives the same entries, and the second scan allocates none', () => {
    const text = JSON.stringify(har([entry({ req: { 'X-Big': 'w'.repeat(20_000) } }), entry({ url: 'https://b.test/' })]));
    const bytes = encoder.encode(text);
    const buffer: ScanBuffer = { bytes: new Uint8Array(1024) };
    const first = [...scanHarEntries(reader(bytes, [1000]), 1024, buffer)].map((s) => `${s.start}-${s.end}`);
    const grown = buffer.bytes;
    assert.ok(grown.length >= 20_000, `the kept buffer grew to the largest entry (${grown.length} bytes)`);
    const again = [...scanHarEntries(reader(bytes, [1000]), 1024, buffer)].map((s) => `${s.start}-${s.end}`);
    assert.deepEqual(again, first);
    assert.equal(buffer.bytes, grown);
  });
});

type HarEntryLike = { request: { headers: { value: string }[] } };

describe('an entry of large values is read without its whole text, to the same result', () => {
  const big = (unit: string, n: number) => unit.repeat(Math.ceil(n / unit.length));
  const cases: [string, unknown][] = [
    ['escapes, quotes, backslashes, line separators and two-byte text in a large URL, header and body', (() => {
      const v = big('é"\\\n\u2028\u0001x/', 200_000);
      const e = entry({ url: `https://a.test/?q=${encodeURIComponent(v)}`, req: { 'X-Trace': v }, body: v });
      return e;
    })()],
    ['large values in arrays and nested objects, a large key left as it is, a value that ends in a backslash', (() => {
      const e = entry({ url: 'https://a.test/', req: { 'X-Long': `${big('a', 100_000)}\\` } }) as unknown as Record<string, unknown>;
      e['_extra'] = { list: [big('b', 70_000), 1, [big('c', 66_000)], { k: big('d', 65_536) }], [big('k', 70_000)]: 'key' };
      return e;
    })()],
    ['a value just under the size stays in the text', entry({ url: 'https://a.test/', req: { 'X-A': big('z', (64 << 10) - 1), 'X-B': big('y', 64 << 10) } })],
    // Read straight from the bytes (no escape, no control character): plain ASCII, UTF-8 of two,
    // three and four bytes, a slash, and one escape at the very end (which the plain reading must not skip).
    ['plain values read from their bytes: ASCII, multi-byte UTF-8, one escape at the end, a leading U+FEFF kept', entry({ url: `https://a.test/${big('p', 70_000)}`, req: { 'X-Utf8': big('é€😀/', 100_000), 'X-End': `${big('e', 70_000)}\n`, 'X-Bom': `\ufeff${big('b', 70_000)}` } })],
  ];
  for (const [what, e] of cases) {
    it(what, () => {
      const text = JSON.stringify({ log: { version: '1.2', creator: { name: 't', version: '1' }, entries: [e, entry({ url: 'https://small.test/' })] } }, null, 2);
      const read = readHar(new TextEncoder().encode(text));
      assert.deepEqual(read.errors, []);
      assert.equal(read.entries.length, 2);
      // The normalized entries equal those of JSON.parse of the whole text.
      const parsed = (JSON.parse(text) as { log: { entries: Record<string, unknown>[] } }).log.entries;
      const a = read.entries[0]!.entry as unknown as Record<string, unknown>;
      assert.deepEqual(a['request'], parsed[0]!['request']);
      assert.deepEqual(a['response'], parsed[0]!['response']);
    });
  }

  it('a large value with a raw control character, or bytes that are not UTF-8, reads as JSON.parse of the decoded text does', () => {
    const head = '{"log":{"version":"1.2","creator":{"name":"t","version":"1"},"entries":[';
    const tail = `,${JSON.stringify(entry({ url: 'https://ok.test/' }))}]}}`;
    const at = (value: Uint8Array) => {
      const [before, after] = JSON.stringify(entry({ url: 'https://a.test/', req: { 'X-A': 'HOLE' } })).split('HOLE') as [string, string];
      return new Uint8Array([...new TextEncoder().encode(head + before), ...value, ...new TextEncoder().encode(after + tail)]);
    };
    const run = new TextEncoder().encode(big('r', 100_000));
    // A tab inside the string: JSON forbids it, so the whole entry is unreadable, not read around it.
    const withTab = run.slice();
    withTab[50_000] = 0x09;
    assert.deepEqual(readHar(at(withTab)).errors, ['entry 0 is not valid JSON']);
    // A lone continuation byte and a cut four-byte sequence: replaced with U+FFFD, as decoding the whole text would.
    const notUtf8 = new Uint8Array([...run.subarray(0, 1000), 0x80, 0xf0, 0x9f, 0x98, ...run.subarray(1000)]);
    const read = readHar(at(notUtf8));
    assert.deepEqual(read.errors, []);
    const expected = (JSON.parse(new TextDecoder().decode(at(notUtf8))) as { log: { entries: HarEntryLike[] } }).log.entries[0]!.request.headers[0]!.value;
    assert.equal(read.entries[0]!.entry.request.headers[0]!.value, expected);
    assert.ok(expected.includes('\ufffd'));
  });

  it('a large entry that is not JSON is an unreadable entry, as a small one is', () => {
    const good = JSON.stringify(entry({ url: 'https://a.test/', req: { 'X-A': big('q', 200_000) } }));
    const broken = `${good.slice(0, good.length - 1)},}`;
    const text = `{"log":{"version":"1.2","creator":{"name":"t","version":"1"},"entries":[${broken},${JSON.stringify(entry({ url: 'https://ok.test/' }))}]}}`;
    const read = readHar(text);
    assert.deepEqual(read.errors, ['entry 0 is not valid JSON']);
    assert.equal(read.entries.length, 1);
  });
});
