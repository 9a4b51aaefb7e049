/**
 * The promise, checked on the bytes: secrets customers type into the description (and agents
 * paste into notes) never reach the SQLite file or its write-ahead log.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteTicketRepository } from '../../src/tickets/sqlite-ticket-repository.js';
import { createTicketService } from '../../src/tickets/ticket-service.js';
import { createAgentTicketService } from '../../src/tickets/agent-ticket-service.js';
import { SqliteNotificationOutbox } from '../../src/tickets/outbox/sqlite-notification-outbox.js';
import type { SqliteDatabase } from '../../src/storage/database.js';
import { SECRET_CORPUS } from '../privacy/secret-corpus.js';
import { needles } from '../helpers/secret-needles.js';
import { CLAIMS, handoffRequest, tempDatabase } from './fixtures.js';


function fileBytes(file: string): Buffer {
  const parts = [file, `${file}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f));
  return Buffer.concat(parts);
}

describe('no secret from the corpus reaches the SQLite file', () => {
  let db: SqliteDatabase;
  let file: string;
  let cleanup: () => void;
  let beforeCheckpoint: Buffer;
  let afterCheckpoint: Buffer;

  beforeAll(async () => {
    ({ db, file, cleanup } = tempDatabase());
    const repository = new SqliteTicketRepository(db);
    const service = createTicketService({ repository });
    const agents = createAgentTicketService({ repository, outbox: new SqliteNotificationOutbox(db) });
    for (const [i, sample] of SECRET_CORPUS.entries()) {
      const { ticket } = await service.openForHandoff(
        handoffRequest({ userId: `u-${i}`, claims: { ...CLAIMS, description: sample.text } }),
      );
      await agents.verifyIdentity(ticket.id, 'agent-a', { note: `customer also wrote: ${sample.text}` });
      await agents.addNote(ticket.id, 'agent-a', sample.text);
      await agents.requestInfo(ticket.id, 'agent-a', `please confirm: ${sample.text}`);
      await agents.close(ticket.id, 'agent-b', 'other', { note: sample.text });
    }
    // Some data is still only in the WAL here; both files are read.
    beforeCheckpoint = fileBytes(file);
    db.pragma('wal_checkpoint(TRUNCATE)');
    afterCheckpoint = fileBytes(file);
  });
  afterAll(() => cleanup());

  it('stored something: the raw e-mail of the identity claims is in the file (the search works)', () => {
    expect(beforeCheckpoint.includes(Buffer.from(CLAIMS.email))).toBe(true);
    expect(afterCheckpoint.includes(Buffer.from(CLAIMS.email))).toBe(true);
    expect(afterCheckpoint.includes(Buffer.from('[redacted:'))).toBe(true);
  });

  it.each(SECRET_CORPUS)('$kind: $text', ({ secrets }) => {
    for (const secret of secrets) {
      for (const needle of needles(secret)) {
        expect(beforeCheckpoint.includes(needle), `before checkpoint: ${secret}`).toBe(false);
        expect(afterCheckpoint.includes(needle), `after checkpoint: ${secret}`).toBe(false);
      }
    }
  });
});
