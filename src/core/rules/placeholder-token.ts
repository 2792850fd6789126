/** The rule for `placeholder-token` (DESIGN.md, "Causes"): when the evidence fits it, and the finding it writes. */
import { placeholderKind } from '../redaction/redact.ts';
import type { Facts } from '../verdict/facts.ts';
import { defineRule } from './rule.ts';
import { credentialsEvidence, schemeName } from './words.ts';

function why(kind: string, shown: string): string {
  if (kind === 'empty') return 'nothing follows the scheme: the token is empty';
  if (kind === '[object Object]' || kind.toLowerCase() === '[object object]') {
    return 'the value is "[object Object]": a JavaScript object was turned into text instead of reading its token property (e.g. `${auth}` instead of `${auth.access_token}`)';
  }
  if (kind === 'an unexpanded template') return `the value ${shown} is a template or variable name that was never filled in`;
  if (kind === 'a sample value' || kind === 'a masked sample value') return `the value ${shown} is sample text from documentation, not a real token`;
  return `the value is the text ${shown}, which a script produces when it builds the header from a variable that was not set (the token was not loaded yet, or was read from the wrong place)`;
}

function placeholderIn(f: Facts): { kind: string; shown: string; where: string } | undefined {
  const c = f.credentials;
  if (c) {
    // The whole header is a placeholder word ("Authorization: undefined").
    if (c.bare && c.token !== null) {
      const kind = placeholderKind(c.token);
      if (kind) return { kind, shown: `"${c.token.slice(0, 60)}"`, where: `${f.credentialHeader} header` };
    }
    if (c.scheme !== '' && c.token !== null && c.scheme !== 'basic') {
      const kind = placeholderKind(c.token);
      if (kind) return { kind, shown: `"${c.token.slice(0, 60)}"`, where: `${schemeName(c.scheme)} token` };
    }
    if (c.scheme === 'basic' && c.basic && 'username' in c.basic) {
      const user = placeholderKind(c.basic.username);
      const pass = placeholderKind(c.basic.password);
      if (user && user !== 'empty' && (pass || c.basic.password === '')) {
        return { kind: user, shown: `"${c.basic.username.slice(0, 60)}"`, where: 'Basic user name and password' };
      }
    }
    // A scheme with an empty token ("Authorization: Bearer").
    const raw = f.entry.request.headers.find((h) => h.name.toLowerCase() === f.credentialHeader.toLowerCase())?.value ?? '';
    const whole = placeholderKind(raw);
    if (whole && (c.token === null || c.token === '')) return { kind: whole, shown: `"${raw.trim().slice(0, 60)}"`, where: `${f.credentialHeader} header` };
  }
  for (const cookie of f.sessionCookiesSent) {
    const kind = placeholderKind(cookie.value);
    if (kind && kind !== 'empty') return { kind, shown: `"${cookie.value.slice(0, 60)}"`, where: `cookie "${cookie.name}"` };
  }
  return undefined;
}

export default defineRule('placeholder-token', (f) => {
  const p = placeholderIn(f);
  if (!p) return undefined;
  return {
    confidence: 'high',
    title: `The ${p.where} is a placeholder, not a credential: ${p.kind === 'empty' ? 'it is empty' : p.shown}`,
    explanation: `In the ${p.where}, ${why(p.kind, p.shown)}. The server cannot accept it.`,
    plain: "The app did not attach your sign-in properly (it sent an empty or placeholder value).",
    evidence: [credentialsEvidence(f)],
  };
});
