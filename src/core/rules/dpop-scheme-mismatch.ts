/** The rule for `dpop-scheme-mismatch` (DESIGN.md, "Causes"): when the evidence fits it, and the finding it writes. */
import { defineRule } from './rule.ts';
import { challengeEvidence, credentialsEvidence, offeredSchemes } from './words.ts';

/** RFC 9449 §7.1: DPoP-bound tokens use the DPoP scheme plus a DPoP proof; Bearer tokens the Bearer scheme. */
export default defineRule('dpop-scheme-mismatch', (f) => {
  const sent = f.credentials?.scheme;
  if (sent !== 'bearer' && sent !== 'dpop') return undefined;
  const offered = offeredSchemes(f);
  const bound = f.token?.info.cnfJkt !== undefined;
  const evidence = [credentialsEvidence(f), challengeEvidence(f)];
  if (sent === 'bearer' && offered.has('dpop') && !offered.has('bearer')) {
    return {
      confidence: 'high',
      title: 'The server accepts only DPoP-bound tokens, but a Bearer token was sent',
      explanation: `${f.challengeHeader} offers DPoP and not Bearer: the server wants "Authorization: DPoP <token>" with a DPoP proof header signed by the key the token is bound to (RFC 9449 §7.1). The request sent "Bearer <token>"${bound ? ', although the token is DPoP-bound (it has a cnf.jkt claim)' : ''}.`,
      plain: 'The app sent your sign-in in an older form this server no longer accepts; this is a problem in the app.',
      evidence,
    };
  }
  if (sent === 'dpop' && offered.has('bearer') && !offered.has('dpop')) {
    return {
      confidence: 'high',
      title: 'The server accepts only Bearer tokens, but the DPoP scheme was sent',
      explanation: `${f.challengeHeader} offers Bearer and not DPoP, so the server does not understand "Authorization: DPoP …". Send "Authorization: Bearer <token>" (if the token is not bound to a key), or enable DPoP on the server.`,
      plain: 'The app sent your sign-in in a form this server does not accept; this is a problem in the app.',
      evidence,
    };
  }
  if (sent === 'bearer' && bound && offered.has('dpop')) {
    return {
      confidence: 'medium',
      title: 'The token is DPoP-bound (cnf.jkt) but was sent with the Bearer scheme',
      explanation: `The token carries a cnf.jkt claim, so it is bound to a DPoP key and must be sent as "Authorization: DPoP <token>" together with a DPoP proof (RFC 9449 §7.1). Sent as Bearer, a server that knows the binding refuses it.`,
      plain: 'The app sent your sign-in in the wrong form; this is a problem in the app.',
      evidence,
    };
  }
  if (sent === 'dpop' && !f.dpopProofSent) {
    return {
      confidence: 'medium',
      title: 'The DPoP scheme was used without a DPoP proof header',
      explanation: 'The request sent "Authorization: DPoP <token>" but no "DPoP" header with a proof JWT; a DPoP-bound token is only accepted with a fresh proof signed by its key (RFC 9449 §4, §7.1).',
      plain: 'The app sent your sign-in without the proof that must accompany it; this is a problem in the app.',
      evidence: [credentialsEvidence(f), { kind: 'request-header', label: 'DPoP', note: 'not sent' }],
    };
  }
  return undefined;
});
