/**
 * The sign-in view's read and export, loaded when the view first opens (it brings core's flow
 * code): the flows of the imported file, or of DevTools' network log with the bodies core asks
 * for read in; and the flows' steps in that log saved as a HAR file, masked (Export HAR).
 */
import { flowNeedsBody } from '../core/flows/step.ts';
import { flowViewsOfLog } from '../core/flows/view.ts';
import type { PanelBackend } from './backend.ts';
import type { Imported } from './import.ts';
import type { PanelStore, SignInReader, SignInState } from './store/panel-store.ts';
import { VERSION } from '../shared/version.ts';

export type SignInRead = Pick<SignInState, 'status' | 'flows'> & Partial<Pick<SignInState, 'source' | 'entries' | 'readAt'>>;

export async function readSignIn(backend: PanelBackend, imported: Imported | undefined): Promise<SignInRead> {
  if (imported) return { status: 'read', source: { kind: 'file', name: imported.name }, flows: imported.flows, entries: imported.entries, readAt: Date.now() };
  // DevTools' log has the answers' bodies (the token's life needs them); the capture has what came before DevTools opened.
  const raw = await backend.recordedLog?.(flowNeedsBody);
  const fromLog = raw ? flowViewsOfLog(raw) : [];
  if (raw && fromLog.length > 0) return { status: 'read', source: { kind: 'devtools' }, flows: fromLog, entries: raw.length, readAt: Date.now() };
  if (backend.tabId !== undefined) {
    const { flows, answers } = await backend.request('get-flows', { tabId: backend.tabId });
    if (flows.length > 0 || !raw) return { status: 'read', source: { kind: 'capture', answers: answers === true }, flows, entries: raw?.length ?? 0, readAt: Date.now() };
  }
  if (!raw) return { status: 'unavailable', flows: [] };
  return { status: 'read', source: { kind: 'devtools' }, flows: [], entries: raw.length, readAt: Date.now() };
}

/**
 * The store's reader: reads one at a time; a read asked for while one runs runs once after it,
 * and its promise settles when that one has. Its export of the flows' steps (the view's Export
 * HAR) reads DevTools' log itself, whatever the view's own read is doing, one export at a time.
 */
export function signInReader(): SignInReader {
  let reading: Promise<void> | undefined;
  let again: Promise<void> | undefined;
  const once = async (store: PanelStore) => {
    const imported = store.state.imported;
    if (!imported && store.backend.recordedLog) store.setSignIn({ status: 'reading' });
    const read = await readSignIn(store.backend, imported);
    store.setSignIn(read);
  };
  const readFlows = (store: PanelStore): Promise<void> => {
    if (reading) {
      again ??= reading.then(() => {
        again = undefined;
        return readFlows(store);
      });
      return again;
    }
    reading = once(store).finally(() => {
      reading = undefined;
    });
    return reading;
  };
  let exporting = false;
  const exportFlows = async (store: PanelStore): Promise<void> => {
    // A second click while the log is read makes no second file.
    if (exporting) return;
    exporting = true;
    store.notify('Reading DevTools’ network log to export the sign-in steps…');
    try {
      const steps = await store.flowStepsForExport();
      if (steps.length === 0) {
        store.notify('No sign-in step in DevTools’ network log to export.', 'error');
        return;
      }
      const { exportHar, exportFileName } = await import('../core/exchange/export.ts');
      store.backend.download(exportFileName('har', false), JSON.stringify(exportHar([], { includeSecrets: false, version: VERSION }, steps), null, 2), 'application/json');
      store.notify(`Exported ${steps.length} sign-in step${steps.length === 1 ? '' : 's'}, secrets masked.`, 'ok');
    } catch (e) {
      store.notify(e instanceof Error ? e.message : String(e), 'error');
    } finally {
      exporting = false;
    }
  };
  return { readFlows, exportFlows };
}
