/** The rule for `dpop-nonce-required` (DESIGN.md, "Causes"): when the evidence fits it, and the finding it writes. */
import { defineRule } from './rule.ts';
import { challengeEvidence, statusEvidence } from './words.ts';

/** RFC 9449 §8 (authorization server) and §9 (resource server) nonces. */
export default defineRule('dpop-nonce-required', (f) => {
  if (f.dpopNonce === undefined) return undefined;
  const stated = f.stated?.view.error === 'use_dpop_nonce';
  const inBody = f.bodySnippet !== undefined && /use_dpop_nonce/.test(f.bodySnippet);
  if (!stated && !inBody && f.status !== 400 && f.status !== 401) return undefined;
  return {
    confidence: stated || inBody ? 'high' : 'medium',
    title: 'The server wants a new DPoP proof that includes its nonce (error "use_dpop_nonce")',
    explanation: `The server answered ${f.status}${stated || inBody ? ' with error "use_dpop_nonce"' : ''} and a DPoP-Nonce header: it requires each DPoP proof to carry a nonce it issued (RFC 9449 ${f.status === 400 ? '§8' : '§9'}). ${f.dpopProofSent ? 'The DPoP proof sent had no nonce, or an old one.' : 'No DPoP proof header was sent.'} Retrying once with a new proof whose "nonce" claim is the DPoP-Nonce value is the expected next step; this is part of the protocol, not an error in the token.`,
    plain: 'A normal security handshake step: the app is expected to retry right away with a fresh proof.',
    evidence: [
      statusEvidence(f),
      { kind: 'response-header', label: 'DPoP-Nonce', value: f.dpopNonce.slice(0, 200) },
      ...(f.hasChallengeHeader ? [challengeEvidence(f)] : []),
      ...(inBody ? [{ kind: 'body' as const, label: 'Response body', value: 'error: use_dpop_nonce' }] : []),
    ],
  };
});
