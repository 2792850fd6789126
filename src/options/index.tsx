/** The options page's entry. */
import { render } from 'preact';
import '../ui/theme.css';
import './options.css';
import { requestPermission } from '../platform/tabs.ts';
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
};

render(<Options backend={backend} />, document.getElementById('app')!);
