/**
 * The import graph of the repository's own code (src/, flows/, scripts/) and the rules of
 * ARCHITECTURE.md checked over it. Pure functions over a list of files, so the checker itself is
 * tested on small made-up graphs (boundaries.test.ts) before it judges the real one.
 *
 * Imports are read with the TypeScript compiler's `preProcessFile` (static imports, re-exports,
 * `import()` with a literal, `import type`): no type checking, a few milliseconds for the tree.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import ts from 'typescript';

export interface SourceFile {
  /** Repository-relative path with forward slashes, e.g. `src/tickets/ticket.ts`. */
  readonly path: string;
  readonly text: string;
}

export interface Import {
  readonly from: string;
  /** What the file wrote, e.g. `../tickets/ticket.js` or `botbuilder`. */
  readonly specifier: string;
  readonly line: number;
  /** A repository path for a relative import; the package name (`botbuilder`, `@scure/bip39`) otherwise. */
  readonly target: string;
  readonly kind: 'relative' | 'package' | 'builtin';
}

/** One broken rule, printed as `file:line imports target — rule`. */
export interface Violation {
  readonly rule: string;
  readonly message: string;
}

const SOURCE_EXTENSION = /\.(ts|tsx|mts)$/;

/** Every TypeScript file under the given top-level folders, read from disk. */
export function readSources(root: string, folders: readonly string[]): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (SOURCE_EXTENSION.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push({ path, text: readFileSync(join(root, path), 'utf8') });
    }
  };
  for (const folder of folders) walk(folder);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** `@scope/name/sub` → `@scope/name`; `xstate/graph` → `xstate`. */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** The imports of one file, each resolved to a repository path or a package name. */
export function importsOf(file: SourceFile, known: ReadonlySet<string>): Import[] {
  const info = ts.preProcessFile(file.text, true, true);
  const lineOf = (pos: number) => file.text.slice(0, pos).split('\n').length;
  return info.importedFiles.map((ref) => {
    const specifier = ref.fileName;
    const line = lineOf(ref.pos);
    if (specifier.startsWith('.')) {
      return { from: file.path, specifier, line, target: resolveRelative(file.path, specifier, known), kind: 'relative' } as const;
    }
    if (specifier.startsWith('node:')) return { from: file.path, specifier, line, target: specifier, kind: 'builtin' } as const;
    return { from: file.path, specifier, line, target: packageName(specifier), kind: 'package' } as const;
  });
}

