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

/**
 * A store's memories kept in the process as well, for a process that is the store's only writer:
 * the embedded SQLite default, whose conversations are served by one process (its turn lock is in
 * memory too). Each message reads its conversation's memory, and most conversations never have
 * one: without this, every message cost a row lookup that found nothing (issue 16). Not for
 * PostgreSQL, where another instance may write the next memory of the same conversation.
 *
 * Bounded (the least recently used conversation is forgotten first, and read from the store again
 * when it comes back), so memory stays flat however many conversations pass.
 */
export class ProcessCachedRedactionMemory implements RedactionMemoryStore {
  /** `null`: the store has none. */
  private readonly items = new Map<string, RedactionMemory | null>();
  /** Counts writes: a read that a write overtook must not put back what it read before it. */
  private writes = 0;

  constructor(
    private readonly inner: RedactionMemoryStore,
    private readonly capacity = 10_000,
  ) {}

  async read(key: string): Promise<RedactionMemory | undefined> {
    const cached = this.items.get(key);
    if (cached !== undefined) {
      this.remember(key, cached);
      return cached ?? undefined;
    }
    const before = this.writes;
    const stored = await this.inner.read(key);
    if (this.writes === before) this.remember(key, stored ?? null);
    return stored;
  }

  async write(key: string, memory: RedactionMemory): Promise<void> {
    this.writes++;
    this.items.delete(key);
    await this.inner.write(key, memory);
    this.writes++;
    this.remember(key, memory);
  }

  private remember(key: string, value: RedactionMemory | null): void {
    this.items.delete(key);
    this.items.set(key, value);
    if (this.items.size > this.capacity) this.items.delete(this.items.keys().next().value as string);
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
