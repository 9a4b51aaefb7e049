/**
 * The pages around signing in: the sign-in page (the identity provider's button and/or the token
 * form), a refusal or failure with the way back, and the page that forwards to the desk after the
 * provider's return. None of them loads a script.
 */
import { SignInLayout } from './layout.js';
import { usePage } from './page-context.js';

export interface LoginPageProps {
  readonly oidc: boolean;
  readonly tokenForm: boolean;
  /** Where to go after signing in (a desk page the agent asked for). */
  readonly next: string | null;
  /** A message above the forms (the last token was refused). */
  readonly error?: string;
}

/** `/desk/login`. */
export function LoginPage({ oidc, tokenForm, next, error }: LoginPageProps) {
  const { t, lang } = usePage();
  const oidcHref = `/desk/login/oidc?lang=${lang}${next ? `&next=${encodeURIComponent(next)}` : ''}`;
  return (
    <SignInLayout title={t('desk:signIn.title')} languages>
      <h1>{t('desk:signIn.heading')}</h1>
      <p>{t('desk:signIn.intro')}</p>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {oidc ? (
        <p>
          <a class="button" href={oidcHref}>
            {t('desk:signIn.oidcButton')}
          </a>
        </p>
      ) : null}
      {tokenForm ? (
        <>
          <h2>{t('desk:signIn.tokenHeading')}</h2>
          <form method="post" action="/desk/login/token">
            <input type="hidden" name="lang" value={lang} />
            {next ? <input type="hidden" name="next" value={next} /> : null}
            <label for="token">{t('desk:signIn.tokenLabel')}</label>
            <input type="password" id="token" name="token" required autocomplete="off" spellcheck={false} aria-describedby="token-hint" />
            <p class="hint" id="token-hint">
              {t('desk:signIn.tokenHint')}
            </p>
            <button type="submit">{t('desk:signIn.tokenSubmit')}</button>
          </form>
        </>
      ) : null}
      {!oidc && !tokenForm ? <p class="error">{t('desk:signIn.noMethod')}</p> : null}
    </SignInLayout>
  );
}

/** A refusal or failure, with the way back to sign-in. */
export function MessagePage({ message }: { message: string }) {
  const { t, lang } = usePage();
  return (
    <SignInLayout title={t('desk:errors.title')}>
      <h1>{t('desk:errors.title')}</h1>
      <p class="error" role="alert">
        {message}
      </p>
      <p>
        <a href={`/desk/login?lang=${lang}`}>{t('desk:errors.backToSignIn')}</a>
      </p>
    </SignInLayout>
  );
}

/**
 * After the provider's return: the session cookie is SameSite=Strict and this response answers a
 * cross-site navigation, so the browser would not send it on a redirect; a page that moves on by
 * itself makes the next request same-site, with the cookie.
 */
export function ForwardPage({ next }: { next: string }) {
  const { t } = usePage();
  return (
    <SignInLayout title={t('desk:desk.title')} head={<meta http-equiv="refresh" content={`0;url=${next}`} />}>
      <p>{t('desk:desk.forwarding')}</p>
      <p>
        <a class="button" href={next}>
          {t('desk:desk.continue')}
        </a>
      </p>
    </SignInLayout>
  );
}
