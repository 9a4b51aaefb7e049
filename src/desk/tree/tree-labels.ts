/**
 * The tree's words in one language: a short label per step (`tree:step.<id>`, written for the
 * diagram: most questions end with the same "did it work?", which would not tell boxes apart), the
 * full text of what the step says (for `<title>`), each option's button text and each section's name.
 */
import { SECTIONS } from '../../../flows/troubleshooting/index.js';
import type { Translate } from '../../i18n/i18n.js';
import type { TreeGraph, TreeNode } from './tree-graph.js';

export interface NodeTexts {
  /** Shown in the box (wrapped and, if need be, shortened). */
  readonly label: string;
  /** Everything the step says, for hover and screen readers. */
  readonly full: string;
}

export interface TreeTexts {
  readonly nodes: ReadonlyMap<string, NodeTexts>;
  /** Button text per option id. */
  readonly options: ReadonlyMap<string, string>;
  /** Display name per guide section (`meta.guideSection`). */
  readonly sections: ReadonlyMap<string, string>;
}

/** `options:<id>.label`, or `<namespace:key>.label` for an option id that names its namespace (as the desk's path view). */
export function optionLabelKey(id: string): string {
  return id.includes(':') ? `${id}.label` : `options:${id}.label`;
}

const SECTION_KEYS = new Map<string, string>(Object.entries(SECTIONS).map(([key, heading]) => [heading, key]));

/** Collects every text the diagram shows, in the translator's language. */
export function treeTexts(graph: TreeGraph, t: Translate): TreeTexts {
  const nodes = new Map(graph.nodes.map((node) => [node.id, nodeTexts(node, t)] as const));
  const options = new Map(graph.edges.map((edge) => [edge.optionId, t(optionLabelKey(edge.optionId))] as const));
  const named = [...graph.sections, ...graph.groups.map((g) => g.section)];
  const sections = new Map(named.map((section) => [section, sectionName(section, t)] as const));
  return { nodes, options, sections };
}

/** A key that i18next does not know comes back as the key itself: fall back to `fallback` then. */
function translated(t: Translate, key: string, fallback: () => string, vars?: Record<string, unknown>): string {
  const text = t(key, vars);
  const bare = key.slice(key.indexOf(':') + 1);
  return text === key || text === bare ? fallback() : text;
}

function nodeTexts(node: TreeNode, t: Translate): NodeTexts {
  const said = node.messageKeys.map((key) => t(key)).join('\n');
  if (node.kind === 'resolved') {
    const label = t('tree:outcome.resolved');
    return { label, full: said ? `${label}\n${said}` : label };
  }
  if (node.kind === 'handoff') {
    const label = t('tree:outcome.handoff', { reason: t(`tickets:reason.${node.reason ?? 'customer_requested'}`) });
    return { label, full: said ? `${label}\n${said}` : label };
  }
  // A step without a diagram label still shows something true: its question, shortened in the box.
  const lastKey = node.messageKeys[node.messageKeys.length - 1];
  const label = translated(t, `tree:step.${node.id}`, () => (lastKey ? t(lastKey) : node.id));
  return { label, full: said ? `${label}\n${said}` : label };
}

function sectionName(section: string, t: Translate): string {
  const key = SECTION_KEYS.get(section);
  return key ? translated(t, `tree:section.${key}`, () => section) : section;
}
