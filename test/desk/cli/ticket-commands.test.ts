import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadServiceUrl } from '../../helpers/http-app.js';
import { startRemoteCli, type DeskAgent, type RemoteCliHarness } from './remote-cli-harness.js';

let h: RemoteCliHarness;
let agent: DeskAgent;
let supervisor: DeskAgent;

beforeAll(async () => {
  h = await startRemoteCli();
  agent = await h.agent('agent', 'Aiko');
  supervisor = await h.agent('supervisor', 'Sato');
});
afterAll(() => h.stop());

/** The words after "next page: npm run desk --", as argv. */
function nextPageArgs(out: string): string[] {
  const line = /^next page: npm run desk -- (.+)$/m.exec(out)?.[1];
  if (!line) throw new Error(`no next page in:\n${out}`);
  return line.split(' ');
}

describe('tickets list', () => {
  it('shows the queue as a table with counts, filters, and pages with the printed command', async () => {
    const en = await h.ticket({ language: 'en', reason: 'login_lockout', channelId: 'list-test' });
    const ja = await h.ticket({ language: 'ja', reason: 'login_lockout', channelId: 'list-test' });

    const all = await h.run(['tickets', 'list', '--channel', 'list-test'], agent);
    expect(all.code).toBe(0);
    expect(all.out).toMatch(/^NUMBER\s+STATUS\s+REASON\s+LANG\s+CHANNEL\s+WAITING\s+ASSIGNEE/);
    // Newest first.
    expect(all.out.indexOf(ja)).toBeLessThan(all.out.indexOf(en));
    expect(all.out).toMatch(/all tickets by status: awaiting_verification \d+ · verified \d+/);
    expect(all.out).not.toContain('next page');

    const jaOnly = await h.run(['tickets', 'list', '--channel', 'list-test', '--language', 'ja'], agent);
    expect(jaOnly.out).toContain(ja);
    expect(jaOnly.out).not.toContain(en);

    const first = await h.run(['tickets', 'list', '--channel', 'list-test', '--limit', '1'], agent);
    expect(first.out).toContain(ja);
    expect(first.out).not.toContain(en);
    const second = await h.run(nextPageArgs(first.out), agent);
    expect(second.code).toBe(0);
    expect(second.out).toContain(en);
    expect(second.out).not.toContain(ja);
  });

  it('marks the tickets the caller holds as "me", and --assignee me finds them', async () => {
    const id = await h.ticket({ channelId: 'mine-test' });
    expect((await h.run(['tickets', 'assign', id], agent)).code).toBe(0);
    const mine = await h.run(['tickets', 'list', '--assignee', 'me', '--channel', 'mine-test'], agent);
    expect(mine.out).toMatch(new RegExp(`${id}.*\\bme\\b`));
    const theirs = await h.run(['tickets', 'list', '--assignee', 'me', '--channel', 'mine-test'], supervisor);
    expect(theirs.out).toContain('no tickets match');
  });

  it('--json prints the API answer', async () => {
    const id = await h.ticket({ channelId: 'json-test' });
    const run = await h.run(['tickets', 'list', '--channel', 'json-test', '--json'], agent);
    expect(run.code).toBe(0);
    const body = JSON.parse(run.out);
    expect(body.tickets.map((t: { id: string }) => t.id)).toEqual([id]);
    expect(body).toHaveProperty('counts.awaiting_verification');
    expect(body.next).toBeNull();
  });

  it('refuses options it does not know, and values outside the lists, as bad usage', async () => {
    for (const args of [
      ['tickets', 'list', '--status', 'pending'],
      ['tickets', 'list', '--limit', '0'],
      ['tickets', 'list', '--since', 'last week'],
      ['tickets', 'list', '--colour'],
      ['tickets', 'frobnicate'],
    ]) {
      const run = await h.run(args, agent);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.err).toContain('usage: npm run desk -- tickets');
    }
  });
});

