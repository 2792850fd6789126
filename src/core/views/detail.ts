/**
 * The detail's model: everything the panel's detail, its action bar and its evidence sections
 * show of one failure, decided once per record from the record's own entry, pinned context and
 * verdict (the same facts the rules read). Views render these fields and compute nothing: a mark
 * painted red, a cross-origin hop, a parameter's meaning, "fixed", the lead action, a time.
 */
import { CAUSES, type Action, type Severity } from '../verdict/causes.ts';
import { cookieAttributes, NOT_SENT_REASON_TEXT } from '../cookies/cookie-words.ts';
import { factsOf } from '../verdict/diagnose.ts';
import { diffSummaries, sameEndpoint, summarizeExchange, type Change } from '../exchange/exchange-summary.ts';
import type { Facts } from '../verdict/facts.ts';
import type { Finding, Note } from '../verdict/finding.ts';
import type { LaneModel } from '../flows/lane.ts';
import type { HarEntry } from '../exchange/har-types.ts';
import { readInitiator } from '../exchange/initiator.ts';
import { displayUrl } from '../redaction/redact-url.ts';
import { mask, placeholderKind, redactBody, redactChallenge, redactHeaderValue, redactText } from '../redaction/redact.ts';
import { fixedBy, rerunLabel, rerunSucceeded, type RerunMode, type RerunResult } from '../actions/rerun-result.ts';
import { isSafeMethod, rerunDifferences, rerunRequest } from '../actions/rerun.ts';
import { isPrivateHost, isSameOrigin, originOf, parseUrl } from '../cookies/site.ts';
import { authStory, storyTime, type StoryKind } from './story.ts';
import { duration, iso, relative } from '../verdict/time.ts';
import { isExpiredAt, isIssuedInFutureAt, isNotYetValidAt } from '../tokens/token-times.ts';
import { causeView, clockTime, titleOf, type CauseView } from './view.ts';
import { BROWSER_HANDLED_SCHEMES, challengeParamMeaning } from '../redaction/vocabulary.ts';

/** Repeats of a failure (a storm, a loop), in one sentence for the detail (core/verdict/burst.ts). */
export { groupSentence } from '../verdict/burst.ts';

export type { RerunMode } from '../actions/rerun-result.ts';

/** A value that may be secret: the masked form is shown until the user reveals `value`. */
export interface Shown {
  value: string;
  /** Equal to `value` when nothing in it is secret. */
  masked: string;
}

/** A sentence whose network values (URLs, names) are set apart: drawn monospace, and free to wrap anywhere. */
export type Segments = { text: string; value?: true }[];

const seg = (text: string): Segments[number] => ({ text });
const val = (text: string): Segments[number] => ({ text, value: true });

/** The failure as the detail needs it (a stored record, or an imported one). */
export interface DetailRecord {
  id: string;
  at: number;
  entry: HarEntry;
  findings: Finding[];
  notes?: Note[] | undefined;
  partial?: string | undefined;
  reruns?: RerunResult[] | undefined;
  rediagnosed?: { at: number; reason: string } | undefined;
  pending?: true | undefined;
}

/** Where the detail is shown: what it may do there. */
export interface DetailContext {
  source: 'live' | 'import';
  /** The inspected page's URL (re-runs go through the page when the page made the request). */
  pageUrl?: string | undefined;
  /** The panel can run a fetch in the inspected page. */
  canFetchInPage?: boolean;
  /**
   * The documents of the inspected page's frames (the top one included), as DevTools lists them,
   * where the panel can run a fetch in a frame (Chromium; Firefox's eval takes no frame).
   */
  frames?: readonly string[] | undefined;
  /** DevTools is recording (call stacks and bodies can arrive). */
  recording?: boolean;
}

export interface FindingView {
  finding: Finding;
  cause: CauseView;
  primary: boolean;
}

