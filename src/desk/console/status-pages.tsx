/** Pages for a console request that cannot be answered: a role too low, or nothing there. */
import { ConsoleLayout, type Flash } from './layout.js';
import { usePage } from './page-context.js';

export function AccessDenied({ role, flash }: { role: string; flash?: Flash | null }) {
  const { t } = usePage();
  return (
    <ConsoleLayout title={t('desk:denied.title')} section={null} flash={flash ?? null}>
      <h1>{t('desk:denied.title')}</h1>
      <p class="error">{t('desk:denied.text', { role: t(`desk:roles.${role}`) })}</p>
      <p>
        <a href="/desk">{t('desk:ticket.backToQueue')}</a>
      </p>
    </ConsoleLayout>
  );
}

export function NotFoundPage({ flash }: { flash?: Flash | null }) {
  const { t } = usePage();
  return (
    <ConsoleLayout title={t('desk:notFound.title')} section={null} flash={flash ?? null}>
      <h1>{t('desk:notFound.title')}</h1>
      <p>{t('desk:notFound.text')}</p>
      <p>
        <a href="/desk">{t('desk:ticket.backToQueue')}</a>
      </p>
    </ConsoleLayout>
  );
}

/** A form posted with a CSRF token that is not this session's (an old tab, another site). */
export function FormExpired({ back }: { back: string }) {
  const { t } = usePage();
  return (
    <ConsoleLayout title={t('desk:errors.csrfTitle')} section={null}>
      <h1>{t('desk:errors.csrfTitle')}</h1>
      <p class="error" role="alert">
        {t('desk:errors.csrf')}
      </p>
      <p>
        <a href={back}>{t('desk:errors.back')}</a>
      </p>
    </ConsoleLayout>
  );
}

/** Something failed on our side; the log has the details. */
export function ErrorPage() {
  const { t } = usePage();
  return (
    <ConsoleLayout title={t('desk:problem.title')} section={null}>
      <h1>{t('desk:problem.title')}</h1>
      <p class="error" role="alert">
        {t('desk:problem.internal')}
      </p>
      <p>
        <a href="/desk">{t('desk:ticket.backToQueue')}</a>
      </p>
    </ConsoleLayout>
  );
}
