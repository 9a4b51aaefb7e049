/**
 * Which boxes and arrows a customer's path lights up: each step of the path (what describePath
 * returns for a ticket's trail) gets its number in order, the arrow of each chosen answer is
 * highlighted, and the answer of the last step leads to the final state the conversation ended in.
 */
import type { Diagram } from './tree-diagram.js';

/** One step of a customer's path: the step and the answer chosen there (`null` when unknown or last). */
export interface TreePathStep {
  readonly stepId: string;
  readonly answerId: string | null;
}

export interface PathHighlight {
  /** Diagram node id → its numbers along the path (a step revisited has several). */
  readonly numbers: ReadonlyMap<string, readonly number[]>;
  /** Diagram edge ids of the chosen answers. */
  readonly edges: ReadonlySet<string>;
  /** Link boxes the path passes through on its way to another section (highlighted, not numbered). */
  readonly links: ReadonlySet<string>;
}

/** Matches `path` (and the final state `endedAt`) onto the diagram. */
export function pathHighlight(diagram: Diagram, path: readonly TreePathStep[], endedAt?: string): PathHighlight {
  const nodeIds = new Set(diagram.nodes.map((n) => n.id));
  const numbers = new Map<string, number[]>();
  const edges = new Set<string>();
  const links = new Set<string>();
  const number = (nodeId: string, n: number) => numbers.set(nodeId, [...(numbers.get(nodeId) ?? []), n]);

  path.forEach((step, i) => {
    if (!nodeIds.has(step.stepId)) return;
    number(step.stepId, i + 1);
    if (step.answerId === null) return;
    const next = i + 1 < path.length ? path[i + 1]?.stepId : endedAt;
    const chosen = diagram.edges.filter((e) => e.source === step.stepId && e.edges.some((m) => m.optionId === step.answerId));
    // With several targets (a guarded route), the next step tells which one was taken.
    const taken = next === undefined ? (chosen.length === 1 ? chosen : []) : chosen.filter((e) => e.stateTarget === next);
    for (const e of taken) {
      edges.add(e.id);
      if (e.target === e.stateTarget) continue;
      if (i === path.length - 1) number(e.target, i + 2);
      else links.add(e.target);
    }
  });
  return { numbers, edges, links };
}
