// The browser the e2e tests drive: Debian's chromium package, installed here when it is missing.
// CI runs as root on Debian with only Node, so the tests install it themselves rather than ask
// for a setup step; where that is impossible they fail with what to do, never skip silently.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Flags for a headless run on a closed network: without the background-networking, sync and
 * component-update switches Chromium keeps reaching for Google's services and stalls on timeouts.
 */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
] as const;

const INSTALL = [
  ['apt-get', 'update'],
  ['apt-get', 'install', '-y', '--no-install-recommends', 'chromium'],
] as const;

/** Makes sure /usr/bin/chromium exists, installing Debian's package when it does not; throws with a clear message otherwise. */
export function ensureChromium(log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): string {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    throw new Error(`${CHROMIUM} is missing and this process is not root, so it cannot install it: run \`sudo apt-get install -y --no-install-recommends chromium\` (Debian) and run the tests again`);
  }
  for (const command of INSTALL) {
    log(`e2e: ${CHROMIUM} is missing; running: ${command.join(' ')}`);
    const run = spawnSync(command[0], command.slice(1), {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (run.error) throw new Error(`could not run ${command.join(' ')} to install Chromium for the browser tests: ${run.error.message}`);
    if (run.status !== 0) throw new Error(`\`${command.join(' ')}\` failed with exit code ${run.status}: the browser tests need ${CHROMIUM} (Debian's chromium package)`);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium but ${CHROMIUM} is still missing`);
  log(`e2e: installed ${CHROMIUM}`);
  return CHROMIUM;
}
