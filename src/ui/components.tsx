/** Small components shared by the panel and the popup. Every network string is rendered as text. */
import type { ComponentChildren } from 'preact';
import { CAUSES, type CauseId, type Severity } from '../core/causes.ts';
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

/** Like `safe`, for a multi-line block (pretty JSON): line breaks stay line breaks. */
export function safeLines(text: string): string {
  return text.split('\n').map(escapeControls).join('\n');
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
