import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { displayUrl, readableMasks } from '../../src/core/redact-url.ts';
import { RedactionReceipt, mask, redactAuthorization, redactBody, redactCookieHeader, redactEntry, redactHeaderValue, redactSetCookie, redactUrl } from '../../src/core/redact.ts';
import { entry, jarCookie, jwt } from '../helpers/har.ts';

const SECRET = 'CANARY-s3cr3t-9f8e7d';

describe('redaction', () => {
  it('masks without keeping any prefix of the secret', () => {
    assert.equal(mask('abcdef'), '[redacted: 6 chars]');
  });
  it('Authorization keeps the scheme and non-secret Digest parameters', () => {
    assert.match(redactAuthorization(`Bearer ${SECRET}`), new RegExp(`^Bearer \\[redacted: ${SECRET.length} chars, #[0-9a-f]{8}\\]$`));
    assert.equal(redactAuthorization(`Bearer ${SECRET}`), redactAuthorization(`Bearer ${SECRET}`), 'the same token masks the same way');
    assert.notEqual(redactAuthorization(`Bearer ${SECRET}`), redactAuthorization(`Bearer ${SECRET.replace('9', '8')}`), 'another token of the same length masks differently');
    assert.equal(redactAuthorization('Bearer short'), 'Bearer [redacted: 5 chars]', 'short values get no tag');
    const basic = Buffer.from(`alice:${SECRET}`).toString('base64');
    assert.ok(!redactAuthorization(`Basic ${basic}`).includes(basic));
    const digest = redactAuthorization(`Digest username="alice", realm="r", nonce="n", response="${SECRET}"`);
    assert.ok(digest.includes('username="alice"') && !digest.includes(SECRET));
    assert.equal(redactAuthorization('Bearer undefined'), 'Bearer undefined', 'placeholders are the diagnosis, not secrets');
    assert.equal(redactAuthorization(`Bearer Bearer ${SECRET}`), `Bearer Bearer [redacted: ${SECRET.length} chars]`);
  });
  it('cookies keep names and attributes, never values', () => {
    assert.equal(redactCookieHeader(`sid=${SECRET}; theme=dark`), `sid=[redacted: ${SECRET.length} chars]; theme=[redacted: 4 chars]`);
    assert.equal(redactSetCookie(`sid=${SECRET}; Path=/; HttpOnly`), `sid=[redacted: ${SECRET.length} chars]; Path=/; HttpOnly`);
  });
  it('secret headers, JWTs in any header, URLs', () => {
    assert.ok(!redactHeaderValue('X-API-Key', SECRET).includes(SECRET));
    assert.ok(!redactHeaderValue('DPoP', SECRET).includes(SECRET));
    const t = jwt({ sub: SECRET });
    assert.ok(!redactHeaderValue('X-Custom', `token ${t} here`).includes(t));
    assert.equal(redactHeaderValue('Content-Type', 'application/json'), 'application/json');
    const u = redactUrl(`https://api.test/cb?code=${SECRET}&state=abc&page=2&access_token=${SECRET}`);
    assert.ok(!u.includes(SECRET) && u.includes('page=2'));
    assert.ok(!redactUrl(`https://user:${SECRET}@api.test/`).includes(SECRET));
    // Shown to people, the masks read as masks; the rest of the URL is untouched.
    assert.equal(displayUrl('https://api.test/x?access_token=abcdefghijklm&q=a%20b'), 'https://api.test/x?access_token=[redacted: 13 chars]&q=a%20b');
    assert.equal(readableMasks('https://api.test/x?q=%5Bredacted%3A%201%20char%5D'), 'https://api.test/x?q=[redacted: 1 char]');
  });
  it('bodies: JSON and form fields by name; free text masked when it smells of secrets', () => {
    const json = redactBody(JSON.stringify({ access_token: SECRET, expires_in: 3600, nested: { password: SECRET } }), 'application/json');
    assert.ok(!json.text.includes(SECRET) && json.text.includes('3600'));
    assert.equal(json.masked, 2);
    const form = redactBody(`username=alice&password=${SECRET}`, 'application/x-www-form-urlencoded');
    assert.ok(!form.text.includes(SECRET) && form.text.includes('alice'));
    assert.ok(!redactBody(`the token is ${SECRET}`, 'text/plain').text.includes(SECRET));
    assert.equal(redactBody('hello', 'text/plain').text, 'hello');
  });
  it('a whole entry: every canary goes, the receipt counts what went', () => {
    const e = entry({
      url: `https://api.test/x?token=${SECRET}`,
      req: { Authorization: `Bearer ${SECRET}`, Cookie: `sid=${SECRET}`, 'X-Auth-Token': SECRET },
      res: { 'Set-Cookie': `sid=${SECRET}; Path=/`, Location: `https://api.test/next?access_token=${SECRET}` },
      body: JSON.stringify({ refresh_token: SECRET }),
      jar: [jarCookie({ name: 'sid', domain: 'api.test', value: SECRET })],
    });
    e.request.cookies = [{ name: 'sid', value: SECRET }];
    e.request.postData = { mimeType: 'application/x-www-form-urlencoded', text: `password=${SECRET}` };
    const receipt = new RedactionReceipt();
    const out = JSON.stringify(redactEntry(e, receipt));
    assert.ok(!out.includes(SECRET), out);
    assert.ok(receipt.total >= 8);
    assert.ok(receipt.lines().some((l) => l.startsWith('authorization header values')));
    assert.ok(JSON.stringify(e).includes(SECRET), 'the original is untouched');
  });
});
