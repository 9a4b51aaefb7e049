/**
 * `pretest`: the browser tests drive Debian's Chromium, which npm cannot install. On a fresh
 * machine this brings it (as root, from Debian's packages, as .ci/run does) so that `npm test`
 * alone passes; without the right to install, it stops at once with the one command to run
 * instead of letting the suite fail minutes later.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
const INSTALL = 'apt-get update && apt-get install -y chromium';

function main(): number {
  if (existsSync(CHROMIUM)) return 0;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!isRoot || !hasApt) {
    console.error(`The browser tests need Debian's Chromium (${CHROMIUM}), which is not installed. Run once:\n\n  sudo sh -c '${INSTALL}'\n`);
    return 1;
  }
  console.log(`Installing Debian's Chromium for the browser tests (once): ${INSTALL}`);
  const install = spawnSync('sh', ['-c', `${INSTALL.replace('install -y', 'install -y -qq')}`], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (install.status !== 0 || !existsSync(CHROMIUM)) {
    console.error(`Installing Chromium failed. Run it yourself:\n\n  ${INSTALL}\n`);
    return 1;
  }
  return 0;
}

process.exitCode = main();
