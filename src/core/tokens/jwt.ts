/**
 * Token inspection. JWTs (RFC 7519) are decoded with jwt-decode, never verified: the question
 * here is what the token says (exp, nbf, aud, scopes), not whether it is authentic.
 * JWE (RFC 7516, five parts) and opaque tokens are recognised as such.
 */
import { jwtDecode } from 'jwt-decode';
import type { DecodedToken } from '../exchange/har-types.ts';

export type TokenKind = 'jwt' | 'jwe' | 'opaque' | 'broken-jwt';

export interface TokenInfo {
  kind: TokenKind;
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
  /** Seconds since the epoch, when the claim is a number. */
  exp?: number;
  nbf?: number;
  iat?: number;
  aud?: string[];
  iss?: string;
  sub?: string;
  /** From `scope` (space-delimited), `scp`, `scopes` or `permissions`. */
  scopes?: string[];
  /** RFC 9449 §6.1: the thumbprint of the DPoP key the token is bound to. */
  cnfJkt?: string;
  /** Why a token that looks like a JWT could not be read (never quotes the token). */
  problem?: string;
  /** Claims that are present but of the wrong type (e.g. `exp` as a string). */
  claimProblems?: string[];
}

const SEGMENT = /^[A-Za-z0-9_-]*$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numericClaim(claims: Record<string, unknown>, name: string, problems: string[]): number | undefined {
  if (!Object.hasOwn(claims, name)) return undefined;
  const v = claims[name];
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v)) {
    problems.push(`"${name}" is a string, not a number (RFC 7519 §2 NumericDate)`);
    return Number(v);
  }
  problems.push(`"${name}" is not a NumericDate`);
  return undefined;
}

function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return value.split(/[ \t]+/).filter(Boolean);
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return undefined;
}

export { looksLikeJwt } from '../redaction/vocabulary.ts';

export function inspectToken(token: string): TokenInfo {
  const parts = token.split('.');
  const segmentsOk = parts.every((p) => SEGMENT.test(p));
  if (parts.length === 5 && segmentsOk && token.startsWith('eyJ')) {
    try {
      const header = jwtDecode<Record<string, unknown>>(token, { header: true });
      if (isRecord(header) && 'enc' in header) return { kind: 'jwe', header };
    } catch {
      // falls through to broken-jwt below
    }
    return { kind: 'broken-jwt', problem: 'five segments like a JWE, but the header is not a JWE header' };
  }
  const jwtShaped = parts.length === 3 && token.startsWith('eyJ');
  if (!jwtShaped) {
    if (token.startsWith('eyJ') && (parts.length === 2 || parts.length === 4)) {
      return { kind: 'broken-jwt', problem: `it has ${parts.length} segments; a JWT has 3 (header.payload.signature)` };
    }
    return { kind: 'opaque' };
  }
  if (!segmentsOk) return { kind: 'broken-jwt', problem: 'a segment contains characters outside base64url' };
  let header: unknown;
  try {
    header = jwtDecode(token, { header: true });
  } catch {
    return { kind: 'broken-jwt', problem: 'the header is not base64url-encoded JSON' };
  }
  let claims: unknown;
  try {
    claims = jwtDecode(token);
  } catch {
    return { kind: 'broken-jwt', problem: 'the payload is not base64url-encoded JSON' };
  }
  if (!isRecord(header)) return { kind: 'broken-jwt', problem: 'the header is not a JSON object' };
  if (!isRecord(claims)) return { kind: 'broken-jwt', problem: 'the payload is not a JSON object' };
  if (parts[2] === '' && header['alg'] !== 'none') {
    return { kind: 'broken-jwt', header, claims, problem: 'the signature segment is empty' };
  }
  return tokenInfoFromParts(header, claims);
}

/** What a masked export kept of a token (see Why401Fields.token). */
export function tokenInfoFromDecoded(d: DecodedToken): TokenInfo {
  if (d.kind === 'jwt' && d.header && d.claims) return tokenInfoFromParts(d.header, d.claims);
  const info: TokenInfo = { kind: d.kind };
  if (d.header) info.header = d.header;
  if (d.problem) info.problem = d.problem;
  return info;
}

