/** What CI reads: GitHub Actions annotations, a JUnit report, and which failures fail the build (`--fail-on`). */
import { CAUSES, isCauseId, type CauseId } from '../verdict/causes.ts';
import { FLOW_CAUSES } from '../flows/causes.ts';
import type { FailureJson, FlowJson } from './report.ts';
import { readableMasks } from '../redaction/redact-url.ts';
import { bounded, escapeControls } from '../auth/syntax.ts';
import { parseUrl } from '../exchange/url.ts';

/** `--fail-on`: every failure, or those whose verdict (the first finding) is one of these causes. */
export type FailOn = 'any' | ReadonlySet<CauseId>;

/** Read a `--fail-on` value ("any", or cause ids separated by commas); a message for what is not a cause. */
export function parseFailOn(value: string): FailOn | { error: string } {
  if (value.trim() === 'any') return 'any';
  const ids = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (ids.length === 0) return { error: '--fail-on takes "any" or cause ids separated by commas' };
  const unknown = ids.filter((id) => !isCauseId(id));
  if (unknown.length > 0) return { error: `--fail-on: not a cause: ${unknown.slice(0, 3).map((u) => JSON.stringify(u.slice(0, 40))).join(', ')} (the causes are listed in the README)` };
  return new Set(ids as CauseId[]);
}

/** The failures that fail the build under `failOn`. */
export function failing<T extends { findings: readonly { cause: CauseId }[] }>(failures: readonly T[], failOn: FailOn): T[] {
  return failures.filter((f) => failOn === 'any' || (f.findings[0] !== undefined && failOn.has(f.findings[0].cause)));
}

/** The verdict of a failure in one line, as every CI output says it. */
function verdict(f: FailureJson): { cause: string; label: string; title: string; fix: string } {
  const top = f.findings[0];
  if (!top) return { cause: 'unexplained', label: 'Unexplained', title: 'No cause found in the evidence', fix: '' };
  return { cause: top.cause, label: CAUSES[top.cause].label, title: top.title, fix: top.fixes.developers[0] ?? top.fixes.users[0] ?? '' };
}

/** The request as people read it (a masked URL's masks readable, not percent-encoded). */
const request = (f: FailureJson) => `${f.file !== undefined ? `${f.file}: ` : ''}${f.method} ${readableMasks(f.url)} → ${f.status}`;

/** Each finding of a broken sign-in flow, with the step it names. */
function flowProblems(flows: readonly FlowJson[] | undefined) {
  return (flows ?? []).flatMap((flow) =>
    flow.findings.map((finding) => {
      const step = flow.steps.find((s) => s.entry === finding.entry);
      const where = `${flow.file !== undefined ? `${flow.file}: ` : ''}sign-in${flow.client !== undefined ? ` of ${flow.client}` : ''}, ${step ? `${step.kind}: ${step.method} ${readableMasks(step.url)} → ${step.status}` : `entry ${finding.entry}`}`;
      return { finding, where, label: FLOW_CAUSES[finding.cause].label };
    }),
  );
}

/** Where in a test run (from a Playwright trace): "test › step (on page)". */
const inTest = (f: FailureJson) => [[f.test, f.step].filter((x) => x !== undefined).join(' › '), f.page !== undefined ? `(on ${f.page})` : ''].filter(Boolean).join(' ');

/** Workflow-command escaping (the runner's own rules): data escapes %, CR, LF; a property also : and ,. */
export const ghData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
export const ghProperty = (s: string) => ghData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/**
 * One `::error` workflow command per failure (GitHub Actions shows it on the run and, with a
 * file, on the line), then a plain summary line. `file` names the HAR the failures came from.
 */
export function githubAnnotations(failures: readonly FailureJson[], options: { file: string; total: number; flows?: readonly FlowJson[] }): string[] {
  const lines = failures.map((f) => {
    const v = verdict(f);
    const title = `Why 401: ${v.label} (${v.cause})`;
    const body = [`${bounded(escapeControls(request(f)), 300)}`, inTest(f) ? `In: ${bounded(escapeControls(inTest(f)), 300)}` : '', bounded(escapeControls(v.title), 500), v.fix ? `Fix: ${bounded(escapeControls(v.fix), 500)}` : ''].filter(Boolean).join('\n');
    return `::error title=${ghProperty(title)}::${ghData(body)}`;
  });
  const problems = flowProblems(options.flows);
  for (const p of problems) {
    const body = [bounded(escapeControls(p.where), 300), bounded(escapeControls(p.finding.title), 500), p.finding.fixes.developers[0] ? `Fix: ${bounded(escapeControls(p.finding.fixes.developers[0]), 500)}` : ''].filter(Boolean).join('\n');
    lines.push(`::error title=${ghProperty(`Why 401: sign-in flow, ${p.label} (${p.finding.cause})`)}::${ghData(body)}`);
  }
  lines.push(`why401: ${failures.length} auth failure${failures.length === 1 ? '' : 's'}${problems.length > 0 ? ` and ${problems.length} sign-in flow problem${problems.length === 1 ? '' : 's'}` : ''} in ${options.total} entr${options.total === 1 ? 'y' : 'ies'} of ${escapeControls(options.file)}`);
  return lines;
}

/** XML text: the five entities, and no character XML 1.0 forbids (controls other than tab, LF, CR; lone surrogates). */
function xml(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * A JUnit XML report: one test case per failure (named by its request, classed by host), each
 * failing with its verdict, explanation and fixes. A file with no auth failure is one suite with
 * no test case.
 */
export function junitReport(failures: readonly FailureJson[], options: { file: string; total: number; flows?: readonly FlowJson[] }): string {
  const cases = failures.map((f) => {
    const v = verdict(f);
    const top = f.findings[0];
    const host = parseUrl(f.url)?.host || 'unknown-host';
    const text = [...(inTest(f) ? [`In: ${inTest(f)}`] : []), ...(top ? [top.explanation, ...top.fixes.developers.map((x) => `Fix: ${x}`), ...top.fixes.users.map((x) => `For users: ${x}`)] : ['No cause found in the evidence.'])].join('\n');
    return (
      `    <testcase classname="${xml(`why401.${host}`)}" name="${xml(bounded(request(f), 500))}">\n` +
      `      <failure type="${xml(v.cause)}" message="${xml(bounded(v.title, 1000))}">${xml(bounded(text, 8000))}</failure>\n` +
      `    </testcase>`
    );
  });
  for (const p of flowProblems(options.flows)) {
    const text = [p.finding.explanation, ...p.finding.fixes.developers.map((x) => `Fix: ${x}`), ...p.finding.fixes.users.map((x) => `For users: ${x}`)].join('\n');
    cases.push(
      `    <testcase classname="why401.sign-in" name="${xml(bounded(p.where, 500))}">\n` +
        `      <failure type="${xml(p.finding.cause)}" message="${xml(bounded(p.finding.title, 1000))}">${xml(bounded(text, 8000))}</failure>\n` +
        `    </testcase>`,
    );
  }
  const name = xml(`why401 ${options.file}`);
  const count = cases.length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="why401" tests="${count}" failures="${count}">`,
    `  <testsuite name="${name}" tests="${count}" failures="${count}" errors="0" skipped="0">`,
    ...(count > 0 ? [`    <properties><property name="entries" value="${options.total}"/></properties>`] : []),
    ...cases,
    '  </testsuite>',
    '</testsuites>',
  ].join('\n');
}
