import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRemoteCli, type DeskAgent, type RemoteCliHarness } from './remote-cli-harness.js';

let h: RemoteCliHarness;
let agent: DeskAgent;
let supervisor: DeskAgent;

beforeAll(async () => {
  h = await startRemoteCli();
  agent = await h.agent('agent');
  supervisor = await h.agent('supervisor');
});
afterAll(() => h.stop());

describe('audit', () => {
  it('lists what agents did to a ticket, newest first, refusals included', async () => {
    const id = await h.ticket();
    await h.run(['tickets', 'verify', id], agent);
    await h.run(['tickets', 'verify', id, '--version', '1'], agent);

    const run = await h.run(['audit', '--ticket', id.toLowerCase(), '--since', '1h'], supervisor);
    expect(run.code).toBe(0);
    const lines = run.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^AT\s+AGENT\s+ACTION\s+TICKET\s+OUTCOME\s+CODE\s+FROM$/);
    // The command line reads the version (getTicket) before acting.
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(3, 6).join(' '))).toEqual([
      `verifyIdentity ${id} refused`,
      `verifyIdentity ${id} ok`,
      `getTicket ${id} ok`,
    ]);
    expect(lines[1]).toMatch(new RegExp(`${agent.id}\\s+verifyIdentity\\s+${id}\\s+refused\\s+conflict\\s+127\\.0\\.0\\.1$`));
  });

  it('filters by outcome and pages; --json prints the API answer', async () => {
    const id = await h.ticket();
    for (let i = 0; i < 3; i++) await h.run(['tickets', 'close', id, '--reason', 'duplicate', '--version', '9'], agent);

    const json = await h.run(['audit', '--ticket', id, '--outcome', 'refused', '--json'], supervisor);
    const body = JSON.parse(json.out);
    expect(body.entries).toHaveLength(3);
    expect(body.entries.every((e: { outcome: string; code: string }) => e.outcome === 'refused' && e.code === 'conflict')).toBe(true);

    const first = await h.run(['audit', 'list', '--ticket', id, '--limit', '2'], supervisor);
    expect(first.out.trimEnd().split('\n')).toHaveLength(4);
    const next = /^next page: npm run desk -- (.+)$/m.exec(first.out)?.[1];
    expect(next).toMatch(/^audit --ticket TFA-\w+ --limit 2 --cursor \d+$/);
    const second = await h.run(next!.split(' '), supervisor);
    expect(second.out.trimEnd().split('\n')).toHaveLength(2);
  });

  it('is for supervisors: an agent is refused, exit 1', async () => {
    const run = await h.run(['audit'], agent);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/refused: .*\(forbidden, HTTP 403\)/);
  });

  it('refuses bad options as usage errors', async () => {
    for (const args of [['audit', '--outcome', 'maybe'], ['audit', '--since', 'yesterday'], ['audit', 'purge'], ['audit', '--limit', '501']]) {
      const run = await h.run(args, supervisor);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.err).toContain('usage: npm run desk -- audit');
    }
  });
});
