/**
 * The Why 401 Playwright reporter in a real Playwright run (issue 24): Playwright's own test runner
 * drives Debian's Chromium against the lab (test/playwright/), five tests fail the way CI runs
 * fail (an expired token, an unset token variable, a saved session the server no longer knows, a
 * sign-in state saved against another host, a sign-in that broke without a 401), and the reporter puts the right verdict under each
 * test's error, checks the project's saved state, attaches why401.md to the HTML report, and
 * stays silent on the passing test; `why401 explain` on each test's trace.zip agrees with it.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { chromiumPath } from '../../../scripts/browsers.mjs';
import { zipEntries, zipEntryBytes } from '../../../src/core/exchange/zip.ts';
import { dist, ensureBuilt, root } from '../../helpers/build.ts';
import { scenario } from '../../lab/scenarios.ts';
import { startLab, type Lab } from '../../lab/server.ts';

const inflate = (d: Uint8Array, max: number) => inflateRawSync(d, { maxOutputLength: max + 1 });

describe('the Playwright reporter, in a real Playwright run', () => {
  let lab: Lab;
  const out = mkdtempSync(join(tmpdir(), 'why401-pw-'));
  let run: { code: number | null; stdout: string; stderr: string };

  before(async () => {
    await ensureBuilt();
    lab = await startLab();
    const env = {
      ...process.env,
      CI: '',
      WHY401_LAB: JSON.stringify({ chromium: chromiumPath(), args: lab.chromiumArgs(), app: lab.url('app.test', '/'), api: lab.url('api.test', ''), out, reporter: join(dist, 'cli', 'playwright.mjs') }),
    };
    // Asynchronously: the lab answers from this process while Playwright runs.
    const child = spawn(process.execPath, [join(root, 'node_modules', '@playwright', 'test', 'cli.js'), 'test', '-c', join(root, 'test', 'playwright', 'playwright.config.ts')], { env, cwd: root });
    run = { code: null, stdout: '', stderr: '' };
    child.stdout.on('data', (d: Buffer) => (run.stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (run.stderr += d.toString()));
    run.code = await new Promise<number | null>((r) => child.on('close', r));
  });
  after(async () => {
    await lab?.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('puts the verdict under each failed test’s error, and says nothing of the passing one', () => {
    assert.equal(run.code, 1, `five tests fail on purpose\n${run.stdout.slice(-3000)}\n${run.stderr.slice(-2000)}`);
    assert.match(run.stdout, /5 failed/);
    assert.match(run.stdout, /1 passed/);
    // Each failure block of the list reporter, from its header to the next.
    const blocks = run.stdout.split(/\n {2}\d\) /).slice(1);
    const block = (title: RegExp) => blocks.find((b) => title.test(b.split('\n')[0] ?? '')) ?? assert.fail(`no failure block for ${title}`);
    const expectations: [RegExp, RegExp][] = [
      [/shows the profile with the saved access token/, /Why 401: 1 auth failure[\s\S]*GET https:\/\/api\.test:\d+\/s\/bearer\/me → 401 {2}\(during open the profile › page\.evaluate\)\n\s+Token expired: The access token expired [^\n]*\[token-expired\]/],
      [/shows the profile with the token from the environment/, /Why 401: 1 auth failure[\s\S]*Placeholder token: The Bearer token is a placeholder[^\n]*\[placeholder-token\]/],
      [/with a saved sign-in state › shows the account page/, /Why 401: 1 auth failure[\s\S]*\/s\/session\/me\?cookie=sid_saved → 401[\s\S]*\[missing-challenge\]/],
      // The project's saved state was saved on a laptop: the reporter checks it against the run.
      [/shows the account page with the saved sign-in/, /\[missing-credentials\][\s\S]*Saved sign-in state \([^)]*saved-state\.json\):\n\s+The saved cookie "sid_local" is for localhost, and this run sent no request there \(it used api\.test\)/],
      // No 401 at all: the sign-in broke at its callback, and the trace's flow says why.
      [/signs in from the link in the welcome email/, /Why 401: a sign-in broke in this test's network log\n\s*Sign-in broke \(client [^)]+\): state mismatch: [^\n]*\[state-mismatch\]\n\s+at GET https:\/\/app\.test:\d+\/s\/oidc\/callback\?code=\[redacted: \d+ chars, #[0-9a-f]{8}\]&state=\[redacted: \d+ chars, #[0-9a-f]{8}\][^\n]* → 200\n\s+Fix: /],
    ];
    for (const [title, verdict] of expectations) {
      const b = block(title);
      assert.match(b, verdict, b.slice(0, 1500));
      // Under the test's own error (after it), with the Markdown attached.
      assert.ok(b.indexOf('Expected') !== -1 && b.indexOf('Expected') < b.indexOf('Why 401:'), 'after the assertion that failed');
      assert.match(b, /attachment #\d: why401\.md \(text\/markdown\)/);
      assert.doesNotMatch(b, /eyJ[\w-]{20,}/, 'no token in the output');
    }
    // (The list reporter's line for it, not a code excerpt of the test above it that names it.)
    assert.doesNotMatch(run.stdout, /✓ +\d+ [^\n]*a passing test stays silent[^\n]*\n[^\n]*Why 401/);
    assert.match(run.stdout, /why401: 5 of 5 failed tests with a trace had auth failures explained/);
    // Playwright's own github reporter annotates the verdict at the test's file and line.
    const annotations = run.stdout.split('\n').filter((l) => l.startsWith('::error ') && l.includes('Why 401: 1 auth failure'));
    assert.equal(annotations.length, 4, run.stdout.split('\n').filter((l) => l.startsWith('::')).join('\n').slice(0, 2000));
    assert.match(annotations[0]!, /^::error file=test\/playwright\/auth\.spec\.ts,title=[^,]*shows the profile with the saved access token,line=12,col=1::/);
    assert.ok(run.stdout.split('\n').some((l) => l.startsWith('::error file=test/playwright/auth.spec.ts,') && l.includes('Why 401: a sign-in broke')), 'the broken sign-in is annotated at its test');
  });

  it('the HTML report carries why401.md for each failed test', () => {
    const html = readFileSync(join(out, 'html', 'index.html'), 'utf8');
    const data = /<template id="playwrightReportBase64">data:application\/zip;base64,([^<]+)</.exec(html);
    assert.ok(data, 'the report embeds its data');
    const bytes = Buffer.from(data[1]!, 'base64');
    // The test file's own data (report.json is the index, which names attachments again).
    const texts = zipEntries(bytes)
      .filter((e) => e.name !== 'report.json')
      .map((e) => Buffer.from(zipEntryBytes(bytes, e, inflate)).toString());
    const reports = texts.join('\n').match(/"name":\s*"why401\.md"/g) ?? [];
    assert.equal(reports.length, 5, 'one attachment per failed test');
    assert.match(texts.join('\n'), /Why 401 report/);
    assert.match(texts.join('\n'), /## Sign-in flows/, 'the broken sign-in is in its report');
  });

  it('why401 explain on each test’s trace.zip gives the reporter’s verdict, and the extension’s for the same lab scenario', () => {
    // The first two tests run lab scenarios: their cause is the one the extension's scenario suite checks the panel against.
    const traces = [
      ['auth-shows-the-profile-with-the-saved-access-token-fresh', scenario('token-expired').cause],
      ['auth-shows-the-profile-with-the-token-from-the-environment-fresh', scenario('placeholder-token').cause],
      ['auth-with-a-saved-sign-in-state-shows-the-account-page-fresh', 'missing-challenge'],
      ['saved-state-shows-the-account-page-with-the-saved-sign-in-saved-state', 'missing-credentials'],
    ];
    // The broken sign-in: no failure, and the flow's verdict.
    const signIn = spawnSync(process.execPath, [join(dist, 'cli', 'why401.mjs'), 'explain', '--json', join(out, 'results', 'auth-signs-in-from-the-link-in-the-welcome-email-fresh', 'trace.zip')], { encoding: 'utf8', env: { ...process.env, XDG_CONFIG_HOME: join(out, 'config') } });
    assert.equal(signIn.status, 0, signIn.stderr);
    const report = JSON.parse(signIn.stdout) as { failures: unknown[]; flows?: { findings: { cause: string }[] }[] };
    assert.deepEqual(report.failures, []);
    assert.deepEqual(report.flows?.flatMap((f) => f.findings.map((x) => x.cause)), ['state-mismatch']);
    for (const [folder, cause] of traces) {
      const r = spawnSync(process.execPath, [join(dist, 'cli', 'why401.mjs'), 'explain', '--json', join(out, 'results', folder!, 'trace.zip')], { encoding: 'utf8', env: { ...process.env, XDG_CONFIG_HOME: join(out, 'config') } });
      assert.equal(r.status, 0, r.stderr);
      const f = (JSON.parse(r.stdout) as { failures: { test?: string; step?: string; findings: { cause: string }[] }[] }).failures;
      assert.deepEqual(f.map((x) => x.findings[0]?.cause), [cause], folder);
      assert.match(f[0]!.test ?? '', /^(auth|saved-state)\.spec\.ts:\d+ › /, 'the runner titles its traces with the test');
    }
  });
});
