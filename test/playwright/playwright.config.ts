/**
 * A real Playwright suite whose tests fail on purpose against the lab (run by
 * test/browser/chromium/playwright-reporter.test.ts, which starts the lab and passes it in
 * WHY401_LAB): Playwright's own runner, Debian's Chromium, traces on, and the Why 401 reporter
 * first, as a user configures it (by its package name `why401/playwright` once installed; here the
 * test passes the built file, since a package does not resolve its own name from Playwright's).
 */
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';

const lab = JSON.parse(process.env['WHY401_LAB'] ?? '{}') as { chromium?: string; args?: string[]; out?: string; reporter?: string };

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: `${lab.out ?? 'test-results'}/results`,
  workers: 1,
  retries: 0,
  reporter: [[lab.reporter ?? 'why401/playwright'], ['list'], ['github'], ['html', { outputFolder: `${lab.out ?? 'test-results'}/html`, open: 'never' }]],
  projects: [
    { name: 'fresh', testIgnore: 'saved-state.spec.ts' },
    // A saved sign-in state, as a setup project writes it: the reporter checks it against the run.
    { name: 'saved-state', testMatch: 'saved-state.spec.ts', use: { storageState: join(import.meta.dirname, 'saved-state.json') } },
  ],
  use: {
    trace: 'on',
    ignoreHTTPSErrors: true,
    launchOptions: { executablePath: lab.chromium, args: lab.args ?? [] },
  },
});