describe('tickets show', () => {
  it('shows the ticket, claims, timeline, notifications and what the agent can do', async () => {
    const id = await h.ticket({ claims: { email: 'hana.suzuki@example.com', fullName: 'Hana Suzuki', dateOfBirth: '1988-04-05', description: 'New phone, old one wiped.' } });
    await h.run(['tickets', 'verify', id], agent);
    const run = await h.run(['tickets', 'show', id.toLowerCase(), '--lang', 'en'], agent);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(new RegExp(`^${id}  verified  \\(version 2\\)`));
    expect(run.out).toContain('hana.suzuki@example.com');
    expect(run.out).toContain('Hana Suzuki');
    expect(run.out).toMatch(/customer user-1 {2}ticket\.opened {2}→ awaiting_verification/);
    expect(run.out).toMatch(new RegExp(`agent ${agent.id} {2}identity\\.verified {2}awaiting_verification → verified`));
    expect(run.out).toMatch(/#\d+ {2}verified {2}/);
    expect(run.out).toMatch(/You can: .*close/);
    expect(run.out).toMatch(/Not now: .*approve \(needs the supervisor role\)/);
  });

  it('--json prints the API answer', async () => {
    const id = await h.ticket();
    const run = await h.run(['tickets', 'show', id, '--json'], agent);
    const body = JSON.parse(run.out);
    expect(body.ticket).toMatchObject({ id, status: 'awaiting_verification', version: 1 });
    expect(body.actions.verify).toEqual({ allowed: true });
  });

  it('shows control characters typed into notes as escapes, never as terminal commands', async () => {
    const id = await h.ticket();
    expect((await h.run(['tickets', 'note', id, '--note', 'see \u001b[2J\u009b31m here'], agent)).code).toBe(0);
    const run = await h.run(['tickets', 'show', id], agent);
    expect(run.out).toContain('note: see \\x1b[2J\\x9b31m here');
    expect(run.out).not.toMatch(/[\u001b\u009b]/);
  });

  it('says so when the ticket does not exist', async () => {
    const run = await h.run(['tickets', 'show', 'TFA-00000000'], agent);
    expect(run.code).toBe(1);
    expect(run.err).toContain('(not_found, HTTP 404)');
  });
});

describe('ticket actions', () => {
  it('verify by one agent and approve by a supervisor move the ticket on, printing status and version', async () => {
    const id = await h.ticket({ reason: 'app_lost_no_backup' });
    const verify = await h.run(['tickets', 'verify', id, '--note', 'passport matches'], agent);
    expect(verify).toMatchObject({ code: 0, err: '' });
    expect(verify.out).toBe(`${id}: awaiting_verification → verified, version 2, assigned to nobody\n`);

    const byAgent = await h.run(['tickets', 'approve', id], agent);
    expect(byAgent.code).toBe(1);
    expect(byAgent.err).toMatch(/refused: .*\(forbidden, HTTP 403\)/);
    expect(byAgent.err).toContain('requiredRole: supervisor');

    const approve = await h.run(['tickets', 'approve', id], supervisor);
    expect(approve.code).toBe(0);
    expect(approve.out).toBe(`${id}: verified → change_approved, version 3, assigned to nobody, approved change switch_2fa_to_sms_or_voice\n`);

    const carried = await h.run(['tickets', 'carry-out', id, '--json'], agent);
    expect(JSON.parse(carried.out).ticket).toMatchObject({ id, status: 'resolved', version: 4 });
  });

  it('a stale --version is refused as a conflict and changes nothing', async () => {
    const id = await h.ticket();
    await h.run(['tickets', 'assign', id], agent);
    const stale = await h.run(['tickets', 'close', id, '--reason', 'duplicate', '--version', '1'], agent);
    expect(stale.code).toBe(1);
    expect(stale.out).toBe('');
    expect(stale.err).toContain('desk: refused: ticket was changed by someone else (conflict, HTTP 409)');
    expect(stale.err).toContain('version: 2');
    expect(stale.err).toContain(`tickets show ${id}`);
    const after = JSON.parse((await h.run(['tickets', 'show', id, '--json'], agent)).out);
    expect(after.ticket).toMatchObject({ status: 'awaiting_verification', version: 2 });

    const current = await h.run(['tickets', 'close', id, '--reason', 'duplicate', '--version', '2'], agent);
    expect(current.out).toBe(`${id}: closed, version 3, assigned to ${agent.id} (you)\n`);
  });

  it('checks arguments before asking the server', async () => {
    const id = await h.ticket();
    for (const [args, message] of [
      [['tickets', 'fail', id], '--reason is required'],
      [['tickets', 'fail', id, '--reason', 'looked_shifty'], '--reason must be one of: details_do_not_match'],
      [['tickets', 'close', id, '--reason', 'bored'], '--reason must be one of: customer_cancelled'],
      [['tickets', 'request-info', id], '--message is required'],
      [['tickets', 'verify', 'TFA-1'], '"TFA-1" is not a ticket number'],
      [['tickets', 'verify'], '"tickets verify" takes <ticket>'],
      [['tickets', 'verify', id, '--version', 'latest'], '--version must be a whole number'],
      [['tickets', 'retry-notification', id, 'x'], '<notificationId>'],
    ] as const) {
      const run = await h.run(args, agent);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.err).toContain(message);
    }
    const after = JSON.parse((await h.run(['tickets', 'show', id, '--json'], agent)).out);
    expect(after.ticket.version).toBe(1);
  });

  it('retry-notification refuses a notification that is not the ticket\'s', async () => {
    const id = await h.ticket();
    const run = await h.run(['tickets', 'retry-notification', id, '999999'], agent);
    expect(run.code).toBe(1);
    expect(run.err).toContain('(not_found, HTTP 404)');
  });
});

describe('settings and the network', () => {
  it('without DESK_TOKEN: a clear message and exit 2, before any request', async () => {
    const run = await h.run(['tickets', 'list'], { env: { DESK_URL: h.running.baseUrl } });
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/^desk: DESK_TOKEN is not set/);
    expect(run.out).toBe('');
  });

  it('a token that is not one is bad configuration; an unknown one is refused by the server', async () => {
    const malformed = await h.run(['tickets', 'list'], { env: { DESK_URL: h.running.baseUrl, DESK_TOKEN: 'hunter2' } });
    expect(malformed.code).toBe(2);
    expect(malformed.err).toContain('DESK_TOKEN is not an API token');
    const unknown = await h.run(['tickets', 'list'], { env: { DESK_URL: h.running.baseUrl, DESK_TOKEN: `tfa_${'x'.repeat(43)}` } });
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('(unauthorized, HTTP 401)');
    expect(unknown.err).toContain('check DESK_TOKEN');
    expect(unknown.err).not.toContain('x'.repeat(43));
  });

  it('a server that cannot be reached is named, exit 1', async () => {
    const url = await deadServiceUrl();
    const run = await h.run(['tickets', 'verify', 'TFA-00000000'], { env: { DESK_URL: url, DESK_TOKEN: agent.token } });
    expect(run.code).toBe(1);
    expect(run.err).toBe(`desk: could not reach the server at ${url} (DESK_URL): ECONNREFUSED\n`);
  });
});
