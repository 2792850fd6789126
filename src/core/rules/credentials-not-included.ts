/** The rule for `credentials-not-included` (DESIGN.md, "Causes"): when the evidence fits it, and the finding it writes. */
import { iso } from '../verdict/time.ts';
import { defineRule } from './rule.ts';
import { asksForHeader, cookieNames, timeKnown } from './words.ts';

/**
 * Fetch standard: credentials mode "same-origin" (fetch's default) and XHR without
 * withCredentials send no cookies to another origin.
 */
export default defineRule('credentials-not-included', (f) => {
  // A token request's client authenticates with its own credentials, never the user's cookies (Facts.tokenRequest).
  if (f.tokenRequest !== undefined) return undefined;
  // The light capture did not see the Cookie header: whether any went is unknown here.
  if (f.crossOrigin !== true || f.navigation || f.cookiesSent.length > 0 || f.cookiesInferred || f.preflight || f.credentials || asksForHeader(f)) return undefined;
  // webRequest reports fetch() and XMLHttpRequest alike ("xmlhttprequest"); HAR files tell them apart.
  const kind = f.resourceType === 'xhr' ? 'XMLHttpRequest' : f.resourceType === 'fetch' ? 'fetch()' : 'request (fetch or XMLHttpRequest)';
  // Cross-site, the browser's third-party-cookie setting is the other way cookies stay home. Read
  // from the browser it is evidence; unread, the finding says so and asks for it.
  const policy = f.cookiePolicy;
  const thirdPartyNote = !f.crossSite
    ? ''
    : policy?.thirdParty === 'allowed'
      ? ` Your browser allows third-party cookies (${policy.setting}, read ${iso(policy.at)}), so its setting did not hold them back.`
      : policy
        ? ` Your browser restricts third-party cookies for some sites (${policy.setting}): if the page did ask for credentials, that setting may have held them back.`
        : ' If the page did ask for credentials, the browser may be blocking third-party cookies for this site (allow Why 401 to read that setting to know).';
  const wants = f.crossSite && !policy ? ({ wants: 'cookie-policy' } as const) : {};
  const policyEvidence = policy && f.crossSite ? [{ kind: 'cookie-jar' as const, label: 'Browser setting', value: policy.setting, note: `third-party cookies ${policy.thirdParty}, read ${iso(policy.at)}` }] : [];
  if (f.jar) {
    const sendable = f.heldNotSent.filter((h) => h.reason === undefined);
    if (sendable.length === 0) return undefined;
    sendable.sort((a, b) => Number(b.session) - Number(a.session));
    const names = sendable.map((h) => h.cookie.name);
    return {
      // Cross-site with the browser's setting unread, the setting may be what held them back.
      confidence: sendable[0]!.session && !(f.crossSite && !policy) ? 'high' : 'medium',
      title: `No cookies were sent with this cross-origin ${kind} to ${f.host}, although the browser holds ${cookieNames(names, 2)}`,
      explanation: `The page at ${f.initiator} called ${f.shownUrl}, another origin. The browser holds ${cookieNames(names)} for that URL and its cookie rules allow sending them here, but the request carried no Cookie header: the call was made without credentials (fetch's default credentials: "same-origin", or XMLHttpRequest without withCredentials).${thirdPartyNote}`,
      plain: `The app called ${f.host} without your sign-in cookie; this is a problem in the app.`,
      evidence: [
        { kind: 'request-header', label: 'Cookie', note: 'not sent' },
        { kind: 'request-header', label: 'Origin', value: f.initiator ?? '' },
        ...sendable.slice(0, 6).map((h) => ({ kind: 'cookie-jar' as const, label: h.cookie.name, note: 'held and allowed, not sent' })),
        ...policyEvidence,
      ],
      ...wants,
    };
  }
  // No jar (an imported HAR): a live session cookie set earlier for this URL.
  const live = f.cookieEvents.filter(
    (e) =>
      e.by === undefined && e.action === 'set' && (e.expiresAt === null || !timeKnown(f) || e.expiresAt > f.at) && (!timeKnown(f) || Number.isNaN(e.at) || e.at <= f.at),
  );
  const deletedLater = new Set(f.cookieEvents.filter((e) => e.action === 'delete').map((e) => e.name));
  const candidates = live.filter((e) => !deletedLater.has(e.name));
  const e = candidates[candidates.length - 1];
  if (!e) return undefined;
  return {
    confidence: 'medium',
    title: `No cookies were sent with this cross-origin ${kind} to ${f.host}, although "${e.name}" was set for it`,
    explanation: `The response to ${e.method} ${e.url} at ${iso(e.at)} set the session cookie "${e.name}" for ${e.domain}, and it had not expired, but this request from ${f.initiator} carried no Cookie header: it was made without credentials (fetch's default credentials: "same-origin", or XMLHttpRequest without withCredentials).${thirdPartyNote}`,
    plain: `The app called ${f.host} without your sign-in cookie; this is a problem in the app.`,
    evidence: [
      { kind: 'request-header', label: 'Cookie', note: 'not sent' },
      { kind: 'timeline', label: `Set-Cookie ${e.name}`, value: `${iso(e.at)} ${e.method} ${e.url}` },
      ...policyEvidence,
    ],
    ...wants,
  };
});
