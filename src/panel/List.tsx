/**
 * The failure list, like the Network panel's: newest last, one row per failure, virtualised so
 * 10,000 rows cost the same as 30. Keyboard: ↑/↓ (and Home/End, PageUp/PageDown) select, Enter
 * opens the detail, Esc clears the selection.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { rowOf } from '../core/views/view.ts';
import type { StoredRecord } from '../shared/records.ts';
import { CauseChip, Clock, safe } from '../ui/components.tsx';
import { startDrag, type Column, type Columns } from './layout.ts';

export const ROW_HEIGHT = 22;
const OVERSCAN = 8;

export interface ListProps {
  rows: StoredRecord[];
  /** The rows that stand for a group of repeats (core/verdict/burst.ts), by id: shown with their count. */
  groups?: ReadonlyMap<string, { members: readonly unknown[] }>;
  selectedId: string | undefined;
  pageOrigin: string | undefined;
  onSelect(id: string | undefined): void;
  onOpen(): void;
  /** Keep the last row in view as new rows arrive (like the Network panel), unless the user scrolled up. */
  follow: boolean;
  columns?: Columns;
  onResizeColumn?: (col: Column, px: number) => void;
  onResetColumns?: () => void;
}

const HEADERS: [Column | 'path', string][] = [
  ['time', 'Time'],
  ['method', 'Method'],
  ['path', 'Path'],
  ['status', 'Status'],
  ['cause', 'Cause'],
];

export function List({ rows, groups, selectedId, pageOrigin, onSelect, onOpen, follow, columns, onResizeColumn, onResetColumns }: ListProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  const stickToEnd = useRef(true);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setHeight(el.clientHeight || 400);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // New rows: stay at the end if the user was there.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || !follow || !stickToEnd.current) return;
    el.scrollTop = rows.length * ROW_HEIGHT;
    setScrollTop(el.scrollTop);
  }, [rows.length, follow]);

  // Keep the selected row visible when it changes by keyboard.
  useEffect(() => {
    const el = scroller.current;
    if (!el || !selectedId) return;
    const i = rows.findIndex((r) => r.id === selectedId);
    if (i === -1) return;
    const top = i * ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_HEIGHT - el.clientHeight;
  }, [selectedId]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const visible = rows.slice(first, last);
  const index = selectedId ? rows.findIndex((r) => r.id === selectedId) : -1;

  const onKey = (e: KeyboardEvent) => {
    if (rows.length === 0) return;
    const page = Math.max(1, Math.floor(height / ROW_HEIGHT) - 1);
    const go = (i: number) => {
      e.preventDefault();
      onSelect(rows[Math.max(0, Math.min(rows.length - 1, i))]!.id);
    };
    switch (e.key) {
      case 'ArrowDown':
        return go(index === -1 ? 0 : index + 1);
      case 'ArrowUp':
        return go(index === -1 ? rows.length - 1 : index - 1);
      case 'Home':
        return go(0);
      case 'End':
        return go(rows.length - 1);
      case 'PageDown':
        return go(index + page);
      case 'PageUp':
        return go(index - page);
      case 'Enter':
        if (index !== -1) {
          e.preventDefault();
          onOpen();
        }
        return;
      case 'Escape':
        // Handled here, the key stays here: DevTools would also toggle its console drawer.
        if (selectedId) {
          e.preventDefault();
          e.stopPropagation();
          onSelect(undefined);
        }
        return;
      default:
        return;
    }
  };

  return (
    <div
      class="list"
      role="grid"
      aria-label="Auth failures"
      aria-rowcount={rows.length + 1}
      style={columns ? { '--col-time': `${columns.time}px`, '--col-method': `${columns.method}px`, '--col-status': `${columns.status}px`, '--col-cause': `${columns.cause}px` } : undefined}
    >
      <div class="list-head" role="row">
        {HEADERS.map(([col, label]) => (
          <span key={col} role="columnheader" class={`col-${col}`}>
            {label}
            {col !== 'path' && columns && onResizeColumn && (
              <span
                class="col-resize"
                aria-hidden="true"
                title="Drag to resize the column; double-click to reset every column"
                onPointerDown={(e) => {
                  const start = columns[col];
                  // The path column takes what is left: dragging the edge after it moves the next one.
                  startDrag(e as unknown as PointerEvent, (dx) => onResizeColumn(col, start + dx));
                }}
                onDblClick={() => onResetColumns?.()}
              />
            )}
          </span>
        ))}
      </div>
      <div
        class="list-body"
        ref={scroller}
        tabIndex={0}
        aria-activedescendant={selectedId ? `row-${selectedId}` : undefined}
        onKeyDown={onKey}
        onScroll={(e) => {
          const el = e.currentTarget as HTMLDivElement;
          setScrollTop(el.scrollTop);
          stickToEnd.current = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_HEIGHT;
        }}
      >
        <div style={{ height: `${rows.length * ROW_HEIGHT}px`, position: 'relative' }}>
          {visible.map((r, k) => {
            const i = first + k;
            const row = rowOf(r, pageOrigin);
            const repeated = groups?.get(r.id)?.members.length;
            return (
              <div
                key={r.id}
                id={`row-${r.id}`}
                role="row"
                aria-rowindex={i + 2}
                aria-selected={r.id === selectedId}
                class={`row sev-${row.severity}${r.id === selectedId ? ' selected' : ''}${row.fixed ? ' fixed' : ''}${i % 2 ? ' odd' : ''}`}
                style={{ top: `${i * ROW_HEIGHT}px` }}
                onMouseDown={() => onSelect(r.id)}
                onDblClick={() => onOpen()}
                title={safe(row.title)}
              >
                <span role="gridcell" class="time">
                  <Clock time={row.time} />
                </span>
                <span role="gridcell" class="method">{safe(row.method)}</span>
                <span role="gridcell" class="path" title={safe(row.url.full)}>
                  {repeated !== undefined && (
                    <span class="repeats" title={`${repeated} failures like this one, grouped (a storm or a loop): the badge counts them once`}>
                      ×{repeated}
                    </span>
                  )}
                  <span class="path-part">{safe(row.url.path)}</span>
                  {row.url.crossOrigin && row.url.host !== '' && <span class="host-part">{safe(row.url.host)}</span>}
                </span>
                <span role="gridcell" class="status">{row.status}</span>
                <span role="gridcell" class="cause">
                  {row.cause ? <CauseChip cause={row.cause} fixed={row.fixed !== undefined} /> : '–'}
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
