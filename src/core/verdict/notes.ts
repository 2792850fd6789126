/**
 * Notes beside the findings: facts about a failure that do not cause it but change what the
 * developer sees. The first and most confusing: the 401 your code never saw. A cross-origin
 * response the CORS check refuses reaches the page's script as a network error ("TypeError:
 * Failed to fetch" in Chrome, "NetworkError when attempting to fetch resource." in Firefox),
 * never as a 401 (Fetch standard, CORS check); and a preflight that fails stops the real
 * request before it is sent.
 */
import type { Facts } from './facts.ts';
import type { Note } from './finding.ts';
import { corsCheck } from '../exchange/cors.ts';
import { firstHeader } from '../auth/headers.ts';
import { originOf } from '../exchange/url.ts';
import { stepOf } from '../flows/step.ts';

const SCRIPT_ERROR = 'the page’s script gets "TypeError: Failed to fetch" (Chrome) or "NetworkError when attempting to fetch resource." (Firefox), not a response with status';

/**
 * The Origin the browser's CORS check compares Access-Control-Allow-Origin with: the request's own
 * `Origin` header when it was captured; else "null" after a redirect that changed origin (Fetch:
 * the request's origin becomes opaque, its serialization "null"); else the initiator's origin.
 * Undefined when none is known.
 */
function requestOrigin(f: Facts): string | undefined {
  const sent = firstHeader(f.entry.request.headers, 'origin')?.trim();
  if (sent) return sent;
  if (f.redirectChain.some((h) => originOf(h.url) !== originOf(h.location))) return 'null';
  return f.initiator;
}

/** Why the CORS check refuses this response, or undefined when it passes (or does not apply). */
function corsRefusal(f: Facts): { why: string; header: string; value?: string } | undefined {
  return corsCheck(f.entry.response.headers, requestOrigin(f), f.cookiesSent.length > 0);
}

/** The first failure on an origin, seen by the light capture: what was observed, what is inferred. */
function lightCapture(f: Facts): Note | undefined {
  if (!f.cookiesInferred) return undefined;
  const origin = originOf(f.url) ?? f.host;
  const inferred = f.cookiesSent.length > 0;
  return {
    kind: 'light-capture',
    title: `First failure seen on ${origin}: the Cookie header was not visible`,
    explanation: `Chrome shows an extension a request's Cookie and Set-Cookie headers only when it listens to every request in full, which slows every page; Why 401 listens in full only to origins that have failed, and this was the first failure on ${origin}. The status, the challenge and the Authorization header were observed; ${inferred ? `the cookies sent are inferred from the browser's jar (${f.cookiesSent.length} that its rules allow here)` : f.crossOrigin ? 'whether cookies were sent is unknown (a cross-origin request sends them only with credentials: "include")' : 'the browser held no cookie its rules allow here'}, and Set-Cookie responses before it were not seen. Requests to ${origin} are captured in full from now on: reproduce it to see everything.`,
    evidence: [{ kind: 'request-header', label: 'Cookie', note: inferred ? 'inferred from the jar' : 'not visible' }],
  };
}

/**
 * A token request of an OAuth sign-in (or a refresh): the provider authenticates the client
 * there, not the user's session, and the sign-in flow's own verdict says which step broke.
 */
function tokenRequest(f: Facts): Note | undefined {
  if (f.tokenRequest === undefined) return undefined;
  const step = stepOf(f.entry, 0);
  const said = step?.error !== undefined ? `${step.error}${step.errorDescription ? ` ("${step.errorDescription}")` : ''}` : undefined;
  const grant = f.tokenRequest.grant;
  const refresh = grant === 'refresh_token';
  return {
    kind: 'token-request',
    title: `A ${refresh ? 'refresh' : 'token request'} of an OAuth sign-in${said ? `, answered ${said}` : ''}`,
    explanation: `This is the identity provider's token endpoint (grant_type=${grant}). It authenticates the client — its client_id, and a confidential client's secret — not the user's cookies, so no cookie is the cause here${said ? `; the provider's own answer is ${said}` : ''}. The sign-in flow it belongs to has its own verdict, step by step: Sign-in flows (the panel's status bar), or the flows of \`why401 explain\`.`,
    evidence: [{ kind: 'body', label: 'grant_type', value: grant, note: 'the request’s form' }, ...(step?.error !== undefined ? [{ kind: 'body' as const, label: 'error', value: step.error, note: 'the provider’s answer' }] : [])],
  };
}

export function notesFor(f: Facts): Note[] {
  const light = lightCapture(f);
  const token = tokenRequest(f);
  return [...corsNotes(f), ...(token ? [token] : []), ...(light ? [light] : [])];
}

function corsNotes(f: Facts): Note[] {
  if (f.navigation || f.crossOrigin !== true) return [];
  if (f.preflight) {
    return [
      {
        kind: 'script-never-saw-status',
        title: `Your code never saw this ${f.status}: the preflight failed, so the real request was never sent`,
        explanation: `A CORS preflight that does not get a 2xx with the right Access-Control-Allow-* headers stops the real request before it leaves: ${SCRIPT_ERROR} ${f.status}. Look for a CORS error in the console, not a ${f.status}.`,
        evidence: [{ kind: 'status', label: 'Preflight', value: `OPTIONS → ${f.status}` }],
      },
    ];
  }
  if (!f.scripted) return [];
  const refusal = corsRefusal(f);
  if (!refusal) return [];
  return [
    {
      kind: 'script-never-saw-status',
      title: `Your code never saw this ${f.status}: ${refusal.why}`,
      explanation: `The request went from ${f.initiator} to another origin, and the response fails the browser's CORS check because ${refusal.why}. So ${SCRIPT_ERROR} ${f.status}: the ${f.status} is only visible here and in DevTools. Add the CORS headers to the error responses too (many servers send them only on success), so the app can tell "signed out" from "offline".`,
      evidence: [{ kind: 'response-header', label: refusal.header, ...(refusal.value !== undefined ? { value: refusal.value } : { note: 'absent' }) }],
    },
  ];
}
