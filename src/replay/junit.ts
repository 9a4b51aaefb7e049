import type { ReplayResult } from './replayer.js';

/**
 * JUnit XML for CI systems (GitLab, Jenkins, GitHub test reporters): one test case per
 * transcript; a difference is a `<failure>` with the side-by-side diff, an unreadable or
 * crashing transcript an `<error>`.
 */
export function toJUnitXml(results: readonly ReplayResult[], suiteName = 'transcript replay', now: Date = new Date()): string {
  const failures = results.filter((r) => !r.passed && !r.error).length;
  const errors = results.filter((r) => r.error).length;
  const time = seconds(results.reduce((sum, r) => sum + r.durationMs, 0));
  const counts = `tests="${results.length}" failures="${failures}" errors="${errors}" time="${time}"`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attr(suiteName)}" ${counts}>`,
    `  <testsuite name="${attr(suiteName)}" ${counts} timestamp="${now.toISOString().slice(0, 19)}">`,
  ];
  for (const r of results) {
    const open = `    <testcase classname="transcripts" name="${attr(r.name)}" time="${seconds(r.durationMs)}"`;
    if (r.error) {
      lines.push(`${open}>`, `      <error message="${attr(r.error)}" type="ReplayError">${cdata(r.error)}</error>`, '    </testcase>');
    } else if (!r.passed && r.difference) {
      const message = `turn ${r.difference.turn} differs`;
      lines.push(`${open}>`, `      <failure message="${attr(message)}" type="ReplayMismatch">${cdata(r.difference.diff)}</failure>`, '    </testcase>');
    } else {
      lines.push(`${open}/>`);
    }
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** Characters XML 1.0 cannot carry at all (control characters other than tab and newlines). */
function xmlSafe(text: string): string {
  return text.replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD');
}

function attr(text: string): string {
  return xmlSafe(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;');
}

function cdata(text: string): string {
  return `<![CDATA[${xmlSafe(text).replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}
