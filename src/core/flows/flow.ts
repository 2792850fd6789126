/**
 * Sign-in flows: the steps of a log (core/flows/step.ts) linked into flows — an authorize request,
 * the callback that carries its state back, the token request that redeems the callback's code —
 * and the checks only the traffic can make (DESIGN.md, "Sign-in flows"): the redirect URI, PKCE,
 * the state, the code, and the ID token's nonce, issuer and audience.
 *
 * Conservative by construction: a check speaks only when both sides of its comparison were
 * captured. A callback whose authorize request is not in the log (the capture began mid-flow)
 * starts a flow of its own and is never called unknown.
 */
import { fingerprint } from '../tokens/fingerprint.ts';
import { endpointOf, isMask, redactText } from '../redaction/redact-url.ts';
import { originOf } from '../exchange/url.ts';
import { finding, LOOP_GAP, when, type FlowFinding, type LinkedFlow, type TokenGroup } from './finding.ts';
import type { FlowStep } from './step.ts';
import { providerErrorMeaning } from './provider-errors.ts';
import { checkTokenLife, type ProviderCookies } from './token-life.ts';

export type { FlowFinding } from './finding.ts';

export interface Flow {
  clientId?: string;
  steps: FlowStep[];
  findings: FlowFinding[];
  /** Runs of the token's life its findings speak of as one (a storm, a loop, a race). */
  groups?: TokenGroup[];
}

type Building = LinkedFlow;

/** A flow keeps at most this many refused API calls (a flood of 401s with one token is counted, not listed). */
const MAX_CALLS = 1000;

/**
 * Link the steps into flows and check each; flows in the order they began. The steps are taken in
 * the order they began, whatever order they were seen in — a log's (DevTools' log, Preserve log
 * turned on between two sign-ins, held the first one's callback after the second's authorize
 * request, which took it for its own answer) or the capture's (requests end out of order); steps
 * without times keep the order given. A
 * flow is a sign-in and the token's life after it: the refreshes of the refresh tokens it was
 * issued, and the API calls refused with its access tokens (linked by fingerprint). A refresh
 * whose refresh token no answer in the log issued begins a flow of its own.
 */
