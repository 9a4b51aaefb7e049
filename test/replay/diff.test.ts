import { describe, expect, it } from 'vitest';
import { formatTurnDiff } from '../../src/replay/diff.js';

describe('the side-by-side diff of a turn', () => {
  it('marks the differing line, and shows control characters from a recording as escapes instead of sending them to the terminal', () => {
    const diff = formatTurnDiff({
      turn: 2,
      turns: 3,
      input: { type: 'message', text: 'hello' },
      expected: [{ type: 'message', text: 'Clear\u001b[2J screen\tand\u0007 bell' }],
      actual: [{ type: 'message', text: 'Clear screen' }],
    });
    expect(diff).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/u);
    const changed = diff.split('\n').filter((l) => l.startsWith('≠'));
    expect(changed).toHaveLength(1);
    expect(changed[0]).toContain('Clear\\x1b[2J screen\\x09and\\x07 bell');
    expect(changed[0]).toContain('│   text: Clear screen');
  });

  it('lines up wide (Japanese) text in its column', () => {
    const diff = formatTurnDiff({
      turn: 1,
      turns: 1,
      input: { type: 'message', text: 'はい' },
      expected: [{ type: 'message', text: '解決してよかったです。' }],
      actual: [{ type: 'message', text: 'よかった' }],
      width: 30,
    });
    const row = diff.split('\n').find((l) => l.startsWith('≠'))!;
    // Mark and space, then 30 columns of left side, then a space: the 11 wide characters fill
    // two columns each but are one string position each, so the separator sits 11 positions earlier.
    expect(row.indexOf('│')).toBe(2 + 30 + 1 - '解決してよかったです。'.length);
  });
});
