/**
 * `npm test`'s pretest step on machines of each kind (issue 13): with Chromium it does nothing;
 * as root with apt it installs Debian's package and goes on; without the right to install, or when
 * the install fails, it stops at once with the one command to run.
 */
import { describe, expect, it } from 'vitest';
import { ensureChromium, INSTALL, type Machine } from '../../scripts/ensure-chromium.js';

function machine(over: Partial<Machine> & { installs?: boolean } = {}) {
  let installed = false;
  const ran: string[] = [];
  const out: string[] = [];
  const err: string[] = [];
  const m: Machine = {
    hasChromium: () => installed,
    isRoot: true,
    hasApt: () => true,
    run: (command) => {
      ran.push(command);
      installed = over.installs ?? true;
      return installed;
    },
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    ...over,
  };
  return { m, ran, out, err };
}

describe('ensure-chromium (pretest)', () => {
  it('does nothing when Chromium is installed', () => {
    const { m, ran, out, err } = machine({ hasChromium: () => true });
    expect(ensureChromium(m)).toBe(0);
    expect([ran, out, err]).toEqual([[], [], []]);
  });

  it("as root with apt, installs Debian's package quietly and goes on", () => {
    const { m, ran, out, err } = machine();
    expect(ensureChromium(m)).toBe(0);
    expect(ran).toEqual(['apt-get update && apt-get install -y -qq chromium']);
    expect(out.join('')).toContain(INSTALL);
    expect(err).toEqual([]);
  });

  it.each([
    ['not root', { isRoot: false }],
    ['no apt-get', { hasApt: () => false }],
  ] as const)('%s: stops at once with the one command to run, installing nothing', (_name, over) => {
    const { m, ran, err } = machine(over);
    expect(ensureChromium(m)).toBe(1);
    expect(ran).toEqual([]);
    expect(err.join('')).toContain(`sudo sh -c '${INSTALL}'`);
  });

  it('a failed install stops with the command to run by hand', () => {
    const { m, err } = machine({ installs: false });
    expect(ensureChromium(m)).toBe(1);
    expect(err.join('')).toMatch(/Installing Chromium failed\. Run it yourself:\n\n {2}apt-get update && apt-get install -y chromium/);
  });
});
