/**
 * The layout of ARCHITECTURE.md, enforced. Each rule first proves on a small made-up graph that it
 * catches what it should (a checker that cannot fail would pass anything), then judges the real
 * import graph of src/, flows/ and scripts/ and prints every offending import.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  buildGraph,
  checkFileLength,
  checkFlowsArePure,
  checkForbidden,
  checkNoUnitCycles,
  checkRestrictedPackage,
  readSources,
  report,
  staleAllowances,
  unitOf,
  type Allowance,
  type CycleException,
  type SourceFile,
} from './import-graph.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** flows/ is pure logic: XState only. */
const FLOWS_PACKAGES = ['xstate'];

/** botbuilder and the other Bot Framework packages. */
const BOT_FRAMEWORK = /^(botbuilder|botframework-)/;

/**
 * The only places that may import the Bot Framework SDK (archived by Microsoft; a later move to the
 * Microsoft 365 Agents SDK should touch these and nothing else). Folders end with a slash; every
 * other entry is one file, with the reason it has to speak botbuilder.
 */
const BOT_FRAMEWORK_ALLOWED: readonly Allowance[] = [
  { path: 'src/bot/', reason: 'the bot: ActivityHandler, middleware, activity <-> conversation translation, cards' },
  { path: 'src/server/', reason: 'HTTP routes that hand requests to the adapters' },
  { path: 'src/app.ts', reason: 'the composition root wires the CloudAdapter and its middleware (types)' },
  { path: 'src/app-foundation.ts', reason: "the composition root's backends hand the bot its state as botbuilder's Storage (type)" },
  { path: 'src/storage/state-storage-adapter.ts', reason: "botbuilder's Storage (bot state) as a thin adapter over the ConversationStateStore port (SQLite, PostgreSQL)" },
  { path: 'src/channel/directline/directline-adapter.ts', reason: 'the local web chat channel is a BotAdapter' },
  { path: 'src/channel/directline/index.ts', reason: "middleware that records the bot's replies in the channel's history" },
  { path: 'src/channel/directline/directline-channel.ts', reason: 'Direct Line carries Bot Framework activities (Activity, ResourceResponse)' },
  { path: 'src/channel/directline/directline-store.ts', reason: 'the channel history is a list of Bot Framework activities (Activity)' },
  { path: 'src/channel/directline/sqlite-directline-store.ts', reason: 'stores that history (Activity)' },
  { path: 'src/transcripts/sqlite-transcript-store.ts', reason: "implements botbuilder's TranscriptStore" },
  { path: 'src/transcripts/transcript-store-adapter.ts', reason: "botbuilder's TranscriptStore over the TranscriptLog port (any database)" },
  { path: 'src/transcripts/redacting-transcript-store.ts', reason: "implements botbuilder's TranscriptLogger (redacts before storing)" },
  { path: 'src/transcripts/activity-sanitizer.ts', reason: 'a transcript is a list of Bot Framework activities (Activity)' },
  { path: 'src/transcripts/export.ts', reason: 'writes .transcript files: Bot Framework activities (Activity)' },
  { path: 'src/transcripts/transcript-file.ts', reason: 'reads .transcript files: Bot Framework activities (Activity)' },
  { path: 'src/transcripts/transcript-lines.ts', reason: 'prints transcripts (Activity)' },
  { path: 'src/replay/replay-adapter.ts', reason: 'replay drives the real bot through a BotAdapter of its own' },
  { path: 'src/replay/replayer.ts', reason: 'replays recorded activities (Activity)' },
  { path: 'src/replay/comparable.ts', reason: 'compares replies as activities, cards and buttons (Activity, Attachment, CardAction)' },
  { path: 'src/replay/diff.ts', reason: 'diffs activities (Activity)' },
  { path: 'src/replay/golden.ts', reason: 'writes golden transcripts (Activity, CardAction)' },
  { path: 'src/replay/rerecord.ts', reason: 're-records transcripts (Activity, ChannelAccount)' },
  { path: 'scripts/bench-replay.ts', reason: "measures botbuilder's TranscriptLoggerMiddleware in the replay path" },
  { path: 'scripts/bench/baseline-server.ts', reason: "the benchmark's bare botbuilder echo bot (npm run bench)" },
];

