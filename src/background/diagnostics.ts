/**
 * What the background keeps about its own health, bounded, for the diagnostics message and the
 * browser tests' "no errors" checks: uncaught errors and refused messages.
 */
export class Diagnostics {
  readonly errors: string[] = [];
  /** Messages and ports refused (from outside the extension, or malformed). */
  rejected = 0;

  readonly reject = (): void => {
    this.rejected++;
  };

  keep(text: string): void {
    this.errors.push(text.slice(0, 500));
    if (this.errors.length > 50) this.errors.shift();
  }

  /** Keep the global scope's uncaught errors and unhandled rejections. */
  listen(scope: { addEventListener?: (type: string, fn: (e: Event) => void) => void }): void {
    scope.addEventListener?.('error', (e) => this.keep(String((e as ErrorEvent).message ?? e)));
    scope.addEventListener?.('unhandledrejection', (e) => this.keep(`unhandled rejection: ${String((e as PromiseRejectionEvent).reason)}`));
  }
}
