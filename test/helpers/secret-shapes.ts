/**
 * Secret shapes, generated: a vocabulary of secret names × naming styles × the places a secret
 * rides (query, fragment, userinfo, path parameters, request and response headers, form,
 * multipart, JSON at depth and in arrays, GraphQL (in JSON, a form field, a GET query), sign-in flow
 * steps (redirect_uri, state, token requests and answers, refusals, a provider's words), response
 * bodies, challenges, server-echoed text), and values whose shape alone says "secret" (known prefixes, JWTs, PEM blocks). Each shape
 * carries one unique canary, so a test can say which shape leaked into which output.
 */
import type { HarEntry, HarHeader } from '../../src/core/exchange/har-types.ts';
import { entry, jwt } from './har.ts';

/** Secret names as words; each is written in every naming style below. */
export const SECRET_NAME_WORDS: readonly (readonly string[])[] = [
  ['auth', 'token'], ['session', 'token'], ['user', 'password'], ['current', 'password'], ['new', 'password'],
  ['api', 'secret'], ['secret', 'key'], ['private', 'key'], ['api', 'key'], ['client', 'secret'], ['access', 'token'],
  ['refresh', 'token'], ['id', 'token', 'hint'], ['passphrase'], ['hmac'], ['otp'], ['totp'], ['mfa', 'code'],
  ['verification', 'code'], ['pw'], ['master', 'key'], ['client', 'key'], ['rapid', 'api', 'key'], ['password'], ['key'],
];

export type NamingStyle = 'snake' | 'camel' | 'pascal' | 'kebab' | 'bracket' | 'screaming';
export const NAMING_STYLES: readonly NamingStyle[] = ['snake', 'camel', 'pascal', 'kebab', 'bracket', 'screaming'];

const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);

/** A name in a naming style: auth_token, authToken, AuthToken, auth-token, auth[token], AUTH_TOKEN. */
export function styled(words: readonly string[], style: NamingStyle): string {
  switch (style) {
    case 'snake':
      return words.join('_');
    case 'camel':
      return words[0]! + words.slice(1).map(cap).join('');
    case 'pascal':
      return words.map(cap).join('');
    case 'kebab':
      return words.join('-');
    case 'bracket':
      return words.length === 1 ? `user[${words[0]}]` : `${words[0]}[${words.slice(1).join('_')}]`;
    case 'screaming':
      return words.join('_').toUpperCase();
  }
}

/** A header name from words: X-Auth-Token, X-RapidAPI-Key style (glued: X-AuthToken). */
function headerName(words: readonly string[], glued: boolean): string {
  return glued ? `X-${words.map(cap).join('')}` : `X-${words.map(cap).join('-')}`;
}

export interface SecretShape {
  /** Which shape: place, style and name. */
  id: string;
  /** The unique value that must never appear in a default output. */
  canary: string;
  /** A 401 exchange carrying it. */
  entry: HarEntry;
}

const WWW = { 'WWW-Authenticate': 'Bearer realm="api"' };

/** A canary a value-shape check would not catch by itself (no known prefix, not long and mixed). */
function plainCanary(n: number): string {
  return `cnry${n.toString(36)}q`;
}

