/**
 * The sign-in view: the OAuth 2.0 / OpenID Connect flows core read from DevTools' network log
 * (core/flows), each as its chain of steps, and what broke with its fixes. Everything it shows
 * is core's (FlowView); reading again is a store method.
 */
import { useEffect, useRef } from 'preact/hooks';
import type { FlowView } from '../core/flows/view.ts';
import { safe } from '../ui/components.tsx';
import type { PanelStore } from './store/panel-store.ts';

export { signInReader } from './sign-in-read.ts';

export function SignIn({ store }: { store: PanelStore }) {
  const v = store.state.signIn;
  // A new failure (often the end of a flow) reads the log again.
  const failures = store.state.live.length;
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const t = setTimeout(() => void store.readFlows(), 400);
    return () => clearTimeout(t);
  }, [failures]);
  // Asked for from a failure's token lane: that flow into view and focus, once it is read.
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    if (v.focus === undefined || v.status !== 'read') return;
    const item = list.current?.children[v.focus - 1] as HTMLElement | undefined;
    store.setSignIn({ focus: undefined });
    if (!item) return;
    item.scrollIntoView({ block: 'nearest' });
    item.focus();
  }, [v.focus, v.status, v.flows]);
  const broken = v.flows.filter((f) => f.broken).length;
  const where = v.source?.kind === 'file' ? `in ${v.source.name}` : v.source?.kind === 'capture' ? 'seen by the capture' : 'in DevTools’ network log';
  return (
    <section class="sign-in" aria-label="Sign-in flows" tabIndex={-1}>
      <header class="sign-in-head">
        <h2>Sign-in flows</h2>
        <span class="sign-in-count" role="status">
          {v.status === 'reading'
            ? 'Reading DevTools’ network log…'
            : v.status === 'read'
              ? v.flows.length === 0
                ? `None ${where} (${v.entries} requests)`
                : `${v.flows.length} ${where}, ${broken === 0 ? 'none broken' : `${broken} broken`}`
              : ''}
        </span>
        <span class="spacer" />
        <button type="button" onClick={() => void store.readFlows()} disabled={v.status === 'reading' || v.status === 'unavailable' || v.source?.kind === 'file'} title="Read DevTools’ network log again">
          Read again
        </button>
        {v.flows.length > 0 && v.source?.kind !== 'file' && v.source?.kind !== 'capture' && (
          // Kept, and enabled, while the view reads the log again (a page load reads it): the export reads it itself.
          <button type="button" class="sign-in-export" onClick={() => void store.exportFlows()} title="Save the sign-in steps in DevTools’ network log as a HAR file, secrets masked (the panel’s import and why401 explain read its flows)">
            Export HAR
          </button>
        )}
        <button type="button" onClick={store.toggleSignIn} title="Back to the list of failures">
          Back to failures
        </button>
      </header>
      {v.status === 'unavailable' ? (
        <div class="empty">
          <p>Sign-in flows are read from DevTools’ network log, which this panel cannot read here (it is not inside DevTools). Import a HAR file (Import… above) to read its flows, or run <code>why401 explain</code> on it.</p>
        </div>
      ) : v.status === 'error' ? (
        <div class="empty">
          <p>DevTools’ network log could not be read: {safe(v.error ?? '')}</p>
        </div>
      ) : v.status === 'read' && v.source?.kind === 'capture' && v.flows.length === 0 ? (
        <div class="empty">
          <p>
            No OAuth or OpenID Connect sign-in seen in this tab yet. Why 401 follows sign-ins while DevTools is closed too (the requests and the token requests’ bodies{v.source.answers ? ', and the token answers as they pass: the token’s life after sign-in too' : ''})
            {v.source.answers ? '.' : '; with DevTools open it also reads the token answers, and with them the token’s life after sign-in.'}
          </p>
        </div>
      ) : v.status === 'read' && v.flows.length === 0 && v.source?.kind === 'file' ? (
        <div class="empty">
          <p>No OAuth or OpenID Connect sign-in in {safe(v.source.name)}.</p>
        </div>
      ) : v.status === 'read' && v.flows.length === 0 ? (
        <div class="empty">
          <p>No OAuth or OpenID Connect sign-in in what DevTools recorded. Keep DevTools open while the app signs in; to keep the steps across the redirects to the identity provider and back, turn on <strong>Preserve log</strong> in the Network panel.</p>
        </div>
      ) : (
        <>
        {v.source?.kind === 'capture' &&
          (v.source.answers ? (
            <p class="sign-in-note">Followed by the capture (DevTools was closed or does not hold these requests), the token answers read as they passed.</p>
          ) : (
            <p class="sign-in-note">Followed by the capture, without the answers’ bodies (DevTools was closed or does not hold these requests): the ID token’s checks and the token’s life after sign-in need them — open DevTools before signing in to see those too.</p>
          ))}
        {v.source?.kind !== 'capture' && v.flows.some((f) => f.startMissing) && (
          <p class="sign-in-note">
            {v.source?.kind === 'file'
              ? `A sign-in here begins at the provider’s answer: its authorize request is not in ${v.source.name}, so its state, nonce, PKCE and redirect_uri cannot be checked.`
              : 'A sign-in here begins at the provider’s answer: its authorize request is not in DevTools’ network log, which starts over when a page loads (the provider’s sign-in page is one) and holds nothing from before DevTools opened. To check its state, nonce, PKCE and redirect_uri, turn on '}
            {v.source?.kind !== 'file' && (
              <>
                <strong>Preserve log</strong> in the Network panel and sign in again.
              </>
            )}
          </p>
        )}
        <ol class="flows" ref={list}>
          {v.flows.map((f, i) => (
            <FlowItem key={i} flow={f} n={i + 1} {...(store.canShowSteps ? { onShow: store.showStep } : {})} />
          ))}
        </ol>
        </>
      )}
    </section>
  );
}

