import { describe, expect, it } from 'vitest';
import { DatasetError, parseLabelledTsv, parseTrainingTsv } from '../../src/nlu/index.js';

describe('parseLabelledTsv', () => {
  it('reads rows, skipping a header, blank lines and comments', () => {
    const rows = parseLabelledTsv('locale\tintent\ttext\n\n# note\nja\tapp_deleted\tアプリ消した\r\nen\tlockout\tlocked out\n');
    expect(rows).toEqual([
      { locale: 'ja', intent: 'app_deleted', text: 'アプリ消した', line: 4 },
      { locale: 'en', intent: 'lockout', text: 'locked out', line: 5 },
    ]);
  });

  it.each([
    ['ja\tapp_deleted', /line 1|:1:.*3 tab-separated/],
    ['fr\tapp_deleted\tbonjour', /:1: locale must be/],
    ['en\tno_such_intent\thello', /:1: unknown intent "no_such_intent"/],
    ['en\tgreeting\t ', /:1: empty text/],
    ['en\tgreeting|thanks\thi', /unknown intent/],
  ])('rejects %j with the line number', (content, message) => {
    expect(() => parseLabelledTsv(content, 'x.tsv')).toThrow(DatasetError);
    expect(() => parseLabelledTsv(content, 'x.tsv')).toThrow(message);
  });
});

describe('parseTrainingTsv', () => {
  it('accepts several intents for an ambiguous text', () => {
    expect(parseTrainingTsv('en\tsms_not_received|change_method\tsms')[0]?.intents).toEqual(['sms_not_received', 'change_method']);
  });
});
