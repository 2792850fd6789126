/**
 * The UIs' theme: `data-theme` on <html> picks one of the two palettes in theme.css. Each
 * entry sets it before it renders: the panel from DevTools' theme, the popup and the options
 * page from the system's.
 */
export type Theme = 'light' | 'dark';

export function applyTheme(t: Theme): void {
  document.documentElement.dataset['theme'] = t;
}

const darkQuery = () => matchMedia('(prefers-color-scheme: dark)');

export function systemTheme(): Theme {
  return darkQuery().matches ? 'dark' : 'light';
}

export function onSystemThemeChange(cb: (t: Theme) => void): void {
  darkQuery().addEventListener('change', () => cb(systemTheme()));
}

/** The popup and options page: the system's theme, now and whenever it changes. */
export function followSystemTheme(): void {
  applyTheme(systemTheme());
  onSystemThemeChange(applyTheme);
}