export interface TokenMark {
  label: string;
  at: string;
  relative: string;
  /** Fails the request by the verdict's own test (clock-skew tolerance included). */
  bad: boolean;
  /** Position on the bar, 4–96 %. */
  left: string;
}

export interface TokenModel {
  /** "The Bearer token", "A JWT in the cookie "sid"". */
  named: string;
  /** A placeholder is the diagnosis, not a secret: shown as it is. */
  placeholder?: { shown: string; kind: string | undefined };
  /** "a JWT", "opaque (not a JWT): …". */
  kind: string;
  secret?: Shown;
  marks: TokenMark[];
  request?: { at: string; left: string };
  scopes?: { held: string; asked?: string };
  audience?: { aud: string; api: string };
  claimsJson?: string;
}

export interface ChallengeModel {
  scheme: string;
  token68: string | null;
  params: { name: string; value: string; meaning: string }[];
}

export interface CookieRow {
  name: string;
  value: Shown | undefined;
  reason: string;
  attributes: string;
  blocked: boolean;
}

export interface CookiesModel {
  sent: { name: string; value: Shown }[];
  /** Why nothing could be held back, when that is so (a preflight never carries cookies). */
  sentNote?: string;
  held?: {
    notSent: CookieRow[];
    /** Said when nothing was held back; never contradicts the counts. */
    noneText: string;
    outOfScope: CookieRow[];
    /** "3 cookies held for this URL, 2 sent; 1 of the site outside its scope." */
    counts: string;
  };
  events: Segments[];
}

export interface RedirectModel {
  status: number;
  from: string;
  to: string;
  note: string;
  /** Authorization was sent on a cross-origin hop: the browser dropped it here. */
  dropped: boolean;
}

export interface DiffRow {
  what: string;
  name?: string;
  note?: string;
  before: string | undefined;
  after: string | undefined;
  strong: boolean;
}

export interface SinceModel {
  intro: string;
  request: string;
  when: string;
  rows: DiffRow[];
  unchangedText?: string;
  /** The refresh in between, when the token's lane names one (core/flows/lane.ts). */
  refresh?: string;
}

/**
 * The auth story with the tab's sign-in flows before the failure, each one event (core/flows/lane.ts
 * `signInEvents`), in time order before the failure; the strip is no longer empty when one is.
 */
export function storyWithSignIns(story: StoryModel, signIns: readonly StoryModel['events'][number][]): StoryModel {
  if (signIns.length === 0) return story;
  const failure = story.events[story.events.length - 1]!;
  const before = story.events.slice(0, -1);
  const timed = [...before.filter((e) => !Number.isNaN(e.at)), ...signIns].sort((a, b) => a.at - b.at);
  return { events: [...timed, ...before.filter((e) => Number.isNaN(e.at)), failure] };
}

/** "What changed since it last worked" with the token's lane read: the refresh in between named, and "nothing changed" said right. */
export function sinceWithLane(since: SinceModel, lane: Pick<LaneModel, 'since' | 'unchangedText'> | undefined): SinceModel {
  if (!lane?.since) return since;
  return { ...since, refresh: lane.since, ...(since.unchangedText !== undefined && lane.unchangedText !== undefined ? { unchangedText: lane.unchangedText } : {}) };
}

export interface StoryModel {
  /** `at`: when (ms; NaN when unknown), so events read elsewhere (a sign-in flow) take their place. */
  events: { kind: StoryKind; at: number; short: string; text: string; time: string }[];
  /** Said instead of a strip when nothing came before the failure. */
  emptyText?: string;
}

export interface WhoModel {
  sentBy: Segments;
  frames: { fn: string; label: string; url: string; line: number; column: number; asyncFrom?: string; title: string }[];
  noStackText: string;
  /** The request's URL, for "Show in the Network panel". */
  url: string;
}

