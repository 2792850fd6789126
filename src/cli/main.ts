import { run } from './why401.ts';

const code = run(
  process.argv.slice(2),
  (s) => process.stdout.write(`${s}\n`),
  (s) => process.stderr.write(`${s}\n`),
  process.env,
  process.stdout.isTTY === true,
);
process.exitCode = code;
