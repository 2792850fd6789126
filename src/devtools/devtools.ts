import { browser } from '../platform/browser.ts';

// The devtools page only creates the panel.
void browser.devtools.panels.create('Why 401', 'icons/icon-32.png', 'panel.html');
