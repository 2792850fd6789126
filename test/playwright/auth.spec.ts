/** Tests that fail the way CI runs fail: a token that expired, an unset token variable, a saved session the server no longer knows, a sign-in that broke. */
import { expect, test } from '@playwright/test';

const lab = JSON.parse(process.env['WHY401_LAB'] ?? '{}') as { app: string; api: string };

/** Run a lab scenario in the page; its result is the API's status. */
async function scenario(page: import('@playwright/test').Page, id: string): Promise<unknown> {
  await page.goto(lab.app);
  return page.evaluate((sid) => (window as unknown as { lab: { run(id: string): Promise<unknown> } }).lab.run(sid), id);
}

test('shows the profile with the saved access token', async ({ page }) => {
  const status = await test.step('open the profile', () => scenario(page, 'token-expired'));
  expect(status).toBe(200);
});

test('shows the profile with the token from the environment', async ({ page }) => {
  expect(await scenario(page, 'placeholder-token')).toBe(200);
});

test.describe('with a saved sign-in state', () => {
  test.use({ storageState: { cookies: [{ name: 'sid_saved', value: 'session-from-last-week', domain: new URL(lab.api).hostname, path: '/', expires: -1, httpOnly: true, secure: true, sameSite: 'Lax' }], origins: [] } });
  test('shows the account page', async ({ page }) => {
    await page.goto(`${lab.api}/`);
    const status = await page.evaluate(() => fetch('/s/session/me?cookie=sid_saved', { credentials: 'include' }).then((r) => r.status));
    expect(status).toBe(200);
  });
});

// A sign-in that breaks without a 401: the app followed a sign-in link made for another session
// (the lab's `state-unknown`), and the client refused the provider's answer.
test('signs in from the link in the welcome email', async ({ page }) => {
  await page.goto(new URL('/s/oidc/?variant=state-unknown', lab.app).href);
  const done = await page.waitForFunction(() => (window as unknown as { oidcDone?: string }).oidcDone, undefined, { timeout: 30_000 });
  expect(String(await done.jsonValue())).toMatch(/^signed in/);
});

test('a passing test stays silent', async ({ page }) => {
  await page.goto(lab.app);
  await expect(page).toHaveTitle(/./);
});
