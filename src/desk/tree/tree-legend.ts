/**
 * The strip above the tree: its title, what the shapes and lines mean, and with counts (issue 18)
 * the colour scale of how many customers reached a step and the bar of those who left there.
 */
import { el, round, text } from './svg-markup.js';
import { EDGE, HEAT_FILLS, heatBinLabel, INK, LEFT_BAR, MUTED_INK, NODE_STYLES, PATH } from './tree-style.js';
import { textWidth } from './tree-text.js';

export interface LegendInput {
  readonly width: number;
  readonly title: string;
  /** A line under the title (e.g. how the path ended); omitted when empty. */
  readonly subtitle?: string;
  readonly labels: { readonly question: string; readonly resolved: string; readonly handoff: string; readonly path: string; readonly guarded: string };
  /** With counts: the scale's caption, the bar's caption and the outcomes line. */
  readonly heat?: { readonly reached: string; readonly left: string; readonly outcomes: string };
  /** The most customers any step reached; the scale is drawn when defined. */
  readonly heatMax?: number | undefined;
}

const FONT = 12;
const ROW = 26;
const PAD = 16;
const GAP = 22;

/** Places items left to right, wrapping to a new row when the width runs out. */
class Flow {
  x = PAD;
  y: number;
  readonly parts: string[] = [];
  constructor(
    private readonly width: number,
    top: number,
  ) {
    this.y = top;
  }
  add(itemWidth: number, draw: (x: number, midY: number) => string): void {
    if (this.x > PAD && this.x + itemWidth > this.width - PAD) {
      this.x = PAD;
      this.y += ROW;
    }
    this.parts.push(draw(this.x, this.y + ROW / 2));
    this.x += itemWidth + GAP;
  }
  newRow(): void {
    if (this.x > PAD) {
      this.x = PAD;
      this.y += ROW;
    }
  }
}

const caption = (x: number, midY: number, value: string, fill = MUTED_INK) =>
  el('text', { x, y: midY + FONT * 0.35, 'font-size': FONT, fill }, text(value));

export function renderLegend(input: LegendInput): { markup: string; width: number; height: number } {
  const width = Math.max(input.width, 640);
  const parts: string[] = [el('text', { x: PAD, y: PAD + 15, 'font-size': 17, 'font-weight': 700, fill: INK }, text(input.title))];
  let top = PAD + 24;
  if (input.subtitle) {
    parts.push(el('text', { x: PAD, y: top + 14, 'font-size': 13, fill: INK }, text(input.subtitle)));
    top += 20;
  }
  const flow = new Flow(width, top + 4);
  const l = input.labels;
  const swatch = (label: string, kind: 'question' | 'resolved' | 'handoff') => {
    const s = NODE_STYLES[kind];
    flow.add(34 + textWidth(label, FONT), (x, midY) =>
      el('rect', { x, y: midY - 8, width: 26, height: 16, rx: kind === 'question' ? 4 : 8, fill: s.fill, stroke: s.stroke }) + caption(x + 34, midY, label),
    );
  };
  swatch(l.question, 'question');
  swatch(l.resolved, 'resolved');
  swatch(l.handoff, 'handoff');
  flow.add(48 + textWidth(l.path, FONT), (x, midY) =>
    el('rect', { x, y: midY - 9, width: 18, height: 18, rx: 9, fill: PATH }) +
    el('text', { x: x + 9, y: midY + 4, 'font-size': 11, 'font-weight': 700, 'text-anchor': 'middle', fill: '#ffffff' }, '1') +
    el('path', { d: `M${x + 20} ${midY} H${x + 40}`, stroke: PATH, 'stroke-width': 2.75, 'marker-end': 'url(#tree-arrow-path)' }) +
    caption(x + 48, midY, l.path),
  );
  flow.add(36 + textWidth(l.guarded, FONT), (x, midY) =>
    el('path', { d: `M${x} ${midY} H${x + 28}`, stroke: EDGE, 'stroke-width': 1.25, 'stroke-dasharray': '5 4', 'marker-end': 'url(#tree-arrow)' }) + caption(x + 36, midY, l.guarded),
  );

  if (input.heat && input.heatMax !== undefined) {
    const max = input.heatMax;
    flow.newRow();
    // Each shade with the counts heatBin gives it; a shade no whole count reaches (few customers) is left out.
    const bins = HEAT_FILLS.map((fill, i) => ({ fill, i, label: heatBinLabel(i, max) })).filter((b): b is { fill: (typeof HEAT_FILLS)[number]; i: number; label: string } => b.label !== undefined);
    flow.add(textWidth(input.heat.reached, FONT) + 8 + bins.length * 44, (x, midY) => {
      const start = x + textWidth(input.heat!.reached, FONT) + 8;
      return (
        caption(x, midY, input.heat!.reached) +
        bins
          .map(
            (b, i) =>
              el('rect', { class: `tree-heat-${b.i}`, x: start + i * 44, y: midY - 9, width: 40, height: 18, rx: 3, fill: b.fill, stroke: '#94a3b8' }) +
              el('text', { x: start + i * 44 + 20, y: midY + 4, 'font-size': 11, 'text-anchor': 'middle', fill: INK }, b.label),
          )
          .join('')
      );
    });
    flow.add(42 + textWidth(input.heat.left, FONT), (x, midY) =>
      el('rect', { x, y: midY - 2, width: 34, height: 4, rx: 2, fill: LEFT_BAR }) + caption(x + 42, midY, input.heat!.left),
    );
    flow.add(textWidth(input.heat.outcomes, FONT), (x, midY) => caption(x, midY, input.heat!.outcomes, INK));
  }
  const height = flow.y + ROW + 8;
  parts.push(...flow.parts);
  return {
    markup: el('g', { class: 'tree-legend' }, el('rect', { x: 0, y: 0, width: round(width), height: round(height), fill: '#ffffff' }), ...parts),
    width,
    height,
  };
}
