/**
 * The laid-out tree as one SVG string: section bands, arrows with their button text, boxes with a
 * short label (the full text in `<title>`), the customer's path numbered and highlighted, and, when
 * counts are given, each step coloured by how many customers reached it with a bar for those who
 * left there. Stable ids (`tree-node-<state>`, `tree-edge-<source>--<option>--<target>`) and classes
 * let a page style or script it; nothing in it needs inline CSS.
 */
import type { DiagramNode } from './tree-diagram.js';
import { SIZES } from './tree-diagram.js';
import type { PlacedEdge, PlacedGroup, PlacedNode, TreeLayout } from './tree-layout.js';
import { SECTION_NAME_HEIGHT } from './tree-layout.js';
import { renderLegend, type LegendInput } from './tree-legend.js';
import type { PathHighlight } from './tree-path.js';
import { EDGE, FONT_FAMILY, HEAT_FILLS, heatBin, INK, LEFT_BAR, MUTED_INK, NODE_STYLES, PATH, PATH_FILL, sectionTint } from './tree-style.js';
import { domId, el, round, roundedPath, text } from './svg-markup.js';

/** Customers who reached a step, and those who left the conversation there (issue 18). */
export interface StepCounts {
  readonly reached: number;
  readonly left: number;
}

export interface SvgInput {
  readonly layout: TreeLayout;
  readonly lang: string;
  readonly title: string;
  readonly description: string;
  readonly highlight: PathHighlight;
  readonly counts?: Readonly<Record<string, StepCounts>>;
  /** "reached N · left M" for one step. */
  readonly countsText: (c: StepCounts) => string;
  readonly legend: Omit<LegendInput, 'width' | 'heatMax'>;
}

export function renderTreeSvg(input: SvgInput): string {
  const { layout, highlight, counts } = input;
  const heatMax = counts ? Math.max(0, ...layout.nodes.filter((n) => isStep(n.node)).map((n) => counts[n.node.stateId]?.reached ?? 0)) : 0;
  const legend = renderLegend({ ...input.legend, width: layout.width, heatMax: counts ? heatMax : undefined });
  const width = Math.max(layout.width, legend.width);
  const height = legend.height + layout.height;

  const onPath = (e: PlacedEdge) => highlight.edges.has(e.edge.id);
  const edges = [...layout.edges.filter((e) => !onPath(e)), ...layout.edges.filter(onPath)];
  const body = el(
    'g',
    { class: 'tree-body', transform: `translate(0 ${round(legend.height)})` },
    el('g', { class: 'tree-groups' }, ...layout.groups.map(group)),
    el('g', { class: 'tree-edges' }, ...edges.map((e) => edge(e, onPath(e)))),
    el('g', { class: 'tree-edge-labels' }, ...edges.map((e) => edgeLabel(e, onPath(e)))),
    el(
      'g',
      { class: 'tree-nodes' },
      ...layout.nodes.map((n) => node(n, highlight.numbers.get(n.node.id) ?? (highlight.links.has(n.node.id) ? [] : undefined), counts, heatMax, input.countsText)),
    ),
  );

  return el(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      class: `tree${counts ? ' tree--counts' : ''}${highlight.edges.size + highlight.numbers.size > 0 ? ' tree--path' : ''}`,
      viewBox: `0 0 ${round(width)} ${round(height)}`,
      width: round(width),
      height: round(height),
      role: 'img',
      'aria-labelledby': 'tree-title tree-desc',
      lang: input.lang,
      'font-family': FONT_FAMILY,
    },
    el('title', { id: 'tree-title' }, text(input.title)),
    el('desc', { id: 'tree-desc' }, text(input.description)),
    markers(),
    legend.markup,
    body,
  );
}

function isStep(node: DiagramNode): boolean {
  return node.kind === 'question' || node.kind === 'menu';
}

