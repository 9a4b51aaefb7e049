import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDatabase } from './fixtures.js';

const child = fileURLToPath(new URL('./helpers/open-from-process.ts', import.meta.url));

/** A child that has opened the database; `go()` lets it start and resolves with what it printed after "ready". */
async function startChild(file: string, prefix: string, count: number): Promise<{ go: () => Promise<string> }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', child, file, prefix, String(count)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  proc.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = once(proc, 'exit') as Promise<[number | null]>;
  await Promise.race([
    new Promise<void>((resolve) => proc.stdout.on('data', () => stdout.startsWith('ready\n') && resolve())),
    exited.then(([code]) => Promise.reject(new Error(`child exited ${code} before it was ready: ${stderr}`))),
  ]);
  return {
    go: async () => {
      proc.stdin.end('go\n');
      const [code] = await exited;
      if (code !== 0) throw new Error(`child exited ${code}: ${stderr}`);
      return stdout.slice('ready\n'.length);
    },
  };
}

// Several bot processes may share one database file. Each findOrCreateOpen is an IMMEDIATE
// transaction; with a deferred one these processes fail with SQLITE_BUSY (checked by mutation).
describe('SQLite idempotency across processes sharing one file', () => {
  it('4 processes racing through 100 handoffs create exactly one ticket each', async () => {
    const { file, db, cleanup } = tempDatabase();
    db.close();
    try {
      // Every process has loaded and opened the file before any starts: they collide, whatever the machine's load.
      const children = await Promise.all(Array.from({ length: 4 }, () => startChild(file, 'conv', 100)));
      const outputs = await Promise.all(children.map((c) => c.go()));
      type Result = { conversationId: string; id: string; created: boolean };
      const results = outputs.flatMap((o) => JSON.parse(o) as Result[]);
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