/** `../tickets/ticket.js` from `src/conversation/x.ts` → `src/tickets/ticket.ts` (ESM writes `.js` for `.ts`). */
function resolveRelative(from: string, specifier: string, known: ReadonlySet<string>): string {
  const base = posix.normalize(posix.join(posix.dirname(from), specifier));
  const stem = base.replace(/\.(js|jsx|mjs)$/, '');
  for (const candidate of [base, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${base}/index.ts`]) {
    if (known.has(candidate)) return candidate;
  }
  return base;
}

/**
 * The unit the folder rules speak of: `flows`, `scripts`, `src/<folder>` for anything inside a
 * folder of src/, and the file itself for the few files at the top of src/ (`src/config.ts`).
 */
export function unitOf(path: string): string {
  const parts = path.split('/');
  if (parts[0] !== 'src') return parts[0]!;
  return parts.length > 2 ? `src/${parts[1]}` : path;
}

export function buildGraph(files: readonly SourceFile[]): Import[] {
  const known = new Set(files.map((f) => f.path));
  return files.flatMap((f) => importsOf(f, known));
}

const where = (i: Import) => `${i.from}:${i.line} imports '${i.specifier}'`;

/** flows/ is pure: nothing of src/ or scripts/, and no package but the allowed ones. */
export function checkFlowsArePure(graph: readonly Import[], allowedPackages: readonly string[]): Violation[] {
  return graph
    .filter((i) => unitOf(i.from) === 'flows')
    .filter((i) => (i.kind === 'relative' ? unitOf(i.target) !== 'flows' : i.kind === 'builtin' || !allowedPackages.includes(i.target)))
    .map((i) => ({ rule: 'flows-pure', message: `${where(i)}: flows/ may import only flows/ and ${allowedPackages.join(', ')}` }));
}

/** A named place that may import a restricted package, and why. */
export interface Allowance {
  /** A folder (`src/bot/`, with the slash) or one file. */
  readonly path: string;
  readonly reason: string;
}

const covers = (allowance: Allowance, file: string) => (allowance.path.endsWith('/') ? file.startsWith(allowance.path) : file === allowance.path);

/** Imports of packages matching `restricted` from anywhere not in `allowed`. */
export function checkRestrictedPackage(graph: readonly Import[], restricted: RegExp, allowed: readonly Allowance[]): Violation[] {
  return graph
    .filter((i) => i.kind === 'package' && restricted.test(i.target))
    .filter((i) => !allowed.some((a) => covers(a, i.from)))
    .map((i) => ({ rule: 'restricted-package', message: `${where(i)}: only the places named in the rule may import ${restricted.source} (ARCHITECTURE.md, "The botbuilder edge")` }));
}

/** Named files in an allow list that no longer import the package: the list must not outlive its reasons. */
export function staleAllowances(graph: readonly Import[], restricted: RegExp, allowed: readonly Allowance[]): Violation[] {
  return allowed
    .filter((a) => !a.path.endsWith('/'))
    .filter((a) => !graph.some((i) => i.from === a.path && i.kind === 'package' && restricted.test(i.target)))
    .map((a) => ({ rule: 'stale-allowance', message: `${a.path} is allowed to import ${restricted.source} but does not: remove it from the list` }));
}

/** Relative imports from one unit into another that the rule forbids (`from` may not import `to`). */
export function checkForbidden(graph: readonly Import[], from: (unit: string) => boolean, to: (unit: string) => boolean, rule: string): Violation[] {
  return graph
    .filter((i) => i.kind === 'relative' && unitOf(i.from) !== unitOf(i.target) && from(unitOf(i.from)) && to(unitOf(i.target)))
    .map((i) => ({ rule, message: `${where(i)}: ${rule}` }));
}

/** A cycle that is known and accepted for now: the units in it, and why. */
export interface CycleException {
  readonly units: readonly string[];
  readonly reason: string;
}

/**
 * Cycles between units (Tarjan's strongly connected components over the unit graph). Each
 * component of two or more units is reported with every import that joins two of its units, so
 * the message shows which lines to move. Components listed in `exceptions` (same set of units)
 * are left out.
 */
/** Imports shown per direction of a cycle; the rest are counted. */
const MAX_SHOWN = 4;

export function checkNoUnitCycles(graph: readonly Import[], exceptions: readonly CycleException[] = []): Violation[] {
  const edges = new Map<string, Set<string>>();
  for (const i of graph) {
    if (i.kind !== 'relative') continue;
    const [a, b] = [unitOf(i.from), unitOf(i.target)];
    if (a === b) continue;
    if (!edges.has(a)) edges.set(a, new Set());
    if (!edges.has(b)) edges.set(b, new Set());
    edges.get(a)!.add(b);
  }
  const components = stronglyConnected(edges).filter((c) => c.length > 1);
  const key = (units: readonly string[]) => [...units].sort().join(' ');
  const excused = new Set(exceptions.map((e) => key(e.units)));
  return components
    .filter((c) => !excused.has(key(c)))
    .map((component) => {
      const inside = new Set(component);
      const joins = new Map<string, Import[]>();
      for (const i of graph) {
        const [a, b] = [unitOf(i.from), unitOf(i.target)];
        if (i.kind !== 'relative' || a === b || !inside.has(a) || !inside.has(b)) continue;
        joins.set(`${a} -> ${b}`, [...(joins.get(`${a} -> ${b}`) ?? []), i]);
      }
      // Fewest imports first: those are usually the ones to move.
      const pairs = [...joins].sort(([ka, a], [kb, b]) => a.length - b.length || ka.localeCompare(kb));
      const lines = pairs.flatMap(([pair, imports]) => [
        `  ${pair} (${imports.length}):`,
        ...imports.slice(0, MAX_SHOWN).map((i) => `    ${where(i)}`),
        ...(imports.length > MAX_SHOWN ? [`    … and ${imports.length - MAX_SHOWN} more`] : []),
      ]);
      return { rule: 'no-folder-cycle', message: `cycle between ${[...component].sort().join(', ')}:\n${lines.join('\n')}` };
    });
}

function stronglyConnected(edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      out.push(component);
    }
  };
  for (const v of [...edges.keys()].sort()) if (!index.has(v)) visit(v);
  return out;
}

/** The words that must open (within the first comment) a source file longer than the limit. */
export const LONG_FILE_MARKER = 'Longer than 250 lines because';

/** Files over `maxLines` lines whose first lines do not give the reason with {@link LONG_FILE_MARKER}. */
export function checkFileLength(files: readonly SourceFile[], maxLines: number): Violation[] {
  return files
    .map((f) => ({ path: f.path, lines: f.text.split('\n').length - (f.text.endsWith('\n') ? 1 : 0), head: f.text.split('\n').slice(0, 15).join('\n') }))
    .filter((f) => f.lines > maxLines && !f.head.includes(LONG_FILE_MARKER))
    .map((f) => ({ rule: 'file-length', message: `${f.path} has ${f.lines} lines: split it, or say why at its top ("${LONG_FILE_MARKER} …")` }));
}

/** Violations as one readable block for a failing assertion. */
export function report(violations: readonly Violation[]): string {
  return violations.map((v) => `[${v.rule}] ${v.message}`).join('\n');
}
