/**
 * A test run's saved sign-in state (Playwright's `storageState` file: cookies, and each origin's
 * localStorage) read as the cookie jar the browser started from, and the checks only a test run
 * can make with it (said of the run, beside its failures; never merged into an exchange's jar,
 * which the run may have changed since): cookies already expired, cookies for a host the run never used (localhost vs
 * 127.0.0.1 vs the CI host), tokens in localStorage already expired.
 */
import type { JarCookie } from '../exchange/har-types.ts';
import { HarError } from '../exchange/har-read.ts';
import { inspectToken, looksLikeJwt } from '../tokens/jwt.ts';
import { iso } from '../verdict/time.ts';

export interface StorageState {
  /** The cookies as the browser's jar holds them. */
  jar: JarCookie[];
  /** localStorage values that are JWTs, by origin and key (values stay in memory, never printed). */
  tokens: { origin: string; name: string; value: string }[];
}

export interface StorageProblem {
  kind: 'cookie-expired' | 'cookie-other-host' | 'token-expired';
  message: string;
}

const MAX_COOKIES = 10_000;
const MAX_ORIGINS = 1_000;

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** Read a storageState file's text; throws HarError (one line) for what is not one. */
export function readStorageState(text: string): StorageState {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new HarError('the storage state is not JSON');
  }
  if (typeof raw !== 'object' || raw === null || !Array.isArray((raw as Record<string, unknown>)['cookies'])) throw new HarError('not a Playwright storage state: there is no "cookies" list');
  const o = raw as Record<string, unknown>;
  const jar: JarCookie[] = [];
  for (const c of (o['cookies'] as unknown[]).slice(0, MAX_COOKIES)) {
    if (typeof c !== 'object' || c === null) continue;
    const r = c as Record<string, unknown>;
    const name = str(r['name']);
    const rawDomain = str(r['domain']);
    if (name === undefined || rawDomain === undefined) continue;
    const expires = typeof r['expires'] === 'number' && Number.isFinite(r['expires']) ? r['expires'] : -1;
    const sameSite = str(r['sameSite'])?.toLowerCase();
    jar.push({
      name,
      value: str(r['value']) ?? '',
      // Playwright writes ".example.com" for a Domain cookie and "example.com" for a host-only one.
      domain: rawDomain.replace(/^\./, '').toLowerCase(),
      hostOnly: !rawDomain.startsWith('.'),
      path: str(r['path']) ?? '/',
      secure: r['secure'] === true,
      httpOnly: r['httpOnly'] === true,
      sameSite: sameSite === 'strict' ? 'strict' : sameSite === 'lax' ? 'lax' : sameSite === 'none' ? 'no_restriction' : 'unspecified',
      session: expires < 0,
      ...(expires >= 0 ? { expirationDate: expires } : {}),
    });
  }
  const tokens: StorageState['tokens'] = [];
  const origins = Array.isArray(o['origins']) ? (o['origins'] as unknown[]).slice(0, MAX_ORIGINS) : [];
  for (const entry of origins) {
    if (typeof entry !== 'object' || entry === null) continue;
    const origin = str((entry as Record<string, unknown>)['origin']);
    const items = (entry as Record<string, unknown>)['localStorage'];
    if (origin === undefined || !Array.isArray(items)) continue;
    for (const item of items.slice(0, MAX_COOKIES)) {
      if (typeof item !== 'object' || item === null) continue;
      const name = str((item as Record<string, unknown>)['name']);
      const value = str((item as Record<string, unknown>)['value']);
      if (name === undefined || value === undefined || value.length > 100_000) continue;
      // A token alone, or one inside a JSON value (MSAL, Auth0 and oidc-client keep objects).
      for (const candidate of jwtsIn(value)) tokens.push({ origin, name, value: candidate });
    }
  }
  return { jar, tokens };
}

function jwtsIn(value: string): string[] {
  if (looksLikeJwt(value)) return [value];
  return (value.match(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]*/g) ?? []).filter(looksLikeJwt).slice(0, 20);
}

function cookieMatchesHost(c: JarCookie, host: string): boolean {
  return c.hostOnly ? host === c.domain : host === c.domain || host.endsWith(`.${c.domain}`);
}

/**
 * What is wrong with the saved state for a run that started at `at` and sent requests to `hosts`
 * (the hosts of its exchanges). Never quotes a value.
 */
export function storageStateProblems(state: StorageState, run: { at: number; hosts: readonly string[] }): StorageProblem[] {
  const out: StorageProblem[] = [];
  const hosts = [...new Set(run.hosts.map((h) => h.toLowerCase()))];
  for (const c of state.jar) {
    if (!c.session && c.expirationDate !== undefined && c.expirationDate * 1000 <= run.at) {
      out.push({ kind: 'cookie-expired', message: `The saved cookie "${c.name}" (${c.hostOnly ? '' : '.'}${c.domain}) expired ${iso(c.expirationDate * 1000)}, before this run: the browser dropped it, and requests went without it. Save the sign-in state again (in a setup project, before the tests).` });
      continue;
    }
    if (hosts.length > 0 && !hosts.some((h) => cookieMatchesHost(c, h))) {
      out.push({ kind: 'cookie-other-host', message: `The saved cookie "${c.name}" is for ${c.hostOnly ? '' : '.'}${c.domain}, and this run sent no request there (it used ${hosts.slice(0, 5).join(', ')}${hosts.length > 5 ? ', …' : ''}): the state was saved against another host name (localhost, 127.0.0.1, the CI host). Save it against the host the tests use, or set the tests' baseURL to the host it was saved on.` });
    }
  }
  for (const t of state.tokens) {
    const inspected = inspectToken(t.value);
    const exp = inspected.kind === 'jwt' ? inspected.exp : undefined;
    if (exp !== undefined && exp * 1000 <= run.at) {
      out.push({ kind: 'token-expired', message: `The token saved in localStorage "${t.name}" of ${t.origin} expired ${iso(exp * 1000)}, before this run: an app that reads it sends an expired token. Save the sign-in state again, or sign in during the run.` });
    }
  }
  return out.slice(0, 50);
}
