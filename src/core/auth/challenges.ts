/**
 * WWW-Authenticate and Proxy-Authenticate (RFC 9110 §11.6.1, §11.7.1): every challenge of
 * every field, in order, with typed views for the schemes the diagnosis knows.
 */
import { scanAuthField, type AuthItem, type ScannedItem, type SyntaxProblem } from './auth-syntax.ts';
import { getOwn } from './syntax.ts';

export type Challenge = AuthItem;

export interface ParsedChallenges {
  challenges: Challenge[];
  problems: SyntaxProblem[];
}

/** Parse one or more header field values (repeated fields stay separate: a challenge never spans two). */
export function parseChallenges(fields: string | readonly string[]): ParsedChallenges {
  const list = typeof fields === 'string' ? [fields] : fields;
  const scanned: ScannedItem[] = [];
  const problems: SyntaxProblem[] = [];
  list.forEach((value, field) => scanAuthField(value, field, scanned, problems));
  return { challenges: scanned, problems };
}

export function param(c: Challenge, name: string): string | undefined {
  return getOwn(c.params, name);
}

/** RFC 6750 §3 and RFC 9449 §7.1 list scopes and algorithms space-delimited. */
function spaceList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value.split(/[ \t]+/).filter((s) => s.length > 0);
}

export interface BasicChallenge {
  realm?: string;
  charset?: string;
}

export interface BearerChallenge {
  realm?: string;
  scope?: string[];
  error?: string;
  errorDescription?: string;
  errorUri?: string;
  /** DPoP (RFC 9449 §7.1): the JWS algorithms the server accepts for proofs. */
  algs?: string[];
  /** RFC 9728 §5.1: where the protected resource metadata lives. */
  resourceMetadata?: string;
}

export interface DigestChallenge {
  realm?: string;
  domain?: string[];
  nonce?: string;
  opaque?: string;
  stale?: boolean;
  algorithm?: string;
  qop?: string[];
  charset?: string;
  userhash?: boolean;
}

function assignDefined<T extends object>(target: T, values: { [K in keyof T]?: T[K] | undefined }): T {
  for (const [k, v] of Object.entries(values)) {
    if (v !== undefined) (target as Record<string, unknown>)[k] = v;
  }
  return target;
}

export function basicView(c: Challenge): BasicChallenge {
  return assignDefined<BasicChallenge>({}, { realm: param(c, 'realm'), charset: param(c, 'charset') });
}

/** Bearer (RFC 6750 §3) and DPoP (RFC 9449 §7.1) share their parameters. */
export function bearerView(c: Challenge): BearerChallenge {
  return assignDefined<BearerChallenge>(
    {},
    {
      realm: param(c, 'realm'),
      scope: spaceList(param(c, 'scope')),
      error: param(c, 'error'),
      errorDescription: param(c, 'error_description'),
      errorUri: param(c, 'error_uri'),
      algs: spaceList(param(c, 'algs')),
      resourceMetadata: param(c, 'resource_metadata'),
    },
  );
}

/** Digest (RFC 7616 §3.3). */
export function digestView(c: Challenge): DigestChallenge {
  const stale = param(c, 'stale');
  const userhash = param(c, 'userhash');
  const qop = param(c, 'qop');
  return assignDefined<DigestChallenge>(
    {},
    {
      realm: param(c, 'realm'),
      domain: spaceList(param(c, 'domain')),
      nonce: param(c, 'nonce'),
      opaque: param(c, 'opaque'),
      stale: stale === undefined ? undefined : stale.toLowerCase() === 'true',
      algorithm: param(c, 'algorithm'),
      qop: qop === undefined ? undefined : qop.split(',').map((s) => s.trim()).filter(Boolean),
      charset: param(c, 'charset'),
      userhash: userhash === undefined ? undefined : userhash.toLowerCase() === 'true',
    },
  );
}

export function hasScheme(challenges: readonly Challenge[], scheme: string): boolean {
  return challenges.some((c) => c.scheme === scheme);
}

/** The RFC 6750 / RFC 9449 error of the first Bearer or DPoP challenge that states one. */
export function statedError(challenges: readonly Challenge[]): { scheme: string; view: BearerChallenge } | undefined {
  for (const c of challenges) {
    if (c.scheme !== 'bearer' && c.scheme !== 'dpop') continue;
    const view = bearerView(c);
    if (view.error !== undefined) return { scheme: c.scheme, view };
  }
  return undefined;
}
