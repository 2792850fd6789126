/**
 * npm run package: the store zips are reproducible (the same files zipped at another time, from
 * another copy, give the same bytes) and hold a loadable extension at their root.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, it } from 'node:test';
import { dist, ensureBuilt, root } from '../helpers/build.ts';

before(ensureBuilt);

it('the store zips are reproducible and hold the extension at their root', async () => {
  const { zipExtension, sha256 } = (await import(join(root, 'scripts', 'package.mjs'))) as {
    zipExtension(src: string, out: string, name: string, seconds: number): Promise<string>;
    sha256(file: string): string;
  };
  const out = mkdtempSync(join(tmpdir(), 'why401-zip-'));
  try {
    for (const browser of ['chrome', 'firefox']) {
      const first = await zipExtension(join(dist, browser), join(out, 'a'), `${browser}.zip`, 1_700_000_000);
      // The checkout's times change meanwhile (a fresh clone, a rebuild): the zip must not.
      const now = Date.now() / 1000;
      utimesSync(join(dist, browser, 'manifest.json'), now, now);
      await new Promise((r) => setTimeout(r, 1100));
      const second = await zipExtension(join(dist, browser), join(out, 'b'), `${browser}.zip`, 1_700_000_000);
      assert.equal(sha256(first), sha256(second), `${browser}: the same bytes twice`);
      const third = await zipExtension(join(dist, browser), join(out, 'c'), `${browser}.zip`, 1_700_086_400);
      assert.notEqual(sha256(first), sha256(third), `${browser}: the comparison can fail (another source date gives other bytes)`);
      const bytes = readFileSync(first);
      assert.equal(bytes.readUInt32LE(0), 0x04034b50, 'a zip');
      for (const name of ['manifest.json', 'background.js', 'panel.html', 'popup.html', 'icons/icon-128.png']) assert.ok(bytes.includes(Buffer.from(name)), `${name} is in it`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
