/**
 * The token's life after sign-in (DESIGN.md, "Sign-in flows"): refreshes that reuse a rotated
 * refresh token, refreshes refused for an expired or revoked one, refreshes and 401s chasing each
 * other, an expired access token with no refresh token to renew it, a call still carrying a token
 * a refresh replaced, and a silent renew whose provider cookie the browser did not send.
 *
 * Read from a flow's lineage (core/flows/flow.ts links each token by fingerprint to the answer
 * that issued it), so a check speaks only of tokens the log shows being issued and used.
 */
import { finding, group, LOOP_GAP, span, when, type LinkedFlow } from './finding.ts';
import { isSessionCookie } from '../cookies/cookies.ts';
import { hostOf } from '../exchange/url.ts';
import { replacementOf } from './lineage.ts';
import { providerErrorMeaning } from './provider-errors.ts';
import type { FlowStep } from './step.ts';

/** The cookies an identity provider's host set in the log: host → when, and the names. */
export type ProviderCookies = ReadonlyMap<string, readonly { at: number; names: readonly string[] }[]>;

/** Refreshes and 401s that chase each other this many times are a loop; refreshes in flight at once this many, a storm. */
const LOOP_MIN = 3;

/** A prompt=none answer that means "the provider sees no signed-in user here" (OpenID Connect Core §3.1.2.6). */
const SIGNED_OUT = new Set(['login_required', 'interaction_required', 'consent_required', 'account_selection_required']);

const ok = (s: FlowStep) => s.status >= 200 && s.status < 300;

export function checkTokenLife(flows: readonly LinkedFlow[], providerCookies: ProviderCookies): void {
  for (const flow of flows) {
    checkRefreshes(flow);
    checkCalls(flow);
    checkSilentRenew(flow, flows, providerCookies);
  }
}

