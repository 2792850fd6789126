/**
 * `why401/playwright`: a Playwright test reporter. For each failed test whose trace (or an
 * attached HAR) holds auth failures, it adds the verdicts to the test's errors (so the list, line
 * and HTML reporters show them under the test's own error) and attaches a Markdown report
 * (`why401.md`, shown in the HTML report). A project that starts from a saved sign-in state
 * (`use.storageState` naming a file) has it checked against what the test did: cookies expired,
 * saved for another host, tokens in localStorage expired. Passing tests stay silent unless
 * `{ all: true }`.
 * List it before the reporters that print:
 *
 *   reporter: [['why401/playwright'], ['list'], ['html']]
 *
 * Everything it writes is masked as the CLI's output is.
 */
import { resolve } from 'node:path';
import type { Reporter, TestCase, TestResult } from '@playwright/test/reporter';
import { CAUSES } from '../core/verdict/causes.ts';
import { HarError } from '../core/exchange/har-read.ts';
import { markdownReport } from '../core/views/report-md.ts';
import { displayUrl, readableMasks } from '../core/redaction/redact-url.ts';
import { redactText } from '../core/redaction/redact.ts';
import { bounded } from '../core/auth/syntax.ts';
import { storageStateProblems, type StorageProblem, type StorageState } from '../core/cookies/storage-state.ts';
import { judgeFile, readStorageStateFile, type JudgedFailure } from './inputs.ts';
import { flowJson, type FlowJson } from '../core/views/report.ts';
import { FLOW_CAUSES } from '../core/flows/causes.ts';
import { useFileTagKey } from './tag-key.ts';
import { VERSION } from '../shared/version.ts';

export interface Why401ReporterOptions {
  /** Also judge passing tests (a 401 a test tolerated), and print their failures. */
  all?: boolean;
  /** Count 403s without a challenge as failures too. */
  include403?: boolean;
}

/** The files of a test result Why 401 can read: its trace, and HAR files attached to it. */
function evidenceFiles(result: TestResult): string[] {
  return result.attachments.filter((a) => a.path !== undefined && (a.name === 'trace' || /\.(har|zip)$/i.test(a.path))).map((a) => a.path!);
}

/** A failure in a few lines: the request, the verdict, the first fix. */
function summary(j: JudgedFailure, n: number): string {
  const d = j.failure;
  const top = d.findings[0];
  const lines = [`${n}. ${d.entry.request.method} ${bounded(displayUrl(d.entry.request.url), 300)} → ${d.entry.response.status}${j.where?.step !== undefined ? `  (during ${bounded(redactText(j.where.step), 200)})` : ''}`];
  if (top) {
    lines.push(`   ${CAUSES[top.cause].label}: ${top.title}  [${top.cause}]`);
    const fix = top.fixes.developers[0] ?? top.fixes.users[0];
    if (fix) lines.push(`   Fix: ${fix}`);
  }
  return lines.join('\n');
}

/** A broken sign-in flow in a few lines: what broke, at which request, the first fix. */
function flowSummary(f: FlowJson): string[] {
  return f.findings.flatMap((x) => {
    const step = f.steps.find((s) => s.entry === x.entry);
    const lines = [`Sign-in broke${f.client !== undefined ? ` (client ${bounded(f.client, 100)})` : ''}: ${FLOW_CAUSES[x.cause].label}: ${x.title}  [${x.cause}]`];
    if (step) lines.push(`   at ${step.method} ${bounded(readableMasks(step.url), 300)} → ${step.status}`);
    const fix = x.fixes.developers[0] ?? x.fixes.users[0];
    if (fix) lines.push(`   Fix: ${fix}`);
    return lines;
  });
}

export default class Why401Reporter implements Reporter {
  private readonly options: Why401ReporterOptions;
  private judged = 0;
  private explained = 0;
  /** Each saved sign-in state a project starts from, read once (or why it could not be). */
  private readonly states = new Map<string, StorageState | string>();

  constructor(options: Why401ReporterOptions = {}) {
    this.options = options;
    useFileTagKey(process.env);
  }

  printsToStdio(): boolean {
    return false;
  }

