// Preloaded into a measured process: report its peak resident set size on exit.
process.on('exit', () => {
  process.stderr.write(`\npeak-rss-kb=${process.resourceUsage().maxRSS}\n`);
});
