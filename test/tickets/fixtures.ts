/** Builders shared by the ticket tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type SqliteDatabase } from '../../src/storage/database.js';
import { migrations } from '../../src/tickets/sqlite-ticket-repository.js';
import { generateTicketId } from '../../src/ticket-id.js';
import type { HandoffRequest } from '../../src/tickets/handoff-request.js';
import type { IdentityClaims } from '../../src/identity/identity-claims.js';
import type { NewTicket } from '../../src/tickets/ticket.js';

export const CLAIMS: IdentityClaims = {
  email: 'taro.yamada@example.com',
  fullName: '山田 太郎',
  dateOfBirth: '1990-01-02',
  phoneLast4: '5678',
  description: 'Lost my phone on the train; no backup codes.',
};

let conversationCounter = 0;

/** A fresh conversation id, so tests never collide on the idempotency key by accident. */
export function newConversationId(): string {
  conversationCounter += 1;
  return `conv-${conversationCounter}-${Math.random().toString(36).slice(2)}`;
}

export function newTicket(overrides: Partial<NewTicket> = {}): NewTicket {
  return {
    id: generateTicketId(),
    reason: 'phone_lost_no_backup',
    language: 'ja',
    channelId: 'webchat',
    userId: 'user-1',
    tenantId: null,
    conversationId: overrides.conversationId ?? newConversationId(),
    conversationReference: {
      conversation: { id: 'c1' },
      serviceUrl: 'http://127.0.0.1:9/connector',
      channelId: 'webchat',
      user: { id: 'user-1' },
      bot: { id: 'bot' },
    },
    claims: CLAIMS,
    path: ['start', 'phoneLost', 'backupCodes'],
    stepsTried: ['backupCodes'],
    createdAt: '2025-01-01T00:00:00.000Z',
    openedBy: { kind: 'customer', id: overrides.userId ?? 'user-1' },
    note: null,
    ...overrides,
  };
}

export function handoffRequest(overrides: Partial<HandoffRequest> = {}): HandoffRequest {
  const conversationId = overrides.conversationId ?? newConversationId();
  return {
    reason: 'app_lost_no_backup',
    language: 'en',
    channelId: 'webchat',
    userId: 'user-1',
    conversationId,
    conversationReference: { conversation: { id: conversationId }, serviceUrl: 'http://127.0.0.1:9/c' },
    activityId: null,
    claims: { ...CLAIMS },
    path: ['start', 'appLost'],
    stepsTried: [],
    ...overrides,
  };
}

/** A migrated SQLite database in a temporary directory; `cleanup` closes and deletes it. */
export function tempDatabase(): { db: SqliteDatabase; file: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'tickets-test-'));
  const file = join(dir, 'bot.db');
  const db = openDatabase(file, migrations);
  return {
    db,
    file,
    cleanup: () => {
      if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
