// Child process of the bench: runs the real `lode ingest FILE --dataset NAME --home DIR --json`
// (the CLI's own code, in this process so its peak memory is the ingest's own), then prints one
// JSON line: the CLI's report, its exit code, the peak memory and the CPU time of this process.
//   node bench/child-lode-ingest.ts CORPUS HOME DATASET [MORE INGEST OPTIONS...]
// (`--store postgres://...` among the options ingests into PostgreSQL; HOME then holds only scratch files)
import { Writable } from 'node:stream';
import { runCli } from '../src/cli/main.ts';
import { cpuSeconds, peakMemory } from './child-memory.ts';

const [corpus, home, dataset, ...more] = process.argv.slice(2);
if (!corpus || !home || !dataset) {
  process.stderr.write('usage: child-lode-ingest.ts CORPUS HOME DATASET\n');
  process.exit(2);
}

let cliStdout = '';
const stdout = new Writable({
  write(chunk: Buffer | string, _encoding, done) {
    cliStdout += String(chunk);
    done();
  },
});

const started = performance.now();
const exitCode = await runCli(['ingest', corpus, '--dataset', dataset, '--home', home, '--json', ...more], {
  stdout, stderr: process.stderr, isTTY: false, env: process.env,
});
const inProcessMs = performance.now() - started;
const report: unknown = exitCode === 0 ? JSON.parse(cliStdout) : cliStdout;
process.stdout.write(`${JSON.stringify({ exitCode, report, inProcessMs, cpuSeconds: cpuSeconds(), memory: peakMemory() })}\n`);
process.exitCode = exitCode;