export interface ActionPlan {
  source: 'live' | 'import';
  method: string;
  /** The URL as shown (secrets masked). */
  url: string;
  /** The fix the bar leads with, from the findings' causes (first one the failure allows). */
  lead: Action | undefined;
  leadMode: RerunMode | undefined;
  mainMode: RerunMode;
  rerunModes: RerunMode[];
  clearCookies: boolean;
  clearStorage: boolean;
  /**
   * Each mode: whether the user confirms first — effects happen again (POST, PUT, PATCH, DELETE),
   * an imported request always shows what it will do, and a pasted token is never sent without
   * saying where it goes (a page can stage a 401 on its own origin to collect one).
   */
  confirm: Record<RerunMode, boolean>;
  /**
   * Where each re-run goes (in the inspected page, in the frame that sent the original, or from
   * the extension), the sentence that says so, and (for "as sent") what it cannot send as the
   * original was sent.
   */
  where: Record<RerunMode, { inPage: boolean; frameUrl?: string; text: string; differs: string[] }>;
  /** The line under the bar. */
  whereLine: string;
  /** The method re-sends effects (POST, PUT, PATCH, DELETE). */
  unsafe: boolean;
  /** The target is the user's machine or network. */
  privateHost: string | undefined;
  /** The original body was not captured, for a method that has one. */
  needsBody: boolean;
  /** The header scheme the "new Authorization" form starts with. */
  authTemplate: string;
  origin: string | undefined;
  host: string;
}

export interface DetailModel {
  id: string;
  requestLine: { method: string; url: string; status: number; statusText: string };
  headline: string;
  severity: Severity | 'ok' | 'info';
  notes: Note[];
  partial: string | undefined;
  rediagnosed: { time: string; iso: string; reason: string } | undefined;
  reruns: { text: string; ok: boolean; result: string; title: string | undefined }[];
  findings: FindingView[];
  explainer: string;
  since: SinceModel | undefined;
  who: WhoModel;
  challenge: { header: string; items: ChallengeModel[]; more: number; emptyText: string | undefined; problems: string[] };
  token: TokenModel | undefined;
  cookies: CookiesModel | undefined;
  redirects: RedirectModel[];
  sentRequest: { method: string; url: Shown; headers: { name: string; value: Shown }[] };
  responseHeaders: { name: string; value: Shown }[];
  body: Shown | undefined;
  story: StoryModel;
  timing: string;
  actions: ActionPlan;
  /** The finding that wants the browser's cookie setting, when one does (the view offers to read it). */
  wantsCookiePolicy: boolean;
}

const cache = new WeakMap<object, { key: string; model: DetailModel }>();

/**
 * The model of one failure. Computed once per record object and context (the view calls it on
 * every render: a record that did not change costs a lookup).
 */
export function detailOf(record: DetailRecord, context: DetailContext): DetailModel {
  const key = `${context.source}|${context.pageUrl ?? ''}|${context.canFetchInPage === true}|${context.recording === true}|${context.frames?.join(' ') ?? ''}`;
  const hit = cache.get(record);
  if (hit && hit.key === key) return hit.model;
  const model = build(record, context);
  cache.set(record, { key, model });
  return model;
}

function shown(value: string, masked: string): Shown {
  return { value, masked };
}

function headerRows(headers: readonly { name: string; value: string }[]): { name: string; value: Shown }[] {
  return headers.map((h) => ({ name: h.name, value: shown(h.value, redactHeaderValue(h.name, h.value)) }));
}

