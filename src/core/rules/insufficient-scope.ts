/** The rule for `insufficient-scope` (DESIGN.md, "Causes"): when the evidence fits it, and the finding it writes. */
import { defineRule } from './rule.ts';
import { challengeEvidence, quote, statedDescription, statusEvidence } from './words.ts';

/** RFC 6750 §3.1: insufficient_scope (usually with 403) names the scope the request needs. */
export default defineRule('insufficient-scope', (f) => {
  if (f.stated?.view.error !== 'insufficient_scope') return undefined;
  const asked = f.stated.view.scope ?? [];
  const held = f.token?.info.scopes;
  // A set: scopes asked × scopes held compared pairwise took 15 s on a 1.3 MB challenge.
  const heldSet = held ? new Set(held) : undefined;
  const missing = heldSet ? asked.filter((s) => !heldSet.has(s)) : asked;
  const askedText = asked.length > 0 ? `, asking for the scope ${quote(asked.join(' '), 120)}` : '';
  const heldText = held
    ? ` The token holds ${held.length > 0 ? quote(held.join(' '), 160) : 'no scopes'}${missing.length > 0 && held.length > 0 ? `; missing: ${quote(missing.join(' '), 120)}` : ''}.`
    : f.token
      ? ' The token is not a readable JWT, so the scopes it holds are not known here.'
      : '';
  return {
    confidence: 'high',
    title: `The token lacks the permission this request needs${missing.length > 0 ? `: ${quote(missing.join(' '), 80)}` : ''}`,
    explanation: `The server answered ${f.status} with error "insufficient_scope"${askedText}${statedDescription(f)}.${heldText} The token is valid, but it was not granted what this call requires.`,
    plain: `You're signed in, but your account or app did not get permission for this action${missing.length > 0 ? ` (${missing.slice(0, 3).join(', ')})` : ''}.`,
    evidence: [statusEvidence(f), challengeEvidence(f), ...(held ? [{ kind: 'claim' as const, label: 'scope', value: held.join(' ').slice(0, 300) }] : [])],
  };
});
