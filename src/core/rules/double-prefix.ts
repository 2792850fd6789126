/** The rule for `double-prefix` (DESIGN.md, "Causes"): when the evidence fits it, and the finding it writes. */
import { defineRule } from './rule.ts';
import { credentialsEvidence, schemeName } from './words.ts';

export default defineRule('double-prefix', (f) => {
  if (!f.credentials?.repeatedScheme) return undefined;
  const s = schemeName(f.credentials.scheme);
  return {
    confidence: 'high',
    title: `The ${f.credentialHeader} header repeats its scheme: "${s} ${s} …"`,
    explanation: `The header reads "${s} ${s} <token>": the scheme word appears twice, so the server takes "${s}" for the token and refuses it. This happens when the stored value already starts with "${s} " and the code adds the prefix again.`,
    plain: `The app sent your sign-in in a garbled form ("${s} ${s} …"); this is a bug in the app.`,
    evidence: [credentialsEvidence(f)],
  };
});
