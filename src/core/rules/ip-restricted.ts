/** The rule for `ip-restricted` (DESIGN.md, "Causes"): when the evidence fits it, and the finding it writes. */
import { defineRule } from './rule.ts';
import { quote, statusEvidence } from './words.ts';

const NETWORK =
  /(\bIP\b|ip[- ]?address|client address|source address|remote address|your (network|location|country|region)|\bVPN\b|allow-?list|white-?list|geo[- ]?(block|restrict|fenc)|not (allowed|permitted|authorized) from|from (this|your) (network|address|location))/i;

/** Only the server's own words point here, so the confidence stays low. */
export default defineRule('ip-restricted', (f) => {
  const text = f.serverWords;
  const m = NETWORK.exec(text);
  if (!m) return undefined;
  // The sentence around the match.
  const start = Math.max(0, text.lastIndexOf('\n', m.index) + 1, m.index - 100);
  const endNl = text.indexOf('\n', m.index);
  const end = Math.min(endNl === -1 ? text.length : endNl, m.index + 140);
  const words = text.slice(start, end).trim();
  return {
    confidence: 'low',
    title: `The server's words point at a network restriction: ${quote(words, 120)}`,
    explanation: `The response says ${quote(words, 200)}, which reads like an address or network restriction (an IP allow-list, a VPN requirement, or geo-blocking) rather than a problem with the credentials. This is inferred from the text alone.`,
    plain: `${f.host || 'This site'} seems to accept requests only from certain networks.`,
    evidence: [statusEvidence(f), { kind: 'body', label: 'Server message', value: words.slice(0, 200) }],
  };
});