function build(record: DetailRecord, context: DetailContext): DetailModel {
  const e = record.entry;
  // What the rules saw: the record's entry with the context and settings pinned when it was judged.
  const f = factsOf(e);
  const [first] = record.findings;
  const fixed = fixedBy(record.reruns);
  const body = e.response.content.text;
  return {
    id: record.id,
    requestLine: { method: e.request.method, url: displayUrl(e.request.url), status: e.response.status, statusText: e.response.statusText },
    headline: `${fixed ? `Fixed by ${fixed}. ` : ''}${titleOf(record)}`,
    severity: fixed ? 'ok' : first ? CAUSES[first.cause].severity : 'info',
    notes: record.notes ?? [],
    partial: record.partial,
    rediagnosed: record.rediagnosed ? { time: clockTime(record.rediagnosed.at)?.text ?? '', iso: iso(record.rediagnosed.at), reason: record.rediagnosed.reason } : undefined,
    reruns: (record.reruns ?? []).map((r) => ({
      text: `Re-run ${rerunLabel(r)} at ${iso(r.at)}`,
      ok: rerunSucceeded(r) && !(r.differs && r.differs.length > 0),
      result: r.error ? `failed: ${r.error}` : `${r.status} ${r.statusText}`.trim(),
      title: r.findings[0]?.title ?? (r.differs && r.differs.length > 0 ? `not the same request as the original, so it does not say whether the original would work now: ${r.differs.join('; ')}` : undefined),
    })),
    findings: record.findings.map((finding, i) => ({ finding, cause: causeView(finding.cause), primary: i === 0 })),
    explainer: explainer(e.response.status),
    since: since(e, f),
    who: who(e, f, context),
    challenge: {
      header: f.challengeHeader,
      items: f.challenges.slice(0, 20).map(redactChallenge).map((c) => ({
        scheme: c.scheme,
        token68: c.token68,
        params: Object.keys(c.params).map((name) => ({ name, value: c.params[name] ?? '', meaning: challengeParamMeaning(name, c.params[name] ?? '') })),
      })),
      more: Math.max(0, f.challenges.length - 20),
      emptyText: f.challenges.length === 0 ? `The response has no ${f.challengeHeader} header${f.hasChallengeHeader ? ' that could be read' : ''}.` : undefined,
      problems: f.challengeProblems.slice(0, 10).map((p) => redactText(p.message)),
    },
    token: token(f),
    cookies: f.cookiesSent.length > 0 || f.jar !== undefined || f.cookieEvents.length > 0 ? cookies(f) : undefined,
    redirects: f.redirectChain.map((h) => {
      // The redirect rule's own test: Fetch drops Authorization when the hop changes origin.
      const cross = !isSameOrigin(h.url, h.location);
      return {
        status: h.status,
        from: displayUrl(h.url),
        to: displayUrl(h.location),
        note: `${h.authorizationSent ? 'Authorization sent' : 'no Authorization'}${cross ? '; cross-origin: the browser drops Authorization here' : ''}`,
        dropped: h.authorizationSent && cross,
      };
    }),
    sentRequest: { method: e.request.method, url: shown(e.request.url, displayUrl(e.request.url)), headers: headerRows(e.request.headers) },
    responseHeaders: headerRows(e.response.headers),
    body: typeof body === 'string' && body !== '' ? shown(body, redactBody(body, e.response.content.mimeType).text) : undefined,
    story: story(record, f),
    timing: `Requested ${iso(record.at)}${e.time > 0 ? `, answered in ${e.time < 1000 ? `${Math.round(e.time)} ms` : duration(e.time)}` : ''}.`,
    actions: actionPlan(record, f, context),
    wantsCookiePolicy: context.source === 'live' && record.findings.some((x) => x.wants === 'cookie-policy'),
  };
}

function explainer(status: number): string {
  if (status === 407) return '407 Proxy Authentication Required: a proxy between you and the site wants credentials. The site never saw the request; sign in to the proxy (browser or system settings).';
  if (status === 403) return '403 Forbidden: the server knows who you are (or does not need to) and refuses anyway. Signing in again helps only as a user who has the permission; an administrator or the API’s owner must act.';
  if (status === 401) return '401 Unauthorized: the server did not accept any credentials from this request. The fix is usually on the client: send valid credentials in the scheme the server asks for (WWW-Authenticate).';
  return `${status}: the server’s response carries an authentication challenge, so it is treated as an auth failure.`;
}

const CHANGE_LABEL: Record<Change['kind'], string> = { credentials: 'Authorization', claim: 'Token claim', cookie: 'Cookie', header: 'Header', redirects: 'Redirects' };

