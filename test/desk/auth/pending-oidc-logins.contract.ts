/**
 * What every PendingOidcLoginStore must do: keep a sign-in in progress under its key's hash, hand it
 * out once, forget expired ones. Run by each implementation's test with a factory giving an empty store.
 */
import { describe, expect, it } from 'vitest';
import type { PendingOidcLogin, PendingOidcLoginStore } from '../../../src/desk/auth/pending-oidc-logins.js';

const login: PendingOidcLogin = { state: 's', nonce: 'n', codeVerifier: 'v', language: 'ja', expiresAt: '2026-11-30T09:10:00.000Z' };

/** `make()`: a store; stores made in one test share their database (two instances). */
export function pendingOidcLoginContract(name: string, make: () => PendingOidcLoginStore): void {
  describe(`PendingOidcLoginStore contract: ${name}`, () => {
    it('hands a sign-in out once, to one of two takers at once', async () => {
      const a = make();
      const b = make();
      await a.save('key-1', login);
      const taken = await Promise.all([a.take('key-1'), b.take('key-1')]);
      expect(taken.filter((t) => t !== null)).toEqual([login]);
      expect(await a.take('key-1')).toBeNull();
      expect(await a.take('unknown')).toBeNull();
    });

    it('deletes the sign-ins expired at or before now, and keeps the others', async () => {
      const store = make();
      await store.save('key-2', login);
      await store.save('key-3', { ...login, language: 'en', expiresAt: '2026-11-30T10:00:00.000Z' });
      expect(await store.deleteExpired('2026-11-30T09:10:00.000Z')).toBe(1);
      expect(await store.take('key-2')).toBeNull();
      expect(await store.take('key-3')).toEqual({ ...login, language: 'en', expiresAt: '2026-11-30T10:00:00.000Z' });
    });
  });
}
