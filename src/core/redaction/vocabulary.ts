/**
 * The names and values that carry meaning, in one place: auth schemes, the headers and
 * parameters that carry credentials, the values that only stand where a token should be
 * (placeholders) or that read as one (known prefixes, a JWT's outline). Redaction masks by these (what is secret is decided by meaning, not by
 * the value's shape) and the diagnosis reads the same lists (a token "in the wrong place" is
 * exactly a credential header that is not Authorization). No dependencies: the panel's first
 * paint uses it.
 */

/** Schemes an app's code puts in Authorization itself (a token or a password): what "a standard scheme" means in the rules. */
export const STANDARD_SCHEMES: ReadonlySet<string> = new Set(['bearer', 'basic', 'digest', 'dpop']);

/** Schemes whose challenge asks for the Authorization header (the standard ones and integrated auth). */
export const HEADER_SCHEMES: ReadonlySet<string> = new Set([...STANDARD_SCHEMES, 'negotiate', 'ntlm']);

/** Integrated (Kerberos / Windows) authentication: the browser, not a script, makes these credentials. */
export const INTEGRATED_SCHEMES: ReadonlySet<string> = new Set(['negotiate', 'ntlm', 'kerberos']);

/**
 * Schemes whose credentials the browser may add itself (its sign-in dialog, cached HTTP auth):
 * the page's scripts never saw them, so a re-run never hands them to the page.
 */
export const BROWSER_HANDLED_SCHEMES: ReadonlySet<string> = new Set(['basic', 'digest', 'negotiate', 'ntlm']);

/** Schemes whose credentials are one token68 (RFC 9110 §11.2), never auth-params. */
export const TOKEN68_SCHEMES: ReadonlySet<string> = new Set(['basic', 'bearer', 'dpop', 'negotiate', 'ntlm', 'mac', 'token']);

/**
 * Authentication schemes people send (IANA HTTP Authentication Scheme Registry, plus the common
 * unregistered ones), lower-case. A first word that is one of these is a scheme even when the
 * rest is malformed.
 */
export const KNOWN_SCHEMES: ReadonlySet<string> = new Set([
  'basic',
  'bearer',
  'concealed',
  'digest',
  'dpop',
  'gnap',
  'hoba',
  'mutual',
  'negotiate',
  'ntlm',
  'oauth',
  'privatetoken',
  'scram-sha-1',
  'scram-sha-256',
  'vapid',
  'aws4-hmac-sha256',
  'token',
  'apikey',
  'api-key',
  'key',
  'jwt',
  'mac',
  'hawk',
  'signature',
  'hmac',
  'sharedaccesssignature',
  'sharedkey',
  'sharedkeylite',
  'splunk',
  'sso-key',
  'client-id',
  'kerberos',
  'session',
]);

/**
 * Whether the first word of an Authorization value can be a scheme name: a known scheme, or a
 * short word of letters (digits only after a hyphen, as in "AWS4-HMAC-SHA256") followed by a
 * space. Anything else (a JWT, "sk_live_…", a hex string) is the credential itself.
 */
export function isSchemeWord(word: string, followedBySpace: boolean): boolean {
  const lower = word.toLowerCase();
  if (KNOWN_SCHEMES.has(lower)) return true;
  return followedBySpace && word.length <= 20 && /^[A-Za-z]+(?:-[A-Za-z0-9]+)*$/.test(word);
}

/** Headers whose whole value is a credential (besides Authorization, Proxy-Authorization, Cookie, Set-Cookie). */
const CREDENTIAL_HEADERS: ReadonlySet<string> = new Set([
  'dpop',
  'x-api-key',
  'api-key',
  'apikey',
  'x-apikey',
  'x-auth-token',
  'x-access-token',
  'x-id-token',
  'x-refresh-token',
  'x-csrf-token',
  'x-xsrf-token',
  'csrf-token',
  'x-amz-security-token',
  'x-goog-api-key',
  'x-functions-key',
  'ocp-apim-subscription-key',
  'x-session-token',
  'x-session-id',
  'x-jwt',
  'jwt',
  'token',
  'x-token',
  'access-token',
  'access_token',
  'authentication',
  'x-authorization',
  'x-upstream-authorization',
  'cf-access-token',
  'cf-access-jwt-assertion',
  'x-shopify-access-token',
  'private-token',
  'x-vault-token',
  'auth',
  'x-auth',
  'bearer',
  'x-client-secret',
  'x-hub-signature',
  'x-hub-signature-256',
]);