function since(e: HarEntry, f: Facts): SinceModel | undefined {
  const then = f.context.lastSuccess;
  if (!then) return undefined;
  const now = summarizeExchange(e);
  const changes = diffSummaries(then, now);
  return {
    intro: sameEndpoint(then, now) ? 'This request last worked' : 'The last request that worked on this origin',
    request: `${then.method} ${displayUrl(then.url)} → ${then.status}`,
    when: Number.isNaN(then.at) || Number.isNaN(f.at) ? 'earlier' : relative(then.at, f.at, 'this failure'),
    rows: changes.slice(0, 30).map((c) => ({
      what: CHANGE_LABEL[c.kind],
      ...('name' in c ? { name: c.name } : {}),
      ...(c.kind === 'credentials' ? { note: c.note } : {}),
      before: c.kind === 'redirects' ? c.before.join(' → ') || 'none' : c.before,
      after: c.kind === 'redirects' ? c.after.join(' → ') || 'none' : c.after,
      strong: c.kind === 'credentials' || c.kind === 'cookie' || c.kind === 'claim',
    })),
    ...(changes.length === 0 ? { unchangedText: 'Nothing Why 401 compares changed (credentials, cookies, headers, redirects): the server changed its mind, for example a session or token revoked, a server restarted, a new policy.' } : {}),
  };
}

/** "app.js:42:8" for a frame (1-based, as editors count), with the file's last path segment. */
function frameLabel(url: string, line: number, column: number): string {
  const u = parseUrl(url);
  const file = u ? (u.pathname.split('/').filter(Boolean).pop() ?? u.host) : url;
  return `${file}:${line + 1}:${column + 1}`;
}

function who(e: HarEntry, f: Facts, context: DetailContext): WhoModel {
  const w = readInitiator(e._initiator);
  const kind = f.resourceType ? ` (${f.resourceType === 'xmlhttprequest' ? 'fetch or XMLHttpRequest' : f.resourceType})` : '';
  const sentBy: Segments = [seg('Sent by '), ...(f.initiator ? [seg('the page at '), val(f.initiator)] : [seg('an unknown page')]), seg(kind)];
  if (w && w.type !== 'script' && w.type !== 'other') sentBy.push(seg(', initiator type '), val(w.type));
  if (w?.url && w.frames.length === 0) sentBy.push(seg(` from `), val(`${displayUrl(w.url)}${w.line !== undefined ? `:${w.line + 1}` : ''}`));
  sentBy.push(seg('.'));
  return {
    sentBy,
    frames: (w?.frames ?? []).map((x) => ({
      fn: x.fn || '(anonymous)',
      label: frameLabel(x.url, x.line, x.column),
      url: x.url,
      line: x.line,
      column: x.column,
      ...(x.asyncFrom !== undefined ? { asyncFrom: x.asyncFrom } : {}),
      title: `${displayUrl(x.url)} at line ${x.line + 1}`,
    })),
    noStackText:
      context.source === 'import'
        ? 'The file has no call stack for it (Chrome’s HAR files carry one as _initiator; other tools’ do not).'
        : context.recording
          ? 'No call stack: DevTools recorded none for it (it was sent before DevTools opened, by the browser itself, or the browser records no stacks, as Firefox).'
          : 'No call stack: it was captured while DevTools was closed. Keep DevTools open and reproduce it to see which script sent it.',
    url: e.request.url,
  };
}

function tokenKind(t: NonNullable<Facts['token']>): string {
  const info = t.info;
  if (info.kind === 'jwt') return 'a JWT';
  if (info.kind === 'jwe') return 'an encrypted JWT (JWE): its claims cannot be read';
  if (info.kind === 'broken-jwt') return `a broken JWT (${info.problem ?? ''})`;
  return 'opaque (not a JWT): only the server can read it';
}

