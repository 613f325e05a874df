// `npm test`'s runner: starts one real PostgreSQL server for the whole run (the tests of the
// PostgreSQL store make their own databases on it, through LODE_TEST_POSTGRES), runs every test
// file with node:test, stops the server, and exits with the tests' status. Arguments replace the
// default file pattern: `node scripts/test.ts test/store/*.test.ts`.
import { spawn } from 'node:child_process';
import { startPostgres } from './postgres-server.ts';

const files = process.argv.slice(2);
const postgres = await startPostgres();
process.stderr.write(`test: PostgreSQL for the PostgreSQL store's tests on port ${postgres.port}\n`);
let code: number;
try {
  code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [
      '--disable-warning=ExperimentalWarning', '--test', '--test-reporter=spec', ...(files.length > 0 ? files : ['test/**/*.test.ts']),
    ], { stdio: 'inherit', env: { ...process.env, LODE_TEST_POSTGRES: postgres.url } });
    child.on('close', (status, signal) => resolve(status ?? (signal ? 1 : 0)));
  });
} finally {
  await postgres.stop();
}
process.exit(code);
