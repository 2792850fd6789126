/**
 * The linearity table: every exported function of src/core that takes text, called with hostile
 * text where text goes, and the exports that take none (with why). The bench's `linear` section
 * times each case at n and 4n (`npm run bench -- linear`); test/core/linear.test.ts keeps the
 * table complete and runs every case on every shape (no timing in CI: a shared machine's load
 * is not a property of the code).
 */
import { responseText } from '../../src/core/exchange/body.ts';
import { diffSummaries, readSummary, sameEndpoint, summarizeExchange } from '../../src/core/exchange/exchange-summary.ts';
import { firstOwnFrame, readInitiator, writeInitiator } from '../../src/core/exchange/initiator.ts';
import { authStory, storyTime } from '../../src/core/views/story.ts';
import { scanAuthField } from '../../src/core/auth/auth-syntax.ts';
import { checkBase64, decodeBase64, decodeText } from '../../src/core/auth/base64.ts';
import { basicView, bearerView, digestView, parseChallenges, statedError } from '../../src/core/auth/challenges.ts';
import { contextFor } from '../../src/core/exchange/context.ts';
import { cookieChanges, cookieIdentity, cookieMatchesHost, domainMatches, inPartitionOf, jarForRecord, isSessionCookie, parseCookieHeader, parseSetCookie, pathMatches, whyNotSent } from '../../src/core/cookies/cookies.ts';
import { cookieAttributes } from '../../src/core/cookies/cookie-words.ts';
import { parseCredentials, trimTrailingWs } from '../../src/core/auth/credentials.ts';
import { diagnoseTimeline, judge } from '../../src/core/verdict/diagnose.ts';
import { finding, group, span, when } from '../../src/core/flows/finding.ts';
import { traceFlows } from '../../src/core/flows/flow.ts';
import { FlowRecorder } from '../../src/core/flows/record.ts';
import { checkTokenLife } from '../../src/core/flows/token-life.ts';
import { s256 } from '../../src/core/flows/pkce.ts';
import { carriedToken, clientAuthOf, cookiesSetBy, isDiscoveryUrl, isTokenForm, issuedIdTokenOf, flowNeedsBody, formOf, logNeedsBody, mayBeStep, stepOf, tokenTagsOf, verifierS256Of, type FlowStep } from '../../src/core/flows/step.ts';
import { flowStepEntries, flowView, flowViews, flowViewsOf, flowViewsOfLog, runName, stepRuns } from '../../src/core/flows/view.ts';
import { hasLane, laneOf, signInEvents, tokenLane } from '../../src/core/flows/lane.ts';
import { replacementOf } from '../../src/core/flows/lineage.ts';
import { groupFailures, groupSentence, repeatCount } from '../../src/core/verdict/burst.ts';
import { providerErrorMeaning } from '../../src/core/flows/provider-errors.ts';
import { corsCheck } from '../../src/core/exchange/cors.ts';
import { entryFromCapture, harEntry, keptEntry, splitStatusLine, trimHeaders } from '../../src/core/exchange/exchange.ts';
import { exportFileName, exportHar, redactedHarPieces } from '../../src/core/exchange/export.ts';
import { failing, ghData, ghProperty, githubAnnotations, junitReport, parseFailOn } from '../../src/core/views/report-ci.ts';
import { isFailure, isFailureResponse } from '../../src/core/verdict/facts.ts';
import { parseFindings } from '../../src/core/verdict/finding.ts';
import { bodyTexts, matchBodySignals } from '../../src/core/verdict/body-signals.ts';
import { quotedBodyText } from '../../src/core/verdict/body-evidence.ts';
import { notesFor } from '../../src/core/verdict/notes.ts';
import { fingerprint, isTagKey, tagOf } from '../../src/core/tokens/fingerprint.ts';
import { readHar, scanHarEntries } from '../../src/core/exchange/har-read.ts';
import { readTrace } from '../../src/core/exchange/playwright-trace.ts';
import { readStorageState, storageStateProblems } from '../../src/core/cookies/storage-state.ts';
import { isZip, zipEntries, zipEntryBytes } from '../../src/core/exchange/zip.ts';
import { inflateRawSync } from 'node:zlib';
import { zip } from './zip.ts';
import { firstHeader, headerValues } from '../../src/core/auth/headers.ts';
import { inspectToken, looksLikeJwt } from '../../src/core/tokens/jwt.ts';
import { displayUrl, endpointOf, maskPairValue, readableMasks, redactJwtsInText, redactPairs, redactPemBlocks, redactText, redactUrl, replaceOutsideMasks } from '../../src/core/redaction/redact-url.ts';
import { isMask, isSecretName, mask, placeholderKind, redactAuthorization, redactBody, redactCookieHeader, redactChallenge, redactEntry, redactFinding, redactHeaderValue, redactNote, redactSecret, redactSetCookie, redactUserName } from '../../src/core/redaction/redact.ts';
import { markdownReport, mdCode, mdFence, mdRich, mdText } from '../../src/core/views/report-md.ts';
import { credentialsJson, flowJson } from '../../src/core/views/report.ts';
import { headerPolicy, shellQuote, toCurl, toFetch } from '../../src/core/actions/reproduce.ts';
import { parseOutcome, parseRerunResult } from '../../src/core/actions/rerun-result.ts';
import { isSafeMethod, rerunRequest } from '../../src/core/actions/rerun.ts';
import { hostOf, isPrivateHost, isPublicSuffix, isSameOrigin, isSameSite, isSecureUrl, originOf, parseUrl, parseUrlPath, registrableDomain, siteOf } from '../../src/core/cookies/site.ts';
import { searchParamsOf } from '../../src/core/exchange/url.ts';
import { originPattern } from '../../src/core/exchange/url.ts';
import { bounded, escapeControls, excerpt, terminalSafe, terminalSafeJson, unfold } from '../../src/core/auth/syntax.ts';
import { parseTime } from '../../src/core/verdict/time.ts';
import { cookieEventsFor, credentialFingerprint, emptyTimeline, isTimelineRelevant, observe, observeClearedCookies } from '../../src/core/exchange/timeline.ts';
import { isCredentialHeader, isPublicCredentialParam, isSchemeWord, isSecretHeader } from '../../src/core/redaction/vocabulary.ts';
import { detailOf, sinceWithLane, storyWithSignIns } from '../../src/core/views/detail.ts';
import { rowOf, safeText, urlView } from '../../src/core/views/view.ts';
import { challengeParamMeaning, endsSession, hasSecretPrefix, looksLikeSecretValue, nameWords } from '../../src/core/redaction/vocabulary.ts';
import { entry, jwt } from './har.ts';

