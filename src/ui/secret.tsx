/** Secrets in the UI: masked (as core masked them) until the user reveals them, when settings allow. */
import { useState } from 'preact/hooks';
import { safe } from './components.tsx';

/**
 * A secret: masked until the user reveals it (when settings allow), never copied into the DOM
 * before that.
 */
export function Secret({ value, masked, allowReveal, label }: { value: string; masked: string; allowReveal: boolean; label: string }) {
  const [shown, setShown] = useState(false);
  const text = safe(shown ? value : masked);
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
