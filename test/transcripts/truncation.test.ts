/** TRANSCRIPT_MAX_TEXT_CHARS: long message text is cut in the transcript, after redaction, with a marker. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ActivitySanitizer, TRUNCATION_MARKER } from '../../src/transcripts/index.js';

describe('transcript text size limit', () => {
  it('cuts text beyond the limit and ends it with the marker; shorter text is kept whole', () => {
    const sanitizer = new ActivitySanitizer({ maxTextChars: 100 });
    const long = `${'a'.repeat(150)} end`;
    const cut = sanitizer.sanitize({ type: 'message', from: { id: 'u', name: 'U', role: 'user' }, text: long });
    expect(cut.text).toBe(`${'a'.repeat(100)}${TRUNCATION_MARKER}`);
    const short = sanitizer.sanitize({ type: 'message', from: { id: 'u', name: 'U', role: 'user' }, text: 'hello' });
    expect(short.text).toBe('hello');
  });

  it('redacts before cutting: a code across the cut leaves no digits behind', () => {
    const sanitizer = new ActivitySanitizer({ maxTextChars: 100 });
    const text = `${'x '.repeat(46)}code 482913 tail`;
    const cut = sanitizer.sanitize({ type: 'message', from: { id: 'u', name: 'U', role: 'user' }, text });
    expect(cut.text).not.toMatch(/482|913/);
    expect(cut.text?.endsWith(TRUNCATION_MARKER)).toBe(true);
  });

  it('is configured by TRANSCRIPT_MAX_TEXT_CHARS (default 2000)', () => {
    expect(loadConfig({}).transcriptMaxTextChars).toBe(2000);
    expect(loadConfig({ TRANSCRIPT_MAX_TEXT_CHARS: '500' }).transcriptMaxTextChars).toBe(500);
    expect(() => loadConfig({ TRANSCRIPT_MAX_TEXT_CHARS: '10' })).toThrow(/TRANSCRIPT_MAX_TEXT_CHARS/);
  });
});
