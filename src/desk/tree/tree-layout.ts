/**
 * Places the diagram with elkjs: layered, left to right (the ten topics stack as bands, so the tree
 * scrolls down on a laptop instead of sideways), orthogonal edges, one compound node per section of
 * the guide. The result depends only on the machine and the label sizes; index.ts computes it once
 * per language and keeps it (a layout takes a second or more, a render with a path a few ms).
 * elk runs in a worker thread (elk-layout-worker.mjs), so the server keeps answering meanwhile.
 */
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk.bundled.js';
import { Worker } from 'node:worker_threads';
import type { Point } from './svg-markup.js';
import type { Diagram, DiagramEdge, DiagramGroup, DiagramNode } from './tree-diagram.js';
import { appFile } from '../../app-files.js';

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export type { Point };

export interface PlacedNode extends Box {
  readonly node: DiagramNode;
}

export interface PlacedEdge {
  readonly edge: DiagramEdge;
  /** Start, bends, end, in absolute coordinates. */
  readonly points: readonly Point[];
  /** Where the label goes; absent if elk did not place it. */
  readonly label?: Box;
}

export interface PlacedGroup extends Box {
  readonly group: DiagramGroup;
  /** 0 for a group at the top level, 1 inside it, ... */
  readonly depth: number;
}

export interface TreeLayout {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly PlacedNode[];
  readonly edges: readonly PlacedEdge[];
  /** Outer groups before inner ones (the drawing order). */
  readonly groups: readonly PlacedGroup[];
  /** Milliseconds the layout took, the worker's start included. */
  readonly elapsedMs: number;
}

/** Room above a section's boxes for its name (the renderer writes it there). */
export const SECTION_NAME_HEIGHT = 26;
const MARGIN = 16;

const ROOT_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.json.shapeCoords': 'ROOT',
  'elk.json.edgeCoords': 'ROOT',
  'elk.edgeLabels.placement': 'CENTER',
  'elk.layered.spacing.nodeNodeBetweenLayers': '28',
  'elk.layered.spacing.edgeNodeBetweenLayers': '14',
  'elk.layered.spacing.edgeEdgeBetweenLayers': '8',
  'elk.spacing.nodeNode': '16',
  'elk.spacing.edgeNode': '12',
  'elk.spacing.edgeEdge': '8',
  'elk.spacing.edgeLabel': '3',
  'elk.spacing.componentComponent': '24',
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.crossingMinimization.forceNodeModelOrder': 'false',
  'elk.padding': `[top=${MARGIN},left=${MARGIN},bottom=${MARGIN},right=${MARGIN}]`,
};

const GROUP_OPTIONS: Record<string, string> = {
  'elk.padding': `[top=${SECTION_NAME_HEIGHT + 8},left=12,bottom=12,right=12]`,
};

