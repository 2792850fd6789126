/**
 * The manifest asks for exactly the permissions the code uses, and the built bundles carry no
 * remote code and no eval. Read from the source (every extension API is reached through
 * `browser.<namespace>` or `chrome.<namespace>`, or a typed cast for optional ones) and from the
 * built files that the stores receive.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { before, it } from 'node:test';
import { dist, ensureBuilt, root } from '../helpers/build.ts';

before(ensureBuilt);

/** API namespaces that need a permission of the same name (Chrome and Firefox). */
const GATED = [
  'alarms', 'bookmarks', 'browsingData', 'clipboardRead', 'clipboardWrite', 'contextMenus', 'cookies', 'debugger', 'declarativeNetRequest',
  'downloads', 'history', 'identity', 'idle', 'management', 'nativeMessaging', 'notifications', 'offscreen', 'pageCapture', 'privacy', 'proxy',
  'scripting', 'search', 'sessions', 'storage', 'tabGroups', 'topSites', 'webNavigation', 'webRequest',
];

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, ext) : ext.test(name) ? [path] : [];
  });
}

/** The gated namespaces the source reaches. */
function namespacesUsed(): Set<string> {
  const used = new Set<string>();
  for (const file of files(join(root, 'src'), /\.tsx?$/)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\b(?:browser|chrome)\??\.(\w+)/g)) used.add(m[1]!);
    // Optional APIs reached through a cast: `(browser as unknown as { notifications?: … }).notifications`
    for (const m of text.matchAll(/as unknown as \{\s*(\w+)\??:/g)) used.add(m[1]!);
  }
  return new Set([...used].filter((n) => GATED.includes(n)));
}

it('the manifest asks for exactly the permissions the code uses', () => {
  const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as { permissions: string[]; optional_permissions?: string[] };
  const declared = new Set([...manifest.permissions, ...(manifest.optional_permissions ?? [])]);
  const used = namespacesUsed();
  assert.deepEqual([...used].sort(), [...declared].filter((p) => GATED.includes(p)).sort(), 'every gated API used is declared, and nothing else');
  assert.deepEqual(
    [...declared].filter((p) => !GATED.includes(p)),
    ['activeTab'],
    'no permission outside the API list (no "tabs", "webRequestBlocking"…) but activeTab: no install warning; a click on the toolbar button on a site the browser’s site access leaves out shows the popup its address (to offer "Watch <site>") and lets Why 401 hear that tab’s requests to it until the tab leaves',
  );
  assert.deepEqual(
    manifest.optional_permissions,
    ['webRequest', 'notifications', 'browsingData', 'privacy'],
    'webRequest, so a pause gives it back (the first run asks for it in one click, without a prompt); notifications only when the user turns them on; browsingData when the user first clears a site’s storage; privacy when the user asks to read the cookie setting',
  );
  for (const p of manifest.optional_permissions) assert.ok(!manifest.permissions.includes(p), `${p} is never asked for at install`);
});

it('Firefox’s build adds only what reading token answers needs, and only the token listener blocks', () => {
  type M = { permissions: string[]; optional_permissions: string[] };
  const source = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as M;
  const chrome = JSON.parse(readFileSync(join(dist, 'chrome', 'manifest.json'), 'utf8')) as M;
  const firefox = JSON.parse(readFileSync(join(dist, 'firefox', 'manifest.json'), 'utf8')) as M;
  assert.deepEqual([chrome.permissions, chrome.optional_permissions], [source.permissions, source.optional_permissions], 'Chrome: the source manifest’s, no blocking');
  assert.deepEqual(firefox.permissions, source.permissions, 'Firefox: nothing more at install');
  assert.deepEqual(firefox.optional_permissions, ['webRequest', 'webRequestBlocking', 'webRequestFilterResponse', ...source.optional_permissions.slice(1)], 'Firefox: the response filter’s two, optional with webRequest (a pause gives all three back)');
  // The platform module is the only place that filters a response or registers a blocking listener.
  for (const file of files(join(root, 'src'), /\.tsx?$/)) {
    const text = readFileSync(file, 'utf8');
    const platform = file.includes(join('src', 'platform', ''));
    if (!platform) assert.doesNotMatch(text, /filterResponseData|'blocking'/, `${file}: only the platform module filters responses`);
    else if (file.endsWith('index.ts')) assert.equal([...text.matchAll(/'blocking'/g)].length, 1, 'one blocking listener: the token requests’');
  }
});