/** `onShow`: a step opens its exchange (DevTools' Network panel, filtered to it), when the flows are DevTools' own. */
function FlowItem({ flow, n, onShow }: { flow: FlowView; n: number; onShow?: (exchange: { method: string; url: string; status: number }) => void }) {
  return (
    <li class={`flow${flow.broken ? ' broken' : ''}`} tabIndex={-1} aria-label={`Sign-in flow ${n}${flow.broken ? ', broken' : ''}`}>
      <div class="flow-line">
        <span class="flow-n">{n}.</span>
        {flow.clientId !== undefined && <span class="flow-client">client {safe(flow.clientId)}</span>}
        <ol class="chain" aria-label="Steps">
          {flow.runs.map((r) => (
            <li key={r.entry} class={`step${r.broken ? ' broken' : ''}`} title={r.broken ? 'A finding names this step' : undefined}>
              {onShow && r.exchange ? (
                <button type="button" class="step-open" onClick={() => onShow(r.exchange!)} title={`Show this step in the Network panel: ${r.exchange.method} ${r.exchange.url} → ${r.exchange.status}`}>
                  {r.label}
                  {r.count > 1 ? ` ×${r.count}` : ''}
                  {r.broken ? ' ✗' : ''}
                </button>
              ) : (
                <>
                  {r.label}
                  {r.count > 1 ? ` ×${r.count}` : ''}
                  {r.broken ? ' ✗' : ''}
                </>
              )}
            </li>
          ))}
          {flow.unanswered && <li class="step pending">no answer yet</li>}
        </ol>
      </div>
      {flow.findings.map((x, k) => (
        <div key={k} class="flow-finding">
          <h3>
            <span class="cause-label">{x.label}</span> {safe(x.title)}
          </h3>
          <p>{safe(x.explanation)}</p>
          {x.evidence.length > 0 && (
            <ul class="flow-evidence">
              {x.evidence.map((e, j) => (
                <li key={j}>{safe(e)}</li>
              ))}
            </ul>
          )}
          <p class="fix-head">Fix (developers)</p>
          <ul class="fixes">
            {x.fixes.developers.map((d, j) => (
              <li key={j}>{safe(d)}</li>
            ))}
          </ul>
          <p class="fix-head">Fix (users)</p>
          <ul class="fixes">
            {x.fixes.users.map((d, j) => (
              <li key={j}>{safe(d)}</li>
            ))}
          </ul>
        </div>
      ))}
    </li>
  );
}