/** Any word of a header name that says it carries a credential ("X-My-Session-Token", "X-Api-Secret"). */
const CREDENTIAL_WORD = /(?:^|[-_])(?:token|secret|password|passwd|apikey|api-key|session|sessionid|signature|jwt|bearer|credentials?|auth|authorization|cookie)(?:$|[-_])/i;

/** Headers that name auth words but carry no secret: challenges, CORS, the Fetch metadata. */
const NOT_SECRET_HEADERS = /^(?:www-authenticate|proxy-authenticate|access-control-[a-z-]+|sec-fetch-[a-z-]+|authentication-control)$/i;

/** A request header other than Authorization/Cookie that carries a credential (DESIGN.md credentials-wrong-place). */
export function isCredentialHeader(name: string): boolean {
  const n = name.toLowerCase();
  if (n === 'authorization' || n === 'proxy-authorization' || n === 'cookie' || n === 'set-cookie') return false;
  if (NOT_SECRET_HEADERS.test(n)) return false;
  return CREDENTIAL_HEADERS.has(n) || CREDENTIAL_WORD.test(n) || secretByWords(nameWords(name).filter((w, i) => !(i === 0 && w === 'x')));
}

/** Any header whose value is secret, whole or in part. */
export function isSecretHeader(name: string): boolean {
  const n = name.toLowerCase();
  return n === 'authorization' || n === 'proxy-authorization' || n === 'cookie' || n === 'set-cookie' || n === 'authentication-info' || n === 'proxy-authentication-info' || isCredentialHeader(name);
}

/** Names of query parameters, form fields and JSON keys that carry secrets. */
const SECRET_NAME =
  /^(?:access[_-]?token|id[_-]?token|refresh[_-]?token|token|auth|authorization|api[_-]?key|apikey|key|secret|client[_-]?secret|password|passwd|pass|pwd|code|code[_-]?verifier|session|session[_-]?id|sessionid|sid|jsessionid|phpsessid|aspsessionid|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential|jwt|assertion|client[_-]?assertion|saml(?:response|request)|ticket|otp|pin|csrf[_-]?token|xsrf[_-]?token|_csrf|nonce|state|oauth[_-]?token|oauth[_-]?signature|oauth[_-]?token[_-]?secret|oauth[_-]?verifier|hash|private[_-]?token|bearer)$/i;

/**
 * The words of a name in any naming style, lower-cased: "authToken" → auth token,
 * "X-RapidAPI-Key" → x rapid api key, "user[password]" and "user%5Bpassword%5D" → user password.
 * Separators are anything but letters and digits; case changes split camel and Pascal case, an
 * acronym ending where a capitalised word starts ("APIToken" → api token). Linear; a name is read
 * up to its first 256 characters.
 */
