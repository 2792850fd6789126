import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, it } from 'node:test';
import { dist, ensureBuilt, root } from '../helpers/build.ts';

before(ensureBuilt);

it('web-ext lint: no errors and no warning the allowlist does not explain', async () => {
  const { webExtLint } = (await import(join(root, 'scripts', 'lint.mjs'))) as {
    webExtLint(dir?: string): { errors: { code: string }[]; unexplained: { code: string; file?: string; message: string }[] };
  };
  const r = webExtLint(join(dist, 'firefox'));
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.unexplained.map((m) => `${m.code} ${m.file ?? ''}: ${m.message}`), []);
});

it('one manifest.json, adjusted per browser', () => {
  const src = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));
  const chrome = JSON.parse(readFileSync(join(dist, 'chrome', 'manifest.json'), 'utf8'));
  const firefox = JSON.parse(readFileSync(join(dist, 'firefox', 'manifest.json'), 'utf8'));
  assert.equal(src.manifest_version, 3);
  assert.equal(src.name, 'Why 401');
  assert.ok(src.background.service_worker && src.background.scripts, 'the source declares both backgrounds');
  assert.deepEqual(chrome.background, { service_worker: 'background.js' });
  assert.equal(chrome.browser_specific_settings, undefined);
  assert.equal(chrome.minimum_chrome_version, '121');
  assert.deepEqual(firefox.background, { scripts: ['background.js'] });
  assert.equal(firefox.browser_specific_settings.gecko.strict_min_version, '140.0');
  assert.ok(firefox.browser_specific_settings.gecko.data_collection_permissions);
  for (const m of [chrome, firefox]) {
    assert.equal(m.version, JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
    assert.equal(m.devtools_page, 'devtools.html');
    assert.equal(m.action.default_popup, 'popup.html');
    assert.equal(m.options_ui.page, 'options.html');
    assert.deepEqual(m.host_permissions, ['<all_urls>']);
    assert.equal(m.content_security_policy.extension_pages, "script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'", 'an explicit CSP, stricter than the MV3 default');
  }
  assert.deepEqual(chrome.externally_connectable, { ids: [] }, 'Chrome: no other extension and no web page may connect');
  assert.equal(firefox.externally_connectable, undefined, 'Firefox has no such key (and no web-page messaging to close)');
});