function markers(): string {
  const arrow = (id: string, fill: string) =>
    el('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, markerUnits: 'userSpaceOnUse', orient: 'auto' }, el('path', { d: 'M0 1 L10 5 L0 9 z', fill }));
  return el('defs', {}, arrow('tree-arrow', EDGE), arrow('tree-arrow-path', PATH));
}

function group(g: PlacedGroup): string {
  const tint = sectionTint(g.group.section);
  return el(
    'g',
    { class: `tree-group tree-group--depth-${g.depth}`, id: `tree-group-${domId(g.group.id)}`, 'data-section': g.group.section },
    el('rect', { x: g.x, y: g.y, width: g.width, height: g.height, rx: 10, fill: g.depth === 0 ? tint.fill : '#ffffff', 'fill-opacity': g.depth === 0 ? 1 : 0.55, stroke: tint.stroke }),
    el('text', { x: g.x + 12, y: g.y + SECTION_NAME_HEIGHT / 2 + 9, 'font-size': SIZES.sectionFont, 'font-weight': 600, fill: tint.ink }, text(g.group.name)),
  );
}

function edge(e: PlacedEdge, onPath: boolean): string {
  const { edge: de } = e;
  const classes = ['tree-edge', onPath && 'tree-edge--path', de.guarded && 'tree-edge--guarded'].filter(Boolean).join(' ');
  return el(
    'g',
    { class: classes, id: `tree-edge-${domId(de.id)}`, 'data-source': de.source, 'data-target': de.stateTarget, 'data-option': de.edges.map((m) => m.optionId).join(' ') },
    el('path', {
      d: roundedPath(e.points, 5),
      fill: 'none',
      stroke: onPath ? PATH : EDGE,
      'stroke-width': onPath ? 2.75 : 1.25,
      'stroke-dasharray': de.guarded ? '5 4' : undefined,
      'marker-end': `url(#${onPath ? 'tree-arrow-path' : 'tree-arrow'})`,
    }),
  );
}

function edgeLabel(e: PlacedEdge, onPath: boolean): string {
  if (!e.label) return '';
  const { x, y, width, height } = e.label;
  const lines = e.edge.lines.map((line, i) =>
    el('tspan', { x: x + width / 2, y: y + 2 + i * SIZES.edgeLine + SIZES.edgeLine / 2 + SIZES.edgeFont * 0.35 }, text(line)),
  );
  return el(
    'g',
    { class: `tree-edge-label${onPath ? ' tree-edge-label--path' : ''}`, 'data-edge': `tree-edge-${domId(e.edge.id)}` },
    el('rect', { x, y, width, height, rx: 3, fill: onPath ? PATH_FILL : '#ffffff', 'fill-opacity': onPath ? 1 : 0.92 }),
    el('text', { 'font-size': SIZES.edgeFont, 'text-anchor': 'middle', fill: onPath ? PATH : MUTED_INK, 'font-weight': onPath ? 700 : undefined }, ...lines),
  );
}

/** One box; `numbers` is its places on the path (empty for a link the path runs through, undefined off the path). */
function node(
  n: PlacedNode,
  numbers: readonly number[] | undefined,
  counts: Readonly<Record<string, StepCounts>> | undefined,
  heatMax: number,
  countsText: (c: StepCounts) => string,
): string {
  const { node: dn, x, y, width, height } = n;
  const style = NODE_STYLES[dn.kind];
  const step = isStep(dn);
  const c = step && counts ? (counts[dn.stateId] ?? { reached: 0, left: 0 }) : undefined;
  const bin = c ? heatBin(c.reached, heatMax) : undefined;
  const onPath = numbers !== undefined;
  const fill = bin !== undefined ? HEAT_FILLS[bin]! : onPath && step ? PATH_FILL : style.fill;
  const classes = ['tree-node', `tree-node--${dn.kind}`, onPath && 'tree-node--path', bin !== undefined && `tree-heat-${bin}`].filter(Boolean).join(' ');

  const fontSize = step ? SIZES.questionFont : SIZES.finalFont;
  const lineHeight = step ? SIZES.questionLine : SIZES.finalLine;
  const textBlock = dn.lines.length * lineHeight;
  // Steps keep their last line for counts; without counts the label is centred in the whole box.
  const textTop = step && c ? y + SIZES.padY : y + (height - textBlock) / 2;
  const lines = dn.lines.map((line, i) =>
    el('tspan', { x: x + width / 2, y: textTop + i * lineHeight + lineHeight / 2 + fontSize * 0.35 }, text(line)),
  );
  const title = c ? `${dn.full}\n${countsText(c)}` : dn.full;

  return el(
    'g',
    {
      class: classes,
      id: `tree-node-${domId(dn.id)}`,
      'data-state': dn.stateId,
      'data-path': numbers && numbers.length > 0 ? numbers.join(' ') : undefined,
      'data-reached': c?.reached,
      'data-left': c?.left,
    },
    el('title', {}, text(title)),
    el('rect', {
      x,
      y,
      width,
      height,
      rx: step ? 8 : height / 2,
      fill,
      stroke: onPath ? PATH : style.stroke,
      'stroke-width': onPath ? 3 : dn.kind === 'menu' ? 2 : 1.25,
      'stroke-dasharray': dn.kind === 'link' ? '4 3' : undefined,
    }),
    el('text', { 'font-size': fontSize, 'text-anchor': 'middle', fill: style.ink, 'font-weight': dn.kind === 'question' ? undefined : 600 }, ...lines),
    c ? countsLine(n, c, countsText) : '',
    numbers && numbers.length > 0 ? badge(x, y, numbers) : '',
  );
}

function countsLine(n: PlacedNode, c: StepCounts, countsText: (c: StepCounts) => string): string {
  const { x, y, width, height } = n;
  const share = c.reached > 0 ? Math.min(1, c.left / c.reached) : 0;
  return el(
    'g',
    { class: 'tree-counts' },
    el('text', { x: x + width / 2, y: y + height - SIZES.padY - 3, 'font-size': SIZES.countsFont, 'text-anchor': 'middle', fill: c.reached > 0 ? INK : MUTED_INK }, text(countsText(c))),
    // Inset so a path's thick border does not hide it.
    share > 0 ? el('rect', { class: 'tree-left-bar', x: x + 4, y: y + height - 8, width: Math.max(3, (width - 8) * share), height: 4, rx: 2, fill: LEFT_BAR }) : '',
  );
}

function badge(x: number, y: number, numbers: readonly number[]): string {
  const label = numbers.join(',');
  const w = Math.max(22, 10 + label.length * 7.5);
  return el(
    'g',
    { class: 'tree-step-number' },
    el('rect', { x: x - 8, y: y - 10, width: w, height: 22, rx: 11, fill: PATH, stroke: '#ffffff', 'stroke-width': 1.5 }),
    el('text', { x: x - 8 + w / 2, y: y + 5, 'font-size': 12, 'font-weight': 700, 'text-anchor': 'middle', fill: '#ffffff' }, text(label)),
  );
}