function token(f: Facts): TokenModel | undefined {
  const t = f.token;
  if (!t) return undefined;
  const scheme = f.credentials?.scheme;
  const named = t.source === 'cookie' ? `A JWT in the cookie "${t.cookieName ?? ''}"` : scheme ? `The ${scheme} token` : 'The token';
  const kind = t.source === 'cookie' ? undefined : placeholderKind(t.text);
  if (kind !== undefined) {
    const text = t.text.trim();
    return { named, placeholder: { shown: text === '' ? '(empty)' : text, kind: text !== '' && kind !== text ? kind : undefined }, kind: 'a placeholder, not a credential', marks: [] };
  }
  const info = t.info;
  const model: TokenModel = { named, kind: tokenKind(t), marks: [] };
  if (!f.credentials?.redacted) model.secret = shown(t.text, mask(t.text));
  if (!Number.isNaN(f.at)) {
    // The verdict's own tests, with the tolerance it was judged with (core/tokens/token-times.ts).
    const raw: { label: string; at: number; bad: boolean }[] = [];
    if (info.iat !== undefined) raw.push({ label: 'iat (issued)', at: info.iat * 1000, bad: isIssuedInFutureAt(info.iat, f.at, f.skewMs) });
    if (info.nbf !== undefined) raw.push({ label: 'nbf (valid from)', at: info.nbf * 1000, bad: isNotYetValidAt(info.nbf, f.at, f.skewMs) });
    if (info.exp !== undefined) raw.push({ label: 'exp (expires)', at: info.exp * 1000, bad: isExpiredAt(info.exp, f.at, f.skewMs) });
    if (raw.length > 0) {
      const all = [...raw.map((m) => m.at), f.at];
      const lo = Math.min(...all);
      const span = Math.max(1, Math.max(...all) - lo);
      const left = (ms: number) => `${(((ms - lo) / span) * 92 + 4).toFixed(2)}%`;
      model.marks = raw.map((m) => ({ label: m.label, at: iso(m.at), relative: relative(m.at, f.at, 'the request'), bad: m.bad, left: left(m.at) }));
      model.request = { at: `${iso(f.at)}${f.skewMs > 0 ? ` (clock-skew tolerance ${Math.round(f.skewMs / 1000)} s)` : ''}`, left: left(f.at) };
    }
  }
  const asked = f.stated?.view.scope;
  if (info.scopes || asked) model.scopes = { held: info.scopes ? info.scopes.join(' ') || '(none)' : 'unknown', ...(asked ? { asked: asked.join(' ') } : {}) };
  if (info.aud) model.audience = { aud: info.aud.join(', '), api: f.urlParts?.origin ?? f.host };
  if (info.header) model.claimsJson = JSON.stringify({ header: info.header, claims: info.claims ?? null }, null, 2);
  return model;
}

function cookieRow(h: Facts['heldNotSent'][number], sentNames: ReadonlySet<string>): CookieRow {
  return {
    name: h.cookie.name,
    // Why 401 never keeps the value of a cookie it did not see sent.
    value: h.cookie.value === '' ? undefined : shown(h.cookie.value, mask(h.cookie.value)),
    reason: h.reason
      ? `Not sent: ${NOT_SENT_REASON_TEXT[h.reason]}`
      : sentNames.size === 0
        ? 'The browser’s rules allowed it, yet no cookie went: the request was made without credentials (fetch’s credentials mode), or a browser setting held it back'
        : 'The browser’s rules allowed it, yet it did not go: a browser setting or an extension held it back',
    attributes: cookieAttributes(h.cookie, { expiry: true }),
    blocked: h.reason !== undefined,
  };
}

