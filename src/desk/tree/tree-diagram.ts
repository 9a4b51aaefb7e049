/**
 * From the machine's graph and one language's words to boxes of known size, ready for layout.
 *
 * Final states are drawn once per step that leads to them (a leaf beside its question), as a
 * decision tree is drawn: "resolved" alone is reached from 25 steps, and 25 arrows converging on one
 * box from every corner of the guide made the drawing unreadable. Each copy keeps its state's id in
 * `stateId`, so a path that ends there lights the copy next to the step the customer left from.
 */
import type { TreeEdge, TreeGraph, TreeNodeKind } from './tree-graph.js';
import type { TreeTexts } from './tree-labels.js';
import { wrapText } from './tree-text.js';

/** Sizes in px at 100 %. */
export const SIZES = {
  questionWidth: 200,
  questionFont: 13,
  questionLine: 17,
  questionLines: 3,
  countsFont: 11,
  countsLine: 15,
  finalMaxWidth: 180,
  finalFont: 12,
  finalLine: 15,
  edgeFont: 11,
  edgeLine: 13,
  edgeMaxWidth: 112,
  sectionFont: 12,
  padX: 10,
  padY: 8,
} as const;

/** What a box is: a step of the machine, or a stub that sends the reader to another section. */
export type DiagramNodeKind = TreeNodeKind | 'link';

export interface DiagramNode {
  /** Unique in the diagram: the state id, or `<state>@<source>` for a copy beside the step leading there. */
  readonly id: string;
  /** The machine state the box stands for (for a link, the step it leads to). */
  readonly stateId: string;
  readonly kind: DiagramNodeKind;
  /** The guide section the step cites (`meta.guideSection`). */
  readonly section: string;
  /** The group (compound state) the box is drawn in; absent at the top level. */
  readonly group?: string;
  readonly width: number;
  readonly height: number;
  readonly lines: readonly string[];
  readonly full: string;
}

export interface DiagramEdge {
  /** The machine edge's id, or `<source>--<option>+<option>--<target>` for several options drawn as one arrow. */
  readonly id: string;
  /** Diagram node ids. */
  readonly source: string;
  readonly target: string;
  /** The state the arrow leads to (a copy's or link's `stateId`). */
  readonly stateTarget: string;
  /** The machine's edges drawn as this arrow: the options of one step that lead to the same step the same way. */
  readonly edges: readonly TreeEdge[];
  readonly guarded: boolean;
  readonly lines: readonly string[];
  readonly text: string;
  readonly labelWidth: number;
  readonly labelHeight: number;
}

export interface DiagramGroup {
  readonly id: string;
  readonly parent?: string;
  readonly section: string;
  readonly name: string;
}

export interface Diagram {
  readonly nodes: readonly DiagramNode[];
  readonly edges: readonly DiagramEdge[];
  /** Outer groups before the groups they hold. */
  readonly groups: readonly DiagramGroup[];
}

const isFinal = (kind: TreeNodeKind) => kind === 'resolved' || kind === 'handoff';

/**
 * Sizes every box and label of `graph` in the language of `texts`. An answer that jumps to another
 * section's topic ("see also") ends at a small link box naming that section instead of crossing the
 * whole drawing; the main menu's answers are the only arrows between sections.
 */
export function buildDiagram(graph: TreeGraph, texts: TreeTexts): Diagram {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const groupById = new Map(graph.groups.map((g) => [g.id, g]));
  const textsOf = (id: string) => texts.nodes.get(id) ?? { label: id, full: id };
  const nodes: DiagramNode[] = [];
  const at = (group: string | undefined) => (group === undefined ? {} : { group });

  for (const node of graph.nodes) {
    if (isFinal(node.kind)) continue;
    const text = textsOf(node.id);
    const wrapped = wrapText(text.label, SIZES.questionWidth - 2 * SIZES.padX, SIZES.questionFont, SIZES.questionLines);
    // One line is always kept free for issue 18's counts, so the layout never depends on them.
    const height = 2 * SIZES.padY + wrapped.lines.length * SIZES.questionLine + SIZES.countsLine;
    nodes.push({ id: node.id, stateId: node.id, kind: node.kind, section: node.section, ...at(node.group), width: SIZES.questionWidth, height, lines: wrapped.lines, full: text.full });
  }

  const copies = new Set<string>();
  // Options of one step leading to the same box the same way share an arrow ("SMS / Phone call").
  const arrows = new Map<string, { source: string; target: string; edges: TreeEdge[] }>();
  for (const edge of graph.edges) {
    const source = byId.get(edge.source);
    const target = byId.get(edge.target);
    if (!source || !target) continue;
    const final = isFinal(target.kind);
    const link = !final && source.kind !== 'menu' && source.group !== target.group;
    const targetId = final || link ? `${target.id}@${source.id}` : target.id;
    if ((final || link) && !copies.has(targetId)) {
      copies.add(targetId);
      const targetGroup = target.group === undefined ? undefined : groupById.get(target.group);
      const label = link ? `→ ${targetGroup ? (texts.sections.get(targetGroup.section) ?? targetGroup.section) : textsOf(target.id).label}` : textsOf(target.id).label;
      const wrapped = wrapText(label, SIZES.finalMaxWidth - 2 * SIZES.padX, SIZES.finalFont, 3, true);
      nodes.push({
        id: targetId,
        stateId: target.id,
        kind: link ? 'link' : target.kind,
        section: target.section,
        ...at(source.group),
        width: Math.ceil(Math.max(wrapped.width + 2 * SIZES.padX + 8, 72)),
        height: 2 * 6 + wrapped.lines.length * SIZES.finalLine,
        lines: wrapped.lines,
        full: link ? `${label}\n${textsOf(target.id).full}` : textsOf(target.id).full,
      });
    }
    const key = `${edge.source} ${targetId} ${edge.guarded}`;
    const arrow = arrows.get(key) ?? { source: edge.source, target: targetId, edges: [] };
    arrow.edges.push(edge);
    arrows.set(key, arrow);
  }

  const edges = [...arrows.values()].map(({ source, target, edges: drawn }): DiagramEdge => {
    const first = drawn[0]!;
    const text = drawn.map((e) => texts.options.get(e.optionId) ?? e.optionId).join(' / ');
    const wrapped = wrapText(text, SIZES.edgeMaxWidth, SIZES.edgeFont, 2);
    return {
      id: drawn.length === 1 ? first.id : `${source}--${drawn.map((e) => e.optionId).join('+')}--${first.target}`,
      source,
      target,
      stateTarget: first.target,
      edges: drawn,
      guarded: first.guarded,
      lines: wrapped.lines,
      text,
      // Room for the bold face a label takes on the path.
      labelWidth: Math.ceil(wrapped.width * 1.08 + 8),
      labelHeight: wrapped.lines.length * SIZES.edgeLine + 4,
    };
  });

  const groups = graph.groups.map((g) => ({ ...g, name: texts.sections.get(g.section) ?? g.section }));
  return { nodes, edges, groups };
}