/** The shapes that make text parsers super-linear, each repeated to length n. */
export const UNITS = [' ', '\t ', 'eyJ', 'eyJa.', 'a=', 'a="', '"\\', ', ', ',', '%', '%2', '=', ';', 'a;', '.', '[redacted: ', 'Bearer ', '<', '`', '\\', 'a\u0000', 'é', '{"a":', '[', '&', '#', '/'];
export const repeat = (unit: string, n: number) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);

export type Case = (text: string) => unknown;

/** Each text-taking export, called with the hostile text where text goes (and a short frame around it). */
const enc = new TextEncoder();

export const TEXT: Record<string, Case> = {
  scanAuthField: (t) => scanAuthField(`Bearer ${t}x`, 0, [], [], { quoteInput: true }),
  checkBase64: (t) => checkBase64(t),
  decodeBase64: (t) => decodeBase64(t),
  decodeText: (t) => decodeText(new TextEncoder().encode(t)),
  parseChallenges: (t) => parseChallenges([`Bearer realm="${t}", ${t}b`, t]),
  'challenges views': (t) => {
    const c = parseChallenges([`Digest realm="a", nonce="${t}", qop="${t}"`, `Bearer scope="${t}", error_description="${t}"`, `Basic realm="${t}"`]).challenges;
    return [digestView(c[0]!), bearerView(c[1]!), basicView(c[2]!), statedError(c)];
  },
  parseCookieHeader: (t) => parseCookieHeader(`a=${t}; ${t}=b; ${t}`),
  parseSetCookie: (t) => parseSetCookie(`sid=${t}; Path=/${t}; Domain=${t}; Expires=${t}; ${t}`, 'https://a.test/x', 0),
  'cookie matching': (t) => {
    const c = { name: t, value: t, domain: t, hostOnly: false, path: t, secure: true, httpOnly: false, sameSite: 'lax' as const, session: true, storeId: t, firstPartyDomain: t };
    return [domainMatches(`${t}.test`, t), pathMatches(`/${t}`, `/${t}/`), isSessionCookie(t, t, false, new Set([t])), cookieIdentity(c), cookieChanges(c, { ...c, value: `${t}x` }), jarForRecord([c, c], `https://a.test/${t}`), cookieAttributes(c, { expiry: true }), cookieMatchesHost(c, t), inPartitionOf({ partitionKey: { topLevelSite: `https://${t}` } }, `https://${t}/`)];
  },
  whyNotSent: (t) => whyNotSent({ name: t, value: '', domain: t, hostOnly: false, path: `/${t}`, secure: true, httpOnly: false, sameSite: 'lax', session: true }, { url: `http://${t}/`, method: 'GET', navigation: false, initiator: `https://${t}`, topLevelUrl: `https://${t}/`, at: 0 }),
  parseCredentials: (t) => [parseCredentials(`Bearer ${t}b`), parseCredentials(`${t}b`), parseCredentials(`Digest username="${t}", response=${t}`), parseCredentials(`Basic ${t}`)],
  trimTrailingWs: (t) => trimTrailingWs(`a${t}b${t}`),
  'body catalogue': (t) => [matchBodySignals(bodyTexts(`{"detail":${JSON.stringify(t)},"a":[${JSON.stringify(t)}]}`)), matchBodySignals(bodyTexts(t)), quotedBodyText(t)],
  notesFor: (t) => notesFor(judge(entry({ url: `https://api.test/${t}`, req: { Origin: t, Cookie: `a=${t}` }, res: { 'Access-Control-Allow-Origin': t }, why: { type: 'xmlhttprequest', initiator: `https://${t}` } })).facts),
  judge: (t) => judge(entry({ url: `https://api.test/${t}?q=${t}#${t}`, req: { Authorization: `Bearer ${t}b`, Cookie: `sid=${t}; ${t}`, 'X-Token': t }, res: { 'WWW-Authenticate': `Bearer realm="${t}", ${t}`, 'Set-Cookie': `a=${t}` }, body: t })),
  // Rules that compare lists (scopes asked × held): many distinct words on both sides.
  'judge, insufficient_scope': (t) => {
    const words = t.replace(/"/g, "'").replace(/(.{4})/g, '$1 ');
    return judge(entry({ status: 403, req: { Authorization: `Bearer ${jwt({ scope: words, exp: 2e9 })}` }, res: { 'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${words.replace(/\\/g, '/')}"` } }));
  },
  diagnoseTimeline: (t) => [...diagnoseTimeline([{ index: 0, entry: entry({ status: 200, req: { Cookie: `sid=${t}` }, res: { 'Set-Cookie': `sid=${t}; Max-Age=${t}` } }) }, { index: 1, entry: entry({ url: `https://api.test/${t}`, req: { Authorization: t } }) }])],
  'exchange builders': (t) => {
    const e = entryFromCapture({ startedAt: 0, receivedAt: 1, method: t, url: t, statusLine: `HTTP/1.1 401 ${t}`, status: 401, requestHeaders: [{ name: t, value: t }], responseHeaders: [{ name: 'Location', value: t }], tabId: 1, frameId: 0, type: 'xmlhttprequest' });
    return [harEntry({ startedDateTime: t, method: t, url: t, status: 401 }), keptEntry(e), splitStatusLine(`HTTP/1.1 401 ${t}`), trimHeaders([{ name: 'a', value: t }])];
  },
  redactedHarPieces: (t) => [...redactedHarPieces([entry({ url: `https://a.test/?token=${t}`, req: { Authorization: `Bearer ${t}`, Cookie: `a=${t}` }, res: { 'Set-Cookie': `b=${t}` }, body: t })], { version: '1', source: t.slice(0, 64) })].join(''),
  exportHar: (t) => exportHar([{ entry: entry({ url: `https://a.test/?token=${t}`, req: { Authorization: `Bearer ${t}` }, body: t }), findings: [] }], { includeSecrets: false, version: t }),
  'failure checks': (t) => [isFailure(entry({ res: { [t]: t } })), isFailureResponse(400, [{ name: t }, { name: 'dpop-nonce' }])],
  parseFindings: (t) => parseFindings([{ cause: 'invalid-token', confidence: 'high', title: t.slice(0, 2000), explanation: t.slice(0, 8000), plain: t.slice(0, 2000), evidence: [{ kind: 'status', label: t.slice(0, 1000) }], fixes: { users: [t.slice(0, 8000)], developers: [] }, actions: [] }]),
  fingerprint: (t) => fingerprint(t),
  'CI outputs': (t) => {
    const f = { entry: 0, method: t, url: `https://a.test/${t}`, status: 401, challenges: [], problems: [], credentials: null, notes: [], findings: [{ cause: 'invalid-token' as const, confidence: 'high' as const, title: t, explanation: t, plain: t, evidence: [], fixes: { users: [t], developers: [t] }, actions: [] }] };
    const flows = [{ client: t, steps: [{ kind: 'token' as const, entry: 0, method: t, url: t, status: 400 }], findings: [{ cause: 'pkce-mismatch' as const, confidence: 'high' as const, title: t, explanation: t, evidence: [t], entry: 0, fixes: { users: [t], developers: [t] } }] }];
    return [parseFailOn(t), parseFailOn(`${t},any`), failing([f], 'any'), githubAnnotations([{ ...f, test: t, step: t }], { file: t, total: 1, flows }), junitReport([{ ...f, test: t, step: t }], { file: t, total: 1, flows }), ghData(t), ghProperty(t)];
  },
  'tags and keys': (t) => [tagOf(t), isTagKey(t)],
  readHar: (t) => readHar(`{"log":{"entries":[{"request":{"method":"GET","url":${JSON.stringify(t)},"headers":[{"name":"a","value":${JSON.stringify(t)}}]},"response":{"status":401,"headers":[]}}],"comment":${JSON.stringify(t)}}}`),
  scanHarEntries: (t) => [...scanHarEntries(new TextEncoder().encode(`{"log":{"entries":[${JSON.stringify(t)},{"a":${JSON.stringify(t)}}]}}`))],
  'header lookups': (t) => [firstHeader([{ name: t, value: t }], t), headerValues([{ name: t, value: t }], t)],
  readTrace: (t) => {
    const line = (url: string) => JSON.stringify({ type: 'resource-snapshot', snapshot: { startedDateTime: t.slice(0, 40), request: { method: 'GET', url, headers: [{ name: 'Authorization', value: t }] }, response: { status: 401, headers: [{ name: 'WWW-Authenticate', value: t }], content: { size: 0, mimeType: t, _file: t } }, _monotonicTime: 1 } });
    const trace = [JSON.stringify({ type: 'context-options', title: t }), JSON.stringify({ type: 'before', callId: t, startTime: 0, title: t, params: { url: t } }), `${t}\n${t}`].join('\n');
    const bytes = zip([{ name: 'test.trace', data: enc.encode(trace) }, { name: '0-trace.trace', data: enc.encode(trace) }, { name: '0-trace.network', data: enc.encode(`${line(t)}\n${t}\n${line(`https://a.test/${t}`)}`) }, { name: t.slice(0, 200).replace(/\.\.|^\/|\\|\0|^[a-z]:/gi, 'x') || 'x', data: enc.encode(t) }]);
    return [...readTrace(bytes, (d, max) => inflateRawSync(d, { maxOutputLength: max + 1 }), [])];
  },
  'response bodies': (t) => {
    const e = entry({ status: 401 });
    const base64 = Buffer.from(t, 'utf8').toString('base64');
    return [responseText({ ...e, response: { ...e.response, content: { size: 0, mimeType: t, text: t } } }), responseText({ ...e, response: { ...e.response, content: { size: 0, mimeType: t, text: base64, encoding: 'base64' } } }, 8192), responseText({ ...e, response: { ...e.response, content: { size: 0, mimeType: t, text: base64, encoding: 'base64' } } }), responseText({ ...e, response: { ...e.response, content: { size: 0, mimeType: t, text: t, encoding: 'base64' } } })];
  },
  'zip reading': (t) => {
    const bytes = zip([{ name: 'a', data: enc.encode(t) }]);
    return [isZip(enc.encode(t)), zipEntries(bytes).map((e) => zipEntryBytes(bytes, e, (d, max) => inflateRawSync(d, { maxOutputLength: max + 1 })).length), (() => { try { return zipEntries(enc.encode(`PK\u0003\u0004${t}`)); } catch { return []; } })()];
  },
  'storage state': (t) => {
    const text = JSON.stringify({ cookies: [{ name: t, value: t, domain: t, path: t, expires: 1, sameSite: t }, { name: 'a', value: 'b', domain: `.${t}`, path: '/', expires: -1 }], origins: [{ origin: t, localStorage: [{ name: t, value: t.slice(0, 99_000) }, { name: 'j', value: `eyJ${t.slice(0, 90_000)}.eyJ${t.slice(0, 1000)}.x` }] }] });
    const state = (() => { try { return readStorageState(text); } catch { return { jar: [], tokens: [] }; } })();
    return [state, storageStateProblems(state, { at: 0, hosts: [t, `x.${t}`] }), (() => { try { return readStorageState(t); } catch { return undefined; } })()];
  },
  inspectToken: (t) => [inspectToken(t), inspectToken(`eyJ${t}.${t}.${t}`), looksLikeJwt(t)],
  'URL redaction': (t) => [redactUrl(`https://u:${t}@h/${t};jsessionid=${t}?a=${t}&${t}#${t}`), redactUrl(t), displayUrl(t), readableMasks(`%5Bredacted${t}`), redactJwtsInText(t), redactPairs(t), maskPairValue('state', t), maskPairValue(t, t), replaceOutsideMasks(t, /a/g, () => 'b')],
  'mask checks': (t) => [isMask(t), isSecretName(t), nameWords(t), mask(t), placeholderKind(t), redactSecret(t), redactUserName(t)],
  'text redaction': (t) => [
    bounded(t),
    bounded(t, 16),
    redactText(t),
    redactText(`password:"${t}" token=${t} "secret": "${t}" https://a.test/?token=${t} ghp_${t} -----BEGIN ${t}`),
    redactPemBlocks(`-----BEGIN ${t}-----END ${t}`),
    redactFinding({ cause: 'invalid-token', confidence: 'high', title: t, explanation: t, plain: t, evidence: [{ kind: 'body', label: t, value: t, note: t }], fixes: { users: [t], developers: [t] }, actions: [] }),
    redactNote({ kind: 'light-capture', title: t, explanation: t, evidence: [{ kind: 'status', label: t }] }),
    redactChallenge({ scheme: 'bearer', params: { error_description: t, session_token: t, [t.slice(0, 64)]: t }, token68: t }),
  ],
  redactAuthorization: (t) => [redactAuthorization(`Bearer ${t}b`), redactAuthorization(t), redactAuthorization(`Digest response="${t}", ${t}`), redactAuthorization(`Bearer "${t}" x`)],
  redactBody: (t) => [redactBody(t, 'application/json'), redactBody(`{"password":${JSON.stringify(t)}}`, 'application/json'), redactBody(t, 'application/x-www-form-urlencoded'), redactBody(t, 'text/plain')],
  'cookie redaction': (t) => [redactCookieHeader(t), redactSetCookie(`${t}; ${t}`)],
  redactHeaderValue: (t) => ['Authorization', 'Cookie', 'Set-Cookie', 'X-Api-Key', 'Location', 'WWW-Authenticate', 'X-Other', 'Refresh'].map((n) => redactHeaderValue(n, t)),
  redactEntry: (t) => redactEntry(entry({ url: t, req: { Authorization: t, Cookie: t, [t.slice(0, 64)]: t }, res: { 'Set-Cookie': t, Location: t }, body: t })),
  'Markdown report': (t) => [markdownReport([{ entry: entry({ url: t, req: { a: t } }), findings: [] }], { page: t }), mdFence(t), mdText(t), mdCode(t), mdRich(t)],
  credentialsJson: (t) => credentialsJson(parseCredentials(`Digest a="${t}", response="${t}"`), false),
  'copy as cURL / fetch': (t) => [toCurl(entry({ url: t, req: { a: t } })), toFetch(entry({ url: t, req: { a: t } })), shellQuote(t), headerPolicy(t)],
  'rerun guards': (t) => [parseOutcome({ status: 200, statusText: t, headers: [[t, t]] }), parseRerunResult({ at: 1, mode: 'as-sent', context: 'page', status: 1, statusText: t.slice(0, 300), findings: [] }), isSafeMethod(t), rerunRequest(entry({ req: { [t.slice(0, 64)]: t } }), 'edited', { authorization: t })],
  'sites and URLs': (t) => [hostOf(t), isPrivateHost(t), isPublicSuffix(t), isSameOrigin(t, t), isSameSite(`https://${t}`, t), isSecureUrl(t), originOf(t), originPattern(t), originPattern(`https://${t}`), parseUrl(t), parseUrlPath(t), parseUrlPath(`https://h/${t}`), originOf(`https://h?${t}`), searchParamsOf(t), searchParamsOf(`https://h/?${t}`), registrableDomain(t), siteOf(`https://${t}`)],
  'text escaping': (t) => [escapeControls(t), excerpt(t, t.length >> 1), terminalSafe(t), terminalSafeJson(t), unfold(`${t}\r\n ${t}`)],
  parseTime: (t) => parseTime(t),
  'timeline': (t) => {
    const tl = emptyTimeline();
    const e = entry({ status: 302, url: `https://a.test/${t}`, req: { Cookie: `sid=${t}`, Authorization: t }, res: { 'Set-Cookie': `sid=${t}; Path=/${t}`, Location: t } });
    observe(tl, e);
    return [isTimelineRelevant(e), credentialFingerprint(e), cookieEventsFor(tl, t), contextFor(tl, e)];
  },
  vocabulary: (t) => [isCredentialHeader(t), isPublicCredentialParam(t), isSchemeWord(t, true), isSecretHeader(t), endsSession(`https://a.test/${t}/revoke`), looksLikeSecretValue(t), hasSecretPrefix(t)],
  exportFileName: (t) => exportFileName('har', t.length > 0),
  'what changed since': (t) => {
    const a = summarizeExchange(entry({ status: 200, url: `https://a.test/${t}?${t}`, req: { Authorization: `Bearer ${t}b`, Cookie: `sid=${t}; ${t}=1`, [`x-${t.slice(0, 64)}`]: t } }));
    const b = summarizeExchange(entry({ url: `https://a.test/${t}`, req: { Authorization: `Bearer eyJ${t}.${t}.${t}`, Cookie: `${t}`, 'X-Other': t } }));
    return [diffSummaries(a, b), sameEndpoint(a, b), readSummary(JSON.parse(JSON.stringify(a))), endpointOf(`https://a.test/${t}?${t}`)];
  },
  initiator: (t) => {
    const raw = { type: t, url: t, lineNumber: 1, stack: { callFrames: [{ functionName: t, url: t, lineNumber: 1, columnNumber: 2 }], parent: { description: t, callFrames: [{ functionName: t, url: t, lineNumber: 3, columnNumber: 4 }] } } };
    const i = readInitiator(raw)!;
    return [writeInitiator(i, true), firstOwnFrame(i)];
  },
  'detail model': (t) => {
    const e = judge(entry({ url: `https://api.test/${t}?q=${t}`, req: { Authorization: `Bearer eyJ${t}.${t}.${t}`, Cookie: `sid=${t}; ${t}` }, res: { 'WWW-Authenticate': `Bearer realm="${t}", error="${t}"`, Location: t }, body: t }));
    return detailOf({ id: t.slice(0, 8), at: 0, entry: e.entry, findings: e.findings, notes: e.notes }, { source: 'live', pageUrl: `https://${t}/` });
  },
  'row and URL views': (t) => [urlView(`https://a.test/${t}?token=${t}`, `https://${t}`), rowOf({ at: 0, entry: entry({ url: `https://a.test/${t}` }), findings: [] }), safeText(t), challengeParamMeaning(t, t), challengeParamMeaning('error', t)],
  'sign-in flows': (t) => {
    const q = encodeURIComponent(t);
    const tokenRequest = entry({ method: 'POST', url: 'https://idp.test/token', form: { grant_type: 'authorization_code', code_verifier: t } });
    const steps = [
      entry({ url: `https://idp.test/authorize?response_type=code&client_id=${q}&redirect_uri=${q}&state=${q}&nonce=${q}&code_challenge=${q}&code_challenge_method=S256` }),
      entry({ url: `https://app.test/${q}?code=${q}&state=${q}&error_description=${q}` }),
      entry({ method: 'POST', url: 'https://idp.test/token', form: { grant_type: 'authorization_code', code: t, code_verifier: t, redirect_uri: t, client_id: t }, body: JSON.stringify({ error: t, error_description: t }) }),
      entry({ url: `https://idp.test/.well-known/openid-configuration?${q}`, status: 200, body: JSON.stringify({ issuer: t, token_endpoint: t }) }),
    ].map((e, i) => stepOf(e, i)).filter((x): x is FlowStep => x !== undefined);
    return [s256(t), traceFlows(steps).map((f) => flowJson(f, t)), formOf(tokenRequest), verifierS256Of(tokenRequest)];
  },
  'token life': (t) => {
    const q = encodeURIComponent(t);
    const log = [
      entry({ url: `https://idp.test/authorize?response_type=code&client_id=${q}&scope=${q}&prompt=none&state=${q}`, req: { Cookie: `${t}=${t}` }, res: { 'Set-Cookie': `${t}=${t}` } }),
      entry({ url: `https://app.test/cb?error=login_required&state=${q}` }),
      entry({ method: 'POST', url: 'https://idp.test/token', status: 200, form: { grant_type: 'refresh_token', refresh_token: t }, body: JSON.stringify({ access_token: t, refresh_token: `${t}x`, expires_in: 1, scope: t }) }),
      entry({ method: 'POST', url: 'https://idp.test/token', status: 400, form: { grant_type: 'refresh_token', refresh_token: t }, body: JSON.stringify({ error: 'invalid_grant', error_description: t }) }),
      entry({ url: `https://api.test/${q}`, req: { Authorization: `Bearer ${t}` } }),
    ];
    const recorder = new FlowRecorder();
    log.forEach((e, i) => recorder.observe(e, i));
    const call: FlowStep = stepOf(log[4]!, 4) ?? { kind: 'api-call', index: 4, at: 0, end: 0, method: t, url: t, status: 401, endpoint: t };
    checkTokenLife([], new Map());
    const flows = recorder.flows();
    // The token's lane of the refused call, from the views (its text: the masked URLs, the token's tag).
    const views = flowViews(flows);
    const lane = laneOf(views, log[4]!, 0);
    const answer = { at: 0, end: 1, accessIssued: carriedToken(log[4]!) };
    const linked = { steps: [call], findings: [], tokens: [], refreshes: [], calls: [call] };
    group(linked, 'storm', [call]);
    return [flows.map((f) => flowJson(f, t)), tokenTagsOf(log[2]!), cookiesSetBy(log[0]!), finding('refresh-loop', 'high', call, t, t, [t]), when(call), span(t.length), flowNeedsBody('POST', t, t), logNeedsBody('POST', t, t, 401), mayBeStep(t), flowViewsOfLog(log), flowViewsOf(log), views, flows.map(flowView), stepRuns([call], []), runName({ name: t, count: 2 }), flowStepEntries(log), providerErrorMeaning(t, t), corsCheck([{ name: 'Access-Control-Allow-Origin', value: t }], t, true), lane, tokenLane(views, { token: t, at: 0, status: 401 }), replacementOf([answer], answer, t, 2), sinceWithLane({ intro: t, request: t, when: t, rows: [] }, { since: t }), hasLane(log[4]!), issuedIdTokenOf(log[2]!), clientAuthOf(log[2]!, new URLSearchParams(t)), isDiscoveryUrl(t), isTokenForm(t), storyWithSignIns({ events: [{ kind: 'failure', at: 1, short: t, text: t, time: t }] }, signInEvents(views, 2))];
  },
  'repeats (a storm, a loop)': (t) => {
    const failures = [0, 1, 2].map((i) => ({ id: `${i}`, at: i, entry: entry({ url: `https://api.test/${t}`, req: { Authorization: `Bearer ${t}`, Cookie: t } }), findings: [] }));
    const groups = groupFailures(failures);
    return [groups.map((g) => groupSentence(g)), groups.map((g) => groupSentence(g, 'cli')), repeatCount(failures)];
  },
  'auth story': (t) => {
    const tl = emptyTimeline();
    observe(tl, entry({ status: 200, url: `https://a.test/${t}`, req: { Cookie: `sid=${t}` }, res: { 'Set-Cookie': `sid=${t}` } }));
    const c = contextFor(tl, entry({ url: `https://a.test/${t}`, at: '2025-06-01T12:00:01Z' }));
    const story = authStory(c, { at: 1, method: t, url: t, status: 401, label: t });
    return [story, storyTime(story[0]!, 2), observeClearedCookies(tl, [{ name: t, value: t, domain: t, hostOnly: true, path: t, secure: true, httpOnly: true, sameSite: 'lax', session: true }], 1, t)];
  },
};

/**
 * Exports that take no text, or only text of a fixed, small size (a cause id, a time), with why.
 * The meta-check below fails on an export that is in neither table.
 */
export const NOT_TEXT: Record<string, string> = {
  groupDigits: 'a number (its digits, at most 22)',
  idTokenSigns: 'a token inspection (its claims read through judge)',
  remember: 'a memo write: a key of at most 2,048 characters, or nothing',
  settleSuccesses: 'a timeline (its summaries covered through contextFor in "auth story")',
  isCauseId: 'a cause id, compared against a fixed set',
  bodyEvidence: 'a matched signal (its text through quotedBodyText, covered)',
  bodyOutcome: 'facts and a matched signal (covered through judge)',
  hasScheme: 'parsed challenges',
  param: 'a parsed challenge and a fixed name',
  emptyContext: 'no input',
  isCrossSiteRequest: 'a request context (covered through whyNotSent and judge)',
  cookiePolicyFrom: 'a boolean or a browser setting name, looked up in a fixed table',
  MAX_FRAMES: 'a constant',
  STORY_MAX: 'a constant',
  diagnoseEntry: 'judge (covered)',
  diagnoseFacts: 'facts (covered through judge)',
  rankFindings: 'facts (covered through judge)',
  factsOf: 'an entry (covered through judge)',
  pinVerdictInputs: 'an entry (covered through judge)',
  exportEntry: 'exportHar (covered)',
  computeFacts: 'judge (covered)',
  taggedMask: 'a length and a tag',
  newTagKey: 'no input',
  useTagKey: 'a key of 64 hex digits (refused otherwise)',
  HarError: 'an error class',
  ZIP_LIMITS: 'numbers',
  ghData: 'CI outputs (covered)',
  ghProperty: 'CI outputs (covered)',
  isZip: 'zip reading (covered)',
  zipEntries: 'zip reading (covered)',
  zipEntryBytes: 'zip reading (covered)',
  readStorageState: 'storage state (covered)',
  storageStateProblems: 'storage state (covered)',
  normalizeEntry: 'readHar (covered)',
  readEntry: 'readHar (covered)',
  findHeader: 'header lookups (covered)',
  hasHeader: 'header lookups (covered)',
  decodedOf: 'an inspected token (covered through inspectToken)',
  tokenInfoFromDecoded: 'a decoded token object',
  tokenInfoFromParts: 'decoded JSON parts',
  RedactionReceipt: 'a counter class',
  failureJson: 'a diagnosed failure (covered through credentialsJson and judge)',
  fixedBy: 'stored re-run results',
  rerunLabel: 'a re-run result (a mode and a context)',
  actionPlan: 'a judged record (covered through the detail model)',
  causeView: 'a cause id',
  clearingHelps: 'cause ids',
  clockTime: 'a number',
  titleOf: 'findings (their titles are written by core)',
  rerunDifferences: 'an entry and a request (its facts covered through judge)',
  coversRequest: 'facts and a cookie scope (covered through judge)',
  setAfter: 'facts and a time (covered through judge)',
  lastSetAt: 'facts and a cookie name (covered through judge)',
  newerThanSent: 'facts and a cookie name (covered through judge)',
  supersededBySignIn: 'facts, a cookie name and a time (covered through judge)',
  ago: 'numbers',
  isExpiredAt: 'numbers',
  isNotYetValidAt: 'numbers',
  isIssuedInFutureAt: 'numbers',
  rerunSucceeded: 'a re-run result',
  rerunEntry: 'a request and an outcome (covered through judge)',
  rerunResult: 'judge (covered)',
  stillFails: 'isFailureResponse (covered)',
  getOwn: 'an object and a key',
  setOwn: 'an object, a key and a value',
  isControl: 'a character code',
  isTchar: 'a character code',
  isToken68Char: 'a character code',
  isWhitespace: 'a character code',
  duration: 'a number',
  iso: 'a number',
  relative: 'numbers',
  when: 'numbers',
};

/** The best time of `call(text)`, per call, over two samples of at least ~1 ms each. */
function timeOf(call: Case, text: string): number {
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) call(text);
    const ms = performance.now() - t0;
    if (ms >= 1 || reps >= 256) break;
    reps *= ms < 0.05 ? 16 : 2;
  }
  let best = Infinity;
  for (let k = 0; k < 2; k++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) call(text);
    best = Math.min(best, (performance.now() - t0) / reps);
  }
  return best;
}

/**
 * Time at n and 4n, alternating, the best of each (noise only ever adds time). A shape that
 * looks super-linear at 20,000 characters is measured again at 300,000 → 1,200,000, past the
 * size where the CPU caches stop holding the text (a step of its own around 300 KB here): a
 * quadratic step shows ×16 at any size, a linear one settles near ×4.
 */
export function ratio(call: Case, unit: string, n: number, rounds = 2): { small: number; large: number; ratio: number } {
  const small = repeat(unit, n);
  const large = repeat(unit, n * 4);
  let s = Infinity;
  let l = Infinity;
  for (let round = 0; round < rounds; round++) {
    s = Math.min(s, timeOf(call, small));
    l = Math.min(l, timeOf(call, large));
  }
  return { small: s, large: l, ratio: l / Math.max(s, 0.001) };
}

/**
 * The shapes on which `call` grows faster than linear (×4 input → more than ×6 time), each said
 * with its times. Empty when the case is linear.
 */
export function superLinear(call: Case): string[] {
  const worst: string[] = [];
  for (const unit of UNITS) {
    let r = ratio(call, unit, 20_000);
    // Under 1 ms at 80,000 characters nothing is super-linear enough to matter (and ratios of tiny times are noise).
    if (r.large < 1 || r.ratio <= 6) continue;
    // One stall (GC, another process) can make a ×30 out of 0.2 ms: a real quadratic shows it again.
    if (r.large <= 250) {
      const again = ratio(call, unit, 20_000, 4);
      if (again.ratio < r.ratio) r = again;
      if (r.large < 1 || r.ratio <= 6) continue;
    }
    // Clearly quadratic (or worse): no need to wait for it at a million characters.
    if (r.ratio > 12 || r.large > 250) {
      worst.push(`${JSON.stringify(unit)}: ${r.small.toFixed(2)} ms → ${r.large.toFixed(2)} ms (×${r.ratio.toFixed(1)}) at 20,000 → 80,000 characters`);
      continue;
    }
    r = ratio(call, unit, 300_000);
    if (r.ratio > 6) {
      const again = ratio(call, unit, 300_000, 4);
      if (again.ratio < r.ratio) r = again;
    }
    if (r.ratio > 6) worst.push(`${JSON.stringify(unit)}: ${r.small.toFixed(2)} ms → ${r.large.toFixed(2)} ms (×${r.ratio.toFixed(1)}) at 300,000 → 1,200,000 characters`);
  }
  return worst;
}