/** Runs elk on `diagram`. */
export async function layoutDiagram(diagram: Diagram): Promise<TreeLayout> {
  const started = performance.now();
  const groupKey = (id: string) => `group:${id}`;
  const childrenOf = (group: string | undefined): ElkNode[] => [
    ...diagram.nodes.filter((n) => n.group === group).map((n): ElkNode => ({ id: n.id, width: n.width, height: n.height })),
    ...diagram.groups
      .filter((g) => g.parent === group)
      .map((g): ElkNode => ({ id: groupKey(g.id), layoutOptions: GROUP_OPTIONS, children: childrenOf(g.id) })),
  ];
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: ROOT_OPTIONS,
    children: childrenOf(undefined),
    edges: diagram.edges.map(
      (e): ElkExtendedEdge => ({
        id: e.id,
        sources: [e.source],
        targets: [e.target],
        labels: [{ id: `label:${e.id}`, text: e.text, width: e.labelWidth, height: e.labelHeight }],
      }),
    ),
  };

  const laidOut = await layoutInWorker(graph);

  const nodesById = new Map(diagram.nodes.map((n) => [n.id, n]));
  const groupsById = new Map(diagram.groups.map((g) => [groupKey(g.id), g]));
  const edgesById = new Map(diagram.edges.map((e) => [e.id, e]));
  const nodes: PlacedNode[] = [];
  const groups: PlacedGroup[] = [];
  const visit = (shape: ElkNode, depth: number) => {
    for (const child of shape.children ?? []) {
      const group = groupsById.get(child.id);
      const node = nodesById.get(child.id);
      if (group) groups.push({ ...box(child), group, depth });
      if (node) nodes.push({ ...box(child), node });
      visit(child, depth + 1);
    }
  };
  visit(laidOut, 0);
  const edges: PlacedEdge[] = [];
  for (const e of (laidOut.edges ?? []) as ElkExtendedEdge[]) {
    const edge = edgesById.get(e.id);
    const section = e.sections?.[0];
    if (!edge || !section) continue;
    const points = [section.startPoint, ...(section.bendPoints ?? []), section.endPoint].map(({ x, y }) => ({ x, y }));
    const label = e.labels?.[0];
    edges.push(label?.x !== undefined ? { edge, points, label: box(label) } : { edge, points });
  }
  groups.sort((a, b) => a.depth - b.depth);
  const menu = nodes.findIndex((n) => n.node.kind === 'menu');
  if (menu >= 0) liftMenu(nodes, edges, menu);
  return { width: laidOut.width ?? 0, height: laidOut.height ?? 0, nodes, edges, groups, elapsedMs: performance.now() - started };
}

/**
 * Moves the main menu from the middle of its column (where elk centres it among its ten answers)
 * to the top, beside its first answer, so the tree's root is on the first screen; its answers then
 * hang from one trunk under it, as in a file tree. The column holds nothing else, and each answer
 * keeps its last segment (where elk put its label), so nothing new is crossed.
 */
function liftMenu(nodes: PlacedNode[], edges: PlacedEdge[], index: number): void {
  const menu = nodes[index]!;
  const out = edges.filter((e) => e.edge.source === menu.node.id && e.points.length >= 2);
  const ends = out.map((e) => e.points[e.points.length - 1]!.y);
  if (out.length === 0) return;
  const y = Math.max(MARGIN, Math.min(...ends) - menu.height / 2);
  nodes[index] = { ...menu, y };
  const trunkX = menu.x + menu.width / 2;
  const bottom = y + menu.height;
  for (const [i, e] of edges.entries()) {
    if (e.edge.source !== menu.node.id || e.points.length < 2) continue;
    const end = e.points[e.points.length - 1]!;
    const points = end.y <= bottom - 6 ? [{ x: menu.x + menu.width, y: end.y }, end] : [{ x: trunkX, y: bottom }, { x: trunkX, y: end.y }, end];
    edges[i] = { ...e, points };
  }
}

/** Longer than any layout of this tree takes, even on a busy machine. */
const WORKER_TIMEOUT_MS = 60_000;

function layoutInWorker(graph: ElkNode): Promise<ElkNode> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(appFile('src', 'desk', 'tree', 'elk-layout-worker.mjs'));
    const timer = setTimeout(() => finish(new Error(`elk layout took longer than ${WORKER_TIMEOUT_MS} ms`)), WORKER_TIMEOUT_MS);
    const finish = (error: Error | null, result?: ElkNode) => {
      clearTimeout(timer);
      worker.removeAllListeners();
      void worker.terminate();
      if (error || !result) reject(error ?? new Error('elk layout returned nothing'));
      else resolve(result);
    };
    worker.once('message', (answer: { graph?: ElkNode; error?: string }) =>
      finish(answer.graph ? null : new Error(`elk layout failed: ${answer.error ?? 'no result'}`), answer.graph),
    );
    worker.once('error', (error) => finish(error));
    worker.once('exit', (code) => finish(new Error(`elk layout worker exited with code ${code}`)));
    worker.postMessage(graph);
  });
}

function box(shape: { x?: number; y?: number; width?: number; height?: number }): Box {
  return { x: shape.x ?? 0, y: shape.y ?? 0, width: shape.width ?? 0, height: shape.height ?? 0 };
}
