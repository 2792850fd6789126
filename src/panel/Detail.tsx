/**
 * The detail of one failure: the verdict, every finding ranked with its fixes, and the evidence,
 * each part only where it applies. Everything shown comes from core's detail model
 * (`core/views/detail.ts`, computed once per record); this file only draws it.
 */
import type { FailureGroup } from '../core/verdict/burst.ts';
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { detailOf, groupSentence, sinceWithLane, storyWithSignIns, type DetailModel, type DetailRecord, type FindingView } from '../core/views/detail.ts';
import { hasLane, laneOf, signInEvents, type LaneModel, type SignInEvent } from '../core/flows/lane.ts';
import { Clock, CauseChip, Rich, Section, safe, safeLines, sevClass } from '../ui/components.tsx';
import { Secret } from '../ui/secret.tsx';
import { Actions } from './Actions.tsx';
import { ChallengeView, CookiesView, HeaderTable, TokenView } from './Evidence.tsx';
import { LaneView, SinceItWorked, StoryView, WhoSentIt } from './History.tsx';
import { actionsFor, type FailureActions } from './store/failure-actions.ts';
import { useStore, type PanelStore } from './store/panel-store.ts';

export interface DetailPaneProps {
  store: PanelStore;
  record: DetailRecord;
  source: 'live' | 'import';
  /** The group of repeats this failure stands for (core/verdict/burst.ts), when it does. */
  group?: FailureGroup;
  onBack?: () => void;
}

/** The selected failure: its model from core (once per record and context), its controller from the store. */
export function DetailPane({ store, record, source, group, onBack }: DetailPaneProps) {
  useStore(store);
  const s = store.state;
  const model = detailOf(record, { source, pageUrl: s.pageUrl, canFetchInPage: store.backend.fetchInPage !== undefined, frames: s.frames, recording: store.backend.recordedResponses !== undefined });
  const repeats = group ? { count: group.members.length, text: groupSentence(group), showEach: () => store.setGroupRepeats(false) } : undefined;
  // The tab's (or file's) sign-in flows are read for a failure: its story shows the sign-ins before
  // it, and a failure that carried a bearer token has that token's lane.
  useEffect(() => store.wantFlows(record.at), [record]);
  const lane = hasLane(record.entry) ? laneOf(s.signIn.flows, record.entry, record.at) : undefined;
  const signIns = signInEvents(s.signIn.flows, record.at);
  return (
    <Detail
      model={model}
      act={actionsFor(store, record, model)}
      allowReveal={s.settings?.allowReveal ?? true}
      {...(repeats ? { repeats } : {})}
      {...(onBack ? { onBack } : {})}
      {...(lane ? { lane } : {})}
      signIns={signIns}
      onOpenFlow={store.showFlow}
    />
  );
}

export interface DetailProps {
  model: DetailModel;
  /** What the user can do on this failure (the store's controller: re-runs, copies, cookies). */
  act: FailureActions;
  allowReveal: boolean;
  /** This failure stands for a group of repeats: how many, core's sentence, and the way to list each. */
  repeats?: { count: number; text: string; showEach(): void };
  /** Esc in the detail: back to the list (the selection stays). */
  onBack?: () => void;
  /** The life of the token it carried, when a flow read for its tab or file issued or refused that token. */
  lane?: LaneModel;
  /** The tab's sign-ins before it, for its auth story. */
  signIns?: SignInEvent[];
  /** Open the sign-in view at flow `n`. */
  onOpenFlow?: (n: number) => void;
}

/**
 * A finding the browser's cookie setting would settle: offered beside it, for a live failure.
 * Reading it needs the optional `privacy` permission, asked for in this click.
 */
function CookiePolicyAsk({ act }: { act: FailureActions }) {
  const [busy, setBusy] = useState(false);
  return (
    <p class="wants">
      <button
        type="button"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          void act.readCookiePolicy().finally(() => setBusy(false));
        }}
      >
        Check the browser’s third-party cookie setting
      </button>{' '}
      <span class="muted">Your browser’s own setting can hold these cookies back. Why 401 can read it (it asks your permission once) and only reads it.</span>
    </p>
  );
}

