/**
 * `pretest`: the browser tests drive Debian's Chromium, which npm cannot install. On a fresh
 * machine this brings it (as root, from Debian's packages, as .ci/run does) so that `npm test`
 * alone passes; without the right to install, it stops at once with the one command to run
 * instead of letting the suite fail minutes later.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export const CHROMIUM = '/usr/bin/chromium';
export const INSTALL = 'apt-get update && apt-get install -y chromium';

/** What the check needs from the machine: the real one by default, a made-up one in tests. */
export interface Machine {
  readonly hasChromium: () => boolean;
  readonly isRoot: boolean;
  readonly hasApt: () => boolean;
  /** Runs a shell command with the output shown; true when it exited 0. */
  readonly run: (command: string) => boolean;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** 0 when Chromium is there (installed now if need be), 1 with the one command to run otherwise. */
export function ensureChromium(machine: Machine): number {
  if (machine.hasChromium()) return 0;
  if (!machine.isRoot || !machine.hasApt()) {
    machine.err(`The browser tests need Debian's Chromium (${CHROMIUM}), which is not installed. Run once:\n\n  sudo sh -c '${INSTALL}'\n`);
    return 1;
  }
  machine.out(`Installing Debian's Chromium for the browser tests (once): ${INSTALL}`);
  if (!machine.run(INSTALL.replace('install -y', 'install -y -qq')) || !machine.hasChromium()) {
    machine.err(`Installing Chromium failed. Run it yourself:\n\n  ${INSTALL}\n`);
    return 1;
  }
  return 0;
}

const thisMachine: Machine = {
  hasChromium: () => existsSync(CHROMIUM),
  isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
  hasApt: () => spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0,
  run: (command) => spawnSync('sh', ['-c', command], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0,
  out: (text) => console.log(text),
  err: (text) => console.error(text),
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = ensureChromium(thisMachine);
