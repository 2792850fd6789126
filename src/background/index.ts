import { browser } from '../platform/index.ts';

// Entry: wires listeners synchronously at top level (filled in by the capture work).
browser.runtime.onInstalled.addListener(() => undefined);