export function traceFlows(given: readonly FlowStep[], providerCookies: ProviderCookies = new Map()): Flow[] {
  const steps = given.every((s) => Number.isFinite(s.at)) ? [...given].sort((a, b) => a.at - b.at) : given;
  const flows: Building[] = [];
  const discovery: FlowStep[] = [];
  const signOuts: FlowStep[] = [];
  /** Lineage: the flow each refresh token (by fingerprint) belongs to, and the answer that issued each access token. */
  const byRefresh = new Map<string, Building>();
  const byAccess = new Map<string, { flow: Building; issuedBy: FlowStep }>();
  const issue = (flow: Building, step: FlowStep) => {
    if (step.status < 200 || step.status >= 300) return;
    if (step.refreshIssued) byRefresh.set(step.refreshIssued, flow);
    if (step.accessIssued) byAccess.set(step.accessIssued, { flow, issuedBy: step });
  };
  const open = (first: FlowStep): Building => {
    const f: Building = { steps: [first], findings: [], tokens: [], refreshes: [], calls: [] };
    if (first.clientId) f.clientId = first.clientId;
    flows.push(f);
    return f;
  };
  const latest = (test: (f: Building) => boolean) => {
    for (let k = flows.length - 1; k >= 0; k--) if (test(flows[k]!)) return flows[k];
    return undefined;
  };

  for (const step of steps) {
    if (step.kind === 'authorize') {
      open(step).authorize = step;
    } else if (step.kind === 'callback') {
      const mine = latest((f) => f.authorize?.state !== undefined && f.authorize.state === step.state);
      if (mine && !mine.callback) {
        mine.callback = step;
        mine.steps.push(step);
      } else if (mine) {
        mine.steps.push(step);
        mine.findings.push(
          finding('state-mismatch', 'high', step, 'The sign-in answer came back twice with the same state', `The callback at ${step.endpoint} (${when(step)}) carries the state of an authorize request whose answer already came back at ${when(mine.callback!)}. A state is good for one answer: the second is refused as a replay, or the app's stored state was already consumed.`, [`callback ${when(mine.callback!)}`, `callback again ${when(step)}`]),
        );
      } else {
        // No authorize request with this state. Only when one was sent for this redirect URI
        // and is still waiting for its answer is the state known to be wrong.
        const waiting = latest((f) => !f.callback && f.authorize?.redirectUri !== undefined && endpointOf(f.authorize.redirectUri) === step.endpoint);
        if (waiting) {
          waiting.callback = step;
          waiting.steps.push(step);
          waiting.findings.push(
            finding('state-mismatch', 'high', step, 'The sign-in answer carries a state the app did not send', `The authorize request at ${when(waiting.authorize!)} sent a state; the callback at ${step.endpoint} (${when(step)}) came back with another. The app (or its library) refuses a state it did not store: a second sign-in started in between (another tab, a double-run effect) and replaced the stored state, or the state was stored where the callback cannot read it (a cookie or sessionStorage of another origin or tab).`, [`authorize ${when(waiting.authorize!)}`, `callback ${when(step)}: a different state`]),
          );
        } else {
          open(step).callback = step;
        }
      }
    } else if (step.kind === 'token' && step.grantType === 'refresh_token') {
      const owner = step.refreshSent === undefined ? undefined : byRefresh.get(step.refreshSent);
      const flow = owner ?? open(step);
      if (owner) flow.steps.push(step);
      else if (step.refreshSent) byRefresh.set(step.refreshSent, flow);
      flow.refreshes.push(step);
      issue(flow, step);
    } else if (step.kind === 'api-call') {
      const owner = step.token === undefined ? undefined : byAccess.get(step.token);
      if (!owner || owner.flow.calls.length >= MAX_CALLS) continue;
      owner.flow.steps.push(step);
      owner.flow.calls.push(step);
    } else if (step.kind === 'token') {
      if (step.grantType !== 'authorization_code') continue;
      const byCode = step.code === undefined ? undefined : latest((f) => f.callback?.code === step.code || f.tokens.some((t) => t.code === step.code));
      const flow = byCode ?? latest((f) => f.tokens.length === 0 && f.authorize !== undefined && f.callback?.code === undefined && (!step.clientId || f.clientId === step.clientId));
      if (!flow) {
        const f = open(step);
        f.tokens.push(step);
        checkToken(f, step, flows, discovery);
        issue(f, step);
        continue;
      }
      const earlier = flow.tokens.find((t) => t.code !== undefined && t.code === step.code);
      flow.steps.push(step);
      flow.tokens.push(step);
      if (earlier) {
        flow.findings.push(
          finding('code-reused', 'high', step, 'The authorization code was redeemed twice', `The token request at ${when(step)} sent the code an earlier token request already redeemed (${when(earlier)}${earlier.status ? `, answered ${earlier.status}` : ''}). A code is good once (RFC 6749 §4.1.2): the provider refuses the second${step.error ? ` (${step.error})` : ''}, and may revoke the tokens the first one got.`, [`token request ${when(earlier)}`, `token request again ${when(step)}${step.error ? `: ${step.error}` : ''}`]),
        );
      } else {
        checkToken(flow, step, flows, discovery);
      }
      issue(flow, step);
    } else if (step.kind === 'discovery') {
      discovery.push(step);
    } else if (step.kind === 'end-session') {
      signOuts.push(step);
    }
  }
  for (const flow of flows) checkPkceMethod(flow);
  checkLoops(flows, signOuts);
  checkTokenLife(flows, providerCookies);
  for (const flow of flows) checkAnswers(flow);
  // Every sentence a flow writes passes the one redactor, as a failure's do: the pieces are masked
  // already, but a server's header (an Access-Control-Allow-Origin) or a cookie name is quoted too.
  for (const flow of flows) for (const f of flow.findings) maskFinding(f);
  return flows.map(({ authorize: _a, callback: _c, tokens: _t, refreshes: _r, calls: _k, explained: _e, ...flow }) => flow);
}

