import { run, writeUtf8 } from './why401.ts';

const stdout = (bytes: Uint8Array) => process.stdout.write(bytes);

// A reader that stops early (`why401 explain x.har | head`) closes the pipe: that ends the
// command quietly, as it does for other command-line tools, not with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

const code = run(
  process.argv.slice(2),
  // The line and its end written apart: joined, a command of megabytes would be copied once more.
  (s) => {
    writeUtf8(s, stdout);
    process.stdout.write('\n');
  },
  (s) => process.stderr.write(`${s}\n`),
  process.env,
  process.stdout.isTTY === true,
  (s) => writeUtf8(s, stdout),
);
process.exitCode = code;
