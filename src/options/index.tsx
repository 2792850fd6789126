/** The options page's entry. */
import { render } from 'preact';
import '../ui/theme.css';
import './options.css';
import { requestPermission } from '../platform/tabs.ts';
import { pauseShortcut, requestCapture } from '../platform/watch.ts';
import { request } from '../platform/messages.ts';
import { followSystemTheme } from '../ui/theme.ts';
import { Options, type OptionsBackend } from './Options.tsx';

followSystemTheme();

const backend: OptionsBackend = {
  get: () => request('get-settings', {}),
  save: (settings) => request('set-settings', { settings }),
  clearAll: () => request('clear-all', {}),
  diagnostics: () => request('get-diagnostics', {}),
  requestNotifications: () => requestPermission('notifications'),
  watch: () => request('get-watch', {}),
  // Asked here, in the click: only a page's gesture may ask (the background then follows the grant).
  setWatching: async (on) => {
    if (on) await requestCapture();
    return request('set-watching', { on });
  },
  shortcut: pauseShortcut,
  welcome: location.hash === '#welcome',
};

render(<Options backend={backend} />, document.getElementById('app')!);