/** Every generated shape (over 150), each with its own canary. */
export function secretShapes(): SecretShape[] {
  const shapes: SecretShape[] = [];
  let n = 0;
  const add = (id: string, canary: string, e: HarEntry) => shapes.push({ id, canary, entry: e });
  type Place = (name: string, words: readonly string[], canary: string) => HarEntry;
  const places: Record<string, Place> = {
    query: (name, _w, c) => withQuery(entry({ url: `https://api.test/x?page=2&${encodeURIComponent(name)}=${c}`, res: WWW }), [['page', '2'], [name, c]]),
    fragment: (name, _w, c) => entry({ url: `https://app.test/cb#${name}=${c}&state=s`, res: WWW }),
    'path parameter': (name, _w, c) => entry({ url: `https://api.test/x;${name}=${c}/y`, res: WWW }),
    'request header': (_n, words, c) => entry({ req: { [headerName(words, false)]: c }, res: WWW }),
    'request header, glued': (_n, words, c) => entry({ req: { [headerName(words, true)]: c }, res: WWW }),
    'response header': (_n, words, c) => entry({ res: { ...WWW, [headerName(words, false)]: c } }),
    form: (name, _w, c) => withPost(entry({ method: 'POST', res: WWW }), 'application/x-www-form-urlencoded', `user=bob&${name}=${c}`),
    'form, percent-encoded name': (name, _w, c) => withPost(entry({ method: 'POST', res: WWW }), 'application/x-www-form-urlencoded', `user=bob&${encodeURIComponent(name)}=${c}`),
    multipart: (name, _w, c) => withPost(entry({ method: 'POST', res: WWW }), 'multipart/form-data; boundary=b0UND', `--b0UND\r\nContent-Disposition: form-data; name="user"\r\n\r\nbob\r\n--b0UND\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${c}\r\n--b0UND--\r\n`),
    'JSON at depth': (name, _w, c) => withPost(entry({ method: 'POST', res: WWW }), 'application/json', JSON.stringify({ data: { user: { profile: { [name]: c } } } })),
    'JSON array value': (name, _w, c) => withPost(entry({ method: 'POST', res: WWW }), 'application/json', JSON.stringify({ [name]: [c, `${c}-2`] })),
    'JSON object value': (name, _w, c) => withPost(entry({ method: 'POST', res: WWW }), 'application/json', JSON.stringify({ [name]: { value: c } })),
    'JSON in an array': (name, _w, c) => withPost(entry({ method: 'POST', res: WWW }), 'application/json', JSON.stringify({ items: [{ id: 1 }, { [name]: c }] })),
    'GraphQL literal': (name, _w, c) => withPost(entry({ method: 'POST', res: WWW }), 'application/json', JSON.stringify({ query: `mutation { signIn(user: "bob", ${name.replace(/[^A-Za-z0-9_]/g, '_')}: "${c}") { ok } }` })),
    'GraphQL in a form field': (name, _w, c) => withPost(entry({ method: 'POST', res: WWW }), 'application/x-www-form-urlencoded', `query=${encodeURIComponent(`mutation { signIn(user: "bob", ${name.replace(/[^A-Za-z0-9_]/g, '_')}: "${c}") { ok } }`)}`),
    'GraphQL in a GET query': (name, _w, c) => entry({ url: `https://api.test/graphql?query=${encodeURIComponent(`{ viewer(${name.replace(/[^A-Za-z0-9_]/g, '_')}: "${c}") { id } }`)}`, res: WWW }),
    'response body': (name, _w, c) => entry({ res: WWW, body: JSON.stringify({ error: 'nope', [name]: c }) }),
  };
  const placeNames = Object.keys(places);
  // Every name in every style, each in a different place in turn (150 shapes), then every place
  // with every style of one name.
  let k = 0;
  for (const words of SECRET_NAME_WORDS) {
    for (const style of NAMING_STYLES) {
      const name = styled(words, style);
      const place = placeNames[k++ % placeNames.length]!;
      const c = plainCanary(n++);
      add(`${place}: ${name} (${style})`, c, places[place]!(name, words, c));
    }
  }
  for (const place of placeNames) {
    const c = plainCanary(n++);
    add(`${place}: client_secret`, c, places[place]!('client_secret', ['client', 'secret'], c));
  }
  // Values whose shape says "secret", wherever they are.
  const prefixed = ['ghp_', 'github_pat_', 'glpat-', 'sk_live_', 'xoxb-', 'AKIA', 'AIza', 'npm_', 'hf_'];
  for (const p of prefixed) {
    const c = `${p}${'Q'.repeat(4)}cnry${(n++).toString(36)}Zz9x8w7v6`;
    add(`userinfo user: ${p}`, c, entry({ url: `https://${c}@git.test/org/repo.git`, res: WWW }));
    const c2 = `${p}${'R'.repeat(4)}cnry${(n++).toString(36)}Zz9x8w7v6`;
    add(`challenge echo: ${p}`, c2, entry({ res: { 'WWW-Authenticate': `Bearer realm="api", error="invalid_token", error_description="the token ${c2} was revoked"` } }));
    const c3 = `${p}${'S'.repeat(4)}cnry${(n++).toString(36)}Zz9x8w7v6`;
    add(`server-echoed text: ${p}`, c3, entry({ res: WWW, body: `Your key ${c3} is not valid here.`, mimeType: 'text/plain' }));
    const c4 = `${p}${'T'.repeat(4)}cnry${(n++).toString(36)}Zz9x8w7v6`;
    add(`Basic user name: ${p}`, c4, entry({ req: { Authorization: `Basic ${Buffer.from(`${c4}:`).toString('base64')}` }, res: { 'WWW-Authenticate': 'Basic realm="git"' } }));
    const c5 = `${p}${'U'.repeat(4)}cnry${(n++).toString(36)}Zz9x8w7v6`;
    add(`JSON string value: ${p}`, c5, withPost(entry({ method: 'POST', res: WWW }), 'application/json', JSON.stringify({ note: c5 })));
    const c6 = `${p}${'V'.repeat(4)}cnry${(n++).toString(36)}Zz9x8w7v6`;
    add(`query value under an innocent name, among words: ${p}`, c6, entry({ url: `https://api.test/x?scope=openid+${c6}+profile&page=2`, res: WWW }));
  }
  const pem = `-----BEGIN PRIVATE KEY-----\nMIIEvcnry${(n++).toString(36)}QIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----`;
  add('PEM block in JSON', pem.split('\n')[1]!, withPost(entry({ method: 'POST', res: WWW }), 'application/json', JSON.stringify({ config: { signing: pem } })));
  const hint = `cnry${(n++).toString(36)}opaque-hint-value`;
  add('non-JWT id_token_hint', hint, entry({ url: `https://idp.test/logout?id_token_hint=${hint}&post_logout_redirect_uri=https%3A%2F%2Fapp.test%2F`, res: WWW }));
  const token = jwt({ sub: `cnry${(n++).toString(36)}` });
  const sig = token.split('.')[2]!;
  add('JWT in a redirect chain', sig, withChain(entry({ url: 'https://api2.test/me', res: WWW }), `https://api.test/me?access_token=${token}`));
  const rc = plainCanary(n++);
  add('redirect chain query', rc, withChain(entry({ url: 'https://api2.test/me', res: WWW }), `https://api.test/me?session_token=${rc}`));
  const body = `cnry${(n++).toString(36)}IpBody`;
  add('403 body quoted by a rule', body, entry({ status: 403, res: {}, body: `Access denied for client 10.1.2.3: token=${body}`, mimeType: 'text/plain' }));
  // Sign-in flow places: one flow across these entries (state, code and tokens link them), whose
  // steps, findings (a redirect_uri mismatch, a stale token, a refused refresh, a provider's
  // words) and lineage quote what they carry.
  const at = (s: number) => new Date(Date.parse('2026-12-06T10:00:00.000Z') + s * 1000).toISOString();
  const state = `st${'A'.repeat(20)}cnry${(n++).toString(36)}`;
  const redirectSecret = plainCanary(n++);
  const redirect = `https://app.test/cb?session_token=${redirectSecret}`;
  add('sign-in: redirect_uri with a secret query', redirectSecret, { ...entry({ url: `https://idp.test/authorize?response_type=code&client_id=spa&redirect_uri=${encodeURIComponent(redirect)}&state=${state}&code_challenge=${'C'.repeat(43)}&code_challenge_method=S256`, status: 302, res: {}, at: at(0) }) });
  add('sign-in: the state', state, entry({ url: `https://app.test/cb?code=code${'K'.repeat(20)}&state=${state}`, status: 200, res: {}, at: at(1) }));
  const code = `code${'K'.repeat(20)}`;
  const access = `at${'B'.repeat(20)}cnry${(n++).toString(36)}`;
  const refresh = `rt${'D'.repeat(20)}cnry${(n++).toString(36)}`;
  const otherRedirect = plainCanary(n++);
  add('sign-in: token request with another redirect_uri', otherRedirect, withPost(entry({ method: 'POST', url: 'https://idp.test/token', status: 200, res: {}, at: at(2), body: JSON.stringify({ access_token: access, refresh_token: refresh, token_type: 'Bearer', expires_in: 60 }) }), 'application/x-www-form-urlencoded', `grant_type=authorization_code&code=${code}&redirect_uri=${encodeURIComponent(`https://app.test/cb/?session_token=${otherRedirect}`)}&code_verifier=${'V'.repeat(43)}`));
  add('token life: an access token issued, then sent after it expired', access, entry({ url: 'https://api.test/me', req: { Authorization: `Bearer ${access}` }, res: WWW, at: at(200) }));
  const echoed = `ghp_${'E'.repeat(4)}cnry${(n++).toString(36)}Zz9x8w7v6`;
  add('token life: a refused refresh echoing a token', refresh, withPost(entry({ method: 'POST', url: 'https://idp.test/token', status: 400, res: {}, at: at(300), body: JSON.stringify({ error: 'invalid_grant', error_description: 'Token is not active' }) }), 'application/x-www-form-urlencoded', `grant_type=refresh_token&refresh_token=${refresh}&client_id=spa`));
  const described = `sk_live_${'F'.repeat(4)}cnry${(n++).toString(36)}Zz9x8w7v6`;
  const state2 = `st${'G'.repeat(20)}cnry${(n++).toString(36)}`;
  add('sign-in: a second authorize', state2, entry({ url: `https://idp.test/authorize?response_type=code&client_id=spa&redirect_uri=${encodeURIComponent('https://app.test/cb')}&state=${state2}&prompt=none`, status: 302, res: {}, at: at(400) }));
  add('sign-in: a provider error echoing a secret', described, entry({ url: `https://app.test/cb?error=login_required&error_description=${encodeURIComponent(`AADSTS50058: no user for key ${described}`)}&state=${state2}`, status: 200, res: {}, at: at(401) }));
  add('token life: a provider echoing a token in its refusal', echoed, withPost(entry({ method: 'POST', url: 'https://idp.test/token', status: 400, res: {}, at: at(310), body: JSON.stringify({ error: 'invalid_grant', error_description: `refresh token ${echoed} is not active` }) }), 'application/x-www-form-urlencoded', `grant_type=refresh_token&refresh_token=rt${'H'.repeat(24)}&client_id=spa`));
  return shapes;
}

function withQuery(e: HarEntry, pairs: [string, string][]): HarEntry {
  e.request.queryString = pairs.map(([name, value]) => ({ name, value }));
  return e;
}

function withPost(e: HarEntry, mimeType: string, text: string): HarEntry {
  e.request.postData = { mimeType, text };
  return e;
}

function withChain(e: HarEntry, from: string): HarEntry {
  e._why401 = { ...e._why401, redirectChain: [{ url: from, status: 307, location: e.request.url, authorizationSent: true }] };
  return e;
}

/** The header list of an entry, for tests that look at one. */
export function headersOf(e: HarEntry): HarHeader[] {
  return [...e.request.headers, ...e.response.headers];
}
