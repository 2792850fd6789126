// Preloaded into a measured process: report its peak resident set size on exit.
// On Linux the peak is read from /proc (VmHWM, this process's own memory): getrusage's maxRSS
// starts at the spawning process's size (the bench's own, often larger than the command measured),
// because the child is spawned sharing its parent's memory until it runs the command.
import { readFileSync } from 'node:fs';

function peakKb() {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]);
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS;
}

process.on('exit', () => {
  process.stderr.write(`\npeak-rss-kb=${peakKb()}\n`);
});
