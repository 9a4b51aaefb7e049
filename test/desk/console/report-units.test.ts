/**
 * Issue 18, the reports page's small parts: the form to the API's query (dates as whole days in
 * the agent's zone), the API's refusals to sentences, and CSV cells a spreadsheet cannot run.
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { csvCell } from '../../../src/analytics/report-format.js';
import { reportCsv } from '../../../src/desk/console/report-csv.js';
import { parseReportForm, reportApiQuery, reportProblemKeys } from '../../../src/desk/console/report-form.js';
import { LOCALES_DIR } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { createLocalizer } from '../../../src/i18n/i18n.js';
import { stepLabel } from '../../../src/desk/console/report-sections.js';
import { REPORT } from './report-fixtures.js';

describe('the report form', () => {
  it('becomes the API query: a preset alone, custom dates as the start of the first day and of the day after the last', () => {
    expect(reportApiQuery(parseReportForm({}), 'Asia/Tokyo')).toEqual({ period: '7d' });
    expect(reportApiQuery(parseReportForm({ period: '30d', from: '2026-11-01', language: 'en', channel: 'msteams' }), 'UTC')).toEqual({ period: '30d', language: 'en', channel: 'msteams' });
    expect(reportApiQuery(parseReportForm({ period: 'custom', from: '2026-11-01', to: '2026-11-01' }), 'Asia/Tokyo')).toEqual({
      period: 'custom',
      since: '2026-10-31T15:00:00.000Z',
      until: '2026-11-01T15:00:00.000Z',
    });
    // A date that is not one goes on as written, for the API to refuse by name.
    expect(reportApiQuery(parseReportForm({ from: '2026-02-30' }), 'UTC')).toEqual({ period: 'custom', since: '2026-02-30' });
    expect(parseReportForm({ channel: 'x'.repeat(500), period: ['7d', '30d'] })).toMatchObject({ channel: 'x'.repeat(80), period: '' });
  });

  it('turns the API’s refusal into one sentence per field, and knows "not configured"', () => {
    const refused = new AppError('invalid_input', 'Invalid', { errors: [{ field: 'query.since', message: 'x' }, { field: 'query.channel', message: 'y' }, { field: 'query.since', message: 'z' }] });
    expect(reportProblemKeys('invalid_input', refused)).toEqual(['desk:reports.error.since', 'desk:reports.error.channel']);
    expect(reportProblemKeys('invalid_input', new AppError('invalid_input', 'Invalid', { errors: [{ field: 'query.other' }] }))).toEqual(['desk:problem.invalid_input']);
    expect(reportProblemKeys('unavailable', new AppError('unavailable', 'no'))).toEqual(['desk:reports.error.unavailable']);
  });
});

describe('the report as CSV', () => {
  it('quotes what needs quoting and keeps a formula a text', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(12.5)).toBe('12.5');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(null)).toBe('');
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+81 90')).toBe("'+81 90");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
  });

  it('has one row per figure, the steps by id', () => {
    const csv = reportCsv(REPORT);
    expect(csv).toContain('summary,containmentRate,0.603');
    expect(csv).toContain('abandonmentByStep,smsNotReceivedSignal,17\r\n');
    expect(csv).toContain('stepTraffic,mainMenu.leftHere,21\r\n');
    expect(csv).toContain('satisfaction,resolutionRating.5,88\r\n');
    expect(csv).toContain('ticketWaiting,waitingOverSla,6\r\n');
    expect(csv).toContain('byLanguage,en.handoff,41\r\n');
  });
});

describe('step names', () => {
  const localizer = createLocalizer(LOCALES_DIR, loadConfig({}).brand);
  it('are the tree boxes’ labels, the identity steps’ own, else the id', () => {
    const ja = localizer.forLanguage('ja');
    const en = localizer.forLanguage('en');
    expect(stepLabel(en, 'smsNotReceivedSignal')).toBe('Check 2: weak signal?');
    expect(stepLabel(ja, 'form')).toBe('本人確認：入力フォーム');
    // A step the tree labels from what it says (no short label written for it) is still words.
    expect(stepLabel(en, 'resolvedConfirm')).not.toBe('resolvedConfirm');
    expect(stepLabel(en, 'noSuchStep')).toBe('noSuchStep');
  });
});
