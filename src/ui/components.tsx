/** Small components shared by the panel and the popup. Every network string is rendered as text. */
import type { ComponentChildren } from 'preact';
import { safeText, type CauseView, type Severity } from '../core/views/view.ts';

export function sevClass(s: Severity | 'ok'): string {
  return `sev-${s}`;
}

export function CauseChip({ cause: info, fixed }: { cause: CauseView; fixed?: boolean }) {
  return (
    <span class={`chip ${sevClass(fixed ? 'ok' : info.severity)}`} title={info.meaning}>
      <span class="dot" aria-hidden="true" />
      <span class="chip-label">{fixed ? `Fixed · ${info.label}` : info.label}</span>
    </span>
  );
}

/** Network text made safe to show: control, bidi and zero-width characters become visible escapes. */
export function safe(text: string): string {
  return safeText(text);
}

/** Like `safe`, for a multi-line block (pretty JSON): line breaks stay line breaks. */
export function safeLines(text: string): string {
  return text.split('\n').map(safeText).join('\n');
}

/** A time as core formats it (UTC clock with milliseconds), the whole instant in the tooltip. */
export function Clock({ time }: { time: { text: string; iso: string } | undefined }) {
  if (!time) return <span>–</span>;
  return (
    <time dateTime={time.iso} title={time.iso}>
      {time.text}
    </time>
  );
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
