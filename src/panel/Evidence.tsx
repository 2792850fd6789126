/** The evidence sections of a failure's detail: headers, the challenge, the token, the cookies. Drawn from core's model. */
import type { ChallengeModel, CookieRow, CookiesModel, Segments, Shown, TokenModel } from '../core/views/detail.ts';
import { safe, safeLines } from '../ui/components.tsx';
import { Secret } from '../ui/secret.tsx';

export function ShownValue({ v, allowReveal, label }: { v: Shown; allowReveal: boolean; label: string }) {
  if (v.masked === v.value) return <span class="mono">{safe(v.value)}</span>;
  return <Secret value={v.value} masked={v.masked} allowReveal={allowReveal} label={label} />;
}

export function HeaderTable({ headers, allowReveal }: { headers: { name: string; value: Shown }[]; allowReveal: boolean }) {
  if (headers.length === 0) return <p class="muted">No headers were captured.</p>;
  return (
    <table class="kv">
      <tbody>
        {headers.map((h, i) => (
          <tr key={i}>
            <th scope="row">{safe(h.name)}</th>
            <td>
              <ShownValue v={h.value} allowReveal={allowReveal} label={`${h.name} value`} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ChallengeView({ c }: { c: ChallengeModel }) {
  return (
    <div class="challenge">
      <div>
        <strong>{safe(c.scheme)}</strong>
        {c.token68 !== null && <span class="mono"> {safe(c.token68)}</span>}
      </div>
      {c.params.length > 0 && (
        <table class="kv">
          <tbody>
            {c.params.map((p) => (
              <tr key={p.name}>
                <th scope="row">{safe(p.name)}</th>
                <td>
                  <span class="mono">{safe(p.value)}</span>
                  <div class="muted">{p.meaning}</div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function TokenView({ t, allowReveal }: { t: TokenModel; allowReveal: boolean }) {
  if (t.placeholder) {
    return (
      <p>
        {safe(t.named)}: <strong>{t.kind}</strong>: <span class="mono">{safe(t.placeholder.shown)}</span>
        {t.placeholder.kind !== undefined && ` (${safe(t.placeholder.kind)})`}.
      </p>
    );
  }
  return (
    <>
      <p>
        {safe(t.named)}: <strong>{safe(t.kind)}</strong>. {t.secret && <Secret value={t.secret.value} masked={t.secret.masked} allowReveal={allowReveal} label="token" />}
      </p>
      {t.marks.length > 0 && t.request && (
        <div class="token-times">
          <div class="bar" role="img" aria-label="Token times against the request time">
            {t.marks.map((m) => (
              <span key={m.label} class={`mark${m.bad ? ' bad' : ''}`} style={{ left: m.left }} title={`${m.label}: ${m.at}`} />
            ))}
            <span class="mark now" style={{ left: t.request.left }} title={`request: ${t.request.at}`} />
          </div>
          <ul class="plain">
            {t.marks.map((m) => (
              <li key={m.label} class={m.bad ? 'bad' : ''}>
                <strong>{m.label}</strong> {m.at} — {m.relative}
              </li>
            ))}
            <li>
              <strong>request</strong> {t.request.at}
            </li>
          </ul>
        </div>
      )}
      {t.scopes && (
        <p>
          Scopes held: <span class="mono">{safe(t.scopes.held)}</span>
          {t.scopes.asked !== undefined && (
            <>
              {' '}
              · asked for: <span class="mono">{safe(t.scopes.asked)}</span>
            </>
          )}
        </p>
      )}
      {t.audience && (
        <p>
          Audience: <span class="mono">{safe(t.audience.aud)}</span> · this API: <span class="mono">{safe(t.audience.api)}</span>
        </p>
      )}
      {t.claimsJson !== undefined && (
        <details>
          <summary>Header and claims</summary>
          <pre class="json">{safeLines(t.claimsJson)}</pre>
        </details>
      )}
    </>
  );
}

export function CookieRows({ rows, allowReveal }: { rows: CookieRow[]; allowReveal: boolean }) {
  return (
    <table class="kv">
      <tbody>
        {rows.map((h, i) => (
          <tr key={i} class={h.blocked ? 'blocked' : ''}>
            <th scope="row">{safe(h.name)}</th>
            <td>
              <div>{h.reason}</div>
              <div class="muted mono">{safe(h.attributes)}</div>
              {h.value === undefined ? (
                <div class="faint">Value not kept (Why 401 never stores the value of a cookie it did not see sent).</div>
              ) : (
                <Secret value={h.value.value} masked={h.value.masked} allowReveal={allowReveal} label={`cookie ${h.name}`} />
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function CookiesView({ c, allowReveal }: { c: CookiesModel; allowReveal: boolean }) {
  return (
    <>
      <h4>Sent with the request</h4>
      {c.sent.length === 0 ? (
        <p class="muted">No cookies were sent.</p>
      ) : (
        <table class="kv">
          <tbody>
            {c.sent.map((x, i) => (
              <tr key={i}>
                <th scope="row">{safe(x.name)}</th>
                <td>
                  <Secret value={x.value.value} masked={x.value.masked} allowReveal={allowReveal} label={`cookie ${x.name}`} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {c.sentNote !== undefined && <p class="muted">{c.sentNote}</p>}
      {c.held && (
        <>
          <h4>Held by the browser but not sent</h4>
          {c.held.notSent.length === 0 ? <p class="muted">{c.held.noneText}</p> : <CookieRows rows={c.held.notSent} allowReveal={allowReveal} />}
          {c.held.outOfScope.length > 0 && (
            <>
              <h4>Held for the site, outside this URL’s scope</h4>
              <CookieRows rows={c.held.outOfScope} allowReveal={allowReveal} />
            </>
          )}
          <p class="faint">{c.held.counts}</p>
        </>
      )}
      {c.events.length > 0 && (
        <>
          <h4>Set or deleted earlier</h4>
          <ul class="plain">
            {c.events.map((e, i) => (
              <li key={i}>
                <SegmentsView s={e} />
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

/** A sentence with its network values set apart (monospace, free to wrap anywhere). */
export function SegmentsView({ s }: { s: Segments }) {
  return <>{s.map((x, i) => (x.value ? <span key={i} class="mono">{safe(x.text)}</span> : safe(x.text)))}</>;
}