/**
 * Cycles between folders accepted for now, each with its reason and the issue that removes it.
 * Empty is the goal; an entry here is debt, not design.
 */
const CYCLE_EXCEPTIONS: readonly CycleException[] = [];

const MAX_LINES = 250;

const file = (path: string, text: string): SourceFile => ({ path, text });

describe('the checker, on made-up graphs', () => {
  it('names the unit of a path: a folder of src/, a file at its top, flows/ and scripts/', () => {
    expect(unitOf('src/tickets/outbox/dispatcher.ts')).toBe('src/tickets');
    expect(unitOf('src/config.ts')).toBe('src/config.ts');
    expect(unitOf('flows/identity/identity-machine.ts')).toBe('flows');
    expect(unitOf('scripts/desk.ts')).toBe('scripts');
  });

  it('resolves `.js` specifiers to the `.ts` files, and reads type imports, re-exports and import()', () => {
    const graph = buildGraph([
      file('src/a/x.ts', "import type { T } from '../b/y.js';\nexport * from './z.js';\nconst m = await import('../c/index.js');"),
      file('src/b/y.ts', ''),
      file('src/a/z.ts', ''),
      file('src/c/index.ts', ''),
    ]);
    expect(graph.map((i) => [i.target, i.line])).toEqual([
      ['src/b/y.ts', 1],
      ['src/a/z.ts', 2],
      ['src/c/index.ts', 3],
    ]);
  });

  it('catches flows/ importing src/ or a package other than xstate', () => {
    const graph = buildGraph([
      file('flows/m.ts', "import { setup } from 'xstate';\nimport { paths } from 'xstate/graph';\nimport type { L } from '../src/i18n/language.js';\nimport { z } from 'zod';\nimport { x } from './n.js';"),
      file('flows/n.ts', "import { readFileSync } from 'node:fs';"),
      file('src/i18n/language.ts', ''),
    ]);
    const found = checkFlowsArePure(graph, FLOWS_PACKAGES).map((v) => v.message);
    expect(found).toEqual([
      "flows/m.ts:3 imports '../src/i18n/language.js': flows/ may import only flows/ and xstate",
      "flows/m.ts:4 imports 'zod': flows/ may import only flows/ and xstate",
      "flows/n.ts:1 imports 'node:fs': flows/ may import only flows/ and xstate",
    ]);
  });

  it('catches botbuilder outside the allowed folders and files, and allowances that are no longer used', () => {
    const graph = buildGraph([
      file('src/bot/b.ts', "import { TurnContext } from 'botbuilder';"),
      file('src/channel/adapter.ts', "import type { Activity } from 'botbuilder-core';"),
      file('src/channel/other.ts', "import type { Activity } from 'botbuilder';"),
      file('src/tickets/t.ts', "import { CardFactory } from 'botbuilder';\nimport { x } from 'botframework-schema';"),
    ]);
    const allowed: Allowance[] = [
      { path: 'src/bot/', reason: '' },
      { path: 'src/channel/adapter.ts', reason: '' },
      { path: 'src/channel/gone.ts', reason: '' },
    ];
    expect(checkRestrictedPackage(graph, BOT_FRAMEWORK, allowed).map((v) => v.message.split(':').slice(0, 2).join(':'))).toEqual([
      "src/channel/other.ts:1 imports 'botbuilder'",
      "src/tickets/t.ts:1 imports 'botbuilder'",
      "src/tickets/t.ts:2 imports 'botframework-schema'",
    ]);
    expect(staleAllowances(graph, BOT_FRAMEWORK, allowed).map((v) => v.message)).toEqual([
      'src/channel/gone.ts is allowed to import ^(botbuilder|botframework-) but does not: remove it from the list',
    ]);
  });

  it('finds a cycle between folders, with the imports that close it, and none in a one-way graph', () => {
    const oneWay = buildGraph([
      file('src/a/x.ts', "import '../b/y.js';"),
      file('src/b/y.ts', "import '../c/z.js';\nimport './w.js';"),
      file('src/b/w.ts', "import './y.js';"),
      file('src/c/z.ts', ''),
    ]);
    expect(checkNoUnitCycles(oneWay)).toEqual([]);

    const cyclic = buildGraph([
      file('src/a/x.ts', "import '../b/y.js';"),
      file('src/b/y.ts', "import '../c/z.js';"),
      file('src/c/z.ts', "import '../../src/a/x.js';"),
      file('src/d/free.ts', "import '../a/x.js';"),
    ]);
    const [cycle, ...more] = checkNoUnitCycles(cyclic);
    expect(more).toEqual([]);
    expect(cycle!.message).toBe(
      [
        'cycle between src/a, src/b, src/c:',
        '  src/a -> src/b (1):',
        "    src/a/x.ts:1 imports '../b/y.js'",
        '  src/b -> src/c (1):',
        "    src/b/y.ts:1 imports '../c/z.js'",
        '  src/c -> src/a (1):',
        "    src/c/z.ts:1 imports '../../src/a/x.js'",
      ].join('\n'),
    );
    expect(checkNoUnitCycles(cyclic, [{ units: ['src/c', 'src/a', 'src/b'], reason: '' }])).toEqual([]);
  });

  it('catches an import in a forbidden direction', () => {
    const graph = buildGraph([file('src/a/x.ts', "import '../../scripts/s.js';"), file('scripts/s.ts', "import '../src/a/x.js';")]);
    expect(checkForbidden(graph, (u) => u.startsWith('src/'), (u) => u === 'scripts', 'src/ never imports scripts/').map((v) => v.message)).toEqual([
      "src/a/x.ts:1 imports '../../scripts/s.js': src/ never imports scripts/",
    ]);
  });

  it('catches a long file unless its first lines give the reason', () => {
    const long = Array.from({ length: 251 }, (_, n) => `const a${n} = ${n};`).join('\n');
    const reasoned = `/**\n * Longer than 250 lines because it is one table.\n */\n${long}`;
    expect(checkFileLength([file('src/a.ts', long), file('src/b.ts', reasoned), file('src/c.ts', long.split('\n').slice(1).join('\n'))], MAX_LINES).map((v) => v.message)).toEqual([
      'src/a.ts has 251 lines: split it, or say why at its top ("Longer than 250 lines because …")',
    ]);
  });
});