it('the bundles carry no eval, no new Function, no remote script', () => {
  for (const browser of ['chrome', 'firefox']) {
    const dir = join(dist, browser);
    for (const file of files(dir, /\.(js|html)$/)) {
      const text = readFileSync(file, 'utf8');
      const name = `${browser}/${file.slice(dir.length + 1)}`;
      assert.doesNotMatch(text, /\beval\s*\(/, `${name}: eval`);
      assert.doesNotMatch(text, /\bnew Function\s*\(/, `${name}: new Function`);
      assert.doesNotMatch(text, /\bimportScripts\s*\(/, `${name}: importScripts`);
      assert.doesNotMatch(text, /<script[^>]+src=["']?(https?:)?\/\//i, `${name}: a remote script`);
      assert.doesNotMatch(text, /\bimport\s*\(\s*["'`]https?:/, `${name}: a remote module`);
      if (file.endsWith('.html')) assert.doesNotMatch(text, /<script(?![^>]*\bsrc=)[^>]*>/i, `${name}: an inline script (the MV3 CSP refuses it)`);
    }
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    const csp = (manifest['content_security_policy'] as { extension_pages?: string } | undefined)?.extension_pages ?? '';
    assert.match(csp, /^script-src 'self'; object-src 'none'/, `${browser}: scripts only from the extension itself, no plugins`);
    assert.doesNotMatch(csp, /unsafe|http|\*/, `${browser}: nothing looser than 'self'`);
    const ec = manifest['externally_connectable'] as { ids?: string[]; matches?: string[] } | undefined;
    if (ec) assert.deepEqual(ec, { ids: [] }, `${browser}: closed to other extensions and to web pages`);
    assert.equal(manifest['web_accessible_resources'], undefined, `${browser}: no page of the extension is exposed to the web`);
    assert.equal(manifest['content_scripts'], undefined, `${browser}: no content script`);
  }
});

it('the popup bundle stays small: no public-suffix list, no redaction or diagnosis code', () => {
  // The popup must open in about 100 ms; the background sends it summaries that are already
  // explained and redacted. tldts's suffix data ("blogspot") is 120 KiB on its own.
  const popup = readFileSync(join(dist, 'chrome', 'popup.js'), 'utf8');
  const background = readFileSync(join(dist, 'chrome', 'background.js'), 'utf8');
  assert.ok(background.includes('blogspot'), 'the marker is real: the background bundle has the suffix list');
  assert.ok(!popup.includes('blogspot'), 'the popup bundle has no suffix list');
  assert.ok(popup.length < 80 * 1024, `popup.js is ${Math.round(popup.length / 1024)} KiB`);
});

it('the panel paints its list before loading the detail view, import, exports and suffix list', () => {
  // panel.js is an ES module; what it imports statically is what the first paint waits for.
  const dir = join(dist, 'chrome');
  const seen = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(join(dir, file), 'utf8');
    for (const m of text.matchAll(/(?:^|[;}\s])import\s*(?:[^"'()]*?from\s*)?["'](\.\/[^"']+)["']/g)) walk(join(file, '..', m[1]!));
  };
  walk('panel.js');
  const eager = [...seen];
  const text = eager.map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
  assert.ok(eager.length >= 2, `the walk follows static imports: ${eager.join(', ')}`);
  assert.ok(!eager.some((f) => /chunks\/(Detail|import|export)-/.test(f)), `loaded later, not at first paint: ${eager.join(', ')}`);
  assert.ok(!text.includes('blogspot'), 'no suffix list at first paint');
  const lazy = readdirSync(join(dir, 'chunks')).filter((f) => f.endsWith('.js') && !seen.has(`chunks/${f}`));
  assert.ok(lazy.some((f) => readFileSync(join(dir, 'chunks', f), 'utf8').includes('blogspot')), 'the suffix list is in a chunk loaded later');
  // 114 KiB: the sign-in view's way in (its status-bar toggle and state) is eager, the view, its reader and core's flow code
  // load when it first opens; the list's rows are groups of repeats, so core/verdict/burst.ts (2 KiB) is eager too; the paused
  // and site-hidden banners, their resume and their way to DevTools' own log (2 KiB: the resume must ask for the permission in the
  // click itself, so it cannot wait for a chunk; the log's reading is loaded when asked); 3 KiB more for a first run's own words
  // and the banner of a followed DevTools log with its store glue (the following itself, panel/follow.ts, loads when it starts);
  // 115 KiB: a long URL's host and path read from its head (core/exchange/url.ts, under 1 KiB), which the list's rows use too.
  assert.ok(text.length < 115 * 1024, `first paint loads ${Math.round(text.length / 1024)} KiB of script`);
});
