/**
 * Response bodies as evidence (core/verdict/body-signals.ts): the server's own words, quoted redacted,
 * beside the finding they support, or as a finding of their own when no rule saw the cause in
 * the headers. Bodies can hold tokens: anything token-shaped in a quote is masked.
 */
import { CAUSES } from './causes.ts';
import type { Facts } from './facts.ts';
import type { Evidence } from './finding.ts';
import { mask, redactJwtsInText, replaceOutsideMasks } from '../redaction/redact-url.ts';
import type { MatchedSignal } from './body-signals.ts';
import type { RuleOutcome } from '../rules/rule.ts';
import { quote } from '../rules/words.ts';
import { iso } from './time.ts';

/** A long run of token characters (an API key, a session id) in a quoted message: masked. */
const TOKEN_LIKE = /[A-Za-z0-9_\-+/=]{24}[A-Za-z0-9_\-+/=]*/g;

/** The matched message, as it may be quoted: JWTs and token-like runs masked, bounded, escaped. */
export function quotedBodyText(text: string): string {
  return quote(replaceOutsideMasks(redactJwtsInText(text), TOKEN_LIKE, (run) => mask(run)), 200);
}

export function bodyEvidence(m: MatchedSignal): Evidence {
  return { kind: 'body', label: `Response body (${m.signal.provider})`, value: quotedBodyText(m.text), note: m.signal.means };
}

/** A finding from the body alone: the server said it, in its words, and nothing in the headers did. */
export function bodyOutcome(f: Facts, m: MatchedSignal): RuleOutcome {
  const said = quotedBodyText(m.text);
  const label = CAUSES[m.signal.cause].label;
  let detail = '';
  const exp = f.token?.info.exp;
  if (m.signal.cause === 'token-expired' && exp !== undefined && !Number.isNaN(f.at)) {
    detail = exp * 1000 > f.at ? ` The token's own exp (${iso(exp * 1000)}) is after this request (${iso(f.at)}): the server's clock may be ahead, or it checks another token.` : ` The token's exp was ${iso(exp * 1000)}.`;
  }
  return {
    confidence: 'high',
    title: `The server says why in its response: ${said} (${label})`,
    explanation: `The response body says ${said}, which is how ${m.signal.provider} reports that ${m.signal.means}. The headers alone did not say so.${detail}`,
    plain: `${f.host || 'The site'} refused the request: ${m.signal.means}.`,
    evidence: [bodyEvidence(m)],
  };
}
