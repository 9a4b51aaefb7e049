/** The report on a seeded data set (report-data.ts) against figures worked out by hand. */
import { beforeEach, describe, expect, it } from 'vitest';
import { buildReport } from '../../src/analytics/build-report.js';
import type { Report, ReportService } from '../../src/analytics/report.js';
import { analyticsMigrations, SqliteAnalyticsStore } from '../../src/analytics/sqlite-analytics-store.js';
import { openDatabase } from '../../src/storage/database.js';
import { MemoryTicketRepository } from '../../src/tickets/memory-ticket-repository.js';
import { K_MINUTE, m, NOW, seedSessions, seedTickets, SINCE, TYPED_EMAIL, TYPED_PHONE } from './report-data.js';

const counts = (resolved: number, handoff: number, out_of_scope: number, abandoned: number, open: number) => ({ resolved, handoff, out_of_scope, abandoned, open });

describe('buildReport on the seeded data set', () => {
  let reports: ReportService;
  let full: Report;

  beforeEach(async () => {
    const store = new SqliteAnalyticsStore(openDatabase(':memory:', analyticsMigrations));
    const tickets = new MemoryTicketRepository();
    await seedSessions(store);
    await seedTickets(tickets);
    reports = buildReport({ store, tickets, abandonAfterMinutes: 30, verificationSlaHours: 48, now: () => NOW });
    full = await reports.report({ since: SINCE, until: NOW });
  });

  it('echoes the query and counts every session of the period by outcome', () => {
    expect(full.query).toEqual({ since: SINCE.toISOString(), until: NOW.toISOString(), language: null, channel: null, abandonAfterMinutes: 30 });
    // resolved A, B; handoff C, D; out of scope E; abandoned F, G, H, J; open I and A's second session.
    expect(full.outcomes).toEqual(counts(2, 2, 1, 4, 2));
    expect(full.containmentRate).toBeCloseTo(2 / 9, 10);
  });

  it('handoffs by reason, every reason listed', () => {
    expect(full.handoffsByReason).toEqual({
      app_lost_no_backup: 1,
      phone_lost_no_backup: 0,
      login_lockout: 0,
      phone_number_changed: 0,
      registered_number_wrong: 0,
      customer_requested: 1,
    });
  });

  it('abandonment by the step people left at, most first (an unconfirmed resolved ending included)', () => {
    expect(full.abandonmentByStep).toEqual([
      { step: 'codeRejectedExpired', count: 2 },
      { step: 'checkApp', count: 1 },
      { step: 'resolvedZ', count: 1 },
    ]);
  });

  it('step traffic: sessions that reached each step, and left there', () => {
    expect(full.stepTraffic).toEqual([
      { step: 'mainMenu', reached: 11, leftHere: 0 },
      { step: 'codeRejectedExpired', reached: 2, leftHere: 2 },
      { step: 'resolvedY', reached: 2, leftHere: 0 },
      { step: 'appDeletedHasBackup', reached: 1, leftHere: 0 },
      { step: 'checkApp', reached: 1, leftHere: 1 },
      { step: 'email', reached: 1, leftHere: 0 },
      { step: 'handoffAppLostNoBackup', reached: 1, leftHere: 0 },
      { step: 'handoffRequested', reached: 1, leftHere: 0 },
      { step: 'outOfScope', reached: 1, leftHere: 0 },
      { step: 'resolvedX', reached: 1, leftHere: 0 },
      { step: 'resolvedZ', reached: 1, leftHere: 1 },
    ]);
  });

  it('satisfaction: the answers and both ratings (the ticket rating came later, on its session)', () => {
    expect(full.satisfaction).toEqual({
      solvedYes: 2,
      solvedNo: 1,
      resolutionRating: { count: 2, average: 4, distribution: [0, 0, 1, 0, 1] },
      ticketRating: { count: 1, average: 4, distribution: [0, 0, 0, 1, 0] },
    });
  });

  it('ticket waiting times against the SLA', () => {
    expect(full.ticketWaiting).toEqual({
      slaHours: 48,
      opened: 7,
      decidedWithinSla: 3,
      decidedOverSla: 1,
      waiting: 2,
      waitingOverSla: 1,
      medianHours: 10,
      p90Hours: 72,
    });
  });

  it('by language and by channel', () => {
    expect(full.byLanguage).toEqual({ ja: counts(2, 0, 1, 3, 2), en: counts(0, 2, 0, 1, 0) });
    expect(full.byChannel).toEqual({ 'local-webchat': counts(2, 1, 1, 3, 2), msteams: counts(0, 1, 0, 1, 0) });
  });

  it('the not-understood messages, newest first, with the personal data masked', () => {
    expect(full.notUnderstood.map((n) => [n.at, n.language, n.channel, n.step])).toEqual([
      [m(170), 'ja', 'local-webchat', 'mainMenu'],
      [m(51), 'ja', 'local-webchat', 'codeRejectedExpired'],
    ]);
  });

  it('filters: language', async () => {
    const en = await reports.report({ since: SINCE, until: NOW, language: 'en' });
    expect(en.query.language).toBe('en');
    expect(en.outcomes).toEqual(counts(0, 2, 0, 1, 0));
    expect(en.containmentRate).toBe(0);
    expect(en.byLanguage).toEqual({ ja: counts(0, 0, 0, 0, 0), en: counts(0, 2, 0, 1, 0) });
    expect(en.ticketWaiting).toMatchObject({ opened: 1, decidedWithinSla: 1, medianHours: 24 });
    expect(en.notUnderstood).toEqual([]);
    expect(en.satisfaction.ticketRating.count).toBe(1);
  });

  it('filters: channel', async () => {
    const teams = await reports.report({ since: SINCE, until: NOW, channel: 'msteams' });
    expect(teams.query.channel).toBe('msteams');
    expect(teams.outcomes).toEqual(counts(0, 1, 0, 1, 0));
    expect(Object.keys(teams.byChannel)).toEqual(['msteams']);
    expect(teams.abandonmentByStep).toEqual([{ step: 'codeRejectedExpired', count: 1 }]);
    expect(teams.ticketWaiting.opened).toBe(1);
  });

  it('filters: period (the session before it counts only when the period includes it)', async () => {
    const dayBefore = await reports.report({ since: new Date(m(K_MINUTE - 60)), until: new Date(m(K_MINUTE + 60)) });
    expect(dayBefore.outcomes).toEqual(counts(1, 0, 0, 0, 0));
    expect(dayBefore.containmentRate).toBe(1);
    const firstHour = await reports.report({ since: new Date(m(0)), until: new Date(m(60)) });
    // A, B resolved; C, D handoff; E out of scope; F abandoned (G started at 60: outside).
    expect(firstHour.outcomes).toEqual(counts(2, 2, 1, 1, 0));
  });

  it('an empty period has zero counts and null rates', async () => {
    const empty = await reports.report({ since: new Date('2020-01-01T00:00:00Z'), until: new Date('2020-01-02T00:00:00Z') });
    expect(empty.outcomes).toEqual(counts(0, 0, 0, 0, 0));
    expect(empty.containmentRate).toBeNull();
    expect(empty.satisfaction.resolutionRating).toEqual({ count: 0, average: null, distribution: [0, 0, 0, 0, 0] });
    expect(empty.ticketWaiting).toMatchObject({ opened: 0, medianHours: null, p90Hours: null });
    expect(empty.stepTraffic).toEqual([]);
    expect(empty.byChannel).toEqual({});
  });

  it('carries no personal data: no typed phone or e-mail, no conversation key, no user id', () => {
    const json = JSON.stringify(full);
    for (const needle of [TYPED_PHONE, '1234-5678', TYPED_EMAIL, 'hanako', 'user-1', 'conversations/']) expect(json).not.toContain(needle);
    // Still the messages themselves, masked: the supervisors can read what was asked.
    expect(full.notUnderstood.map((n) => n.text).join(' ')).toContain('電話番号は');
  });
});
