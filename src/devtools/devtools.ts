import { browser } from '../platform/browser.ts';
import { createPanel } from '../platform/panel-visibility.ts';

// The devtools page creates the panel and tells it when DevTools shows or hides it.
createPanel(browser.devtools.panels.create.bind(browser.devtools.panels) as never, browser.devtools.inspectedWindow.tabId, 'Why 401', 'icons/icon-32.png', 'panel.html');
