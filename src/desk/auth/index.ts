/** The support desk's sign-in: what the desk's routes and the composition root use. */
export { createDeskAuth, type DeskAuth, type DeskAuthDeps } from './desk-auth.js';
export { createDeskAuthenticator, type AuthenticatedAgent, type DeskAuthenticator, type DeskRequest } from './authenticator.js';
export { requireRole } from './require-role.js';
export { API_TOKEN_PREFIX, createApiTokens, type ApiTokens, type IssuedApiToken, type NewApiToken } from './api-tokens.js';
export { createDeskSessions, type DeskSessions, type ResolvedSession, type StartedSession } from './desk-sessions.js';
export { OIDC_LOGIN_COOKIE, SESSION_COOKIE } from './cookies.js';
export { OidcSignInError, OidcUnavailableError, type OidcIdentity, type OidcSignIn } from './oidc-sign-in.js';
