/** Secrets in the UI: masked until the user reveals them (when settings allow). */
import { useState } from 'preact/hooks';
import { mask, redactHeaderValue } from '../core/redact.ts';
import { safe } from './components.tsx';

/**
 * A secret: masked until the user reveals it (when settings allow), never copied into the DOM
 * before that.
 */
export function Secret({ value, masked, allowReveal, label }: { value: string; masked?: string; allowReveal: boolean; label: string }) {
  const [shown, setShown] = useState(false);
  const text = safe(shown ? value : (masked ?? mask(value)));
  return (
    <span class="secret">
      <span class={shown ? '' : 'masked'}>{text}</span>{' '}
      {allowReveal && value !== '' && masked !== value && (
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

