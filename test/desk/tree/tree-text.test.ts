/**
 * Labels are wrapped before layout (SVG text does not wrap): words stay whole in both languages,
 * Japanese punctuation never starts a line, and what does not fit ends in an ellipsis.
 */
import { describe, expect, it } from 'vitest';
import { ellipsize, textWidth, wrapText } from '../../../src/desk/tree/tree-text.js';

describe('wrapText', () => {
  it('keeps short labels on one line', () => {
    expect(wrapText('Check 2: code expired?', 180, 13, 3)).toMatchObject({ lines: ['Check 2: code expired?'], truncated: false });
  });

  it('breaks English between words, preferring the colon', () => {
    expect(wrapText('Number changes: switch to the app first', 180, 13, 3).lines).toEqual(['Number changes:', 'switch to the app first']);
  });

  it('breaks Japanese between words, never inside one, and after the colon', () => {
    expect(wrapText('バックアップなし：旧スマホのアプリは使える？', 180, 13, 3).lines).toEqual(['バックアップなし：', '旧スマホのアプリは使える？']);
    const lines = wrapText('新しいスマホでバックアップを読み取り', 120, 13, 3).lines;
    expect(lines.join('')).toBe('新しいスマホでバックアップを読み取り');
    expect(lines.some((l) => l.endsWith('バック') || l.startsWith('アップ'))).toBe(false);
  });

  it('never starts a line with closing punctuation', () => {
    for (const width of [60, 70, 80, 90, 100, 110]) {
      const lines = wrapText('認証アプリの紛失(バックアップなし)、確認してください。', width, 12, 6).lines;
      expect(lines.filter((l) => /^[、。)）？]/.test(l)), `${width}px: ${lines.join(' / ')}`).toEqual([]);
    }
  });

  it('cuts what does not fit into the last line with an ellipsis', () => {
    const long = 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen';
    const wrapped = wrapText(long, 100, 13, 2);
    expect(wrapped.truncated).toBe(true);
    expect(wrapped.lines).toHaveLength(2);
    expect(wrapped.lines[1]).toMatch(/…$/);
    for (const line of wrapped.lines) expect(textWidth(line, 13)).toBeLessThanOrEqual(100);
  });

  it('splits a single word wider than the box', () => {
    const wrapped = wrapText('Supercalifragilisticexpialidocious', 80, 13, 5);
    expect(wrapped.lines.join('')).toBe('Supercalifragilisticexpialidocious');
    for (const line of wrapped.lines) expect(textWidth(line, 13)).toBeLessThanOrEqual(80);
  });
});

describe('textWidth and ellipsize', () => {
  it('counts full-width characters as one em and Latin narrower', () => {
    expect(textWidth('確認', 10)).toBe(20);
    expect(textWidth('ii', 10)).toBeLessThan(textWidth('MM', 10));
    expect(textWidth('abc', 10, true)).toBeGreaterThan(textWidth('abc', 10));
  });

  it('leaves text that fits alone', () => {
    expect(ellipsize('short', 200, 12)).toBe('short');
    expect(ellipsize('a much longer label than fits', 60, 12)).toMatch(/^a much.*…$/);
  });
});