/** Refused refreshes: a rotated refresh token sent again, or one the provider no longer takes; and storms and loops of refreshes. */
function checkRefreshes(flow: LinkedFlow): void {
  const refreshes = flow.refreshes;
  /** Refreshes refused for a refresh token an earlier refresh had rotated: reported once, on the first, with the count. */
  const reused: { refresh: FlowStep; rotated: FlowStep }[] = [];
  /** Refreshes refused after a reuse, with a refresh token the family had issued since (reuse detection revoked it). */
  const revokedAfter: FlowStep[] = [];
  for (const [k, r] of refreshes.entries()) {
    if (ok(r) || r.error !== 'invalid_grant') continue;
    const before = refreshes.slice(0, k).filter((p) => p.refreshSent !== undefined && p.refreshSent === r.refreshSent);
    // Redeemed by another refresh (one before it, or one of a race the provider served first).
    const rotated = refreshes.find((p) => p !== r && ok(p) && p.refreshSent !== undefined && p.refreshSent === r.refreshSent && p.refreshIssued !== undefined && p.refreshIssued !== r.refreshSent);
    if (rotated) {
      reused.push({ refresh: r, rotated });
      continue;
    }
    // After a reuse, a provider that detects it revokes the whole family: a refresh token the
    // family issued since is refused too — part of that reuse, not a lifetime of its own.
    if (reused.length > 0 && reused[0]!.refresh.at <= r.at) {
      revokedAfter.push(r);
      continue;
    }
    const expired = r.refreshExpiry !== undefined && !Number.isNaN(r.at) && r.refreshExpiry <= r.at;
    const revoked = /revok/i.test(r.errorDescription ?? '');
    // A provider's own words, decoded (Keycloak's "Token is not active", Auth0's "Unknown or invalid refresh token"…).
    const decoded = providerErrorMeaning(r.error, r.errorDescription);
    const said = `${r.errorDescription ? `invalid_grant ("${r.errorDescription}")` : 'invalid_grant'}${decoded ? ` — ${decoded.provider}: ${decoded.meaning}` : ''}`;
    flow.findings.push(
      finding(
        'refresh-token-expired',
        expired || revoked || decoded ? 'high' : 'medium',
        r,
        expired ? 'The refresh token had expired' : revoked ? 'The refresh token was revoked' : 'The provider no longer takes this refresh token',
        `The refresh at ${when(r)} was answered ${said}. ${expired ? `The refresh token's exp was ${new Date(r.refreshExpiry!).toISOString()}, ${span(r.at - r.refreshExpiry!)} before the refresh.` : revoked ? 'The provider says it was revoked (a sign-out, a password change, an admin, or reuse detection).' : `It was not refused as a reuse seen in this log: it expired (its lifetime, or the session's idle or maximum time at the provider, ran out) or it was revoked${before.length > 0 ? ` (it worked ${before.length} time${before.length > 1 ? 's' : ''} before, without rotation)` : ''}.`} The user must sign in again; the app should send them to sign in rather than retry.`,
        [`refresh ${when(r)} → ${r.status} invalid_grant`, ...(expired ? [`refresh token exp ${new Date(r.refreshExpiry!).toISOString()}`] : [])],
      ),
    );
  }
  if (reused.length > 0) {
    const { refresh: r, rotated } = reused[0]!;
    flow.explained ??= new Set();
    for (const x of [...reused.map((u) => u.refresh), ...revokedAfter]) flow.explained.add(x.index);
    const parallel = r.at < rotated.end && rotated.at < r.end;
    if (parallel) group(flow, 'race', [rotated, ...reused.map((u) => u.refresh)].sort((a, b) => a.at - b.at));
    const more = reused.length > 1 ? ` (and ${reused.length - 1} more refresh${reused.length > 2 ? 'es' : ''} like it)` : '';
    const revoked = revokedAfter.length > 0 ? ` After it, ${revokedAfter.length} refresh${revokedAfter.length > 1 ? 'es' : ''} with the newer refresh token ${revokedAfter.length > 1 ? 'were' : 'was'} refused as well: the provider revoked the whole family when it saw the reuse.` : '';
    flow.findings.push(
      finding(
        'refresh-token-reused',
        'high',
        r,
        parallel ? `Refreshes raced with one refresh token; the provider refused ${reused.length === 1 ? 'the second' : `${reused.length} of them`}` : 'A refresh token already rotated was sent again',
        `The refresh at ${when(r)}${more} sent the refresh token that the refresh at ${when(rotated)} had already redeemed${parallel ? ` — the two were in flight at once (${r.at >= rotated.at ? `it started ${span(r.at - rotated.at)} after it, before its answer came` : `it started ${span(rotated.at - r.at)} before it, and the provider served the other first`})` : ''}. That answer issued a new refresh token (rotation), so the old one was spent, and the provider answered invalid_grant${r.errorDescription ? ` ("${r.errorDescription}")` : ''}. A provider that detects reuse also revokes what the first refresh issued: the user is signed out. ${parallel ? 'Parallel requests (or two tabs) each got a 401 and each started a refresh of its own.' : 'The app refreshed with a stale copy of the refresh token: another tab, or storage the rotation did not update.'}${revoked}`,
        [`refresh ${when(rotated)} → ${rotated.status}, a new refresh token issued`, ...reused.slice(0, 5).map((x) => `refresh ${when(x.refresh)} with the same refresh token → ${x.refresh.status} invalid_grant`), ...(revokedAfter.length > 0 ? [`refresh ${when(revokedAfter[0]!)} with the newer refresh token → ${revokedAfter[0]!.status} invalid_grant (revoked)`] : [])],
      ),
    );
  }
  // A storm's refreshes and the retries with their tokens are the storm: not a loop besides.
  checkLoop(flow, checkStorm(flow));
}

/**
 * A refresh storm: one per 401, no single-flight. Refreshes of the flow's family (its refresh
 * tokens), each begun within a loop's round of the one before (however the browser queued them:
 * six at a time per host over HTTP/1.1), some of them in flight at once or refused; where the
 * refresh token cannot be told (a masked file without its tags), refreshes in flight at once.
 */
