/** Mask tags keyed per install (core/tokens/fingerprint.ts): equal values tag alike, a tag confirms no guess without the key. */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { fingerprint, isTagKey, newTagKey, tagOf, useTagKey } from '../../src/core/tokens/fingerprint.ts';
import { redactHeaderValue } from '../../src/core/redaction/redact.ts';

const TOKEN = 'Bearer ghp_16C7e42F292c6912E7710c838347Ae178B4a';
const ZERO = '0'.repeat(64);

describe('mask tags', () => {
  after(() => useTagKey(ZERO));

  it('one install: the same value, the same tag; another value, another tag', () => {
    useTagKey(newTagKey());
    assert.equal(tagOf(TOKEN), tagOf(TOKEN));
    assert.notEqual(tagOf(TOKEN), tagOf(`${TOKEN}x`));
    assert.match(tagOf(TOKEN), /^[0-9a-f]{8}$/);
  });

  it('two installs tag one token differently, and neither tag is the unkeyed fingerprint', () => {
    const a = newTagKey();
    const b = newTagKey();
    assert.notEqual(a, b);
    useTagKey(a);
    const tagA = tagOf(TOKEN);
    const maskA = redactHeaderValue('Authorization', TOKEN);
    useTagKey(b);
    const tagB = tagOf(TOKEN);
    const maskB = redactHeaderValue('Authorization', TOKEN);
    assert.notEqual(tagA, tagB);
    assert.notEqual(maskA, maskB);
    assert.match(maskA, new RegExp(`^Bearer \\[redacted: 40 chars, #${tagA}\\]$`));
    assert.notEqual(tagA, fingerprint(TOKEN).slice(0, 8));
    // Back to the first key: its tags again (the cache forgets the other key's).
    useTagKey(a);
    assert.equal(tagOf(TOKEN), tagA);
  });

  it('a mask already in a file is never changed by another install', () => {
    useTagKey(newTagKey());
    const masked = redactHeaderValue('Authorization', TOKEN);
    useTagKey(newTagKey());
    assert.equal(redactHeaderValue('Authorization', masked), masked);
  });

  it('only a 64-hex-digit key is a key', () => {
    assert.ok(isTagKey(newTagKey()));
    for (const bad of ['', 'abc', ZERO.toUpperCase().replace(/0/g, 'A'), `${ZERO}0`, 42, null]) {
      assert.equal(isTagKey(bad), false, String(bad));
    }
    assert.throws(() => useTagKey('abc'), /64 hex digits/);
  });
});
