/**
 * A real OpenID provider (oidc-provider) on 127.0.0.1 with a random port, one confidential client
 * that must use PKCE, and its development login form (any password) for the accounts given.
 * `signIn` drives that form with fetch and a cookie jar, the way a browser would.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface TestAccount {
  readonly email: string;
  readonly emailVerified?: boolean;
}

export interface TestIdentityProvider {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /**
   * Follows the redirects from `authorizationUrl` through the provider's login and consent forms
   * as `login`, and returns the URL the provider sends the browser back to (the callback).
   */
  signIn(authorizationUrl: string, login: string): Promise<URL>;
  stop(): Promise<void>;
}

export async function startTestIdentityProvider(redirectUrl: string, accounts: Readonly<Record<string, TestAccount>>): Promise<TestIdentityProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'support-desk';
  const clientSecret = 'support-desk-test-secret-0123456789';
  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUrl], token_endpoint_auth_method: 'client_secret_post' }],
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    cookies: { keys: ['test-cookie-signing-key'] },
    async findAccount(_ctx: unknown, sub: string) {
      const account = accounts[sub];
      return {
        accountId: sub,
        claims: async () => (account ? { sub, email: account.email, email_verified: account.emailVerified ?? true, name: sub } : { sub }),
      };
    },
  });
  server.on('request', provider.callback());

  async function signIn(authorizationUrl: string, login: string): Promise<URL> {
    const jar = new Map<string, string>();
    let url = new URL(authorizationUrl);
    let init: RequestInit = {};
    for (let step = 0; step < 12; step++) {
      const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), Cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
      for (const cookie of res.headers.getSetCookie()) {
        const [pair = ''] = cookie.split(';');
        const eq = pair.indexOf('=');
        jar.set(pair.slice(0, eq), pair.slice(eq + 1));
      }
      init = {};
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        url = new URL(location, url);
        if (url.origin !== issuer) return url;
        continue;
      }
      const html = await res.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      if (res.status !== 200 || !action) throw new Error(`unexpected provider page ${res.status} at ${url.pathname}`);
      // The login form asks for a login; the consent form has only hidden fields (prompt=consent).
      const fields = new URLSearchParams([...html.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
      if (/name="login"/.test(html)) {
        fields.set('login', login);
        fields.set('password', 'any');
      }
      url = new URL(action.replace(/&amp;/g, '&'), url);
      init = { method: 'POST', body: fields.toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } };
    }
    throw new Error('the provider did not send the browser back');
  }

  return {
    issuer,
    clientId,
    clientSecret,
    signIn,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
