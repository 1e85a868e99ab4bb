import { DeliveryError } from '../../../components/DeliveryError';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { CsrfField } from '../../../components/FormFields';
import { Pagination } from '../../../components/Pagination';
import { TableRegion } from '../../../components/TableRegion';
import { Layout } from '../../../layouts/Layout';
import type { PageContext } from '../../../page-context';
import { adminCrumbs, dateTime, Notice, NS, summaryItems, type AdminFormError } from './common';

/** One dead delivery as the page lists it (server/services/dead-letters.ts gives these). */
export type DeadLetter = {
  id: string;
  reference: string | null;
  organisationId: string;
  organisationName: string | null;
  channelKind: string | null;
  attempts: number;
  lastError: string | null;
  deadAt: string | null;
};

export type DeadLettersProps = { ctx: PageContext; rows: DeadLetter[]; total: number; page: number; pages: number; errors: AdminFormError[]; notice?: string };

/** /espace-pro/admin/livraisons: deliveries that gave up, each with a retry button (a real form). */
export function DeadLettersPage({ ctx, rows, total, page, pages, errors, notice }: DeadLettersProps) {
  const { t, number } = ctx.tr;
  const title = t(`${NS}:deadLetters.title`);
  return (
    <Layout ctx={ctx} title={title} hasErrors={errors.length > 0} breadcrumb={adminCrumbs(ctx)}>
      <ErrorSummary t={t} errors={summaryItems(t, errors, () => 'livraisons')} />
      <h1>{title}</h1>
      <Notice message={notice} />
      <p class="lead">{t(`${NS}:deadLetters.lead`)}</p>
      <p class="results-count" id="livraisons" tabindex={-1}>
        {t(`${NS}:deadLetters.count`, { n: number(total) })}
      </p>
      {rows.length === 0 ? (
        <p class="empty-state">{t(`${NS}:deadLetters.none`)}</p>
      ) : (
        <TableRegion labelledBy="livraisons-caption">
          <table>
            <caption class="visually-hidden" id="livraisons-caption">
              {t(`${NS}:deadLetters.caption`)}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t(`${NS}:deadLetters.columns.reference`)}</th>
                <th scope="col">{t(`${NS}:deadLetters.columns.organisation`)}</th>
                <th scope="col">{t(`${NS}:deadLetters.columns.channel`)}</th>
                <th scope="col">{t(`${NS}:deadLetters.columns.attempts`)}</th>
                <th scope="col">{t(`${NS}:deadLetters.columns.error`)}</th>
                <th scope="col">{t(`${NS}:deadLetters.columns.deadAt`)}</th>
                <th scope="col">{t(`${NS}:deadLetters.columns.action`)}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <th scope="row">
                    <code>{r.reference ?? '–'}</code>
                  </th>
                  <td>
                    <a href={`/espace-pro/admin/organisations/${encodeURIComponent(r.organisationId)}`}>{r.organisationName ?? r.organisationId}</a>
                  </td>
                  <td>{r.channelKind ? t(`${NS}:deadLetters.kinds.${r.channelKind}`) : t(`${NS}:deadLetters.noChannel`)}</td>
                  <td>{number(r.attempts)}</td>
                  <td>{r.lastError ? <DeliveryError t={t} error={r.lastError} code /> : '–'}</td>
                  <td>{dateTime(ctx.tr, r.deadAt)}</td>
                  <td>
                    <form method="post" action={`/espace-pro/admin/livraisons/${encodeURIComponent(r.id)}/relance`} class="inline-form">
                      <CsrfField token={ctx.csrfToken()} />
                      <button type="submit" class="button button--secondary">
                        {t(`${NS}:deadLetters.retry`)}
                        <span class="visually-hidden"> {t(`${NS}:deadLetters.retryHidden`, { reference: r.reference ?? r.id })}</span>
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
      <Pagination t={t} page={page} pages={pages} href={(p) => `/espace-pro/admin/livraisons?page=${p}`} />
      <p>{t(`${NS}:deadLetters.command`)}</p>
    </Layout>
  );
}