export function nameWords(name: string): string[] {
  let n = name.length > 256 ? name.slice(0, 256) : name;
  if (n.indexOf('%') !== -1) {
    try {
      n = decodeURIComponent(n);
    } catch {
      // a stray "%": read as written
    }
  }
  const words: string[] = [];
  for (const part of n.split(/[^A-Za-z0-9]+/)) {
    if (part === '') continue;
    for (const w of part.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2').split(' ')) words.push(w.toLowerCase());
  }
  return words;
}

/** Words that make any name secret wherever they stand ("newPassword", "X-Vault-Token", "auth[token]"). */
const SECRET_WORDS: ReadonlySet<string> = new Set([
  'token', 'tokens', 'secret', 'secrets', 'password', 'passwords', 'passwd', 'passphrase', 'passcode', 'pwd', 'pw', 'pass',
  'apikey', 'signature', 'sig', 'jwt', 'bearer', 'hmac', 'otp', 'totp', 'hotp', 'mfa',
  'sessionid', 'jsessionid', 'phpsessid', 'sid', 'pin', 'assertion', 'authorization',
]);

/** Last words that turn a secret word into a name about the secret, not the secret ("token_type", "password_policy"). */
const ABOUT_A_SECRET: ReadonlySet<string> = new Set([
  'type', 'types', 'endpoint', 'url', 'uri', 'kind', 'format', 'method', 'methods', 'length', 'len', 'expires', 'expiry',
  'expiration', 'ttl', 'lifetime', 'count', 'policy', 'strength', 'required', 'enabled', 'status', 'version', 'alg', 'algorithm',
]);

/** A key that names a key that is not secret (a public key, a key id, an idempotency or cache key). */
const PUBLIC_KEY_WORDS: ReadonlySet<string> = new Set(['public', 'idempotency', 'cache', 'sort', 'partition', 'primary', 'foreign', 'row', 'routing', 'lookup', 'map', 'dedup', 'dedupe', 'object', 'publishable', 'site']);

/** Words before "code" that make it a secret code ("verification_code", "mfaCode"), not a status or country code. */
const SECRET_CODE_WORDS: ReadonlySet<string> = new Set(['verification', 'verify', 'mfa', 'otp', 'totp', 'auth', 'authorization', 'authentication', 'recovery', 'backup', 'reset', 'confirmation', 'confirm', 'security', 'sms', 'login', 'access', 'activation', 'invite', 'magic', '2fa', 'twofa', 'one', 'user', 'device']);

/** One word that glues a secret word to another ("authtoken", "xapikey", "masterkey"). */
const GLUED_SECRET = /(?:token|secret|password|passwd|passphrase|apikey)$|^(?:api|secret|private|master|client|access|app|subscription|license|signing|encryption|session|auth|admin|service)key$|^(?:verification|mfa|otp|totp|auth|recovery|backup|reset|security|sms|login|activation)code$/;

function secretByWords(words: readonly string[]): boolean {
  const last = words[words.length - 1];
  if (last === undefined) return false;
  if (ABOUT_A_SECRET.has(last) && words.length > 1) return false;
  if (last === 'key' || last === 'keys') return !words.some((w) => PUBLIC_KEY_WORDS.has(w)) && !(words.length > 1 && words[words.length - 2] === 'id');
  if (last === 'code' || last === 'codes') return words.length === 1 || words.some((w) => SECRET_CODE_WORDS.has(w) || SECRET_WORDS.has(w));
  for (const w of words) if (SECRET_WORDS.has(w) || GLUED_SECRET.test(w)) return true;
  return false;
}

/** A name (query parameter, form field, JSON key, GraphQL argument) whose value is a secret, in any naming style. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) || /(?:^|[_-])(?:token|secret|password|signature)$/i.test(name) || secretByWords(nameWords(name));
}

/**
 * Parameters of Authorization credentials that are not secret (Digest's bookkeeping, OAuth
 * 1.0a's method and timing, SigV4's signed headers): every other parameter is masked.
 */
const PUBLIC_CREDENTIAL_PARAMS: ReadonlySet<string> = new Set([
  'realm',
  'username',
  'uri',
  'qop',
  'nc',
  'algorithm',
  'opaque',
  'nonce',
  'userhash',
  'charset',
  'oauth_signature_method',
  'oauth_timestamp',
  'oauth_version',
  'oauth_consumer_key',
  'oauth_callback',
  'signedheaders',
  'keyid',
  'headers',
  'created',
  'expires',
]);

export function isPublicCredentialParam(name: string): boolean {
  return PUBLIC_CREDENTIAL_PARAMS.has(name.toLowerCase());
}

/** What each auth-parameter of a challenge means (RFC 9110 §11, RFC 6750 §3, RFC 7616, RFC 9449, RFC 9728). */
const CHALLENGE_PARAMS: Readonly<Record<string, string>> = {
  realm: 'the protection space: which credentials apply',
  scope: 'the permissions (scopes) the request needs',
  error: 'the server’s error code',
  error_description: 'the server’s explanation, in its own words',
  error_uri: 'a page about the error',
  algs: 'the DPoP proof algorithms accepted',
  resource_metadata: 'where the API describes how to get a token for it (RFC 9728)',
  nonce: 'a one-time value to compute the Digest response with',
  stale: 'true: the password was right, only the nonce expired',
  qop: 'the Digest quality of protection offered',
  algorithm: 'the Digest hash algorithm',
  opaque: 'a value the client must send back unchanged',
  charset: 'the encoding of user name and password (UTF-8)',
};

/** RFC 6750 §3.1 and RFC 9449 §7.1/§8: the error codes a Bearer or DPoP challenge states. */
const CHALLENGE_ERRORS: Readonly<Record<string, string>> = {
  invalid_token: 'the token is expired, revoked, malformed or not for this API',
  insufficient_scope: 'the token is valid but lacks a permission this request needs',
  invalid_request: 'the request is malformed (a missing or repeated parameter)',
  use_dpop_nonce: 'retry with a DPoP proof carrying the server’s nonce',
  invalid_dpop_proof: 'the DPoP proof was refused',
};

/** What a challenge parameter says, in words ("" when it is not a standard one). */
export function challengeParamMeaning(name: string, value: string): string {
  const base = Object.hasOwn(CHALLENGE_PARAMS, name) ? CHALLENGE_PARAMS[name]! : '';
  const error = name === 'error' && Object.hasOwn(CHALLENGE_ERRORS, value) ? CHALLENGE_ERRORS[value]! : '';
  return error ? `${base}: ${error}` : base;
}

/**
 * Endpoints whose success ends a credential rather than proves it (RFC 7009 token revocation,
 * OpenID end_session, sign-out routes): such a 200 is never "the same token worked earlier".
 */
const SESSION_ENDING_PATH = /\/(revoke|revocation|logout|log-out|signout|sign-out|sign_out|end[-_]?session)(\/|$|\?|#|\.)/i;

export function endsSession(url: string): boolean {
  return SESSION_ENDING_PATH.test(url);
}

/**
 * Values whose shape says "secret" wherever they appear: the documented prefixes of common API
 * keys and tokens (GitHub, GitLab, Stripe, Slack, AWS, Google, OpenAI, npm, Hugging Face…).
 */
const SECRET_PREFIX = /^(gh[pousr]_|github_pat_|glpat-|sk_(live|test)_|rk_(live|test)_|pk_live_|xox[abposr]-|AKIA|ASIA|AIza|sk-|npm_|hf_|ya29\.|EAA)/;

/** A known-prefix key or token inside text ("…token ghp_abc… was revoked"): long enough not to be a word. */
export function hasSecretPrefix(run: string): boolean {
  return run.length >= 16 && SECRET_PREFIX.test(run);
}

/** A value that reads as a key or token (a known prefix, or a long mix of cases and digits), not as a name. */
export function looksLikeSecretValue(value: string): boolean {
  if (SECRET_PREFIX.test(value)) return true;
  return value.length >= 20 && /[a-z]/.test(value) && /[A-Z]/.test(value) && (value.match(/\d/g)?.length ?? 0) >= 3;
}

/** Whether the text has the outline of a compact JWS (three base64url segments, JSON header). */
export function looksLikeJwt(token: string): boolean {
  return token.startsWith('eyJ') && token.split('.').length === 3;
}

/** A template's name: letters, digits and separators, a dotted path at most, not a token's characters. */
const TEMPLATE_NAME = '[A-Za-z_][A-Za-z0-9_.-]{0,48}';
/** Documentation's angle-bracket placeholders may be a few words: `<your token>`, `<paste API key here>`. */
const TEMPLATE_WORDS = `${TEMPLATE_NAME}(?: [A-Za-z0-9_.-]{1,24}){0,5}`;
const TEMPLATE = new RegExp(`^(\\$\\{\\s*${TEMPLATE_NAME}\\s*\\}|\\{\\{\\s*${TEMPLATE_NAME}\\s*\\}\\}|<\\s*${TEMPLATE_WORDS}\\s*>|%${TEMPLATE_NAME}%|\\$[A-Z_][A-Z0-9_]{0,47})$`);

/** Values that stand where a token should be but are not one (the placeholder-token cause); redaction shows them, since they are the diagnosis. */
export function placeholderKind(value: string): string | undefined {
  const v = value.trim();
  if (v === '') return 'empty';
  // Placeholders are short: a long value is only checked for a run of x or * (and never copied).
  if (v.length > 256) return /^x{6}x*$/i.test(v) || /^\*{3}\**$/.test(v) ? 'a masked sample value' : undefined;
  const lower = v.toLowerCase();
  if (['undefined', 'null', 'nil', 'none', 'nan', 'false', 'true', '[object object]', 'object object', 'bearer', 'token', 'string', '""', "''"].includes(lower)) {
    return v;
  }
  // A template is a name inside its brackets (`${TOKEN}`, `{{ access_token }}`, `<your-token>`,
  // `%TOKEN%`, `$API_KEY`): a real token inside brackets (`<eyJ…>`, `{{sk_live_…}}`) is a secret.
  if (TEMPLATE.test(v)) {
    const name = v.replace(/^[$<{%]+\s*|\s*[}>%]+$/g, '');
    if (!name.split(' ').some((w) => looksLikeJwt(w) || looksLikeSecretValue(w))) return 'an unexpanded template';
  }
  if (/^(your|my|insert|put|paste|replace|example)[-_ ]?(access[-_ ]?)?(token|key|jwt|api[-_ ]?key)([-_ ]?here)?$/i.test(v)) return 'a sample value';
  if (/^x{6}x*$/i.test(v) || /^\*{3}\**$/.test(v)) return 'a masked sample value';
  return undefined;
}
