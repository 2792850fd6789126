/**
 * Sign-in flows against a real identity provider and a real client (issue: "The sign-in flow"):
 * the lab's oidc-provider at idp.test and its oauth4webapi client at app.test/s/oidc/, driven in
 * Debian's Chromium by Playwright, each variant's traffic recorded as a HAR (request bodies
 * included, as DevTools and Playwright keep them) and read by `why401 explain` and, masked by
 * `why401 redact`, read again. Each variant is a way apps really get the flow wrong; the provider
 * itself refuses what it must (the client's log says so) and the verdict names why.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { chromiumPath } from '../../../scripts/browsers.mjs';
import { dist, ensureBuilt } from '../../helpers/build.ts';
import { OIDC_VARIANTS, startLab, type Lab } from '../../lab/server.ts';
import { IDP_CONFIDENTIAL_CLIENT, IDP_CONFIDENTIAL_SECRET, IDP_NO_PKCE_CLIENT, requestIdp } from '../../lab/idp.ts';

interface FlowJson {
  client?: string;
  steps: { kind: string; entry: number; status: number }[];
  findings: { cause: string; entry: number; title: string }[];
}
interface Report {
  failures: { findings: { cause: string; title: string }[]; notes?: { kind: string }[] }[];
  flows?: FlowJson[];
}

const causes = (r: Report) => r.flows?.flatMap((f) => f.findings.map((x) => x.cause)) ?? [];

const dir = mkdtempSync(join(tmpdir(), 'why401-oidc-'));

function explain(file: string, extra: string[] = []): { report: Report; text: string } {
  const cli = join(dist, 'cli', 'why401.mjs');
  const json = spawnSync(process.execPath, [cli, 'explain', '--json', ...extra, file], { encoding: 'utf8' });
  assert.equal(json.status, 0, json.stderr);
  const text = spawnSync(process.execPath, [cli, 'explain', ...extra, file], { encoding: 'utf8' });
  return { report: JSON.parse(json.stdout) as Report, text: text.stdout };
}

/** The secret values a HAR holds in the clear: codes, states, verifiers, nonces and tokens. */
function secretsIn(harText: string): string[] {
  const found = new Set<string>();
  for (const m of harText.matchAll(/(?:[?&]|\\u0026|\b)(?:code|state|nonce|code_verifier)=([A-Za-z0-9_~.-]{16,})/g)) found.add(m[1]!);
  for (const m of harText.matchAll(/\\"(?:access_token|id_token|refresh_token)\\":\\"([^"\\]{16,})\\"/g)) found.add(m[1]!);
  return [...found];
}