const LOOP_MIN = 3;

/**
 * A login loop: the app sends the user to sign in, the provider answers (a callback), and the
 * app starts over at once, again and again. Found as a run of at least three answered sign-ins of
 * one client, each begun within 10 s of the previous answer with no sign-out between; the finding
 * is on the run's last sign-in, with the count, and says whether the app got as far as its tokens.
 */
function checkLoops(flows: readonly Building[], signOuts: readonly FlowStep[]): void {
  const byClient = new Map<string, Building[]>();
  for (const f of flows) {
    if (!f.authorize) continue;
    const key = `${f.clientId ?? ''}\u0000${f.authorize.endpoint}`;
    byClient.set(key, [...(byClient.get(key) ?? []), f]);
  }
  for (const list of byClient.values()) {
    let run: Building[] = [];
    const close = () => {
      if (run.length >= LOOP_MIN) reportLoop(run);
      run = [];
    };
    for (const f of list) {
      const prev = run[run.length - 1];
      const start = f.authorize!.at;
      const follows = prev?.callback !== undefined && start >= prev.callback.at && start - prev.callback.at <= LOOP_GAP && !signOuts.some((o) => o.at >= prev.callback!.at && o.at <= start);
      if (prev && !follows) close();
      // A sign-in that broke for a reason of its own (a refused token request…) ends a run: a loop is the same sign-in, answered, again and again.
      if (!f.callback || f.findings.length > 0) {
        close();
        continue;
      }
      run.push(f);
    }
    close();
  }
}

function reportLoop(run: Building[]): void {
  const first = run[0]!.authorize!;
  const last = run[run.length - 1]!;
  const seconds = Math.max(1, Math.round((last.authorize!.at - first.at) / 1000));
  const redeemed = run.filter((f) => f.tokens.some((t) => t.status >= 200 && t.status < 300 && t.issued !== undefined)).length;
  const formPost = run.some((f) => f.callback?.method === 'POST');
  const why =
    redeemed === run.length
      ? 'Each time the app got its tokens and still started over: it did not keep the signed-in session. Look for a session cookie the browser refused or did not send back (SameSite=None without Secure, Secure on http, a third-party context), or tokens stored where the next page load cannot read them.'
      : redeemed === 0
        ? `The app never redeemed a code: its callback page could not finish the sign-in, most often because it could not read the state it stored before leaving${formPost ? ' — the provider returns with a cross-site POST (response_mode=form_post), and a SameSite=Lax or Strict cookie is not sent with it' : ' (a SameSite=Strict cookie is not sent on the return from another site; sessionStorage of another tab or origin)'}.`
        : `The app redeemed ${redeemed} of the ${run.length} codes and still started over: it loses the signed-in session after the tokens arrive.`;
  last.findings.push(
    finding('login-loop', 'high', last.authorize!, `A login loop: ${run.length} sign-ins in ${seconds} s, each answered and started over`, `The app sent the user to sign in ${run.length} times between ${when(first)} and ${when(last.authorize!)}; each time the provider answered, and within seconds the app sent the user back. ${why}`, run.map((f) => `sign-in ${when(f.authorize!)} → ${f.callback ? `answered ${when(f.callback)}` : 'no answer'}${f.tokens.length > 0 ? `, token ${f.tokens[f.tokens.length - 1]!.status}` : ''}`).slice(-6)),
  );
}