  /** The saved sign-in state of the test's project (`use.storageState` naming a file), if any. */
  private stateOf(test: TestCase): { name: string; state: StorageState | string } | undefined {
    const path = test.parent.project()?.use.storageState;
    if (typeof path !== 'string' || path === '') return undefined;
    // Playwright reads a relative storageState from the directory it runs in.
    const file = resolve(path);
    if (!this.states.has(file)) {
      try {
        this.states.set(file, readStorageStateFile(file));
      } catch (e) {
        this.states.set(file, e instanceof HarError ? e.message : String(e));
      }
    }
    return { name: path, state: this.states.get(file)! };
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    const failed = result.status !== 'passed' && result.status !== 'skipped';
    if (!failed && this.options.all !== true) return;
    const files = evidenceFiles(result);
    if (files.length === 0) return;
    this.judged++;
    const found: JudgedFailure[] = [];
    /** Sign-in flows read from the test's files (masked: core/flows keeps nothing secret). */
    const flows: FlowJson[] = [];
    const problems: string[] = [];
    const hosts = new Set<string>();
    let startedAt: number | undefined;
    for (const file of files) {
      const skipped: string[] = [];
      try {
        const judged = judgeFile(file, { include403: this.options.include403 === true }, skipped);
        found.push(...judged.failures);
        for (const flow of judged.flows) flows.push(flowJson(flow));
        for (const h of judged.hosts) hosts.add(h);
        if (judged.startedAt !== undefined && (startedAt === undefined || judged.startedAt < startedAt)) startedAt = judged.startedAt;
      } catch (e) {
        // A trace Why 401 cannot read is said once, beside the test; it never fails the run.
        problems.push(e instanceof HarError ? e.message : String(e));
      }
    }
    // The saved sign-in state the test started from, checked against what the test did.
    const saved = this.stateOf(test);
    const stateProblems: StorageProblem[] = saved && typeof saved.state !== 'string' ? storageStateProblems(saved.state, { at: startedAt ?? Date.now(), hosts: [...hosts] }) : [];
    if (saved && typeof saved.state === 'string') problems.push(saved.state);
    const broken = flows.filter((f) => f.findings.length > 0);
    if (found.length === 0 && broken.length === 0 && problems.length === 0 && stateProblems.length === 0) return;
    this.explained++;
    const head =
      found.length > 0
        ? `Why 401: ${found.length} auth failure${found.length === 1 ? '' : 's'} in this test's network log`
        : broken.length > 0
          ? `Why 401: ${broken.length === 1 ? 'a sign-in' : `${broken.length} sign-ins`} broke in this test's network log`
          : stateProblems.length > 0
            ? 'Why 401: the saved sign-in state'
            : 'Why 401 could not read this test’s trace';
    const stateLines = stateProblems.length > 0 && saved ? [`Saved sign-in state (${saved.name}):`, ...stateProblems.map((p) => `   ${p.message}`)] : [];
    const message = [head, ...found.slice(0, 10).map((j, i) => summary(j, i + 1)), ...(found.length > 10 ? [`… and ${found.length - 10} more in why401.md`] : []), ...broken.slice(0, 5).flatMap(flowSummary), ...stateLines, ...problems.map((p) => `(${p})`)].join('\n');
    // Under the test's own error in the reporters that follow (list, line, html)…
    // (at the test's own line: Playwright's github reporter annotates it there.)
    result.errors.push({ message, location: test.location });
    // …and the whole explanation as an attachment the HTML report shows.
    if (found.length > 0 || broken.length > 0) {
      const md = markdownReport(
        found.map((j) => ({ entry: j.failure.entry, findings: j.failure.findings, notes: j.failure.notes })),
        { includeSecrets: false, version: VERSION, flows },
      );
      const title = redactText(test.titlePath().filter(Boolean).join(' › '));
      const stateMd = stateLines.length > 0 ? `\n## ${stateLines[0]}\n\n${stateProblems.map((p) => `- ${p.message}`).join('\n')}\n` : '';
      result.attachments.push({ name: 'why401.md', contentType: 'text/markdown', body: Buffer.from(`> Test: ${title}\n\n${md}${stateMd}`) });
    }
  }

  onEnd(): void {
    if (this.judged > 0) process.stdout.write(`why401: ${this.explained} of ${this.judged} failed test${this.judged === 1 ? '' : 's'} with a trace had auth failures explained\n`);
  }
}
