/**
 * OpenID Connect sign-in for agents (authorization code flow with PKCE S256, state and nonce),
 * with openid-client 6. The provider's metadata is discovered at first use and kept: the server
 * starts while the provider is down, and a failed discovery is retried by the next sign-in.
 */
import * as oidc from 'openid-client';
import type { OidcConfig } from '../../config.js';
import type { Language } from '../../i18n/i18n.js';
import type { PendingOidcLoginStore } from './pending-oidc-logins.js';
import { randomSecret, sha256Hex } from './secrets.js';

/** How long the agent may spend at the provider's sign-in page. */
const LOGIN_TTL_MS = 10 * 60_000;
const SCOPE = 'openid email profile';

/** The provider cannot be reached (or answers with nonsense): sign-in is impossible right now. */
export class OidcUnavailableError extends Error {
  override readonly name = 'OidcUnavailableError';
}

/**
 * The return from the provider cannot complete a sign-in: `expired` (no or old sign-in in
 * progress, or used twice), `denied` (the person cancelled or the provider refused), `invalid`
 * (any check failed: state, nonce, PKCE, ID token).
 */
export class OidcSignInError extends Error {
  override readonly name = 'OidcSignInError';
  constructor(readonly reason: 'expired' | 'denied' | 'invalid', message: string) {
    super(message);
  }
}

/** Who the provider says signed in. The e-mail is as the provider gives it (null when it gives none). */
export interface OidcIdentity {
  readonly subject: string;
  readonly email: string | null;
  /** The provider's `email_verified`, or null when it does not say (Entra ID does not). */
  readonly emailVerified: boolean | null;
  readonly language: Language;
}

export interface OidcSignIn {
  /** Starts a sign-in: the URL to send the browser to, and the key for the `desk_oidc` cookie. */
  begin(language: Language): Promise<{ readonly authorizationUrl: URL; readonly loginKey: string }>;
  /** Completes it from the `desk_oidc` cookie and the callback's query string (`?code=…&state=…`). */
  complete(loginKey: string | null, callbackQuery: string): Promise<OidcIdentity>;
}

export interface OidcSignInDeps {
  readonly config: OidcConfig;
  readonly pending: PendingOidcLoginStore;
  readonly now?: () => Date;
  /** Seconds for each request to the provider. */
  readonly timeoutSeconds?: number;
}

/** Creates the sign-in over a pending-login store; no request to the provider until the first sign-in. */
export function createOidcSignIn({ config, pending, now = () => new Date(), timeoutSeconds = 10 }: OidcSignInDeps): OidcSignIn {
  let discovered: Promise<oidc.Configuration> | null = null;

  function configuration(): Promise<oidc.Configuration> {
    if (!discovered) {
      const issuer = new URL(config.issuer);
      discovered = oidc
        .discovery(issuer, config.clientId, config.clientSecret, undefined, {
          // Config refuses an http issuer in production; in development and tests it is a loopback provider.
          execute: issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
          timeout: timeoutSeconds,
        })
        .catch((err: unknown) => {
          discovered = null;
          throw new OidcUnavailableError(`OpenID discovery failed: ${describe(err)}`);
        });
    }
    return discovered;
  }

  return {
    async begin(language) {
      const client = await configuration();
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const loginKey = randomSecret(32);
      const at = now();
      await pending.deleteExpired(at.toISOString());
      await pending.save(sha256Hex(loginKey), { state, nonce, codeVerifier, language, expiresAt: new Date(at.getTime() + LOGIN_TTL_MS).toISOString() });
      const authorizationUrl = oidc.buildAuthorizationUrl(client, {
        redirect_uri: config.redirectUrl,
        scope: SCOPE,
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      return { authorizationUrl, loginKey };
    },

    async complete(loginKey, callbackQuery) {
      const login = loginKey ? await pending.take(sha256Hex(loginKey)) : null;
      if (!login || Date.parse(login.expiresAt) <= now().getTime()) throw new OidcSignInError('expired', 'No sign-in in progress');
      const client = await configuration();
      // The configured redirect URL, not the Host header: behind a proxy the two differ, and the
      // token request must name exactly the URL registered at the provider.
      const currentUrl = new URL(config.redirectUrl);
      currentUrl.search = callbackQuery;
      let tokens;
      try {
        tokens = await oidc.authorizationCodeGrant(client, currentUrl, {
          pkceCodeVerifier: login.codeVerifier,
          expectedState: login.state,
          expectedNonce: login.nonce,
          idTokenExpected: true,
        });
      } catch (err) {
        throw classify(err);
      }
      const claims = tokens.claims();
      if (!claims) throw new OidcSignInError('invalid', 'No ID token');
      let email = typeof claims.email === 'string' ? claims.email : null;
      let emailVerified = typeof claims.email_verified === 'boolean' ? claims.email_verified : null;
      if (email === null && client.serverMetadata().userinfo_endpoint) {
        try {
          const info = await oidc.fetchUserInfo(client, tokens.access_token, claims.sub);
          email = typeof info.email === 'string' ? info.email : null;
          emailVerified = typeof info.email_verified === 'boolean' ? info.email_verified : null;
        } catch (err) {
          throw classify(err);
        }
      }
      return { subject: claims.sub, email, emailVerified, language: login.language };
    },
  };
}

function classify(err: unknown): Error {
  if (err instanceof oidc.AuthorizationResponseError) {
    return new OidcSignInError(err.error === 'access_denied' ? 'denied' : 'invalid', `The provider answered ${err.error}`);
  }
  if (isUnreachable(err)) return new OidcUnavailableError(`OpenID provider unreachable: ${describe(err)}`);
  return new OidcSignInError('invalid', `Sign-in response refused: ${describe(err)}`);
}

function isUnreachable(err: unknown): boolean {
  if (err instanceof TypeError && /fetch failed/i.test(err.message)) return true;
  const code = (err as { code?: string }).code;
  return code === 'OAUTH_TIMEOUT' || code === 'OAUTH_ABORT' || (code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' && responseStatus(err) >= 500);
}

function responseStatus(err: unknown): number {
  const cause = (err as { cause?: unknown }).cause;
  return cause instanceof Response ? cause.status : 0;
}

/** Name, code and message only: never a response body, which may hold a code or token. */
function describe(err: unknown): string {
  const e = err as { name?: string; code?: string; message?: string };
  return [e.name, e.code, e.message].filter(Boolean).join(' ');
}
