/**
 * A menu button (WAI-ARIA "menu button" pattern): Enter, Space or ↓ opens it on its first item,
 * ↑/↓/Home/End move, Enter activates, Esc closes and gives focus back to the button, Tab or a
 * click elsewhere closes it. A split button is a default action beside such a menu.
 */
import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';

export interface MenuItem {
  label: string;
  onSelect(): void;
  disabled?: boolean;
  /** Irreversible or sign-out actions: shown in the danger colour. */
  danger?: boolean;
  title?: string;
}

export interface MenuButtonProps {
  label: ComponentChildren;
  /** The accessible name when the label is only an arrow. */
  ariaLabel?: string;
  items: MenuItem[];
  /** Extra content at the foot of the menu (a checkbox that applies to its items). */
  footer?: ComponentChildren;
  disabled?: boolean;
  className?: string;
  title?: string;
  align?: 'left' | 'right';
}

export function MenuButton({ label, ariaLabel, items, footer, disabled, className, title, align = 'left' }: MenuButtonProps) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const wrap = useRef<HTMLSpanElement>(null);

  const itemsEls = () => [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]:not([disabled])') ?? [])];
  const focusItem = (i: number) => {
    const els = itemsEls();
    if (els.length === 0) return;
    els[(i + els.length) % els.length]!.focus();
  };
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };

  // Focus moves as the menu opens (a layout effect: before the next key, even when the page is not painting).
  useLayoutEffect(() => {
    if (!open) return;
    focusItem(0);
    const outside = (e: Event) => {
      if (wrap.current && !wrap.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, [open]);

  const onButtonKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setOpen(true);
    }
  };

  const onMenuKey = (e: KeyboardEvent) => {
    const els = itemsEls();
    const i = els.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'ArrowDown') focusItem(i + 1);
    else if (e.key === 'ArrowUp') focusItem(i - 1);
    else if (e.key === 'Home') focusItem(0);
    else if (e.key === 'End') focusItem(els.length - 1);
    else if (e.key === 'Escape') close(true);
    else if (e.key === 'Tab') {
      setOpen(false);
      return;
    } else return;
    e.preventDefault();
    e.stopPropagation();
  };

  return (
    <span class={`menu-wrap${className ? ` ${className}` : ''}`} ref={wrap}>
      <button
        ref={button}
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={ariaLabel}
        title={title}
        disabled={disabled}
        onClick={() => setOpen(!open)}
        onKeyDown={onButtonKey}
      >
        {label}
      </button>
      {open && (
        <div class={`menu ${align === 'right' ? 'align-right' : 'align-left'}`} role="menu" ref={menu} onKeyDown={onMenuKey}>
          {items.map((it) => (
            <button
              key={it.label}
              type="button"
              role="menuitem"
              class={it.danger ? 'danger' : ''}
              disabled={it.disabled}
              title={it.title}
              tabIndex={-1}
              onClick={() => {
                close(true);
                it.onSelect();
              }}
            >
              {it.label}
            </button>
          ))}
          {footer}
        </div>
      )}
    </span>
  );
}

/** A default action with the other choices in a menu beside it (Re-run ▾). */
export function SplitButton({ label, onClick, primary, disabled, title, menuLabel, items }: { label: string; onClick(): void; primary?: boolean; disabled?: boolean; title?: string; menuLabel: string; items: MenuItem[] }) {
  return (
    <span class="split-button" role="group" aria-label={label}>
      <button type="button" class={primary ? 'primary' : ''} disabled={disabled} title={title} onClick={onClick}>
        {label}
      </button>
      <MenuButton label="▾" ariaLabel={menuLabel} items={items} disabled={disabled} className={primary ? 'primary' : ''} />
    </span>
  );
}
