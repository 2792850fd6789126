import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { displayUrl, readableMasks } from '../../src/core/redaction/redact-url.ts';
import { RedactionReceipt, mask, redactAuthorization, redactBody, redactCookieHeader, redactEntry, redactHeaderValue, redactSetCookie, redactUrl } from '../../src/core/redaction/redact.ts';
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

describe('redaction by meaning, whatever the shape (named cases)', () => {
  const jwtValue = jwt({ sub: SECRET });
  const none = (out: string, ...secrets: string[]) => {
    for (const s of [SECRET, jwtValue, ...secrets]) assert.ok(!out.includes(s), `${s.slice(0, 20)}… in ${out}`);
  };
  it('Authorization with no scheme, glued schemes, leading spaces, OAuth 1.0a, SigV4', () => {
    none(redactAuthorization(jwtValue));
    assert.equal(redactAuthorization(jwtValue), `[redacted: ${jwtValue.length} chars]`);
    none(redactAuthorization(`sk_live_${SECRET}`), `sk_live_${SECRET}`);
    assert.match(redactAuthorization(`Bearer=${SECRET}`), /^Bearer=\[redacted: \d+ chars\]$/);
    assert.match(redactAuthorization(`Bearer:${SECRET}`), /^Bearer:\[redacted: \d+ chars\]$/);
    assert.match(redactAuthorization(`   Bearer ${SECRET}`), /^Bearer \[redacted: \d+ chars, #[0-9a-f]{8}\]$/);
    none(redactAuthorization(`   ${jwtValue}`));
    const oauth = redactAuthorization(`OAuth oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog", oauth_nonce="kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", oauth_signature="${SECRET}", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1318622958", oauth_token="${SECRET}x", oauth_version="1.0"`);
    none(oauth, `${SECRET}x`);
    assert.match(oauth, /oauth_signature_method="HMAC-SHA1"/);
    const sig = redactAuthorization(`AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host, Signature=${SECRET}`);
    none(sig, 'AKIDEXAMPLE');
    assert.match(sig, /signedheaders="content-type;host"/);
    // A malformed value is masked more, not less: every run but the shape.
    none(redactAuthorization(`Bearer "${SECRET}" ${SECRET}`));
    none(redactAuthorization(`Basic, ${SECRET}`));
  });
  it('URLs that new URL() refuses, fragments, path parameters, CAS tickets, SAML, codes, JWT path segments', () => {
    for (const url of [
      `/api/me?access_token=${SECRET}`,
      `api/me?token=${SECRET}#x`,
      `https://bad host/?code=${SECRET}`,
      `https://app.test/cb#access_token=${SECRET}&token_type=bearer`,
      `https://app.test/cb#${jwtValue}`,
      `https://app.test/shop;jsessionid=${SECRET}?page=2`,
      `https://sso.test/cas/login?service=x&ticket=ST-${SECRET}`,
      `https://sp.test/acs?SAMLResponse=${SECRET}&RelayState=home`,
      `https://app.test/cb?code=${SECRET}&state=${SECRET}`,
      `https://app.test/reset/${jwtValue}/confirm`,
      `https://user:${SECRET}@app.test/`,
      `//cdn.test/x?sig=${SECRET}`,
    ]) {
      const out = redactUrl(url);
      none(out);
      assert.equal(redactUrl(out), out, `masks are stable: ${out}`);
    }
    assert.equal(redactUrl('https://app.test/shop;jsessionid=abc?page=2').includes('page=2'), true);
    assert.equal(displayUrl(`https://app.test/cb#access_token=${SECRET}&token_type=bearer`), `https://app.test/cb#access_token=[redacted: ${SECRET.length} chars]&token_type=bearer`);
  });
  it('headers: any credential header by name, a scheme and token in any header, Location with a fragment', () => {
    for (const name of ['X-My-Session-Token', 'X-Api-Secret', 'Auth', 'X-Auth', 'Bearer', 'X-Refresh-Token', 'Api-Key', 'X-Client-Secret']) none(redactHeaderValue(name, SECRET), name);
    none(redactHeaderValue('X-Forwarded-Authorization', `Bearer ${SECRET}`));
    none(redactHeaderValue('X-Custom', `Bearer ${SECRET}`));
    none(redactHeaderValue('Location', `https://app.test/cb#access_token=${SECRET}`));
    none(redactHeaderValue('Refresh', `0; url=https://app.test/?token=${SECRET}`));
    assert.equal(redactHeaderValue('WWW-Authenticate', 'Bearer realm="api", error="invalid_token"'), 'Bearer realm="api", error="invalid_token"', 'challenges are the diagnosis');
    assert.equal(redactHeaderValue('Access-Control-Allow-Credentials', 'true'), 'true');
    assert.equal(redactHeaderValue('Content-Type', 'text/html; charset=utf-8'), 'text/html; charset=utf-8');
  });
});

it('Set-Cookie folded into one line with ", " masks every value, an Expires date left whole', () => {
  const out = redactHeaderValue('Set-Cookie', 'a=FIRSTsecret111; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT, b=SECONDsecret222; HttpOnly,c=THIRDsecret333');
  assert.doesNotMatch(out, /FIRST|SECOND|THIRD/);
  assert.match(out, /Expires=Wed, 21 Oct 2026 07:28:00 GMT, b=\[redacted/);
});

it('a template is a name in brackets; a real token in brackets is a secret, masked', () => {
  for (const t of ['${TOKEN}', '{{access_token}}', '<your-token>', '%API_KEY%', '$API_KEY', '{{process.env.TOKEN}}']) assert.equal(redactAuthorization(`Bearer ${t}`), `Bearer ${t}`, t);
  for (const secret of ['sk_live_51HkqL2abcdefghijklmnopqrstuvwxyz0123', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', jwt({ sub: 'x' })]) {
    for (const wrapped of [`<${secret}>`, `{{${secret}}}`, `\${${secret}}`]) {
      const out = redactAuthorization(`Bearer ${wrapped}`);
      assert.ok(!out.includes(secret), `${wrapped} → ${out}`);
    }
  }
});
