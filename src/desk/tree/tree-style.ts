/**
 * The tree's colours, as SVG presentation attributes (allowed under the console's CSP, and kept by
 * a saved or downloaded SVG); public/desk-tree.css only adds what needs a page (hover, focus, scrolling).
 * Colours pass WCAG AA for their text on their fill.
 */
import type { DiagramNodeKind } from './tree-diagram.js';

export const FONT_FAMILY =
  "system-ui, -apple-system, 'Segoe UI', 'Hiragino Sans', 'Hiragino Kaku Gothic ProN', 'Noto Sans CJK JP', 'Noto Sans JP', Meiryo, sans-serif";

export const INK = '#1e293b';
export const MUTED_INK = '#475569';
export const EDGE = '#8795a8';
export const PATH = '#1d4ed8';
export const PATH_FILL = '#dbeafe';
export const LEFT_BAR = '#dc2626';

export interface BoxStyle {
  readonly fill: string;
  readonly stroke: string;
  readonly ink: string;
}

export const NODE_STYLES: Readonly<Record<DiagramNodeKind, BoxStyle>> = {
  menu: { fill: '#e0e7ff', stroke: '#4f46e5', ink: '#1e1b4b' },
  question: { fill: '#ffffff', stroke: '#94a3b8', ink: INK },
  resolved: { fill: '#dcfce7', stroke: '#16a34a', ink: '#14532d' },
  handoff: { fill: '#ffedd5', stroke: '#ea580c', ink: '#7c2d12' },
  link: { fill: '#ffffff', stroke: '#64748b', ink: '#334155' },
};

/** Soft tints per chapter of the guide (the number its section heading starts with), so chapters read as bands. */
const CHAPTER_TINTS: readonly { fill: string; stroke: string; ink: string }[] = [
  { fill: '#f1f5f9', stroke: '#cbd5e1', ink: '#334155' },
  { fill: '#eff6ff', stroke: '#bfdbfe', ink: '#1e3a8a' },
  { fill: '#f0fdfa', stroke: '#99f6e4', ink: '#134e4a' },
  { fill: '#faf5ff', stroke: '#e9d5ff', ink: '#581c87' },
  { fill: '#fefce8', stroke: '#fde68a', ink: '#713f12' },
  { fill: '#fdf2f8', stroke: '#fbcfe8', ink: '#831843' },
];

/** The chapter a guide section belongs to: its leading number (0 for the menu and the summary). */
export function chapterOf(section: string): number {
  const match = /^(\d+)/.exec(section);
  return match ? Number(match[1]) : 0;
}

export function sectionTint(section: string): { fill: string; stroke: string; ink: string } {
  const chapter = chapterOf(section);
  return CHAPTER_TINTS[chapter % CHAPTER_TINTS.length]!;
}

/** Fills for how many customers reached a step, none to most (issue 18). */
export const HEAT_FILLS = ['#ffffff', '#e0f2f1', '#b2dfdb', '#80cbc4', '#4db6ac'] as const;

/** The heat bin (0 = nobody, 1..4 = up to a quarter, half, ... of the busiest step). */
export function heatBin(reached: number, max: number): number {
  if (reached <= 0 || max <= 0) return 0;
  return Math.min(HEAT_FILLS.length - 1, Math.max(1, Math.ceil((reached / max) * (HEAT_FILLS.length - 1))));
}

/**
 * The whole counts {@link heatBin} puts in `bin` for a busiest step of `max`, as the legend says them
 * ("0", "7", "1–10", "31–40"); undefined when no whole count falls there (max 1: only "0" and "1").
 */
export function heatBinLabel(bin: number, max: number): string | undefined {
  if (bin === 0) return '0';
  const steps = HEAT_FILLS.length - 1;
  const lo = Math.floor(((bin - 1) * max) / steps) + 1;
  const hi = Math.floor((bin * max) / steps);
  if (lo > hi) return undefined;
  return lo === hi ? String(lo) : `${lo}–${hi}`;
}