function FindingCard({ view, ask }: { view: FindingView; ask?: ComponentChildren }) {
  const f = view.finding;
  return (
    <article class={`finding ${sevClass(view.cause.severity)}${view.primary ? ' primary' : ''}`} aria-label={f.title}>
      <header>
        <CauseChip cause={view.cause} />
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

export function Detail({ model: m, act, allowReveal, repeats, onBack, lane, signIns, onOpenFlow }: DetailProps) {
  const since = m.since && sinceWithLane(m.since, lane);
  const story = storyWithSignIns(m.story, signIns ?? []);
  const ask = m.wantsCookiePolicy ? <CookiePolicyAsk act={act} /> : undefined;
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
        if (ev.key !== 'Escape' || ev.defaultPrevented || !onBack) return;
        const t = ev.target as HTMLElement;
        if (t.closest('.menu, form, .confirm') || t.tagName === 'TEXTAREA' || t.tagName === 'INPUT') return;
        ev.preventDefault();
        ev.stopPropagation();
        onBack();
      }}
    >
      <header class={`verdict ${sevClass(m.severity)}`}>
        <div class="request-line mono">
          {safe(m.requestLine.method)} {safe(m.requestLine.url)} → <strong>{m.requestLine.status}</strong> {safe(m.requestLine.statusText)}
        </div>
        <h2>{safe(m.headline)}</h2>
        {repeats && (
          <p class="group-note" role="note">
            <strong>×{repeats.count}</strong> {safe(repeats.text)}{' '}
            <button type="button" class="link" onClick={repeats.showEach}>
              Show each request
            </button>
          </p>
        )}
        {m.notes.map((n) => (
          <p key={n.kind} class="note" role="note">
            <strong>{safe(n.title)}.</strong> <span class="muted">{safe(n.explanation)}</span>
          </p>
        ))}
        {m.partial !== undefined && <p class="partial">Partial evidence: {safe(m.partial)}</p>}
        {m.rediagnosed && (
          <p class="faint">
            Re-diagnosed at <Clock time={{ text: m.rediagnosed.time, iso: m.rediagnosed.iso }} /> {safe(m.rediagnosed.reason)}.
          </p>
        )}
        {m.reruns.length > 0 && (
          <ul class="reruns plain">
            {m.reruns.map((r, i) => (
              <li key={i} class={r.ok ? 'ok' : 'bad'}>
                {r.text} → <strong>{safe(r.result)}</strong>
                {r.title !== undefined && ` — ${safe(r.title)}`}
              </li>
            ))}
          </ul>
        )}
      </header>
      <Actions plan={m.actions} act={act} />
      <Section title={`Findings (${m.findings.length}), most likely first`}>
        {m.findings.map((f) => (
          <FindingCard key={f.finding.cause} view={f} ask={ask} />
        ))}
        <p class="explainer muted">{m.explainer}</p>
      </Section>
      {since && (
        <Section title="What changed since it last worked">
          <SinceItWorked since={since} />
        </Section>
      )}
      <Section title="Who sent it">
        <WhoSentIt who={m.who} act={act} />
      </Section>
      {block(
        `Server’s challenge (${m.challenge.header})`,
        true,
        <>
          {m.challenge.emptyText !== undefined ? <p class="muted">{m.challenge.emptyText}</p> : m.challenge.items.map((c, i) => <ChallengeView key={i} c={c} />)}
          {m.challenge.more > 0 && <p class="muted">…and {m.challenge.more} more challenges.</p>}
          {m.challenge.problems.length > 0 && (
            <div class="problems">
              <h4>Problems a strict reading finds</h4>
              <ul>
                {m.challenge.problems.map((p, i) => (
                  <li key={i}>{safe(p)}</li>
                ))}
              </ul>
            </div>
          )}
        </>,
      )}
      {block('Token', m.token !== undefined, m.token && <TokenView t={m.token} allowReveal={allowReveal} />)}
      {block('Cookies', m.cookies !== undefined, m.cookies && <CookiesView c={m.cookies} allowReveal={allowReveal} />)}
      {block(
        `Redirects (${m.redirects.length})`,
        m.redirects.length > 0,
        <ol class="redirects">
          {m.redirects.map((h, i) => (
            <li key={i} class={h.dropped ? 'bad' : ''}>
              <span class="mono">{h.status}</span> <span class="mono">{safe(h.from)}</span> → <span class="mono">{safe(h.to)}</span> <span class="muted">({h.note})</span>
            </li>
          ))}
        </ol>,
      )}
      {block(
        'Request',
        true,
        <>
          <p class="mono">
            {safe(m.sentRequest.method)} <Secret value={m.sentRequest.url.value} masked={m.sentRequest.url.masked} allowReveal={allowReveal} label="URL with its query secrets" />
          </p>
          <HeaderTable headers={m.sentRequest.headers} allowReveal={allowReveal} />
        </>,
        false,
      )}
      {block('Response headers', true, <HeaderTable headers={m.responseHeaders} allowReveal={allowReveal} />, false)}
      {block('Response body', m.body !== undefined, m.body && <pre class="json">{m.body.masked === m.body.value ? safeLines(m.body.value) : <Secret value={m.body.value} masked={m.body.masked} allowReveal={allowReveal} label="response body" />}</pre>, false)}
      {block(
        'The tab’s auth story',
        true,
        <>
          <StoryView story={story} id={m.id} />
          {lane && <LaneView lane={lane} id={m.id} {...(onOpenFlow ? { onOpenFlow } : {})} />}
        </>,
      )}
      <p class="faint timing">{m.timing}</p>
    </div>
  );
}
