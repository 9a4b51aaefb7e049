import type { Storage } from 'botbuilder';
import type { SequenceHint } from '../privacy/message-sequence.js';
import { readStorageItem, writeStorageItem } from '../storage/state-storage-adapter.js';

/**
 * What the redaction middleware remembers about a conversation between two customer messages:
 * what the last message left open (counts and flags, never text) and whether the bot's last
 * question asks for digits that are not secret. Nothing in it is customer text or a secret.
 */
export interface RedactionMemory {
  readonly hint: SequenceHint;
  readonly digitsExpected: boolean;
  /** Epoch milliseconds of the message it was written for: an old hint no longer applies. */
  readonly at: number;
}

/** Where {@link RedactionMemory} is kept, one per conversation key. */
export interface RedactionMemoryStore {
  read(key: string): Promise<RedactionMemory | undefined>;
  write(key: string, memory: RedactionMemory): Promise<void>;
}

/** A split secret is typed within minutes; a hint older than this is ignored. */
export const HINT_LIFETIME_MS = 15 * 60 * 1000;

/**
 * Kept in the bot's Storage (the same SQLite file as conversation state) under
 * `<conversation key>/redaction`, so a restart between two halves of a code changes nothing.
 */
export class StorageRedactionMemory implements RedactionMemoryStore {
  constructor(private readonly storage: Storage) {}

  async read(key: string): Promise<RedactionMemory | undefined> {
    return parseMemory(await readStorageItem(this.storage, memoryKey(key)));
  }

  async write(key: string, memory: RedactionMemory): Promise<void> {
    await writeStorageItem(this.storage, memoryKey(key), { ...memory, eTag: '*' });
  }
}

/** For tests and tools without a database: a bounded map (oldest conversation forgotten first). */
export class InMemoryRedactionMemory implements RedactionMemoryStore {
  private readonly items = new Map<string, RedactionMemory>();
  constructor(private readonly capacity = 10_000) {}

  async read(key: string): Promise<RedactionMemory | undefined> {
    return this.items.get(key);
  }

  async write(key: string, memory: RedactionMemory): Promise<void> {
    this.items.delete(key);
    this.items.set(key, memory);
    if (this.items.size > this.capacity) this.items.delete(this.items.keys().next().value as string);
  }
}

function memoryKey(conversationKey: string): string {
  return `${conversationKey}/redaction`;
}

/** Reads back only counts and flags: whatever else a row holds is dropped. */
function parseMemory(raw: unknown): RedactionMemory | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as { hint?: Record<string, unknown>; digitsExpected?: unknown; at?: unknown };
  const count = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v > 0 && v < 100 ? v : undefined);
  const hint: { -readonly [K in keyof SequenceHint]: SequenceHint[K] } = {};
  const codeDigits = count(r.hint?.['codeDigits']);
  const seedWords = count(r.hint?.['seedWords']);
  if (codeDigits) hint.codeDigits = codeDigits;
  if (seedWords) hint.seedWords = seedWords;
  if (r.hint?.['passwordNext'] === true) hint.passwordNext = true;
  return { hint, digitsExpected: r.digitsExpected === true, at: typeof r.at === 'number' ? r.at : 0 };
}
