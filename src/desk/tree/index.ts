/**
 * The troubleshooting tree for the desk (issue 11): a diagram generated from the XState machine,
 * with a customer's path highlighted, and (issue 18) each step coloured by how many customers
 * reached it and left there.
 *
 * ```ts
 * const svg = await renderTroubleshootingTree({ lang, translate: localizer.forLanguage(lang), path, endedAt });
 * ```
 * The page embeds the markup inline and links /desk/assets/desk-tree.css (public/desk-tree.css).
 */
import { troubleshootingMachine } from '../../../flows/troubleshooting/index.js';
import type { Language, Translate } from '../../i18n/i18n.js';
import { buildDiagram, type Diagram } from './tree-diagram.js';
import { buildTreeGraph, type TreeGraph } from './tree-graph.js';
import { optionLabelKey, treeTexts, type TreeTexts } from './tree-labels.js';
import { layoutDiagram, type TreeLayout } from './tree-layout.js';
import { pathHighlight, type TreePathStep } from './tree-path.js';
import { renderTreeSvg, type StepCounts } from './tree-svg.js';

export type { TreePathStep } from './tree-path.js';
export type { StepCounts } from './tree-svg.js';
export { stepCountsOf } from './tree-counts.js';
export type { TreeLayout } from './tree-layout.js';
export { buildTreeGraph, type TreeGraph, type TreeNode, type TreeEdge, type TreeNodeKind } from './tree-graph.js';

export interface TroubleshootingTreeOptions {
  readonly lang: Language;
  /** The localizer's translator for `lang`. */
  readonly translate: Translate;
  /** The customer's path as `describePath` returns it: highlighted and numbered in order. */
  readonly path?: readonly TreePathStep[];
  /** The final state the conversation reached (e.g. `handoffLoginLockout`, `resolved`). */
  readonly endedAt?: string;
  /** Per state id, customers who reached it and who left there (issue 18); colours the steps and adds a scale. */
  readonly counts?: Readonly<Record<string, StepCounts>>;
  /**
   * How many conversations ended resolved and handed off, for the legend, when `counts` do not
   * hold the final states (a report counts outcomes apart from steps); else summed from `counts`.
   */
  readonly endings?: { readonly resolved: number; readonly handoff: number };
}

let graph: TreeGraph | undefined;
/** The graph never changes while the process runs: the machine is a constant. */
function treeGraph(): TreeGraph {
  graph ??= buildTreeGraph(troubleshootingMachine);
  return graph;
}

/** Texts and box sizes per translator: the localizer hands out one translator per language, loaded once. */
const diagrams = new WeakMap<Translate, { texts: TreeTexts; diagram: Diagram }>();
function diagramFor(t: Translate): { texts: TreeTexts; diagram: Diagram } {
  let entry = diagrams.get(t);
  if (!entry) {
    const texts = treeTexts(treeGraph(), t);
    entry = { texts, diagram: buildDiagram(treeGraph(), texts) };
    diagrams.set(t, entry);
  }
  return entry;
}

interface CachedLayout {
  readonly signature: string;
  readonly pending: Promise<TreeLayout>;
  layout?: TreeLayout;
}

/**
 * One layout per language, keyed by the texts it was sized for: an edited locale file (or a test's
 * translator) gets a fresh layout, every other render reuses it.
 */
const layouts = new Map<Language, CachedLayout>();

function signatureOf(diagram: Diagram): string {
  return JSON.stringify([diagram.nodes.map((n) => n.lines), diagram.edges.map((e) => e.lines), diagram.groups.map((g) => g.name)]);
}

function layoutFor(lang: Language, diagram: Diagram): Promise<TreeLayout> {
  const signature = signatureOf(diagram);
  const cached = layouts.get(lang);
  if (cached && cached.signature === signature) return cached.pending;
  const entry: CachedLayout = {
    signature,
    pending: layoutDiagram(diagram).then(
      (layout) => {
        entry.layout = layout;
        return layout;
      },
      (error: unknown) => {
        if (layouts.get(lang) === entry) layouts.delete(lang);
        throw error;
      },
    ),
  };
  layouts.set(lang, entry);
  return entry.pending;
}

