/**
 * The report's step traffic (issue 18, src/analytics/report.ts `StepTraffic`) as the tree's counts:
 * per state id, customers who reached the step and those who left the conversation there. Steps
 * the tree does not draw (the identity flow's) are kept; the drawing ignores ids it has no box for.
 */
import type { StepTraffic } from '../../analytics/report.js';
import type { StepCounts } from './tree-svg.js';

export type { StepCounts } from './tree-svg.js';

/** Counts by step id; a step listed twice adds up, and no count is below zero or above its reach. */
export function stepCountsOf(traffic: readonly StepTraffic[]): Record<string, StepCounts> {
  // No prototype: a step id such as `constructor` must not find Object's.
  const counts = Object.create(null) as Record<string, StepCounts>;
  for (const { step, reached, leftHere } of traffic) {
    const before = counts[step] ?? { reached: 0, left: 0 };
    const r = before.reached + Math.max(0, reached);
    counts[step] = { reached: r, left: Math.min(r, before.left + Math.max(0, leftHere)) };
  }
  return counts;
}
