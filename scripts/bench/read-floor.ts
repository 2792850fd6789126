/**
 * The bench's reading floor: a HAR read as `why401 explain` reads it (a chunk at a time, each
 * entry scanned and parsed), with no entry judged. Prints the entry count.
 */
import { entriesOf, withInput } from '../../src/cli/inputs.ts';

const skipped: string[] = [];
let n = 0;
withInput(process.argv[2]!, (source) => {
  for (const _ of entriesOf(source, skipped)) n++;
});
process.stdout.write(`${n}\n`);