/** The layout of `lang` if it has been computed already (e.g. to report its timing or warm-up state). */
export function getCachedTreeLayout(lang: Language): TreeLayout | undefined {
  return layouts.get(lang)?.layout;
}

const stepLabels = new WeakMap<Translate, ReadonlyMap<string, string>>();

/** Each step's short label in the translator's language (what its box says), for tables of step figures. */
export function treeStepLabels(t: Translate): ReadonlyMap<string, string> {
  let labels = stepLabels.get(t);
  if (!labels) {
    labels = new Map([...diagramFor(t).texts.nodes].map(([id, texts]) => [id, texts.label]));
    stepLabels.set(t, labels);
  }
  return labels;
}

/** The tree as `<svg …>…</svg>` markup: every text escaped, ids and classes stable. */
export async function renderTroubleshootingTree(options: TroubleshootingTreeOptions): Promise<string> {
  const { lang, translate: t, path = [], endedAt, counts, endings } = options;
  const { texts, diagram } = diagramFor(t);
  const layout = await layoutFor(lang, diagram);
  const outcomeLabel = endedAt ? texts.nodes.get(endedAt)?.label : undefined;

  return renderTreeSvg({
    layout,
    lang,
    title: t('tree:title'),
    description: describe(t, texts, path, outcomeLabel),
    highlight: pathHighlight(diagram, path, endedAt),
    countsText: (c) => t('tree:counts', { reached: c.reached, left: c.left }),
    legend: {
      title: t('tree:title'),
      subtitle: outcomeLabel ? t('tree:ended', { outcome: outcomeLabel }) : undefined,
      labels: {
        question: t('tree:legend.question'),
        resolved: t('tree:legend.resolved'),
        handoff: t('tree:legend.handoff'),
        path: t('tree:legend.path'),
        guarded: t('tree:legend.guarded'),
      },
      heat: counts
        ? {
            reached: t('tree:legend.reached'),
            left: t('tree:legend.left'),
            outcomes: t(
              'tree:legend.outcomes',
              endings ?? {
                resolved: endingsOf('resolved').reduce((sum, id) => sum + (counts[id]?.reached ?? 0), 0),
                handoff: endingsOf('handoff').reduce((sum, id) => sum + (counts[id]?.reached ?? 0), 0),
              },
            ),
          }
        : undefined,
    },
    ...(counts ? { counts } : {}),
  });
}

/** What a screen reader hears for the whole image: what it shows, then the path in words. */
function describe(t: Translate, texts: TreeTexts, path: readonly TreePathStep[], outcome: string | undefined): string {
  const parts = [t('tree:description')];
  if (path.length > 0) {
    const steps = path.map((step, i) => {
      const question = texts.nodes.get(step.stepId)?.label ?? step.stepId;
      const vars = { number: i + 1, question };
      return step.answerId ? t('tree:pathStep', { ...vars, answer: t(optionLabelKey(step.answerId)) }) : t('tree:pathStepNoAnswer', vars);
    });
    parts.push(t('tree:pathDescription', { steps: steps.join(' ') }));
  }
  if (outcome) parts.push(t('tree:ended', { outcome }));
  return parts.join(' ');
}

/**
 * The final states of one kind of outcome: a reason or a fix may end in more than one (`informed`
 * after an informational topic, a second ending for a reason told in other words).
 */
function endingsOf(kind: 'resolved' | 'handoff'): string[] {
  return Object.values(troubleshootingMachine.root.states)
    .filter((state) => state.type === 'final' && (state.config.output as { kind?: string } | undefined)?.kind === kind)
    .map((state) => state.id);
}
