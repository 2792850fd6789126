import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '..', '..');
export const dist = join(root, 'dist');

/** Build dist/ once when a suite runs on its own (npm test builds first). */
export async function ensureBuilt(): Promise<void> {
  if (existsSync(join(dist, 'cli', 'why401.mjs')) && existsSync(join(dist, 'chrome', 'manifest.json')) && existsSync(join(dist, 'firefox-test', 'manifest.json'))) return;
  const { build } = (await import(join(root, 'scripts', 'build.mjs'))) as { build(o: { test: boolean }): Promise<void> };
  await build({ test: true });
}
