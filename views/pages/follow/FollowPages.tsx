/**
 * The pages of following the register by e-mail (/suivre): the follow form, the buttons behind the
 * mailed links (a mail scanner opening a link must neither confirm nor stop anything: only a button does),
 * the form asking for the management link, and the management page of every follow of an address.
 */
import { messageFor, toFormErrors, type FieldError } from '../../../server/domain/form-errors';
import { FOLLOW_FREQUENCIES, type FollowFrequency } from '../../../server/domain/follows';
import { ErrorSummary } from '../../components/ErrorSummary';
import { CsrfField, Radios, TextField } from '../../components/FormFields';
import { Layout } from '../../layouts/Layout';
import type { PageContext } from '../../page-context';
import { MessagePage } from '../request/OtherPages';

/** A follow as the pages show it: what it follows in words, that target's page, its rhythm. */
export type FollowItem = { id: string; label: string; href: string; frequency: FollowFrequency; confirmed: boolean };

const home = (ctx: PageContext) => [{ href: '/', label: ctx.tr.t('common:breadcrumb.home') }];

/** /suivre/<kind>/<id>: what will be followed, the address and the rhythm, and what is done with the address. */
export function FollowFormPage({
  ctx,
  target,
  action,
  errors = [],
  values = {},
}: {
  ctx: PageContext;
  target: { label: string; href: string };
  action: string;
  errors?: FieldError[];
  values?: Record<string, string>;
}) {
  const { t, doc } = ctx.tr;
  const err = (field: string) => messageFor(t, errors, field);
  const privacy = doc<{ form: { privacy: string[] } }>('follow').form.privacy;
  return (
    <Layout
      ctx={ctx}
      title={t('follow:form.title')}
      hasErrors={errors.length > 0}
      breadcrumb={[...home(ctx), { href: '/projets', label: t('register:title') }]}
    >
      <ErrorSummary t={t} errors={toFormErrors(t, errors)} />
      <h1>{t('follow:form.title')}</h1>
      <p class="lead">{t('follow:form.lead')}</p>
      <div class="callout">
        <p>
          {t('follow:form.what')} <a href={target.href}>{target.label}</a>
        </p>
      </div>
      <form method="post" action={action} novalidate>
        <CsrfField token={ctx.csrfToken()} />
        <TextField
          t={t}
          name="email"
          type="email"
          label={t('follow:form.email')}
          hint={t('follow:form.emailHint')}
          error={err('email')}
          value={values.email}
          autocomplete="email"
          spellcheck={false}
        />
        <Radios
          t={t}
          name="frequency"
          legend={t('follow:form.frequency')}
          error={err('frequency')}
          value={values.frequency ?? 'weekly'}
          options={FOLLOW_FREQUENCIES.map((f) => ({ value: f, label: t(`follow:form.${f}`), hint: t(`follow:form.${f}Hint`) }))}
        />
        <button type="submit" class="button">
          {t('follow:form.submit')}
        </button>
      </form>
      <section aria-labelledby="follow-privacy">
        <h2 id="follow-privacy">{t('follow:form.privacyTitle')}</h2>
        {privacy.map((p) => (
          <p>{p}</p>
        ))}
      </section>
      <p>
        <a href="/suivre/gerer">{t('follow:form.manage')}</a>
      </p>
    </Layout>
  );
}

/** A page whose only action is one button that posts (confirm a follow, stop it, open one's follows). */
export function ButtonPage({
  ctx,
  title,
  paragraphs,
  action,
  button,
  csrf = true,
}: {
  ctx: PageContext;
  title: string;
  paragraphs: string[];
  action: string;
  button: string;
  /** The one-click unsubscribe takes no token (RFC 8058: the mail client posts with no cookie). */
  csrf?: boolean;
}) {
  return (
    <MessagePage ctx={ctx} title={title} paragraphs={paragraphs}>
      <form method="post" action={action}>
        {csrf ? <CsrfField token={ctx.csrfToken()} /> : null}
        <button type="submit" class="button">
          {button}
        </button>
      </form>
    </MessagePage>
  );
}

