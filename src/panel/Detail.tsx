/**
 * The detail of one failure: the verdict, every finding ranked with its fixes, and the evidence,
 * each part only where it applies. Facts come from the core (the same analysis the diagnosis
 * used); nothing here re-implements a rule.
 */
import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Challenge } from '../core/challenges.ts';
import { CAUSES } from '../core/causes.ts';
import { NOT_SENT_REASON_TEXT, cookieAttributes } from '../core/cookies.ts';
import { factsOf } from '../core/diagnose.ts';
import type { Facts } from '../core/facts.ts';
import type { Finding } from '../core/finding.ts';
import { readInitiator, type CallFrame } from '../core/initiator.ts';
import { authStory, storyTime } from '../core/story.ts';
import { diffSummaries, sameEndpoint, summarizeExchange, type Change } from '../core/exchange-summary.ts';
import { displayUrl } from '../core/redact-url.ts';
import { placeholderKind, redactBody } from '../core/redact.ts';
import { duration, iso, relative } from '../core/time.ts';
import type { StoredRecord } from '../shared/records.ts';
import { CauseChip, Clock, Rich, Section, safe, safeLines, sevClass } from '../ui/components.tsx';
import { HeaderValue, Secret } from '../ui/secret.tsx';
import { Actions, type ActionsProps } from './Actions.tsx';
import { fixedBy, rerunSucceeded } from '../core/rerun-result.ts';

export interface DetailProps extends Omit<ActionsProps, 'record' | 'facts'> {
  record: StoredRecord;
  allowReveal: boolean;
  /** Esc in the detail: back to the list (the selection stays). */
  onBack?: () => void;
}

/**
 * A finding the browser's cookie setting would settle: offered beside it, for a live failure.
 * Reading it needs the optional `privacy` permission, asked for in this click; then the tab's
 * failures that want it are judged again with it (the background says so on each).
 */