describe('the repository', () => {
  const files = readSources(ROOT, ['src', 'flows', 'scripts']);
  const graph = buildGraph(files);

  it('reads the whole tree', () => {
    expect(files.length).toBeGreaterThan(150);
    expect(graph.filter((i) => i.kind === 'relative').length).toBeGreaterThan(500);
  });

  it('flows/ imports nothing of src/ or scripts/, and no package but xstate', () => {
    expect(report(checkFlowsArePure(graph, FLOWS_PACKAGES))).toBe('');
  });

  it('src/ never imports scripts/', () => {
    expect(report(checkForbidden(graph, (u) => u.startsWith('src/'), (u) => u === 'scripts', 'src/ never imports scripts/'))).toBe('');
  });

  it('botbuilder is imported only by src/bot, src/server and the adapters named in the rule', () => {
    expect(report(checkRestrictedPackage(graph, BOT_FRAMEWORK, BOT_FRAMEWORK_ALLOWED))).toBe('');
    expect(report(staleAllowances(graph, BOT_FRAMEWORK, BOT_FRAMEWORK_ALLOWED))).toBe('');
  });

  it('src/conversation never imports src/tickets (tickets implements the conversation\'s handoff port)', () => {
    expect(report(checkForbidden(graph, (u) => u === 'src/conversation', (u) => u === 'src/tickets', 'conversation/ must not import tickets/'))).toBe('');
  });

  it('src/identity and src/i18n import no other folder of src/', () => {
    const leaves = new Set(['src/identity', 'src/i18n']);
    expect(report(checkForbidden(graph, (u) => leaves.has(u), (u) => u.startsWith('src/'), 'a leaf folder imports only flows/ and packages'))).toBe('');
  });

  it('has no cycle between folders of src/ (or the files at its top), flows/ and scripts/', () => {
    expect(report(checkNoUnitCycles(graph, CYCLE_EXCEPTIONS))).toBe('');
  });

  it(`has no source file over ${MAX_LINES} lines without the reason at its top`, () => {
    expect(report(checkFileLength(files, MAX_LINES))).toBe('');
  });
});