/** Claims the diagnosis reads; an export keeps only these (no names, e-mails or custom claims). */
const DIAGNOSTIC_CLAIMS = ['exp', 'nbf', 'iat', 'aud', 'iss', 'scope', 'scp', 'scopes', 'permissions', 'azp', 'client_id', 'token_use', 'typ'];
const DIAGNOSTIC_HEADER = ['alg', 'typ', 'kid', 'enc'];
/** Claims only an OpenID Connect ID token carries (OpenID Connect Core §2, §3.3.2.11): kept in a masked export by presence, never by value. */
const ID_TOKEN_CLAIMS = ['nonce', 'at_hash', 'c_hash'] as const;

/**
 * What says a JWT is an ID token, not an access token: the ID-token-only claims it carries, and
 * Amazon Cognito's `token_use: "id"`. Empty for a token that says it is an access token
 * (`typ: at+jwt`, RFC 9068 §2.1) or that is not a JWT.
 */
export function idTokenSigns(info: TokenInfo): string[] {
  const claims = info.claims;
  if (info.kind !== 'jwt' || !claims) return [];
  const typ = typeof info.header?.['typ'] === 'string' ? (info.header['typ'] as string).toLowerCase() : '';
  if (typ === 'at+jwt' || typ === 'application/at+jwt') return [];
  const signs: string[] = ID_TOKEN_CLAIMS.filter((c) => Object.hasOwn(claims, c));
  if (claims['token_use'] === 'id') signs.push('token_use "id"');
  return signs;
}

function pick(source: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (Object.hasOwn(source, k)) out[k] = source[k];
  return out;
}

/** The part of a token's inspection that is safe to keep in a masked export. */
export function decodedOf(info: TokenInfo): DecodedToken {
  const d: DecodedToken = { kind: info.kind };
  if (info.header) d.header = pick(info.header, DIAGNOSTIC_HEADER);
  if (info.kind === 'jwt' && info.claims) {
    const claims = pick(info.claims, DIAGNOSTIC_CLAIMS);
    if (info.cnfJkt !== undefined) claims['cnf'] = { jkt: info.cnfJkt };
    for (const c of ID_TOKEN_CLAIMS) if (Object.hasOwn(info.claims, c)) claims[c] = '[present]';
    d.claims = claims;
  }
  if (info.problem) d.problem = info.problem;
  return d;
}

/** What a JWT says, from its decoded header and claims (also used for masked exports that carry them). */
export function tokenInfoFromParts(header: Record<string, unknown>, claims: Record<string, unknown>): TokenInfo {
  const claimProblems: string[] = [];
  const info: TokenInfo = { kind: 'jwt', header, claims };
  const exp = numericClaim(claims, 'exp', claimProblems);
  const nbf = numericClaim(claims, 'nbf', claimProblems);
  const iat = numericClaim(claims, 'iat', claimProblems);
  if (exp !== undefined) info.exp = exp;
  if (nbf !== undefined) info.nbf = nbf;
  if (iat !== undefined) info.iat = iat;
  const aud = stringList(claims['aud']);
  if (aud) info.aud = typeof claims['aud'] === 'string' ? [claims['aud']] : aud;
  if (typeof claims['iss'] === 'string') info.iss = claims['iss'];
  if (typeof claims['sub'] === 'string') info.sub = claims['sub'];
  const scopes = stringList(claims['scope']) ?? stringList(claims['scp']) ?? stringList(claims['scopes']) ?? stringList(claims['permissions']);
  if (scopes) info.scopes = scopes;
  const cnf = claims['cnf'];
  if (isRecord(cnf) && typeof cnf['jkt'] === 'string') info.cnfJkt = cnf['jkt'];
  if (claimProblems.length > 0) info.claimProblems = claimProblems;
  return info;
}
