/** The history sections of a failure's detail: who sent it, what changed since it last worked, the tab's auth story and its token's lane. Drawn from core's models. */
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { SinceModel, StoryModel, WhoModel } from '../core/views/detail.ts';
import type { LaneModel } from '../core/flows/lane.ts';
import { safe } from '../ui/components.tsx';
import { SegmentsView } from './Evidence.tsx';
import type { FailureActions } from './store/failure-actions.ts';

/** Who sent it: the initiator and its call stack as DevTools recorded them, each frame a link to its line in Sources. */
export function WhoSentIt({ who, act }: { who: WhoModel; act: FailureActions }) {
  const [all, setAll] = useState(false);
  const frames = all ? who.frames : who.frames.slice(0, 8);
  return (
    <>
      <p>
        <SegmentsView s={who.sentBy} />
      </p>
      {who.frames.length > 0 ? (
        <>
          <h4>Call stack (innermost first)</h4>
          <ol class="stack plain">
            {frames.map((f, i) => (
              <li key={i}>
                {f.asyncFrom !== undefined && <div class="async faint">— {safe(f.asyncFrom)} —</div>}
                <span class="fn">{safe(f.fn)}</span>{' '}
                {act.openSource ? (
                  <button type="button" class="link mono" title={`Open ${safe(f.title)} in the Sources panel`} onClick={() => act.openSource!(f.url, f.line, f.column)}>
                    {safe(f.label)}
                  </button>
                ) : (
                  <span class="mono" title={safe(f.title)}>
                    {safe(f.label)}
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
        <p class="muted">{who.noStackText}</p>
      )}
      {act.showInNetwork && (
        <button type="button" onClick={() => act.showInNetwork!()}>
          Show in the Network panel
        </button>
      )}
    </>
  );
}

/** What changed since it last worked: the last credentialed success, against this failure. */
export function SinceItWorked({ since }: { since: SinceModel }) {
  return (
    <>
      <p>
        {since.intro}: <span class="mono">{safe(since.request)}</span>, {since.when}.
      </p>
      {since.refresh !== undefined && <p class="since-refresh">{safe(since.refresh)}</p>}
      {since.unchangedText ? (
        <p class="muted">{since.unchangedText}</p>
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
            {since.rows.map((c, i) => (
              <tr key={i} class={c.strong ? 'strong' : ''}>
                <th scope="row">
                  {c.what}
                  {c.name !== undefined ? <> <span class="mono">{safe(c.name)}</span></> : null}
                  {c.note !== undefined ? <div class="muted">{safe(c.note)}</div> : null}
                </th>
                <td class="mono">{c.before !== undefined ? safe(c.before) : <span class="faint">not sent</span>}</td>
                <td class="mono">{c.after !== undefined ? safe(c.after) : <span class="faint">not sent</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/**
 * A strip of events, oldest first, each a button that shows its sentence on the line below: the
 * auth story (the failure last) and the token's lane (the failure among what came before and
 * after). The shown event is in view first; edges fade where events are scrolled out.
 */
function Strip({ events, initial, label, classOf, id }: { events: readonly { short: string; text: string; time: string }[]; initial: number; label: string; classOf: (i: number) => string; id: string }) {
  const [shown, setShown] = useState(initial);
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
  useLayoutEffect(() => {
    setShown(initial);
    const el = strip.current;
    if (!el) return;
    const li = el.children[initial] as HTMLElement | undefined;
    el.scrollLeft = li ? li.offsetLeft + li.offsetWidth / 2 - el.clientWidth / 2 : el.scrollWidth;
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [id, initial]);
  const pick = events[Math.min(shown, events.length - 1)]!;
  return (
    <>
      <ol class={`story${edges}`} ref={strip} onScroll={measure} aria-label={label}>
        {events.map((e, i) => (
          <li key={i} class={`${classOf(i)}${i === shown ? ' shown' : ''}`}>
            <button type="button" aria-pressed={i === shown} title={safe(e.text)} onClick={() => setShown(i)}>
              <span class="dot" aria-hidden="true" />
              <span class="short">{safe(e.short)}</span>
            </button>
          </li>
        ))}
      </ol>
      <p class="story-detail" aria-live="polite">
        <time>{safe(pick.time)}</time> {safe(pick.text)}
      </p>
    </>
  );
}

/** The tab's auth story up to this failure: the strip, the failure at its end; the same events listed below. */
export function StoryView({ story, id }: { story: StoryModel; id: string }) {
  if (story.emptyText !== undefined) return <p class="muted">{story.emptyText}</p>;
  return (
    <>
      <Strip events={story.events} initial={story.events.length - 1} label="Auth story of this tab, oldest first" classOf={(i) => `story-${story.events[i]!.kind}`} id={id} />
      <ol class="timeline">
        {story.events.slice(0, -1).map((e, i) => (
          <li key={i}>
            <time>{safe(e.time)}</time> <span class="mono">{safe(e.text)}</span>
          </li>
        ))}
      </ol>
    </>
  );
}

/**
 * The life of the token this failure carried (core/flows/lane.ts): issued, used, refreshed,
 * refused, with storms, loops and races drawn as one event each; the failure among them. Its
 * sign-in flow opens from here.
 */
export function LaneView({ lane, id, onOpenFlow }: { lane: LaneModel; id: string; onOpenFlow?: (n: number) => void }) {
  const at = lane.events.findIndex((e) => e.kind === 'failure');
  return (
    <div class="lane">
      <h4>
        The token’s life{' '}
        {onOpenFlow && (
          <button type="button" class="link" onClick={() => onOpenFlow(lane.flow)} title="Show the sign-in flow this token came from, with its steps and findings">
            sign-in flow {lane.flow}
          </button>
        )}
      </h4>
      {lane.findings.map((f, i) => (
        <p key={i} class="lane-finding">
          <span class="cause-label">{safe(f.label)}</span> {safe(f.title)}
        </p>
      ))}
      <Strip
        events={lane.events}
        initial={at}
        label="Life of the token this request carried, oldest first"
        classOf={(i) => {
          const e = lane.events[i]!;
          return `lane-${e.kind}${e.mark ? ` ${e.mark}` : ''}${e.after ? ' after' : ''}`;
        }}
        id={`${id}|lane`}
      />
    </div>
  );
}