describe('sign-in flows: a real provider (oidc-provider) and a real client (oauth4webapi) in Chromium', () => {
  let lab: Lab;
  let browser: Browser;
  before(async () => {
    await ensureBuilt();
    lab = await startLab();
    browser = await chromium.launch({ executablePath: chromiumPath()!, args: [...lab.chromiumArgs(), '--no-sandbox'] });
  });
  after(async () => {
    await browser?.close();
    await lab?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Run one variant of the lab client; its HAR's path and how the client says it ended. */
  async function run(variant: string): Promise<{ har: string; ended: string }> {
    const har = join(dir, `${variant}.har`);
    const context = await browser.newContext({ ignoreHTTPSErrors: true, recordHar: { path: har, content: 'embed' } });
    const page = await context.newPage();
    await page.goto(lab.url('app.test', `/s/oidc/?variant=${variant}`));
    const ended = await page
      .waitForFunction(() => (window as unknown as { oidcDone?: string }).oidcDone, undefined, { timeout: 60_000 })
      .then(async (h) => String(await h.jsonValue()))
      .catch(async (e: unknown) => {
        throw new Error(`${variant}: the client did not finish; at ${page.url()}: ${(await page.textContent('body').catch(() => '')) ?? ''} (${String(e)})`);
      });
    await context.close();
    return { har, ended };
  }

  const cases: [variant: string, ended: RegExp, check: (r: Report) => void][] = [
    ['healthy', /signed in; the API answered 200/, (r) => {
      assert.deepEqual(r.flows?.map((f) => f.steps.map((s) => s.kind)), [['authorize', 'callback', 'token']]);
      assert.deepEqual(r.flows?.[0]?.findings, []);
      assert.equal(r.failures.length, 0);
    }],
    ['redirect-mismatch', /token refused: invalid_grant/, (r) => assert.deepEqual(r.flows?.flatMap((f) => f.findings.map((x) => x.cause)), ['redirect-uri-mismatch'])],
    ['pkce-mismatch', /token refused: invalid_grant/, (r) => assert.deepEqual(r.flows?.flatMap((f) => f.findings.map((x) => x.cause)), ['pkce-mismatch'])],
    ['pkce-plain', /sign-in refused: invalid_request/, (r) => {
      assert.deepEqual(causes(r), ['pkce-mismatch']);
      assert.equal(r.flows!.flatMap((f) => f.findings)[0]!.title, 'The provider requires PKCE with S256; the app sent plain');
    }],
    ['callback-reload', /token refused: invalid_grant/, (r) => assert.deepEqual(r.flows?.flatMap((f) => f.findings.map((x) => x.cause)), ['state-mismatch', 'code-reused'])],
    ['state-unknown', /sign-in refused: .*state/i, (r) => {
      assert.deepEqual(causes(r), ['state-mismatch']);
      assert.equal(r.flows!.flatMap((f) => f.findings)[0]!.title, 'The sign-in answer carries a state the app did not send');
      assert.deepEqual(r.flows?.map((f) => f.steps.map((s) => s.kind)), [['authorize', 'callback']]);
    }],
    ['nonce-mismatch', /token refused: .*nonce/i, (r) => {
      assert.deepEqual(causes(r), ['nonce-mismatch']);
      assert.equal(r.flows!.flatMap((f) => f.findings)[0]!.title, "The ID token's nonce is not the one the authorize request sent");
    }],
    ['login-loop', /loop: 4 rounds/, (r) => {
      assert.equal(r.flows?.length, 4);
      assert.deepEqual(r.flows?.flatMap((f) => f.findings.map((x) => x.cause)), ['login-loop']);
      assert.match(r.flows![3]!.findings[0]!.title, /4 sign-ins/);
    }],
    ['id-token-to-api', /signed in; the API answered 401/, (r) => {
      assert.deepEqual(r.flows?.flatMap((f) => f.findings), []);
      assert.equal(r.failures[0]?.findings[0]?.cause, 'wrong-token-type');
    }],
    ['token-cors', /token request failed: (Failed to fetch|.*fetch)/i, (r) => {
      assert.deepEqual(causes(r), ['token-endpoint-cors']);
      assert.match(r.flows!.flatMap((f) => f.findings)[0]!.title, /CORS/);
    }],
    ['issuer-mismatch', /token refused: .*iss/i, (r) => {
      assert.deepEqual(causes(r), ['issuer-mismatch']);
      assert.match(r.flows!.flatMap((f) => f.findings)[0]!.title, /^The ID token's issuer \(https:\/\/idp-internal\.test:\d+\) is not the discovered issuer \(https:\/\/idp\.test:\d+\)$/);
    }],
    ['confidential-client', /token refused: invalid_client/, (r) => {
      assert.deepEqual(causes(r), ['public-client-auth']);
      assert.equal(r.flows!.flatMap((f) => f.findings)[0]!.title, 'The provider wants the client to authenticate, and a page cannot');
      // The token endpoint's 401 is a failure too: the client's credentials, not a cookie, and a note sends the reader to the flow.
      assert.deepEqual(r.failures.map((x) => x.findings[0]?.title), ['No client credentials were sent to the token endpoint']);
      assert.deepEqual(r.failures[0]!.notes?.map((n) => n.kind), ['token-request']);
    }],
    ['secret-in-page', /signed in; the API answered 200/, (r) => {
      assert.deepEqual(causes(r), ['public-client-auth']);
      assert.equal(r.flows!.flatMap((f) => f.findings)[0]!.title, 'The page sent a client secret to the token endpoint');
      assert.equal(r.failures.length, 0);
    }],
    // After sign-in: the token's life.
    ['refresh-healthy', /refreshed; the API answered 200/, (r) => {
      assert.deepEqual(r.flows?.map((f) => f.steps.map((s) => s.kind)), [['authorize', 'callback', 'token', 'token']], 'the refresh belongs to the sign-in that issued its refresh token');
      assert.deepEqual(r.flows?.flatMap((f) => f.findings), []);
      assert.equal(r.failures.length, 0);
    }],
    ['refresh-schedule', /schedule: \d{2} refreshes, \d+ calls, 0 refused/, (r) => {
      assert.equal(r.flows?.length, 1, 'every refresh belongs to the sign-in');
      assert.deepEqual(r.flows?.flatMap((f) => f.findings), []);
      assert.equal(r.failures.length, 0);
    }],
    ['refresh-race', /refreshes: (ok, invalid_grant|invalid_grant, ok)/, (r) => assert.deepEqual(causes(r), ['refresh-token-reused'])],
    ['refresh-loop', /gave up after 4 refreshes; the API answered 401/, (r) => {
      assert.deepEqual(causes(r), ['refresh-loop']);
      assert.equal(r.failures.length, 5, 'each refused call is a failure of its own too');
    }],
    ['refresh-storm', /storm: 200 calls, 200 refreshes \(19\d refused\)/, (r) => {
      assert.deepEqual(causes(r).sort(), ['refresh-loop', 'refresh-token-reused']);
      assert.match(r.flows!.flatMap((f) => f.findings).find((f) => f.cause === 'refresh-loop')!.title, /^A refresh storm: 200 refreshes in /);
      assert.ok(r.failures.length >= 200, `each refused call is a failure (${r.failures.length})`);
    }],
    ['no-refresh-token', /no refresh token; the API answered 401/, (r) => assert.deepEqual(causes(r), ['refresh-token-missing'])],
    ['stale-token', /refreshed; the API answered 401 to the old token/, (r) => assert.deepEqual(causes(r), ['stale-token-after-refresh'])],
    ['refresh-expired', /refresh refused: invalid_grant/, (r) => assert.deepEqual(causes(r), ['refresh-token-expired'])],
    ['silent-renew', /silent renew: login_required/, (r) => {
      assert.deepEqual(causes(r), ['silent-renew-blocked']);
      assert.match(r.flows!.flatMap((f) => f.findings)[0]!.title, /login_required: the provider's cookie was not sent/);
    }],
  ];

  it('two tabs signing in at once, one broken: one log, the flows told apart (by state, code and tokens), only the broken one named', async () => {
    const har = join(dir, 'two-tabs.har');
    const context = await browser.newContext({ ignoreHTTPSErrors: true, recordHar: { path: har, content: 'embed' } });
    const ended = (p: Awaited<ReturnType<typeof context.newPage>>) => p.waitForFunction(() => (window as unknown as { oidcDone?: string }).oidcDone, undefined, { timeout: 60_000 }).then(async (h) => String(await h.jsonValue()));
    // Signed in at the provider first (its login page is one interaction at a time per browser),
    // so that the two tabs' flows run at once, straight through the provider.
    const first = await context.newPage();
    await first.goto(lab.url('app.test', '/s/oidc/?variant=healthy'));
    assert.match(await ended(first), /signed in; the API answered 200/);
    const [a, b] = [await context.newPage(), await context.newPage()];
    // Each holds 3 s before redeeming its code, so that on a busy machine too the two overlap.
    await Promise.all([a.goto(lab.url('app.test', '/s/oidc/?variant=healthy&hold=3000')), b.goto(lab.url('app.test', '/s/oidc/?variant=redirect-mismatch&hold=3000'))]);
    const [endA, endB] = await Promise.all([ended(a), ended(b)]);
    assert.match(endA, /signed in; the API answered 200/);
    assert.match(endB, /token refused: invalid_grant/);
    await context.close();
    const { report } = explain(har);
    assert.deepEqual(report.flows?.map((f) => f.steps.map((s) => s.kind).join(' ')), ['authorize callback token', 'authorize callback token', 'authorize callback token']);
    assert.deepEqual(causes(report), ['redirect-uri-mismatch']);
    // The two tabs' flows overlap in time in the one log, and each keeps its own steps.
    const [, x, y] = report.flows!.map((f) => f.steps.map((s) => s.entry)).sort((p, q) => Math.min(...p) - Math.min(...q));
    assert.ok(Math.min(...x!) < Math.max(...y!) && Math.min(...y!) < Math.max(...x!), `the flows interleave in the log: ${JSON.stringify([x, y])}`);
  });

  it('audience-mismatch has no lab variant because the real provider cannot produce one: it refuses a code redeemed by another client, and a code it redeems gets an ID token for the client that redeemed it', async () => {
    const idp = await lab.identityProvider();
    const redirect = lab.url('app.test', '/s/oidc/callback');
    const redeem = async (clientAuth: Record<string, string>, form: Record<string, string>) => {
      const code = new URL(await idp.signInElsewhere(IDP_NO_PKCE_CLIENT, redirect, false)).searchParams.get('code')!;
      const res = await requestIdp(new URL('/token', idp.issuer), { 'content-type': 'application/x-www-form-urlencoded', ...clientAuth }, new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirect, ...form }).toString());
      return { status: res.status, body: JSON.parse(res.text) as { error?: string; id_token?: string } };
    };
    // Redeemed by another client (the confidential one, with its secret): refused.
    const other = await redeem({ authorization: `Basic ${Buffer.from(`${IDP_CONFIDENTIAL_CLIENT}:${IDP_CONFIDENTIAL_SECRET}`).toString('base64')}` }, {});
    assert.equal(other.status, 400);
    assert.equal(other.body.error, 'invalid_grant');
    // Redeemed by its own client: the ID token names that client.
    const own = await redeem({}, { client_id: IDP_NO_PKCE_CLIENT });
    assert.equal(own.status, 200);
    assert.equal((JSON.parse(Buffer.from(own.body.id_token!.split('.')[1]!, 'base64url').toString()) as { aud: string }).aud, IDP_NO_PKCE_CLIENT);
  });

  it('every variant the lab offers is tested here', () => {
    assert.deepEqual(cases.map(([v]) => v).sort(), OIDC_VARIANTS.map(([v]) => v).sort());
  });

  for (const [variant, ended, check] of cases) {
    it(`${variant}: the provider and client end as they must, and the verdict says why — from the HAR and from its redacted copy, printing no secret`, async () => {
      const got = await run(variant);
      assert.match(got.ended, ended, 'how the real client ended');
      const raw = readFileSync(got.har, 'utf8');
      const secrets = secretsIn(raw);
      assert.ok(secrets.length >= 2, `the HAR holds the flow's secrets in the clear (${secrets.length})`);
      const { report, text } = explain(got.har);
      check(report);
      // The confidential client's secret, which secret-in-page sends as HTTP Basic.
      secrets.push(IDP_CONFIDENTIAL_SECRET, Buffer.from(`${IDP_CONFIDENTIAL_CLIENT}:${IDP_CONFIDENTIAL_SECRET}`).toString('base64'));
      for (const out of [JSON.stringify(report), text]) for (const secret of secrets) assert.ok(!out.includes(secret), `${variant}: a secret printed`);
      // Masked by why401 redact, the file reads to the same verdicts.
      const masked = join(dir, `${variant}.masked.har`);
      const redacted = spawnSync(process.execPath, [join(dist, 'cli', 'why401.mjs'), 'redact', got.har, '-o', masked], { encoding: 'utf8' });
      assert.equal(redacted.status, 0, redacted.stderr);
      const maskedText = readFileSync(masked, 'utf8');
      for (const secret of secrets) assert.ok(!maskedText.includes(secret), `${variant}: the redacted copy holds a secret`);
      check(explain(masked).report);
    });
  }
});
