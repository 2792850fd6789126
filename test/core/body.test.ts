/** The one reader of response bodies (core/exchange/body.ts), as the verdict's snippet and the flows' JSON read them. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { responseText } from '../../src/core/exchange/body.ts';
import { entry } from '../helpers/har.ts';

const withBody = (text: string | undefined, encoding?: string) => {
  const e = entry({ status: 401 });
  e.response.content = { size: 0, mimeType: 'application/json', ...(text !== undefined ? { text } : {}), ...(encoding ? { encoding } : {}) };
  return e;
};
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

it('plain text as is; base64 decoded as UTF-8; not base64 or not UTF-8: no text', () => {
  assert.equal(responseText(withBody('{"error":"invalid_grant"}')), '{"error":"invalid_grant"}');
  assert.equal(responseText(withBody(b64('{"error":"ungültig"}'), 'base64')), '{"error":"ungültig"}');
  assert.equal(responseText(withBody('not base64!', 'base64')), undefined);
  assert.equal(responseText(withBody(Buffer.from([0xff, 0xfe, 0x41]).toString('base64'), 'base64')), undefined);
  assert.equal(responseText(withBody(undefined)), undefined);
});

it('a head decodes only the start of a large base64 body, and a character cut at its end is replaced, not refused', () => {
  const big = 'é'.repeat(100_000);
  const head = responseText(withBody(b64(big), 'base64'), 8192)!;
  assert.ok(head.length <= 8192 && head.length >= 4096, `about 8 KiB of the body's start: ${head.length} characters`);
  assert.match(head, /^é+\uFFFD?$/);
  assert.equal(responseText(withBody('x'.repeat(10_000)), 100), 'x'.repeat(100));
  assert.equal(responseText(withBody(b64('short'), 'base64'), 8192), 'short');
});
