import { Pagination } from '../../../components/Pagination';
import { TableRegion } from '../../../components/TableRegion';
import { Layout } from '../../../layouts/Layout';
import type { PageContext } from '../../../page-context';
import { adminCrumbs, dateTime, NS } from './common';

export type AuditRow = { seq: number; at: string; actor: string; action: string; targetType: string | null; targetId: string | null; detail: string | null };
export type AuditCheck = { ok: true; entries: number } | { ok: false; entries: number; brokenAt: number; reason: string };

export type AuditProps = { ctx: PageContext; entries: AuditRow[]; total: number; page: number; pages: number; verification: AuditCheck };

/** Detail is a JSON object of technical facts: shown as "key: value" pairs. */
function detailText(detail: string | null): string {
  if (!detail) return '';
  try {
    const parsed = JSON.parse(detail) as Record<string, unknown>;
    return Object.entries(parsed)
      .map(([k, v]) => `${k}: ${v === null ? '–' : String(v)}`)
      .join(', ');
  } catch {
    return detail;
  }
}

/** /espace-pro/admin/journal: the newest entries first, and whether the whole chain still verifies. */
export function AuditPage({ ctx, entries, total, page, pages, verification }: AuditProps) {
  const { t, number } = ctx.tr;
  const title = t(`${NS}:journal.title`);
  return (
    <Layout ctx={ctx} title={title} breadcrumb={adminCrumbs(ctx)}>
      <h1>{title}</h1>
      <p class="lead">{t(`${NS}:journal.lead`)}</p>
      {verification.ok ? (
        <div class="callout" role="status">
          <p>{t(`${NS}:journal.intact`, { n: number(verification.entries) })}</p>
        </div>
      ) : (
        <div class="callout callout--warning" role="alert">
          <p>{t(`${NS}:journal.broken`, { seq: verification.brokenAt, reason: t(`${NS}:journal.reasons.${verification.reason}`) })}</p>
        </div>
      )}
      <p>{t(`${NS}:journal.command`)}</p>
      {entries.length === 0 ? (
        <p class="empty-state">{t(`${NS}:journal.none`)}</p>
      ) : (
        <TableRegion labelledBy="journal-caption">
          <table>
            <caption class="visually-hidden" id="journal-caption">
              {t(`${NS}:journal.caption`, { n: number(total) })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t(`${NS}:journal.columns.seq`)}</th>
                <th scope="col">{t(`${NS}:journal.columns.at`)}</th>
                <th scope="col">{t(`${NS}:journal.columns.actor`)}</th>
                <th scope="col">{t(`${NS}:journal.columns.action`)}</th>
                <th scope="col">{t(`${NS}:journal.columns.target`)}</th>
                <th scope="col">{t(`${NS}:journal.columns.detail`)}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr>
                  <th scope="row">{e.seq}</th>
                  <td>{dateTime(ctx.tr, e.at)}</td>
                  <td>
                    <code>{e.actor}</code>
                  </td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>{e.targetType ? `${e.targetType} ${e.targetId ?? ''}` : '–'}</td>
                  <td>{detailText(e.detail)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
      <Pagination t={t} page={page} pages={pages} href={(p) => `/espace-pro/admin/journal?page=${p}`} />
    </Layout>
  );
}