function cookies(f: Facts): CookiesModel {
  const sentNames = new Set(f.cookiesSent.map((c) => c.name));
  const model: CookiesModel = {
    sent: f.cookiesSent.map((c) => ({ name: c.name, value: shown(c.value, mask(c.value)) })),
    events: f.cookieEvents.slice(-12).map((e) => {
      const what = e.action === 'delete' ? 'deleted' : e.action === 'rejected' ? `refused by the browser (${e.rejected ?? ''})` : 'set';
      const expiry = e.action === 'set' ? (e.expiresAt !== null ? `, expiring ${iso(e.expiresAt)} (${relative(e.expiresAt, f.at, 'this request')})` : ', a session cookie') : '';
      // Why 401's own clears and restores are named as such, never attributed to a request.
      const by = e.by === 'why401' ? [seg(`${e.action === 'delete' ? 'cleared' : 'restored'} by Why 401 (${e.action === 'delete' ? 'Clear site cookies' : 'Undo'})`)] : [seg(`${what} by `), val(`${e.method} ${displayUrl(e.url)}`)];
      return [val(e.name), seg(' '), ...by, seg(` at ${iso(e.at)}${expiry}`)];
    }),
  };
  if (f.preflight) {
    model.sentNote = 'A CORS preflight never carries cookies (Fetch: its credentials mode is "omit"), whatever the browser holds: nothing was held back from it.';
    return model;
  }
  if (f.jar !== undefined) {
    const inScope = f.jar.length - f.outOfScope.length;
    const sentOfJar = f.jar.filter((c) => sentNames.has(c.name)).length;
    model.held = {
      notSent: f.heldNotSent.map((h) => cookieRow(h, sentNames)),
      noneText: inScope === 0 ? 'None: the browser held no cookie for this URL.' : `None: all ${inScope} cookie${inScope === 1 ? '' : 's'} the browser held for this URL ${inScope === 1 ? 'was' : 'were'} sent.`,
      outOfScope: f.outOfScope.map((h) => cookieRow(h, sentNames)),
      counts: `${inScope} cookie${inScope === 1 ? '' : 's'} held for this URL, ${sentOfJar} sent${f.outOfScope.length > 0 ? `; ${f.outOfScope.length} session cookie${f.outOfScope.length === 1 ? '' : 's'} of the site outside its scope` : ''}.`,
    };
  }
  return model;
}

function story(record: DetailRecord, f: Facts): StoryModel {
  const e = record.entry;
  const first = record.findings[0];
  const events = authStory(f.context, { at: f.at, method: e.request.method, url: displayUrl(e.request.url), status: e.response.status, label: first ? CAUSES[first.cause].label : 'auth failure' });
  return {
    events: events.map((x) => ({ kind: x.kind, at: x.at, short: x.short, text: x.text, time: storyTime(x, f.at) || (Number.isNaN(x.at) ? '' : iso(x.at)) })),
    ...(events.length === 1 ? { emptyText: 'Nothing auth-related was seen before this failure in this tab (no sign-in, cookie or success with credentials).' } : {}),
  };
}

const MODE_OF: Partial<Record<Action, RerunMode>> = { rerun: 'as-sent', 'rerun-without-cookies': 'without-cookies', 'edit-and-rerun': 'edited' };

/** The frame document that sent a request: the newest listed of the initiator's origin, not the top page. */
function senderFrame(frames: readonly string[] | undefined, initiator: string | undefined, pageUrl: string | undefined): string | undefined {
  if (!frames || initiator === undefined) return undefined;
  for (let i = frames.length - 1; i >= 0; i--) {
    const u = frames[i]!;
    if (u !== pageUrl && originOf(u) === initiator) return u;
  }
  return undefined;
}

