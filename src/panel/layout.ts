/**
 * The panel's adjustable layout, as DevTools' own: a splitter between the list and the detail
 * (beside it when wide, above it when docked narrow) and resizable list columns. Sizes are kept
 * in the panel's own localStorage (no captured data: pixel sizes only) and apply again next time.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';

const NARROW = '(max-width: 760px)';

function load<T>(key: string, fallback: T, valid: (v: unknown) => v is T): T {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(key) ?? 'null');
    return valid(v) ? v : fallback;
  } catch {
    return fallback;
  }
}

function save(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // storage unavailable: the size lasts this session
  }
}

/** Whether the panel is laid out narrow (list above detail). */
export function useNarrow(): boolean {
  const query = typeof matchMedia === 'function' ? matchMedia(NARROW) : undefined;
  const [narrow, setNarrow] = useState(query?.matches ?? false);
  useEffect(() => {
    if (!query) return;
    const on = () => setNarrow(query.matches);
    query.addEventListener('change', on);
    return () => query.removeEventListener('change', on);
  }, []);
  return narrow;
}

const isSizes = (v: unknown): v is { wide: number; narrow: number } =>
  typeof v === 'object' && v !== null && typeof (v as { wide?: unknown }).wide === 'number' && typeof (v as { narrow?: unknown }).narrow === 'number';

/**
 * The list's size along the split (width when wide, height when narrow), in px, clamped to the
 * container; 0 until the user drags it (then the stylesheet's default share applies).
 */
export function useSplit(narrow: boolean): { size: number; setSize(px: number, container: number): void } {
  const [sizes, setSizes] = useState(() => load('why401.split', { wide: 0, narrow: 0 }, isSizes));
  const setSize = useCallback(
    (px: number, container: number) => {
      const min = narrow ? 90 : 260;
      const max = Math.max(min, container - (narrow ? 120 : 280));
      const next = { ...sizes, [narrow ? 'narrow' : 'wide']: Math.round(Math.min(max, Math.max(min, px))) };
      setSizes(next);
      save('why401.split', next);
    },
    [sizes, narrow],
  );
  return { size: narrow ? sizes.narrow : sizes.wide, setSize };
}

export type Column = 'time' | 'method' | 'status' | 'cause';
export type Columns = Record<Column, number>;
export const COLUMN_DEFAULTS: Columns = { time: 102, method: 64, status: 46, cause: 160 };
const COLUMN_MIN: Columns = { time: 40, method: 36, status: 32, cause: 60 };

const isColumns = (v: unknown): v is Partial<Columns> => typeof v === 'object' && v !== null;

export function useColumns(): { columns: Columns; resize(col: Column, px: number): void; reset(): void } {
  const [columns, setColumns] = useState<Columns>(() => {
    const stored = load<Partial<Columns>>('why401.columns', {}, isColumns);
    const out = { ...COLUMN_DEFAULTS };
    for (const k of Object.keys(COLUMN_DEFAULTS) as Column[]) if (typeof stored[k] === 'number' && stored[k]! >= COLUMN_MIN[k] && stored[k]! <= 600) out[k] = stored[k]!;
    return out;
  });
  const resize = useCallback((col: Column, px: number) => {
    setColumns((c) => {
      const next = { ...c, [col]: Math.round(Math.min(600, Math.max(COLUMN_MIN[col], px))) };
      save('why401.columns', next);
      return next;
    });
  }, []);
  const reset = useCallback(() => {
    setColumns(COLUMN_DEFAULTS);
    save('why401.columns', COLUMN_DEFAULTS);
  }, []);
  return { columns, resize, reset };
}

/**
 * Drag with the pointer (captured, so the drag survives leaving the handle): `onMove` gets the
 * distance from where the drag started.
 */
export function startDrag(e: PointerEvent, onMove: (dx: number, dy: number) => void): void {
  if (e.button !== 0) return;
  e.preventDefault();
  const el = e.currentTarget as HTMLElement;
  const x0 = e.clientX;
  const y0 = e.clientY;
  el.setPointerCapture?.(e.pointerId);
  document.body.classList.add('resizing');
  const move = (m: PointerEvent) => onMove(m.clientX - x0, m.clientY - y0);
  const up = () => {
    el.removeEventListener('pointermove', move);
    el.removeEventListener('pointerup', up);
    el.removeEventListener('pointercancel', up);
    document.body.classList.remove('resizing');
  };
  el.addEventListener('pointermove', move);
  el.addEventListener('pointerup', up);
  el.addEventListener('pointercancel', up);
}
