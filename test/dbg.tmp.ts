import { launch } from '/work/main/test/browser/helpers/chromium.ts';
const s = await launch({ cancelAuth: false });
await s.request({ type: 'set-settings', settings: { perTabCap: 2000, totalCap: 5000 } });
const { page, tabId } = await s.labPage();
await page.evaluate(() => (window as any).lab.burst(2000, '/s/burst', 32));
await s.waitForRecords(tabId, 2000, 60_000);
for (let i = 0; i < 4; i++) {
  const r = await s.inExtension(async (tab) => {
    const t0 = performance.now();
    const reply = await chrome.runtime.sendMessage({ type: 'get-snapshot', tabId: tab });
    const t1 = performance.now();
    const size = JSON.stringify(reply).length;
    return { ms: t1 - t0, size, n: reply.value.records.length, one: JSON.stringify(reply.value.records[5]).length };
  }, tabId);
  console.log(r);
}
await s.close();
