/**
 * Messages from the extension's own pages: the sender is checked, the message is `unknown` until
 * a guard accepts it, and the handler's answer (or error) goes back as data (DESIGN.md, How the code is written, 3).
 */
import { parseRequest, type Reply, type Request } from '../shared/protocol.ts';

export interface Sender {
  id?: string;
  url?: string;
}

export interface RouterDeps {
  /** Whether the sender is one of our own pages. */
  fromOwnPage(sender: Sender | undefined): boolean;
  handle(request: Request): Promise<unknown>;
  /** A message refused (from outside the extension, or malformed): counted for diagnostics. */
  onRejected(): void;
}

/**
 * The answer to a runtime message: undefined (no answer at all) for strangers, a Reply otherwise.
 */
export function routeMessage(message: unknown, sender: Sender | undefined, deps: RouterDeps): Promise<Reply<unknown>> | undefined {
  if (!deps.fromOwnPage(sender)) {
    deps.onRejected();
    console.warn('Why 401: ignored a message from outside the extension', sender?.url ?? sender?.id ?? '');
    return undefined;
  }
  const request = parseRequest(message);
  if (!request) {
    deps.onRejected();
    console.warn('Why 401: ignored a malformed message');
    return Promise.resolve({ ok: false, error: 'malformed message' });
  }
  let pending: Promise<unknown>;
  try {
    pending = deps.handle(request);
  } catch (e) {
    pending = Promise.reject(e);
  }
  return pending.then(
    (value): Reply<unknown> => ({ ok: true, value }),
    (e: unknown): Reply<never> => ({ ok: false, error: e instanceof Error ? e.message : String(e) }),
  );
}
