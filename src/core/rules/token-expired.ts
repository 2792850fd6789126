/** The rule for `token-expired` (DESIGN.md, "Causes"): when the evidence fits it, and the finding it writes. */
import type { Facts, JudgedToken } from '../verdict/facts.ts';
import { duration, iso, when } from '../verdict/time.ts';
import { isExpiredAt } from '../tokens/token-times.ts';
import { defineRule } from './rule.ts';
import { challengeEvidence, claimEvidence, clockTime, credentialsEvidence, quote, schemeName, timeKnown } from './words.ts';

const SAYS_EXPIRED = /expir|\bexp\b.*(passed|past)|jwt expired|token is (too )?old/i;

function serverSaysExpired(f: Facts): string | undefined {
  const d = f.stated?.view.errorDescription;
  if (d !== undefined && SAYS_EXPIRED.test(d)) return d;
  if (f.bodySnippet && /(token|jwt|session)[^.\n]{0,40}expired|expired[^.\n]{0,20}(token|jwt)/i.test(f.bodySnippet)) return 'the response body says the token expired';
  return undefined;
}

function expiredToken(f: Facts): JudgedToken | undefined {
  if (!timeKnown(f)) return undefined;
  const candidates = f.token ? [f.token, ...f.cookieTokens.filter((t) => t !== f.token)] : f.cookieTokens;
  return candidates.find((t) => t.info.exp !== undefined && isExpiredAt(t.info.exp, f.at, f.skewMs));
}

function tokenName(t: JudgedToken, f: Facts): string {
  if (t.source === 'cookie') return `JWT in the cookie "${t.cookieName ?? ''}"`;
  return f.credentials ? `${schemeName(f.credentials.scheme)} token` : 'token';
}

export default defineRule('token-expired', (f) => {
  const said = serverSaysExpired(f);
  const t = expiredToken(f);
  if (t) {
    const exp = t.info.exp! * 1000;
    const iat = t.info.iat !== undefined ? t.info.iat * 1000 : undefined;
    const lifetime = iat !== undefined && iat < exp ? ` It was issued ${iso(iat)}, so it lived ${duration(exp - iat)}.` : '';
    return {
      confidence: 'high',
      title: `The ${t.source === 'authorization' ? 'access token' : tokenName(t, f)} expired ${when(exp, f.at, 'this request')}`,
      explanation: `The ${tokenName(t, f)} is a JWT whose exp claim is ${iso(exp)}; the request was sent at ${iso(f.at)}, ${duration(f.at - exp)} later.${lifetime}${said ? ` The server confirms: ${quote(said)}.` : ''} An expired token is refused however valid it was before.`,
      plain: `You're signed out of ${f.host || 'this site'}: your sign-in token expired at ${clockTime(exp)}.`,
      evidence: [
        claimEvidence('exp', t.info.exp!, 'before the request time'),
        ...(t.info.iat !== undefined ? [claimEvidence('iat', t.info.iat)] : []),
        { kind: 'timeline', label: 'Request time', value: iso(f.at) },
        t.source === 'authorization' ? credentialsEvidence(f) : { kind: 'cookie', label: t.cookieName ?? 'cookie', value: '[redacted JWT]' },
        ...(said ? [challengeEvidence(f)] : []),
      ],
    };
  }
  if (!said) return undefined;
  const exp = f.token?.info.exp;
  const future = exp !== undefined && timeKnown(f) && exp * 1000 > f.at;
  return {
    confidence: future ? 'medium' : 'high',
    title: `The server says the token expired: ${quote(said, 120)}`,
    explanation: `The server refused the ${f.token ? tokenName(f.token, f) : 'credentials'} as expired (${quote(said)}).${future ? ` Yet its exp claim is ${when(exp! * 1000, f.at, 'this request')}: the server's clock or its own session lifetime disagrees with the token.` : f.token?.info.kind === 'opaque' ? ' The token is opaque (not a JWT), so its expiry can only be known from the server.' : ''}`,
    plain: `You're signed out of ${f.host || 'this site'}: your sign-in expired.`,
    evidence: [challengeEvidence(f), credentialsEvidence(f), ...(exp !== undefined ? [claimEvidence('exp', exp)] : [])],
  };
});
