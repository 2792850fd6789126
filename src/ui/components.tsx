/** Small components shared by the panel and the popup. Every network string is rendered as text. */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { CAUSES, type CauseId, type Severity } from '../core/causes.ts';
import { redactHeaderValue, mask } from '../core/redact.ts';
import { escapeControls } from '../core/syntax.ts';

export function sevClass(s: Severity | 'ok'): string {
  return `sev-${s}`;
}

export function CauseChip({ cause, fixed }: { cause: CauseId; fixed?: boolean }) {
  const info = CAUSES[cause];
  return (
    <span class={`chip ${sevClass(fixed ? 'ok' : info.severity)}`} title={info.meaning}>
      <span class="dot" aria-hidden="true" />
      {fixed ? `Fixed · ${info.label}` : info.label}
    </span>
  );
}

/** Network text made safe to show: control, bidi and zero-width characters become visible escapes. */
export function safe(text: string): string {
  return escapeControls(text);
}

/**
 * A secret: masked until the user reveals it (when settings allow), never copied into the DOM
 * before that.
 */
export function Secret({ value, masked, allowReveal, label }: { value: string; masked?: string; allowReveal: boolean; label: string }) {
  const [shown, setShown] = useState(false);
  const text = shown ? safe(value) : (masked ?? mask(value));
  return (
    <span class="secret">
      <span class={shown ? '' : 'masked'}>{text}</span>{' '}
      {allowReveal && value !== '' && (
        <button type="button" class="link" aria-pressed={shown} aria-label={`${shown ? 'Hide' : 'Reveal'} ${label}`} onClick={() => setShown(!shown)}>
          {shown ? 'hide' : 'reveal'}
        </button>
      )}
    </span>
  );
}

/** A header value: secret-bearing headers are masked with a reveal control, others shown as text. */
export function HeaderValue({ name, value, allowReveal }: { name: string; value: string; allowReveal: boolean }) {
  const masked = redactHeaderValue(name, value);
  if (masked === value) return <span class="mono">{safe(value)}</span>;
  return <Secret value={value} masked={masked} allowReveal={allowReveal} label={`${name} value`} />;
}

/** Local clock time with milliseconds (as DevTools shows), the ISO time in the tooltip. */
export function Clock({ ms }: { ms: number }) {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return <span>–</span>;
  const t = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:${String(d.getSeconds()).padStart(2, '0')}.${String(d.getMilliseconds()).padStart(3, '0')}`;
  return <time dateTime={d.toISOString()} title={d.toISOString()}>{t}</time>;
}

/** Text with `code` spans (the fixes use backticks for header values): rendered as <code>, never as HTML. */
export function Rich({ text }: { text: string }) {
  const parts = safe(text).split('`');
  return <>{parts.map((p, i) => (i % 2 === 1 ? <code key={i}>{p}</code> : p))}</>;
}

export function Section({ title, children, open = true, id }: { title: ComponentChildren; children: ComponentChildren; open?: boolean; id?: string }) {
  return (
    <details class="section" open={open} id={id}>
      <summary>{title}</summary>
      <div class="section-body">{children}</div>
    </details>
  );
}
