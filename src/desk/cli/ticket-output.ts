/**
 * What `tickets list`, `tickets show` and the ticket actions print: the queue as a table with
 * the counts per status, one ticket as sections an agent reads top to bottom, and the outcome of
 * an action. Everything that came from the server is made printable (see cli-text.ts).
 */
import type { z } from 'zod';
import type { ActionResponse, QueueResponse, TicketResponse } from '../api/schemas.js';
import { printable, printableLines, shortTime, table, waitingTime } from './cli-text.js';

export type QueueAnswer = z.output<typeof QueueResponse>;
export type TicketAnswer = z.output<typeof TicketResponse>;
export type ActionAnswer = z.output<typeof ActionResponse>;

/** `tickets list`: the page, the counts per status and the command for the next page. */
export function formatQueue(page: QueueAnswer, me: string | null, nextCommand: string | null): string {
  const who = (id: string | null) => (id === null ? '-' : id === me ? 'me' : id);
  const rows = page.tickets.map((t) => [
    t.id,
    t.status,
    t.reason,
    t.language,
    t.channelId,
    `${waitingTime(t.waitingHours)}${t.overdue ? ' OVERDUE' : ''}`,
    who(t.assigneeId),
    shortTime(t.createdAt),
    t.failedNotifications > 0 ? `! ${t.failedNotifications}` : '',
  ]);
  const body =
    rows.length === 0
      ? 'no tickets match\n'
      : table([['NUMBER', 'STATUS', 'REASON', 'LANG', 'CHANNEL', 'WAITING', 'ASSIGNEE', 'CREATED', 'FAILED'], ...rows]);
  const counts = Object.entries(page.counts)
    .map(([status, n]) => `${status} ${n}`)
    .join(' · ');
  const overdue = page.tickets.some((t) => t.overdue) ? `OVERDUE: awaiting verification longer than ${page.slaHours} h. ` : '';
  const failed = page.tickets.some((t) => t.failedNotifications > 0) ? '! customer notifications that failed (see tickets show). ' : '';
  const legend = overdue || failed ? `${overdue}${failed}`.trimEnd() + '\n' : '';
  return `${body}${legend}\nall tickets by status: ${counts}\n${nextCommand ? `next page: ${nextCommand}\n` : ''}`;
}

/** `tickets show`: the ticket, the customer's claims, the timeline, notifications, path, steps tried, transcript, actions. */
export function formatTicket(view: TicketAnswer): string {
  const t = view.ticket;
  const out: string[] = [];
  const field = (label: string, value: string | null | undefined) => {
    if (value !== null && value !== undefined && value !== '') out.push(`  ${`${label}:`.padEnd(15)} ${printableLines(value, ' '.repeat(18))}`);
  };
  out.push(`${t.id}  ${t.status}  (version ${t.version})`);
  field('reason', t.reason);
  field('language', t.language);
  field('channel', t.channelId);
  field('tenant', t.tenantId);
  field('assignee', t.assigneeId ?? 'nobody');
  field('created', shortTime(t.createdAt));
  field('updated', shortTime(t.updatedAt));
  field('waiting', `${waitingTime(t.waitingHours)}${t.overdue ? '  OVERDUE' : ''} (verification due ${shortTime(t.slaDueAt)})`);
  field('verified by', t.verifiedBy);
  field('failure reason', t.failureReason);
  field('approved change', t.approvalAction);
  field('approved by', t.approvedBy);
  field('close reason', t.closeReason);

  out.push('', 'Claims (what the customer typed; check them against the account)');
  field('e-mail', view.claims.email);
  field('name', view.claims.fullName);
  field('date of birth', view.claims.dateOfBirth);
  field('phone (last 4)', view.claims.phoneLast4 ?? '-');
  field('description', view.claims.description);

  out.push('', 'History');
  for (const h of view.history) {
    const move = h.from === null ? `→ ${h.to}` : h.from === h.to ? `(${h.to})` : `${h.from} → ${h.to}`;
    out.push(`  ${shortTime(h.at, true)}  ${printable(`${h.actor.kind} ${h.actor.id}`)}  ${printable(h.event)}  ${move}`);
    if (h.note !== null) out.push(`      note: ${printableLines(h.note, '            ')}`);
    if (h.detail !== null) out.push(`      ${printable(JSON.stringify(h.detail))}`);
  }

  out.push('', 'Customer notifications');
  if (view.notifications.length === 0) out.push('  none');
  for (const n of view.notifications) {
    const when =
      n.status === 'delivered'
        ? `delivered ${shortTime(n.deliveredAt, true)}`
        : n.status === 'failed'
          ? `FAILED after ${n.attempts} attempt${n.attempts === 1 ? '' : 's'}`
          : `${n.status}, attempt ${n.attempts}, next ${shortTime(n.nextAttemptAt, true)}`;
    out.push(`  #${n.id}  ${n.kind}  ${when}  (queued ${shortTime(n.createdAt, true)})`);
    if (n.lastError) out.push(`      last error: ${printable(n.lastError)}`);
    if (n.status === 'failed') out.push(`      send again: npm run desk -- tickets retry-notification ${t.id} ${n.id}`);
  }

  out.push('', 'Path (question → answer)');
  if (view.path.length === 0) out.push('  none');
  view.path.forEach((p, i) => out.push(`  ${String(i + 1).padStart(2)}. ${printable(p.question)} → ${p.answer === null ? '—' : printable(p.answer)}`));

  out.push('', 'Steps tried');
  if (view.stepsTried.length === 0) out.push('  none');
  for (const s of view.stepsTried) out.push(`  - ${printable(s.title)}`);

  out.push('', 'Transcript');
  if (view.transcript.length === 0) out.push('  none stored');
  for (const line of view.transcript) {
    out.push(`  ${shortTime(line.at, true)}  ${line.from === 'customer' ? 'customer' : 'bot     '}  ${printableLines(line.text, ' '.repeat(33))}`);
  }

  const actions = Object.entries(view.actions);
  const allowed = actions.filter(([, a]) => a.allowed).map(([name]) => name.replace('_', '-'));
  const refused = actions
    .filter(([, a]) => !a.allowed)
    .map(([name, a]) => `${name.replace('_', '-')} (${a.reason === 'role' ? `needs the ${a.requiredRole ?? 'another'} role` : REFUSAL[a.reason ?? 'status']})`);
  out.push('', `You can: ${allowed.join(', ') || 'nothing'}`);
  if (refused.length > 0) out.push(`Not now: ${refused.join(', ')}`);
  return `${out.join('\n')}\n`;
}

/** Why an action is not available now, in a few words (the API's `actions[…].reason`). */
const REFUSAL: Readonly<Record<string, string>> = {
  status: 'not in this status',
  own_verification: 'you verified it: another supervisor approves',
  no_change_needed: 'no account change for this reason: resolve it',
  change_needed: 'an account change needs approval first',
  closed: 'the ticket is finished',
  role: 'needs another role',
};

/** After an action: the ticket's status (with the move, when known), version and assignee. */
export function formatActionResult(result: ActionAnswer, previousStatus: string | null, me: string | null): string {
  const t = result.ticket;
  const move = previousStatus !== null && previousStatus !== t.status ? `${previousStatus} → ${t.status}` : t.status;
  const assignee = t.assigneeId === null ? 'nobody' : t.assigneeId === me ? `${t.assigneeId} (you)` : t.assigneeId;
  const change = t.approvalAction ? `, approved change ${t.approvalAction}` : '';
  return `${t.id}: ${move}, version ${t.version}, assigned to ${assignee}${change}\n`;
}
