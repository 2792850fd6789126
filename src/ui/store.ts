/** A small observable state for a page's store (the panel's, the popup's): its views subscribe and re-render on change. */
import { useEffect, useReducer } from 'preact/hooks';

export class Observable<S extends object> {
  private readonly listeners = new Set<() => void>();

  constructor(public state: S) {}

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  protected set(patch: Partial<S>): void {
    this.state = { ...this.state, ...patch };
    for (const fn of [...this.listeners]) fn();
  }
}

/** Re-render the calling component whenever the store changes. */
export function useObservable(store: Observable<object>): void {
  const [, bump] = useReducer((n: number, _: void) => n + 1, 0);
  useEffect(() => store.subscribe(() => bump()), [store]);
}
