/** Talking to the background from one of the extension's own pages, as the UIs and the automation hook do. */
import type { Page } from 'puppeteer-core';
import { helperPage, type Session } from './chromium.ts';

/** An extension page kept open to send messages from (the options page: it needs no tab). */
export async function extensionPage(s: Session): Promise<Page> {
  const page = await helperPage(s.browser);
  await page.goto(`chrome-extension://${s.extensionId}/options.html`, { waitUntil: 'load' });
  return page;
}

/** runtime.sendMessage from an extension page; throws the background's error as an Error. */
export async function hook(page: Page, message: Record<string, unknown>): Promise<unknown> {
  const reply = (await page.evaluate((m) => chrome.runtime.sendMessage(m), message)) as { ok: boolean; value?: unknown; error?: string } | undefined;
  if (!reply) throw new Error('no reply');
  if (!reply.ok) throw new Error(reply.error);
  return reply.value;
}