function CookiePolicyAsk({ backend, notify }: Pick<DetailProps, 'backend' | 'notify'>) {
  const [busy, setBusy] = useState(false);
  const read = async () => {
    setBusy(true);
    try {
      if (!(await backend.allowCookiePolicy())) {
        notify('Why 401 was not allowed to read the browser’s cookie setting; nothing changed.', 'error');
        return;
      }
      if (backend.tabId === undefined) return;
      const r = await backend.request('read-cookie-policy', { tabId: backend.tabId });
      notify(
        r.policy
          ? `Your browser’s setting: third-party cookies ${r.policy.thirdParty} (${r.policy.setting}). ${r.rejudged} failure${r.rejudged === 1 ? '' : 's'} re-diagnosed with it.`
          : 'The browser did not say how it treats third-party cookies.',
        r.policy ? 'ok' : 'error',
      );
    } catch (e) {
      notify(`Could not read the browser’s cookie setting: ${e instanceof Error ? e.message : String(e)}`, 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <p class="wants">
      <button type="button" onClick={read} disabled={busy}>
        Check the browser’s third-party cookie setting
      </button>{' '}
      <span class="muted">Your browser’s own setting can hold these cookies back. Why 401 can read it (it asks your permission once) and only reads it.</span>
    </p>
  );
}

/** "app.js:42:8" for a frame (1-based, as editors count), with the file's last path segment. */
function frameLabel(f: CallFrame): string {
  let file = f.url;
  try {
    const u = new URL(f.url);
    file = u.pathname.split('/').filter(Boolean).pop() ?? u.host;
  } catch {
    // not a URL: as written
  }
  return `${file}:${f.line + 1}:${f.column + 1}`;
}

/**
 * Who sent it: the initiator and its call stack as DevTools recorded them (Chrome), each frame a
 * link to its line in the Sources panel; or, plainly, why there is no stack.
 */
function WhoSentIt({ record, facts, backend, source }: Pick<DetailProps, 'record' | 'backend' | 'source'> & { facts: Facts }) {
  const who = readInitiator(record.entry._initiator);
  const [all, setAll] = useState(false);
  const kind = facts.resourceType ? ` (${facts.resourceType === 'xmlhttprequest' ? 'fetch or XMLHttpRequest' : facts.resourceType})` : '';
  const page = facts.initiator ? <>the page at <span class="mono">{safe(facts.initiator)}</span></> : 'an unknown page';
  const frames = who ? (all ? who.frames : who.frames.slice(0, 8)) : [];
  let path = '';
  try {
    path = new URL(record.entry.request.url).pathname;
  } catch {
    path = record.entry.request.url;
  }
  return (
    <>
      <p>
        Sent by {page}
        {kind}
        {who && who.type !== 'script' && who.type !== 'other' ? `, initiator type ${safe(who.type)}` : ''}
        {who?.url && who.frames.length === 0 ? (
          <>
            {' '}
            from <span class="mono">{safe(displayUrl(who.url))}</span>
            {who.line !== undefined ? `:${who.line + 1}` : ''}
          </>
        ) : null}
        .
      </p>
      {who && who.frames.length > 0 ? (
        <>
          <h4>Call stack (innermost first)</h4>
          <ol class="stack plain">
            {frames.map((f, i) => (
              <li key={i}>
                {f.asyncFrom !== undefined && <div class="async faint">— {safe(f.asyncFrom)} —</div>}
                <span class="fn">{safe(f.fn || '(anonymous)')}</span>{' '}
                {backend.openSource && source === 'live' ? (
                  <button type="button" class="link mono" title={`Open ${safe(displayUrl(f.url))} at line ${f.line + 1} in the Sources panel`} onClick={() => void backend.openSource!(f.url, f.line, f.column)}>
                    {safe(frameLabel(f))}
                  </button>
                ) : (
                  <span class="mono" title={safe(displayUrl(f.url))}>
                    {safe(frameLabel(f))}
                  </span>
                )}
              </li>
            ))}
          </ol>
          {who.frames.length > frames.length && (
            <button type="button" class="link" onClick={() => setAll(true)}>
              Show all {who.frames.length} frames
            </button>
          )}
        </>
      ) : (
        <p class="muted">
          {source === 'import'
            ? 'The file has no call stack for it (Chrome’s HAR files carry one as _initiator; other tools’ do not).'
            : backend.recordedResponses
              ? 'No call stack: DevTools recorded none for it (it was sent before DevTools opened, by the browser itself, or the browser records no stacks, as Firefox).'
              : 'No call stack: it was captured while DevTools was closed. Keep DevTools open and reproduce it to see which script sent it.'}
        </p>
      )}
      {backend.showInNetwork && source === 'live' && (
        <button type="button" onClick={() => void backend.showInNetwork!(path)}>
          Show in the Network panel
        </button>
      )}
    </>
  );
}

const CHANGE_LABEL: Record<Change['kind'], string> = { credentials: 'Authorization', claim: 'Token claim', cookie: 'Cookie', header: 'Header', redirects: 'Redirects' };

/**
 * What changed since it last worked: the last credentialed success of this endpoint (else of
 * its origin) as the timeline kept it, against this failure, side by side.
 */
function SinceItWorked({ record, facts }: { record: StoredRecord; facts: Facts }) {
  const then = facts.context.lastSuccess;
  if (!then) return null;
  const now = summarizeExchange(record.entry);
  const changes = diffSummaries(then, now);
  const same = sameEndpoint(then, now);
  return (
    <>
      <p>
        {same ? 'This request last worked' : 'The last request that worked on this origin'}:{' '}
        <span class="mono">
          {safe(then.method)} {safe(displayUrl(then.url))} → {then.status}
        </span>
        , {Number.isNaN(then.at) || Number.isNaN(facts.at) ? 'earlier' : relative(then.at, facts.at, 'this failure')}.
      </p>
      {changes.length === 0 ? (
        <p class="muted">Nothing Why 401 compares changed (credentials, cookies, headers, redirects): the server changed its mind, for example a session or token revoked, a server restarted, a new policy.</p>
      ) : (
        <table class="kv diff">
          <thead>
            <tr>
              <th scope="col">What</th>
              <th scope="col">Then</th>
              <th scope="col">Now</th>
            </tr>
          </thead>
          <tbody>
            {changes.slice(0, 30).map((c, i) => (
              <tr key={i} class={c.kind === 'credentials' || c.kind === 'cookie' || c.kind === 'claim' ? 'strong' : ''}>
                <th scope="row">
                  {CHANGE_LABEL[c.kind]}
                  {'name' in c ? <> <span class="mono">{safe(c.name)}</span></> : null}
                  {c.kind === 'credentials' ? <div class="muted">{safe(c.note)}</div> : null}
                </th>
                <td class="mono">{c.kind === 'redirects' ? safe(c.before.join(' → ') || 'none') : c.before !== undefined ? safe(c.before) : <span class="faint">not sent</span>}</td>
                <td class="mono">{c.kind === 'redirects' ? safe(c.after.join(' → ') || 'none') : c.after !== undefined ? safe(c.after) : <span class="faint">not sent</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function FindingCard({ f, first, ask }: { f: Finding; first: boolean; ask?: ComponentChildren }) {
  const info = CAUSES[f.cause];
  return (
    <article class={`finding ${sevClass(info.severity)}${first ? ' primary' : ''}`} aria-label={f.title}>
      <header>
        <CauseChip cause={f.cause} />
        <span class="confidence" title="How sure the diagnosis is">
          {f.confidence} confidence
        </span>
        <code class="cause-id faint">{f.cause}</code>
      </header>
      <h3>{safe(f.title)}</h3>
      <p>{safe(f.explanation)}</p>
      {f.wants === 'cookie-policy' && ask}
      <div class="fixes">
        <div>
          <h4>For users</h4>
          <ul>
            {f.fixes.users.map((x) => (
              <li key={x}>
                <Rich text={x} />
              </li>
            ))}
          </ul>
        </div>
        <div>
          <h4>For developers</h4>
          <ul>
            {f.fixes.developers.map((x) => (
              <li key={x}>
                <Rich text={x} />
              </li>
            ))}
          </ul>
        </div>
      </div>
      {f.evidence.length > 0 && (
        <dl class="evidence">
          {f.evidence.map((e, i) => (
            <div key={i}>
              <dt>{safe(e.label)}</dt>
              <dd>
                {e.value !== undefined && <span class="mono">{safe(e.value)}</span>} {e.note && <span class="muted">({safe(e.note)})</span>}
              </dd>
            </div>
          ))}
        </dl>
      )}
    </article>
  );
}

function HeaderTable({ headers, allowReveal }: { headers: { name: string; value: string }[]; allowReveal: boolean }) {
  if (headers.length === 0) return <p class="muted">No headers were captured.</p>;
  return (
    <table class="kv">
      <tbody>
        {headers.map((h, i) => (
          <tr key={i}>
            <th scope="row">{safe(h.name)}</th>
            <td>
              <HeaderValue name={h.name} value={h.value} allowReveal={allowReveal} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const PARAM_WORDS: Record<string, string> = {
  realm: 'the protection space: which credentials apply',
  scope: 'the permissions (scopes) the request needs',
  error: 'the server’s error code',
  error_description: 'the server’s explanation, in its own words',
  error_uri: 'a page about the error',
  algs: 'the DPoP proof algorithms accepted',
  resource_metadata: 'where the API describes how to get a token for it (RFC 9728)',
  nonce: 'a one-time value to compute the Digest response with',
  stale: 'true: the password was right, only the nonce expired',
  qop: 'the Digest quality of protection offered',
  algorithm: 'the Digest hash algorithm',
  opaque: 'a value the client must send back unchanged',
  charset: 'the encoding of user name and password (UTF-8)',
};

const ERROR_WORDS: Record<string, string> = {
  invalid_token: 'the token is expired, revoked, malformed or not for this API',
  insufficient_scope: 'the token is valid but lacks a permission this request needs',
  invalid_request: 'the request is malformed (a missing or repeated parameter)',
  use_dpop_nonce: 'retry with a DPoP proof carrying the server’s nonce',
  invalid_dpop_proof: 'the DPoP proof was refused',
};

function ChallengeView({ c }: { c: Challenge }) {
  const names = Object.keys(c.params);
  return (
    <div class="challenge">
      <div>
        <strong>{safe(c.scheme)}</strong>
        {c.token68 !== null && <span class="mono"> {safe(c.token68)}</span>}
      </div>
      {names.length > 0 && (
        <table class="kv">
          <tbody>
            {names.map((n) => {
              const v = c.params[n] ?? '';
              return (
                <tr key={n}>
                  <th scope="row">{safe(n)}</th>
                  <td>
                    <span class="mono">{safe(v)}</span>
                    <div class="muted">
                      {PARAM_WORDS[n] ?? ''}
                      {n === 'error' && ERROR_WORDS[v] ? `: ${ERROR_WORDS[v]}` : ''}
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** exp / nbf / iat against the request time on one line. */
function TokenTimes({ f }: { f: Facts }) {
  const info = f.token?.info;
  if (!info || Number.isNaN(f.at)) return null;
  const marks: { label: string; at: number; bad: boolean }[] = [];
  if (info.iat !== undefined) marks.push({ label: 'iat (issued)', at: info.iat * 1000, bad: info.iat * 1000 > f.at + 60_000 });
  if (info.nbf !== undefined) marks.push({ label: 'nbf (valid from)', at: info.nbf * 1000, bad: info.nbf * 1000 > f.at });
  if (info.exp !== undefined) marks.push({ label: 'exp (expires)', at: info.exp * 1000, bad: info.exp * 1000 <= f.at });
  if (marks.length === 0) return null;
  const all = [...marks.map((m) => m.at), f.at];
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const span = Math.max(1, hi - lo);
  const pos = (t: number) => `${(((t - lo) / span) * 92 + 4).toFixed(2)}%`;
  return (
    <div class="token-times">
      <div class="bar" role="img" aria-label="Token times against the request time">
        {marks.map((m) => (
          <span key={m.label} class={`mark${m.bad ? ' bad' : ''}`} style={{ left: pos(m.at) }} title={`${m.label}: ${iso(m.at)}`} />
        ))}
        <span class="mark now" style={{ left: pos(f.at) }} title={`request: ${iso(f.at)}`} />
      </div>
      <ul class="plain">
        {marks.map((m) => (
          <li key={m.label} class={m.bad ? 'bad' : ''}>
            <strong>{m.label}</strong> {iso(m.at)} — {relative(m.at, f.at, 'the request')}
          </li>
        ))}
        <li>
          <strong>request</strong> {iso(f.at)}
        </li>
      </ul>
    </div>
  );
}

function TokenView({ f, allowReveal }: { f: Facts; allowReveal: boolean }) {
  const t = f.token;
  if (!t) return null;
  const info = t.info;
  const asked = f.stated?.view.scope;
  // A placeholder ("undefined", "${TOKEN}") is the diagnosis, not a secret: shown as it is, as every mask shows it.
  const placeholder = t.source === 'cookie' ? undefined : placeholderKind(t.text);
  const named = f.credentials?.scheme ? `The ${safe(f.credentials.scheme)} token` : 'The token';
  if (placeholder !== undefined) {
    const shown = t.text.trim();
    return (
      <p>
        {named}: <strong>a placeholder, not a credential</strong>: <span class="mono">{shown === '' ? '(empty)' : safe(shown)}</span>
        {shown !== '' && placeholder !== shown && ` (${safe(placeholder)})`}.
      </p>
    );
  }
  return (
    <>
      <p>
        {t.source === 'cookie' ? `A JWT in the cookie "${safe(t.cookieName ?? '')}"` : named}:{' '}
        <strong>
          {info.kind === 'jwt' ? 'a JWT' : info.kind === 'jwe' ? 'an encrypted JWT (JWE): its claims cannot be read' : info.kind === 'broken-jwt' ? `a broken JWT (${info.problem ?? ''})` : 'opaque (not a JWT): only the server can read it'}
        </strong>
        .{' '}
        {!f.credentials?.redacted && <Secret value={t.text} allowReveal={allowReveal} label="token" />}
      </p>
      <TokenTimes f={f} />
      {(info.scopes || asked) && (
        <p>
          Scopes held: <span class="mono">{info.scopes ? safe(info.scopes.join(' ') || '(none)') : 'unknown'}</span>
          {asked && (
            <>
              {' '}
              · asked for: <span class="mono">{safe(asked.join(' '))}</span>
            </>
          )}
        </p>
      )}
      {info.aud && (
        <p>
          Audience: <span class="mono">{safe(info.aud.join(', '))}</span> · this API: <span class="mono">{f.parsedUrl?.origin ?? f.host}</span>
        </p>
      )}
      {info.header && (
        <details>
          <summary>Header and claims</summary>
          <pre class="json">{safeLines(JSON.stringify({ header: info.header, claims: info.claims ?? null }, null, 2))}</pre>
        </details>
      )}
    </>
  );
}

function CookiesView({ f, allowReveal }: { f: Facts; allowReveal: boolean }) {
  const sentNames = new Set(f.cookiesSent.map((c) => c.name));
  return (
    <>
      <h4>Sent with the request</h4>
      {f.cookiesSent.length === 0 ? (
        <p class="muted">No cookies were sent.</p>
      ) : (
        <table class="kv">
          <tbody>
            {f.cookiesSent.map((c, i) => (
              <tr key={i}>
                <th scope="row">{safe(c.name)}</th>
                <td>
                  <Secret value={c.value} allowReveal={allowReveal} label={`cookie ${c.name}`} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {f.jar !== undefined && (
        <>
          <h4>Held by the browser but not sent</h4>
          {f.heldNotSent.length === 0 ? (
            <p class="muted">None: every cookie the browser held for this URL was sent{f.jar.length === 0 ? ' (it held none)' : ''}.</p>
          ) : (
            <table class="kv">
              <tbody>
                {f.heldNotSent.map((h) => (
                  <tr key={`${h.cookie.name}|${h.cookie.domain}|${h.cookie.path}`} class={h.reason ? 'blocked' : ''}>
                    <th scope="row">{safe(h.cookie.name)}</th>
                    <td>
                      <div>{h.reason ? `Not sent: ${NOT_SENT_REASON_TEXT[h.reason]}` : 'The browser’s rules allowed it: the request was made without credentials, or a browser setting held it back'}</div>
                      <div class="muted mono">{safe(cookieAttributes(h.cookie, { expiry: true }))}</div>
                      {h.cookie.value === '' ? (
                        <div class="faint">Value not kept (Why 401 never stores the value of a cookie it did not see sent).</div>
                      ) : (
                        <Secret value={h.cookie.value} allowReveal={allowReveal} label={`cookie ${h.cookie.name}`} />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p class="faint">
            {f.jar.length} cookie{f.jar.length === 1 ? '' : 's'} held for this URL
            {sentNames.size > 0 ? `, ${sentNames.size} sent` : ''}.
          </p>
        </>
      )}
      {f.cookieEvents.length > 0 && (
        <>
          <h4>Set or deleted by earlier responses</h4>
          <ul class="plain">
            {f.cookieEvents.slice(-12).map((e, i) => (
              <li key={i}>
                <strong>{safe(e.name)}</strong> {e.action === 'delete' ? 'deleted' : e.action === 'rejected' ? `refused by the browser (${safe(e.rejected ?? '')})` : 'set'} by{' '}
                <span class="mono">
                  {safe(e.method)} {safe(displayUrl(e.url))}
                </span>{' '}
                at {iso(e.at)}
                {e.action === 'set' && e.expiresAt !== null ? `, expiring ${iso(e.expiresAt)} (${relative(e.expiresAt, f.at, 'this request')})` : e.action === 'set' ? ', a session cookie' : ''}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

/** A response body (from DevTools or a HAR): secret fields masked until revealed. */
function BodyView({ text, mimeType, allowReveal }: { text: string; mimeType: string; allowReveal: boolean }) {
  const masked = redactBody(text, mimeType).text;
  return <pre class="json">{masked === text ? safeLines(text) : <Secret value={text} masked={masked} allowReveal={allowReveal} label="response body" />}</pre>;
}

function Explainer({ status }: { status: number }) {
  const text =
    status === 407
      ? '407 Proxy Authentication Required: a proxy between you and the site wants credentials. The site never saw the request; sign in to the proxy (browser or system settings).'
      : status === 403
        ? '403 Forbidden: the server knows who you are (or does not need to) and refuses anyway. Signing in again helps only as a user who has the permission; an administrator or the API’s owner must act.'
        : status === 401
          ? '401 Unauthorized: the server did not accept any credentials from this request. The fix is usually on the client: send valid credentials in the scheme the server asks for (WWW-Authenticate).'
          : `${status}: the server’s response carries an authentication challenge, so it is treated as an auth failure.`;
  return <p class="explainer muted">{text}</p>;
}

/**
 * The tab's auth story up to this failure (core/story.ts, from its pinned context): a strip of
 * events with the failure at the end, each a button that shows its exchange; the same events
 * listed below.
 */
function StoryView({ f, record }: { f: Facts; record: StoredRecord }) {
  const first = record.findings[0];
  const story = authStory(f.context, { at: f.at, method: record.entry.request.method, url: displayUrl(record.entry.request.url), status: record.entry.response.status, label: first ? CAUSES[first.cause].label : 'auth failure' });
  const [shown, setShown] = useState(story.length - 1);
  const strip = useRef<HTMLOListElement>(null);
  /** Events scrolled out of the strip, before and after what it shows: its edges fade there. */
  const [edges, setEdges] = useState('');
  const measure = () => {
    const el = strip.current;
    if (!el) return;
    const before = el.scrollLeft > 1;
    const after = el.scrollLeft + el.clientWidth < el.scrollWidth - 1;
    setEdges(`${before ? ' more-before' : ''}${after ? ' more-after' : ''}`);
  };
  // The failure is the last event: in view first, however long the story.
  useLayoutEffect(() => {
    const el = strip.current;
    if (!el) return;
    el.scrollLeft = el.scrollWidth;
    measure();
    // A narrower or wider panel shows more or fewer events.
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [record.id]);
  if (story.length === 1) return <p class="muted">Nothing auth-related was seen before this failure in this tab (no sign-in, cookie or success with credentials).</p>;
  const pick = story[Math.min(shown, story.length - 1)]!;
  return (
    <>
      <ol class={`story${edges}`} ref={strip} onScroll={measure} aria-label="Auth story of this tab, oldest first">
        {story.map((e, i) => (
          <li key={i} class={`story-${e.kind}${i === shown ? ' shown' : ''}`}>
            <button type="button" aria-pressed={i === shown} title={e.text} onClick={() => setShown(i)}>
              <span class="dot" aria-hidden="true" />
              <span class="short">{safe(e.short)}</span>
            </button>
          </li>
        ))}
      </ol>
      <p class="story-detail" aria-live="polite">
        <time>{safe(storyTime(pick, f.at) || (Number.isNaN(pick.at) ? '' : iso(pick.at)))}</time> {safe(pick.text)}
      </p>
      <ol class="timeline">
        {story.slice(0, -1).map((e, i) => (
          <li key={i}>
            <time>{safe(storyTime(e, f.at))}</time> <span class="mono">{safe(e.text)}</span>
          </li>
        ))}
      </ol>
    </>
  );
}

export function Detail(props: DetailProps) {
  const { record, allowReveal } = props;
  // What the rules saw: the record's entry with the context and settings pinned when it was judged.
  const facts = factsOf(record.entry);
  const [first, ...others] = record.findings;
  const fixed = fixedBy(record.reruns);
  const e = record.entry;
  const chain = facts.redirectChain;
  const ask = props.source === 'live' && props.backend.tabId !== undefined ? <CookiePolicyAsk backend={props.backend} notify={props.notify} /> : undefined;
  const block = (title: string, show: boolean, body: ComponentChildren, open = true) =>
    show ? (
      <Section title={title} open={open}>
        {body}
      </Section>
    ) : null;
  return (
    <div
      class="detail"
      tabIndex={-1}
      id="detail"
      aria-label="Failure detail"
      onKeyDown={(ev) => {
        // Esc goes back to the list, unless it closes something open here first (a menu, a form).
        if (ev.key !== 'Escape' || ev.defaultPrevented || !props.onBack) return;
        const t = ev.target as HTMLElement;
        if (t.closest('.menu, form, .confirm') || t.tagName === 'TEXTAREA' || t.tagName === 'INPUT') return;
        ev.preventDefault();
        ev.stopPropagation();
        props.onBack();
      }}
    >
      <header class={`verdict ${sevClass(fixed ? 'ok' : first ? CAUSES[first.cause].severity : 'info')}`}>
        <div class="request-line mono">
          {safe(e.request.method)} {safe(displayUrl(e.request.url))} → <strong>{e.response.status}</strong> {safe(e.response.statusText)}
        </div>
        <h2>{fixed ? `Fixed by ${fixed}. ` : ''}{first ? safe(first.title) : 'No explanation'}</h2>
        {(record.notes ?? []).map((n) => (
          <p key={n.kind} class="note" role="note">
            <strong>{safe(n.title)}.</strong> <span class="muted">{safe(n.explanation)}</span>
          </p>
        ))}
        {record.partial && <p class="partial">Partial evidence: {record.partial}</p>}
        {record.rediagnosed && (
          <p class="faint">
            Re-diagnosed at <Clock ms={record.rediagnosed.at} /> {safe(record.rediagnosed.reason)}.
          </p>
        )}
        {record.reruns && record.reruns.length > 0 && (
          <ul class="reruns plain">
            {record.reruns.map((r, i) => (
              <li key={i} class={rerunSucceeded(r) ? 'ok' : 'bad'}>
                Re-run {r.mode === 'as-sent' ? 'as sent' : r.mode === 'without-cookies' ? 'without cookies' : 'with a new Authorization'} ({r.context === 'page' ? 'in the page' : 'from the extension'}) at {iso(r.at)} →{' '}
                <strong>{r.error ? `failed: ${safe(r.error)}` : `${r.status} ${safe(r.statusText)}`}</strong>
                {r.findings[0] && ` — ${safe(r.findings[0].title)}`}
              </li>
            ))}
          </ul>
        )}
      </header>
      <Actions {...props} facts={facts} />
      <Section title={`Findings (${record.findings.length}), most likely first`}>
        {first && <FindingCard f={first} first ask={ask} />}
        {others.map((f) => (
          <FindingCard key={f.cause} f={f} first={false} ask={ask} />
        ))}
        <Explainer status={e.response.status} />
      </Section>
      {facts.context.lastSuccess && (
        <Section title="What changed since it last worked">
          <SinceItWorked record={record} facts={facts} />
        </Section>
      )}
      <Section title="Who sent it">
        <WhoSentIt record={record} facts={facts} backend={props.backend} source={props.source} />
      </Section>
      {block(
        `Server’s challenge (${facts.challengeHeader})`,
        true,
        <>
          {facts.challenges.length === 0 ? (
            <p class="muted">The response has no {facts.challengeHeader} header{facts.hasChallengeHeader ? ' that could be read' : ''}.</p>
          ) : (
            facts.challenges.slice(0, 20).map((c, i) => <ChallengeView key={i} c={c} />)
          )}
          {facts.challenges.length > 20 && <p class="muted">…and {facts.challenges.length - 20} more challenges.</p>}
          {facts.challengeProblems.length > 0 && (
            <div class="problems">
              <h4>Problems a strict reading finds</h4>
              <ul>
                {facts.challengeProblems.slice(0, 10).map((p, i) => (
                  <li key={i}>{safe(p.message)}</li>
                ))}
              </ul>
            </div>
          )}
        </>,
      )}
      {block('Token', facts.token !== undefined, <TokenView f={facts} allowReveal={allowReveal} />)}
      {block('Cookies', facts.cookiesSent.length > 0 || facts.jar !== undefined || facts.cookieEvents.length > 0, <CookiesView f={facts} allowReveal={allowReveal} />)}
      {block(
        `Redirects (${chain.length})`,
        chain.length > 0,
        <ol class="redirects">
          {chain.map((h, i) => {
            const cross = (() => {
              try {
                return new URL(h.url).origin !== new URL(h.location).origin;
              } catch {
                return false;
              }
            })();
            return (
              <li key={i} class={h.authorizationSent && cross ? 'bad' : ''}>
                <span class="mono">{h.status}</span> <span class="mono">{safe(displayUrl(h.url))}</span> → <span class="mono">{safe(displayUrl(h.location))}</span>{' '}
                <span class="muted">
                  ({h.authorizationSent ? 'Authorization sent' : 'no Authorization'}
                  {cross ? '; cross-origin: the browser drops Authorization here' : ''})
                </span>
              </li>
            );
          })}
        </ol>,
      )}
      {block('Request', true, <>
        <p class="mono">
          {safe(e.request.method)} <Secret value={e.request.url} masked={displayUrl(e.request.url)} allowReveal={allowReveal} label="URL with its query secrets" />
        </p>
        <HeaderTable headers={e.request.headers} allowReveal={allowReveal} />
      </>, false)}
      {block('Response headers', true, <HeaderTable headers={e.response.headers} allowReveal={allowReveal} />, false)}
      {block('Response body', typeof e.response.content.text === 'string' && e.response.content.text !== '', <BodyView text={e.response.content.text ?? ''} mimeType={e.response.content.mimeType} allowReveal={allowReveal} />, false)}
      {block('The tab’s auth story', true, <StoryView f={facts} record={record} />)}
      <p class="faint timing">
        Requested {iso(record.at)}
        {e.time > 0 ? `, answered in ${duration(e.time) === 'less than a second' ? `${e.time} ms` : duration(e.time)}` : ''}.
      </p>
    </div>
  );
}
