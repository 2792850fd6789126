/**
 * A page's tab id, for either browser: the page takes a unique title, and the extension's
 * tabs.query is asked until it sees it (the title reaches it a moment later).
 */
export async function tabIdByTitle(setTitle: (marker: string) => Promise<unknown>, findByTitle: (marker: string) => Promise<number>, what: string): Promise<number> {
  const marker = `why401-tab-${Math.random().toString(36).slice(2)}`;
  await setTitle(marker);
  const until = Date.now() + 5000;
  let id = -1;
  while (id < 0 && Date.now() < until) {
    id = await findByTitle(marker);
    if (id < 0) await new Promise((r) => setTimeout(r, 50));
  }
  if (id < 0) throw new Error(`no tab id for ${what}: its title never reached tabs.query`);
  return id;
}