/** The checks of a token request against the authorize request of its flow (and the discovery document before it). */
function checkToken(flow: Building, token: FlowStep, all: readonly Building[], discovery: readonly FlowStep[]): void {
  const a = flow.authorize;
  const id = token.idToken;
  if (a?.nonce !== undefined && id && !id.masked && id.nonce !== a.nonce) {
    // The provider writes into the ID token the nonce of the authorize request its code was issued
    // for: another nonce means the code redeemed here was issued for another sign-in.
    const sharing = all.find((f) => f !== flow && f.authorize?.state !== undefined && f.authorize.state === a.state);
    const how = sharing
      ? ` Two authorize requests sent the same state (${when(sharing.authorize!)} and ${when(a)}): the app does not make a new state per sign-in, so the answer of one was taken for the other's.`
      : ` The callback (${flow.callback ? when(flow.callback) : 'not in this log'}) came back with this sign-in's state but a code issued for another sign-in: a callback URL made from another session's code (a code leaked through a Referer, a log or a shared link, and injected).${a.codeChallenge === undefined ? ' This sign-in sent no code_challenge: with PKCE the provider would have refused that code at the token request.' : ''}`;
    flow.findings.push(
      id.nonce === undefined
        ? finding('nonce-mismatch', 'high', token, 'The ID token carries no nonce, though the authorize request sent one', `The authorize request (${when(a)}) sent a nonce; the ID token issued at ${when(token)} has none. A client that sent a nonce must find it in the ID token (OpenID Connect Core §3.1.3.7), so it refuses this one.`, ['authorize: nonce sent', 'ID token: no nonce claim'])
        : finding('nonce-mismatch', 'high', token, "The ID token's nonce is not the one the authorize request sent", `The ID token issued at ${when(token)} carries another nonce than the authorize request of ${when(a)} sent, and the client refuses it (OpenID Connect Core §3.1.3.7). A provider puts in the ID token the nonce of the authorize request the code was issued for, so the code redeemed here was issued for another sign-in.${how}`, ['authorize: nonce sent', 'ID token: another nonce', ...(a.codeChallenge === undefined ? ['authorize: no code_challenge (no PKCE)'] : [])]),
    );
  }
  const client = token.clientId ?? flow.clientId;
  if (id?.aud !== undefined && client !== undefined && !isMask(client) && !id.aud.some((x) => x === client || redactText(x) === client)) {
    const aud = id.aud.join(', ');
    flow.findings.push(finding('audience-mismatch', 'high', token, `The ID token is for another client (aud ${aud}), not ${client}`, `The token request at ${when(token)} redeemed a code for the client ${client}; the ID token it got names ${aud} as its audience. A client must refuse an ID token whose aud does not contain its client_id (OpenID Connect Core §3.1.3.7). A conforming provider issues it to the client that redeemed the code (and refuses a code issued to another client), so this answer was made for another client: a provider or tenant set up for another app, a mock or a cache answering the token request, or a proxy that mixes clients up.`, [`token request: client_id=${client}`, `ID token: aud ${aud}`]));
  }
  if (id?.iss !== undefined) {
    // The discovery document the client read for this provider: the latest before the token
    // request naming its endpoint — or naming the authorize endpoint its flow used (the token
    // request may go elsewhere: a proxy to dodge CORS, an endpoint configured by hand).
    const named = (url: string | undefined, endpoint: string | undefined) => url !== undefined && endpoint !== undefined && url.split(/[?#]/, 1)[0] === endpoint;
    const doc = [...discovery].reverse().find((d) => d.index < token.index && d.issuer !== undefined && (d.tokenEndpoint === undefined || named(d.tokenEndpoint, token.endpoint) || named(d.authorizationEndpoint, a?.endpoint)));
    const elsewhere = doc?.tokenEndpoint !== undefined && !named(doc.tokenEndpoint, token.endpoint);
    if (doc && doc.issuer !== id.iss) {
      flow.findings.push(finding('issuer-mismatch', 'high', token, `The ID token's issuer (${id.iss}) is not the discovered issuer (${doc.issuer})`, `The discovery document (${when(doc)}) names the issuer ${doc.issuer}; the ID token issued at ${when(token)} says iss ${id.iss}. They must be identical (OpenID Connect Core §3.1.3.7, Discovery §4.3), so the client refuses the token. This happens when the provider builds its issuer from the request's host: the browser reached it as one host (localhost, a public name) and the app's server as another (a container name, a proxy's host).${elsewhere ? ` Here the token request went to ${token.endpoint}, not to the token endpoint the document names (${redactText(doc.tokenEndpoint!)}): whatever forwards it reaches the provider by another name.` : ''}`, [`discovery: issuer ${doc.issuer}`, `ID token: iss ${id.iss}`, ...(elsewhere ? [`token request: ${token.endpoint}`] : [])]));
    }
  }
  const said = `${token.error ?? ''} ${token.errorDescription ?? ''}`;
  if (a?.redirectUri !== undefined) {
    if (token.redirectUri === undefined) {
      flow.findings.push(finding('redirect-uri-mismatch', 'high', token, 'The token request left out redirect_uri', `The authorize request (${when(a)}) sent redirect_uri=${a.redirectUri}; the token request (${when(token)}) sent none. When the authorize request names one, the token request must send the same (RFC 6749 §4.1.3).`, [`authorize: redirect_uri=${a.redirectUri}`, 'token request: no redirect_uri']));
    } else if (token.redirectUriFp !== a.redirectUriFp) {
      flow.findings.push(finding('redirect-uri-mismatch', 'high', token, 'The token request sent another redirect_uri than the authorize request', `The authorize request (${when(a)}) sent redirect_uri=${a.redirectUri}; the token request (${when(token)}) sent ${token.redirectUri}. They must be identical, character for character (RFC 6749 §4.1.3)${token.error ? `: the provider answered ${token.error}` : ''}.`, [`authorize: redirect_uri=${a.redirectUri}`, `token request: redirect_uri=${token.redirectUri}`]));
    }
  } else if (token.error === 'invalid_grant' && /redirect/i.test(token.errorDescription ?? '')) {
    flow.findings.push(finding('redirect-uri-mismatch', 'medium', token, 'The provider refused the redirect_uri', `The token request (${when(token)}) was answered ${token.error}: "${token.errorDescription}". The authorize request is not in this log, so its redirect_uri cannot be compared.`, [`token request: ${token.error}`]));
  }
  if (a?.codeChallenge !== undefined) {
    const method = a.codeChallengeMethod ?? 'plain';
    const verifier = token.verifierS256;
    if (verifier === undefined) {
      // masked: nothing to compare
    } else if (verifier === '') {
      flow.findings.push(finding('pkce-mismatch', 'high', token, 'The token request sent no code_verifier', `The authorize request (${when(a)}) sent a code_challenge (${method}); the token request (${when(token)}) sent no code_verifier, so the provider cannot check it and refuses the code (RFC 7636 §4.5).`, [`authorize: code_challenge_method=${method}`, 'token request: no code_verifier']));
    } else if (!isMask(a.codeChallenge) && (method === 'S256' ? verifier !== a.codeChallenge : token.verifierPlain !== fingerprint(a.codeChallenge))) {
      const other = method === 'S256' ? all.find((f) => f !== flow && f.authorize?.codeChallenge === verifier) : undefined;
      const why = other
        ? ` The verifier belongs to another authorize request, sent at ${when(other.authorize!)}: two sign-ins were in flight (a double-run effect such as React StrictMode's, or two tabs), and the app answered one with the other's verifier.`
        : ' The verifier sent is not the one this challenge was made from: the app stored a new verifier after sending this challenge (a second sign-in started), or lost the one it made.';
      flow.findings.push(finding('pkce-mismatch', 'high', token, 'The code_verifier does not match the code_challenge (PKCE)', `S256 of the code_verifier sent at ${when(token)} is not the code_challenge the authorize request sent at ${when(a)}${method === 'plain' ? ' (method plain: the verifier must equal the challenge)' : ''}.${why}`, [`authorize: code_challenge_method=${method}`, `token request: S256(code_verifier) ≠ code_challenge`]));
    }
  } else if (token.error && /code_verifier|pkce|code_challenge/i.test(said)) {
    flow.findings.push(finding('pkce-mismatch', 'medium', token, 'The provider refused the PKCE verifier', `The token request (${when(token)}) was answered ${token.error}${token.errorDescription ? `: "${token.errorDescription}"` : ''}. The authorize request is not in this log, so the challenge cannot be checked here.`, [`token request: ${token.error}`]));
  }
}

/**
 * What the browser and the provider said about the flow's requests: a token answer the CORS check
 * kept from the page (`token-endpoint-cors`), and a provider's own error code that no other check
 * explained (`provider-error`, decoded from core/flows/provider-errors.ts).
 */
function checkAnswers(flow: Building): void {
  const requests = [...flow.tokens, ...flow.refreshes];
  const blocked = requests.find((t) => t.corsRefused !== undefined);
  // Browsers record a request the CORS check failed without its answer (status 0): from the app's page to another origin, that is the usual reason.
  const page = flow.callback ? originOf(flow.callback.url) : undefined;
  const unanswered = blocked ? undefined : requests.find((t) => t.noAnswer && page !== undefined && originOf(t.endpoint) !== page);
  if (blocked) {
    const c = blocked.corsRefused!;
    flow.findings.push(
      finding(
        'token-endpoint-cors',
        'high',
        blocked,
        'The browser kept the token answer from the page (CORS)',
        `The page at ${c.origin} sent the ${blocked.grantType === 'refresh_token' ? 'refresh' : 'token request'} to ${blocked.endpoint} (${when(blocked)}); it was answered ${blocked.status}, but ${c.why}, so the page's script got a network error ("Failed to fetch"), not the tokens. The provider does not allow this origin to call its token endpoint from a page's script.`,
        [`${blocked.method} ${blocked.endpoint} → ${blocked.status}`, `Origin: ${c.origin}`, c.why],
      ),
    );
  } else if (unanswered) {
    flow.findings.push(
      finding(
        'token-endpoint-cors',
        'medium',
        unanswered,
        'The token request from the page got no answer: most likely the CORS check',
        `The app's page (${page}) sent the ${unanswered.grantType === 'refresh_token' ? 'refresh' : 'token request'} to ${unanswered.endpoint} (${when(unanswered)}), another origin, and the log holds no answer for it: the browser records a request the CORS check failed that way, and the page's script got "Failed to fetch". DevTools' Console says "blocked by CORS policy" when that is the reason; a provider that is down or unreachable fails the same way.`,
        [`${unanswered.method} ${unanswered.endpoint}: no answer`, `from the page at ${page}`],
      ),
    );
  }
  checkClientAuth(flow, requests);
  const named = new Set([...flow.findings.map((f) => f.entry), ...(flow.explained ?? [])]);
  for (const step of flow.steps) {
    if (named.has(step.index) || (step.error === undefined && step.errorDescription === undefined)) continue;
    const meaning = providerErrorMeaning(step.error, step.errorDescription);
    if (!meaning) continue;
    const f = finding(
      'provider-error',
      'high',
      step,
      `${meaning.provider}: ${meaning.code}`,
      `The provider answered the ${step.kind === 'callback' ? 'sign-in (at the callback)' : step.grantType === 'refresh_token' ? 'refresh' : 'token request'} at ${when(step)} with ${step.error ?? 'an error'}${step.errorDescription ? ` ("${step.errorDescription}")` : ''}: ${meaning.meaning}.`,
      [`${step.kind} ${when(step)}: ${step.error ?? ''}${step.errorDescription ? ` "${step.errorDescription}"` : ''}`.trim()],
    );
    f.fixes.developers.unshift(meaning.fix);
    flow.findings.push(f);
    named.add(step.index);
  }
}

/**
 * PKCE with method plain (or no method, which means plain: RFC 7636 §4.3) where the provider
 * requires S256: it refuses the sign-in (at the callback) or the code (at the token request) and
 * says so in its error.
 */
function checkPkceMethod(flow: Building): void {
  const a = flow.authorize;
  if (!a || a.codeChallenge === undefined || (a.codeChallengeMethod ?? 'plain').toLowerCase() !== 'plain') return;
  const refused = [flow.callback, ...flow.tokens].find((s) => s?.error !== undefined && /code_challenge|pkce|\bS256\b|\bplain\b/i.test(`${s.error} ${s.errorDescription ?? ''}`));
  if (!refused) return;
  flow.findings.push(
    finding(
      'pkce-mismatch',
      'high',
      refused,
      'The provider requires PKCE with S256; the app sent plain',
      `The authorize request (${when(a)}) sent its code_challenge with ${a.codeChallengeMethod === undefined ? 'no code_challenge_method, which means plain' : 'code_challenge_method=plain'}: the verifier itself, in the clear. The provider answered the ${refused.kind === 'callback' ? 'sign-in' : 'token request'} with ${refused.error}${refused.errorDescription ? ` ("${refused.errorDescription}")` : ''}: it accepts S256 only, as OAuth 2.0 Security Best Current Practice asks (RFC 9700 §2.1.1).`,
      [`authorize: code_challenge_method=${a.codeChallengeMethod ?? '(none: plain)'}`, `${refused.kind === 'callback' ? 'callback' : 'token request'} ${when(refused)}: ${refused.error}`],
    ),
  );
}

/**
 * Client authentication a page cannot do: a page's script sent a client secret, HTTP Basic or a
 * client assertion (everything a page holds is readable by whoever loads it: it is a public
 * client, RFC 6749 §2.1), or sent none and the provider answered invalid_client (it registered
 * the app as a confidential client).
 */
function checkClientAuth(flow: Building, requests: readonly FlowStep[]): void {
  const what = (t: FlowStep) => (t.grantType === 'refresh_token' ? 'refresh' : 'token request');
  const sent = requests.find((t) => t.fromPage !== undefined && t.clientAuth !== undefined);
  if (sent) {
    const how = sent.clientAuth === 'secret' ? 'a client_secret in its form' : sent.clientAuth === 'basic' ? 'the client id and secret as HTTP Basic (Authorization: Basic)' : 'a client_assertion (a JWT signed with a key the page holds)';
    const refused = sent.error === 'invalid_client';
    flow.findings.push(
      finding(
        'public-client-auth',
        'high',
        sent,
        refused ? 'The page authenticated as a client, and the provider refused it' : 'The page sent a client secret to the token endpoint',
        `The page at ${sent.fromPage} sent the ${what(sent)} to ${sent.endpoint} (${when(sent)}) with ${how}. A single-page app is a public client: its code and its requests are readable by anyone who loads the page, so it cannot keep a secret (RFC 6749 §2.1; OAuth 2.0 for Browser-Based Apps). ${refused ? `The provider answered invalid_client${sent.errorDescription ? ` ("${sent.errorDescription}")` : ''}: the client is registered as public (no secret), or the secret is wrong.` : `It was answered ${sent.status}${sent.status >= 200 && sent.status < 300 ? ': the flow works, and the secret is now public' : ''}.`}`,
        [`${sent.method} ${sent.endpoint} ${when(sent)}: client authentication ${sent.clientAuth}`, `Origin: ${sent.fromPage}`, ...(sent.error ? [`answer: ${sent.error}`] : [])],
      ),
    );
    return;
  }
  const wanted = requests.find((t) => t.fromPage !== undefined && t.clientAuth === undefined && t.error === 'invalid_client');
  if (!wanted) return;
  flow.findings.push(
    finding(
      'public-client-auth',
      'high',
      wanted,
      'The provider wants the client to authenticate, and a page cannot',
      `The page at ${wanted.fromPage} sent the ${what(wanted)} to ${wanted.endpoint} (${when(wanted)}) with its client_id and no client authentication, as a public client does; the provider answered invalid_client${wanted.errorDescription ? ` ("${wanted.errorDescription}")` : ''}. It has the app registered as a confidential client (one with a secret), and a page cannot keep a secret.`,
      [`${wanted.method} ${wanted.endpoint} ${when(wanted)}: no client authentication`, `Origin: ${wanted.fromPage}`, `answer: invalid_client`],
    ),
  );
}

function maskFinding(f: FlowFinding): void {
  f.title = redactText(f.title);
  f.explanation = redactText(f.explanation);
  f.evidence = f.evidence.map(redactText);
}
