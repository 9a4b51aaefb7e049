import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDatabase } from './fixtures.js';

const run = promisify(execFile);
const child = fileURLToPath(new URL('./helpers/open-from-process.ts', import.meta.url));

// Several bot processes may share one database file. Each findOrCreateOpen is an IMMEDIATE
// transaction; with a deferred one these processes fail with SQLITE_BUSY (checked by mutation).
describe('SQLite idempotency across processes sharing one file', () => {
  it('4 processes racing through 100 handoffs create exactly one ticket each', async () => {
    const { file, db, cleanup } = tempDatabase();
    db.close();
    try {
      const startAt = Date.now() + 1500;
      const outputs = await Promise.all(
        Array.from({ length: 4 }, () =>
          run(process.execPath, ['--import', 'tsx', child, file, 'conv', '100', String(startAt)], {
            timeout: 30_000,
          }),
        ),
      );
      type Result = { conversationId: string; id: string; created: boolean };
      const results = outputs.flatMap((o) => JSON.parse(o.stdout) as Result[]);
      expect(results).toHaveLength(4 * 100 * 2);
      const byConversation = new Map<string, Result[]>();
      for (const r of results) byConversation.set(r.conversationId, [...(byConversation.get(r.conversationId) ?? []), r]);
      expect(byConversation.size).toBe(100);
      for (const group of byConversation.values()) {
        expect(group.filter((r) => r.created)).toHaveLength(1);
        expect(new Set(group.map((r) => r.id)).size).toBe(1);
      }
    } finally {
      cleanup();
    }
  }, 60_000);
});