function checkStorm(flow: LinkedFlow): Set<FlowStep> {
  const named = new Set<FlowStep>();
  const sorted = [...flow.refreshes].filter((r) => !Number.isNaN(r.at)).sort((a, b) => a.at - b.at);
  const runs: FlowStep[][] = [];
  // Known refresh tokens (the flow's family): a run while its refreshes keep coming.
  let known: FlowStep[] = [];
  for (const r of sorted) {
    if (r.refreshSent === undefined) continue;
    if (known.length > 0 && r.at - known[known.length - 1]!.at > LOOP_GAP) {
      runs.push(known);
      known = [];
    }
    known.push(r);
  }
  runs.push(known);
  // Unknown ones: in flight at once.
  let run: FlowStep[] = [];
  let until = 0;
  for (const r of sorted) {
    if (r.refreshSent !== undefined) continue;
    if (run.length > 0 && r.at >= until) {
      runs.push(run);
      run = [];
    }
    until = run.length === 0 ? r.end : Math.max(until, r.end);
    run.push(r);
  }
  runs.push(run);
  for (const storm of runs.filter((x) => x.length >= LOOP_MIN).sort((a, b) => a[0]!.at - b[0]!.at)) {
    const first = storm[0]!;
    const last = storm[storm.length - 1]!;
    const refused = storm.filter((r) => !ok(r)).length;
    const known = first.refreshSent !== undefined;
    const tokens = new Set(storm.map((r) => r.refreshSent)).size;
    // The most refreshes in flight at one moment.
    let most = 0;
    for (const r of storm) most = Math.max(most, storm.filter((o) => o.at <= r.at && o.end > r.at).length);
    // An app on a short schedule with a provider that does not rotate sends one refresh token every
    // few seconds, each after the last had answered, all served: not a storm.
    if (most < 2 && refused === 0) continue;
    for (const r of storm) named.add(r);
    group(flow, 'storm', storm);
    flow.findings.push(
      finding(
        'refresh-loop',
        'high',
        last,
        known ? `A refresh storm: ${storm.length} refreshes in ${span(last.at - first.at)}` : `A refresh storm: ${storm.length} refreshes in flight at once`,
        `${storm.length} refreshes started between ${when(first)} and ${when(last)}${!known ? ', each before an earlier one had answered' : tokens === 1 ? ', every one sending the same refresh token' : `, sending ${tokens} refresh tokens between them (the app's copy changed mid-storm)`}${most > 1 ? ` (up to ${most} in flight at once)` : ''}${refused > 0 ? `; ${refused} of them were refused` : ''}. Each request that got a 401 started a refresh of its own: there is no single-flight refresh (one refresh in flight, the other requests waiting for its token).`,
        storm.slice(0, 6).map((r) => `refresh ${when(r)} → ${r.status}${r.error ? ` ${r.error}` : ''}`),
      ),
    );
  }
  return named;
}

/** 401 → refresh → 401 with the new token → refresh …: refreshing does not fix what the API refuses. */
function checkLoop(flow: LinkedFlow, storm: ReadonlySet<FlowStep>): void {
  const issued = new Map<string, FlowStep>();
  for (const r of flow.refreshes) if (ok(r) && r.accessIssued && !storm.has(r)) issued.set(r.accessIssued, r);
  const calls = [...flow.calls].filter((c) => !Number.isNaN(c.at)).sort((a, b) => a.at - b.at);
  // A cycle: a refresh whose new token was refused within the gap, followed within the gap by the next refresh.
  let chain: { refresh: FlowStep; call: FlowStep }[] = [];
  let best: typeof chain = [];
  for (const call of calls) {
    const refresh = call.token === undefined ? undefined : issued.get(call.token);
    if (!refresh || call.at - refresh.end > LOOP_GAP || call.at < refresh.end) continue;
    const prev = chain[chain.length - 1];
    if (prev && prev.refresh === refresh) continue; // a second 401 with the same token: one cycle
    if (prev && (refresh.at < prev.call.at || refresh.at - prev.call.at > LOOP_GAP)) chain = [];
    chain.push({ refresh, call });
    if (chain.length > best.length) best = [...chain];
  }
  if (best.length < LOOP_MIN) return;
  const first = best[0]!;
  const last = best[best.length - 1]!;
  const period = (last.call.at - first.refresh.at) / Math.max(1, best.length - 1);
  group(flow, 'loop', best.flatMap((c) => [c.refresh, c.call]));
  flow.findings.push(
    finding(
      'refresh-loop',
      'high',
      last.refresh,
      `A refresh loop: ${best.length} times a refresh, then a 401 with the new token`,
      `Between ${when(first.refresh)} and ${when(last.call)} the app refreshed its token ${best.length} times, about every ${span(period)}, and each new token was refused at once (${last.call.method} ${last.call.endpoint} → ${last.call.status}). A fresh token does not fix what this API refuses — its audience, its scope, or the API's own check — and the app retries without a limit.`,
      best.slice(-6).map((c) => `refresh ${when(c.refresh)} → ${c.refresh.status}; ${c.call.method} ${c.call.endpoint} with the new token → ${c.call.status}`),
    ),
  );
}

/** Refused calls: a token a completed refresh had replaced, or an expired token with no refresh token to renew it. */
function checkCalls(flow: LinkedFlow): void {
  const answers = [...flow.tokens, ...flow.refreshes].filter((t) => ok(t) && t.accessIssued !== undefined);
  let stale = false;
  let missing = false;
  const issuedRefresh = answers.some((t) => t.refreshIssued !== undefined);
  for (const call of flow.calls) {
    if (Number.isNaN(call.at)) continue;
    const issuer = answers.find((t) => t.accessIssued === call.token);
    if (!issuer) continue;
    const replacedBy = call.token === undefined ? undefined : replacementOf(answers, issuer, call.token, call.at);
    if (replacedBy) {
      if (stale) continue;
      stale = true;
      flow.findings.push(
        finding(
          'stale-token-after-refresh',
          'high',
          call,
          'The request still carried the token a refresh had replaced',
          `${call.method} ${call.endpoint} at ${when(call)} carried the access token issued at ${when(issuer)}; the ${replacedBy.grantType === 'refresh_token' ? 'refresh' : 'sign-in'} at ${when(replacedBy)} had already issued a new one (its answer came ${span(call.at - replacedBy.end)} before this request). The app kept sending the old token: a copy made before the refresh (a default header set once, a closure, a second client instance) was not updated.`,
          [`token issued ${when(issuer)}`, `replaced ${when(replacedBy)}`, `${call.method} ${call.endpoint} ${when(call)} with the old token → ${call.status}`],
        ),
      );
      continue;
    }
    const expiry = call.tokenExpiry ?? (issuer.expiresIn !== undefined && !Number.isNaN(issuer.end) ? issuer.end + issuer.expiresIn * 1000 : undefined);
    if (missing || issuedRefresh || flow.refreshes.length > 0 || expiry === undefined || call.at < expiry) continue;
    missing = true;
    const scope = flow.authorize?.scope;
    const asked = scope === undefined ? undefined : scope.split(/\s+/).filter(Boolean);
    const offline = asked?.includes('offline_access');
    flow.findings.push(
      finding(
        'refresh-token-missing',
        asked !== undefined && !offline ? 'high' : 'medium',
        call,
        'The access token expired, and the sign-in issued no refresh token to renew it',
        `${call.method} ${call.endpoint} at ${when(call)} carried the access token issued at ${when(issuer)}, which expired at ${new Date(expiry).toISOString()} (${span(call.at - expiry)} before). The sign-in's token answer had no refresh_token, so the app could not renew it without sending the user to sign in again.${asked !== undefined ? ` The sign-in asked for scope "${asked.join(' ')}"${offline ? '' : ', without offline_access'}.` : ''}`,
        [`token issued ${when(issuer)}: no refresh_token`, ...(asked !== undefined ? [`scope asked: ${asked.join(' ')}`] : []), `${call.method} ${call.endpoint} ${when(call)} → ${call.status}`],
      ),
    );
  }
}

/**
 * A silent renew (prompt=none) answered "not signed in" while the log shows the provider's
 * session cookies held (set by the provider, or sent by an earlier sign-in there) and this
 * request sent none of them: the browser withheld them (a cross-site frame; SameSite or
 * third-party cookie blocking).
 */
function checkSilentRenew(flow: LinkedFlow, flows: readonly LinkedFlow[], providerCookies: ProviderCookies): void {
  const a = flow.authorize;
  const error = flow.callback?.error;
  if (!a || a.prompt !== 'none' || error === undefined || !SIGNED_OUT.has(error)) return;
  const host = hostOf(a.endpoint);
  const held = new Set<string>();
  for (const set of (host === undefined ? undefined : providerCookies.get(host)) ?? []) if (set.at <= a.at) for (const n of set.names) held.add(n);
  for (const other of flows) {
    const o = other.authorize;
    if (o && o !== a && o.endpoint === a.endpoint && o.at < a.at) for (const n of o.cookiesSent ?? []) held.add(n);
  }
  if (held.size === 0) return;
  const sent = new Set(a.cookiesSent ?? []);
  if ([...held].some((n) => sent.has(n))) return;
  // Session cookies first: they are the ones the provider looks for.
  const names = [...held].sort((x, y) => Number(isSessionCookie(y)) - Number(isSessionCookie(x))).slice(0, 6).join(', ');
  flow.findings.push(
    finding(
      'silent-renew-blocked',
      'high',
      flow.callback!,
      `The silent renew was answered ${error}: the provider's cookie was not sent`,
      `The renew at ${when(a)} (prompt=none) asked ${a.endpoint} whether the user is still signed in, and it answered ${error}. Earlier in this log the provider's host held the cookie${held.size > 1 ? 's' : ''} ${names}; this request carried none of them. A silent renew runs in a hidden frame of the app's site, where ${host ?? 'the provider'} is a third-party site: the browser does not send its cookies there (SameSite=Lax or Strict; third-party cookies blocked or partitioned), so the provider sees no session.`,
      [`provider cookies held: ${names}`, `renew ${when(a)}: ${sent.size === 0 ? 'no cookies sent' : `sent ${[...sent].slice(0, 6).join(', ')}`}`, `answer: ${error}`],
    ),
  );
}
