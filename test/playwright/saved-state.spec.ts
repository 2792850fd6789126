/** A project that starts from a sign-in state saved on a laptop (localhost), run against the CI host. */
import { expect, test } from '@playwright/test';

const lab = JSON.parse(process.env['WHY401_LAB'] ?? '{}') as { api: string };

test('shows the account page with the saved sign-in', async ({ page }) => {
  await page.goto(`${lab.api}/`);
  const status = await page.evaluate(() => fetch('/s/session/me?cookie=sid_local', { credentials: 'include' }).then((r) => r.status));
  expect(status).toBe(200);
});