/** A link used, expired or unknown: what to do now. */
export function FollowLinkInvalidPage({ ctx, message }: { ctx: PageContext; message?: string }) {
  const { t } = ctx.tr;
  return (
    <MessagePage
      ctx={ctx}
      title={t('follow:invalid.title')}
      paragraphs={[message ?? t('follow:invalid.body')]}
      links={[{ href: '/suivre/gerer', label: t('follow:invalid.again') }]}
    />
  );
}

/** /suivre/gerer: the address whose follows to open; a link is mailed to it. */
export function ManageFormPage({ ctx, errors = [], values = {} }: { ctx: PageContext; errors?: FieldError[]; values?: Record<string, string> }) {
  const { t } = ctx.tr;
  return (
    <Layout ctx={ctx} title={t('follow:manage.title')} hasErrors={errors.length > 0} breadcrumb={home(ctx)}>
      <ErrorSummary t={t} errors={toFormErrors(t, errors)} />
      <h1>{t('follow:manage.title')}</h1>
      <p>{t('follow:manage.lead')}</p>
      <form method="post" action="/suivre/gerer" novalidate>
        <CsrfField token={ctx.csrfToken()} />
        <TextField
          t={t}
          name="email"
          type="email"
          label={t('follow:form.email')}
          error={messageFor(t, errors, 'email')}
          value={values.email}
          autocomplete="email"
          spellcheck={false}
        />
        <button type="submit" class="button">
          {t('follow:manage.submit')}
        </button>
      </form>
    </Layout>
  );
}

/** /suivre/mes-suivis: every follow of the address, each with its rhythm to change and a button to stop it. */
export function MyFollowsPage({ ctx, follows, done }: { ctx: PageContext; follows: FollowItem[]; done?: string }) {
  const { t } = ctx.tr;
  const token = ctx.csrfToken();
  return (
    <Layout ctx={ctx} title={t('follow:mine.title')} breadcrumb={home(ctx)}>
      {done ? (
        <div class="panel panel--success" role="status">
          <p>{t(`follow:mine.done.${done}`)}</p>
        </div>
      ) : null}
      <h1>{t('follow:mine.title')}</h1>
      {follows.length === 0 ? <p>{t('follow:mine.none')}</p> : <p>{t('follow:mine.lead')}</p>}
      <ul class="follow-list">
        {follows.map((f) => (
          <li class="follow-list__item">
            <p class="follow-list__what">
              <a href={f.href}>{f.label}</a>
            </p>
            {f.confirmed ? (
              <p>{t('follow:mine.rhythm', { frequency: t(`follow:frequency.${f.frequency}`) })}</p>
            ) : (
              <p class="hint">{t('follow:mine.pending')}</p>
            )}
            <form method="post" action="/suivre/mes-suivis/frequence" class="follow-list__form">
              <CsrfField token={token} />
              <input type="hidden" name="id" value={f.id} />
              <div class="field">
                <label for={`f-frequency-${f.id}`}>{t('follow:mine.frequencyLabel', { target: f.label })}</label>
                <select id={`f-frequency-${f.id}`} name="frequency">
                  {FOLLOW_FREQUENCIES.map((q) => (
                    <option value={q} selected={q === f.frequency}>
                      {t(`follow:form.${q}`)}
                    </option>
                  ))}
                </select>
              </div>
              <button type="submit" class="button button--secondary">
                {t('follow:mine.change')}
              </button>
            </form>
            <form method="post" action="/suivre/mes-suivis/arreter" class="follow-list__form">
              <CsrfField token={token} />
              <input type="hidden" name="id" value={f.id} />
              {/* The visible words begin the accessible name (WCAG 2.5.3, label in name); the rest says which follow. */}
              <button type="submit" class="button button--warning">
                {t('follow:mine.stop')}
                <span class="visually-hidden">{t('follow:mine.stopWhich', { target: f.label })}</span>
              </button>
            </form>
          </li>
        ))}
      </ul>
      {follows.length > 1 ? (
        <form method="post" action="/suivre/mes-suivis/tout-arreter">
          <CsrfField token={token} />
          <button type="submit" class="button button--warning">
            {t('follow:mine.stopAll')}
          </button>
        </form>
      ) : null}
      <p>
        <a href="/projets">{t('follow:mine.follow')}</a>
      </p>
    </Layout>
  );
}
