/**
 * A DOM for component tests (happy-dom): the globals Preact and the UIs use. Import this before
 * any component.
 */
import { Window } from 'happy-dom';

const window = new Window({ url: 'chrome-extension://why401-test/panel.html', width: 1280, height: 800 });
const g = globalThis as Record<string, unknown>;
for (const key of ['window', 'document', 'navigator', 'HTMLElement', 'HTMLInputElement', 'HTMLTextAreaElement', 'HTMLSelectElement', 'HTMLDivElement', 'Element', 'Node', 'Event', 'KeyboardEvent', 'MouseEvent', 'CustomEvent', 'File', 'Blob', 'matchMedia', 'getComputedStyle', 'requestAnimationFrame', 'cancelAnimationFrame', 'CSS', 'DragEvent']) {
  const value = (window as unknown as Record<string, unknown>)[key];
  if (value !== undefined) {
    try {
      g[key] = typeof value === 'function' && !/^[A-Z]/.test(key) ? (value as (...a: unknown[]) => unknown).bind(window) : value;
    } catch {
      Object.defineProperty(globalThis, key, { value, configurable: true, writable: true });
    }
  }
}

export { window };

/** Let Preact's effects and pending promises run. */
export async function settle(ms = 0): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, ms));
}

/** Wait until `check` holds (a loaded machine may take its time), failing after `timeout` ms with `what`. */
export async function until(check: () => boolean, what: string, timeout = 10_000): Promise<void> {
  const end = Date.now() + timeout;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function text(el: Element | null | undefined): string {
  return el?.textContent ?? '';
}