/** What the bar offers for a failure, in order: the lead fix first (from the findings), then the rest. */
export function actionPlan(record: Pick<DetailRecord, 'entry' | 'findings'>, f: Facts, context: DetailContext): ActionPlan {
  const e = record.entry;
  const url = parseUrl(e.request.url);
  const web = url !== undefined && /^https?:$/.test(url.protocol);
  // A preflight never carries credentials: re-running it or touching cookies fixes nothing.
  const rerunModes: RerunMode[] = f.preflight ? [] : ['as-sent', 'without-cookies', 'edited'];
  const clearCookies = context.source === 'live' && web && !f.preflight;
  const clearStorage = context.source === 'live' && web;
  const available = (a: Action) => (a === 'clear-site-cookies' ? clearCookies : MODE_OF[a] !== undefined ? rerunModes.includes(MODE_OF[a]!) : false);
  const lead = record.findings.flatMap((x) => x.actions).find(available);
  const leadMode = lead ? MODE_OF[lead] : undefined;
  // The page reproduces the original when it made the request (same origin, same cookies), unless
  // the re-run would hand the page a credential its scripts never had.
  const pageOrigin = originOf(context.pageUrl);
  const canFetch = context.source === 'live' && context.canFetchInPage === true;
  const pageMade = canFetch && pageOrigin !== undefined && (f.initiator === pageOrigin || originOf(e.request.url) === pageOrigin);
  // A request a frame sent re-runs in that frame (a document of the initiator's origin, other than
  // the top one): there the browser judges its cookies as it did for the original.
  const frameUrl = canFetch && (e._why401?.frameId ?? 0) !== 0 ? senderFrame(context.frames, f.initiator, context.pageUrl) : undefined;
  const browserCredential = f.credentials !== null && BROWSER_HANDLED_SCHEMES.has(f.credentials.scheme);
  const runsThere = (mode: RerunMode) => mode !== 'edited' && !(browserCredential && mode !== 'without-cookies');
  const inFrame = (mode: RerunMode) => frameUrl !== undefined && runsThere(mode);
  const inPage = (mode: RerunMode) => inFrame(mode) || (pageMade && runsThere(mode));
  const whereText = (mode: RerunMode) =>
    inFrame(mode)
      ? `in the frame that sent it (${displayUrl(frameUrl!)}, in the inspected page: same cookies, same origin; the frame’s own scripts can see it and could change its answer)`
      : inPage(mode)
        ? 'in the inspected page (same cookies, same origin; the page’s own scripts can see it and could change its answer)'
        : 'from the extension (not the page: its cookies and origin may differ)';
  const differs = (m: RerunMode) => (m === 'as-sent' && rerunModes.length > 0 ? rerunDifferences(e, inFrame(m) ? 'frame' : inPage(m) ? 'page' : 'extension', rerunRequest(e, m)) : []);
  const where = Object.fromEntries(
    (['as-sent', 'without-cookies', 'edited'] as const).map((m) => [m, { inPage: inPage(m), ...(inFrame(m) ? { frameUrl: frameUrl! } : {}), text: whereText(m), differs: differs(m) }]),
  ) as ActionPlan['where'];
  const method = e.request.method.toUpperCase();
  const unsafe = !isSafeMethod(method);
  const confirmAll = unsafe || context.source === 'import';
  return {
    confirm: { 'as-sent': confirmAll, 'without-cookies': confirmAll, edited: true },
    source: context.source,
    method,
    url: displayUrl(e.request.url),
    lead,
    leadMode,
    mainMode: leadMode ?? 'as-sent',
    rerunModes,
    clearCookies,
    clearStorage,
    where,
    whereLine:
      rerunModes.length === 0
        ? 'A CORS preflight carries no credentials and cannot be re-sent on its own: the fix is on the server (answer OPTIONS without asking for authentication).'
        : inPage('as-sent') === inPage('edited')
          ? `Re-runs go ${whereText('as-sent')}.`
          : `Re-runs go ${whereText('as-sent')}. With a new Authorization they go from the extension: a pasted token is never handed to the page.`,
    unsafe,
    privateHost: url !== undefined && isPrivateHost(url.hostname) ? url.hostname : undefined,
    needsBody: !isSafeMethod(method) && e.request.postData?.text === undefined,
    authTemplate: `${f.credentials?.scheme === 'basic' ? 'Basic' : 'Bearer'} `,
    origin: originOf(e.request.url),
    host: url?.host ?? e.request.url,
  };
}
