/**
 * The register's back-office home: find a project by its title or id and open its form, add
 * one; the organisations and data sources, each a link to its form.
 */
import type { ProjectRow } from '../../../../server/domain/register-schema';
import { Pagination } from '../../../components/Pagination';
import { TableRegion } from '../../../components/TableRegion';
import { Layout } from '../../../layouts/Layout';
import type { PageContext } from '../../../page-context';

export type RegisterHomeProps = {
  ctx: PageContext;
  q: string;
  page: number;
  pages: number;
  total: number;
  projects: ProjectRow[];
  organisations: { id: string; name: string; siren: string | null }[];
  sources: { id: string; name: string; kind: string | null }[];
};

export function RegisterHomePage({ ctx, q, page, pages, total, projects, organisations, sources }: RegisterHomeProps) {
  const { tr } = ctx;
  const { t } = tr;
  const title = t('staff-register:home.title');
  const href = (p: number) => `/espace-pro/registre?${new URLSearchParams({ ...(q ? { q } : {}), page: String(p) }).toString()}`;
  return (
    <Layout ctx={ctx} title={title} breadcrumb={[{ href: '/espace-pro', label: t('staff:nav.home') }]}>
      <h1>{title}</h1>
      <p class="lead">{t('staff-register:home.lead')}</p>
      <p>
        <a class="button" href="/espace-pro/registre/projets/nouveau">
          {t('staff-register:home.newProject')}
        </a>
      </p>

      <section aria-labelledby="projets-titre">
        <h2 id="projets-titre">{t('staff-register:home.projects.heading')}</h2>
        <form method="get" action="/espace-pro/registre" role="search" class="field">
          <label for="f-q">{t('staff-register:home.search.label')}</label>
          <p class="hint" id="f-q-hint">
            {t('staff-register:home.search.hint')}
          </p>
          <div class="search-row">
            <input type="search" id="f-q" name="q" value={q} aria-describedby="f-q-hint" />
            <button type="submit" class="button">
              {t('staff-register:home.search.button')}
            </button>
          </div>
        </form>
        <p class="results-count" role="status">
          {total === 0
            ? q
              ? t('staff-register:home.projects.noneFor', { q })
              : t('staff-register:home.projects.none')
            : t('staff-register:home.projects.count', { count: total, formatted: tr.number(total) })}
        </p>
        {projects.length > 0 ? (
          <TableRegion labelledBy="projects-caption">
            <table>
              <caption class="visually-hidden" id="projects-caption">
                {t('staff-register:home.projects.caption')}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('staff-register:home.projects.title')}</th>
                  <th scope="col">{t('staff-register:home.projects.id')}</th>
                  <th scope="col">{t('staff-register:home.projects.status')}</th>
                  <th scope="col">{t('staff-register:home.projects.updated')}</th>
                  <th scope="col">{t('staff-register:home.projects.public')}</th>
                </tr>
              </thead>
              <tbody>
                {projects.map((p) => (
                  <tr>
                    <td>
                      <a href={`/espace-pro/registre/projets/${p.id}`} lang="fr">
                        {p.titre_clair}
                      </a>
                    </td>
                    <td>
                      <code>{p.id}</code>
                    </td>
                    <td>{t(`register-fields:values.statut.${p.statut}`)}</td>
                    <td>{p.mis_a_jour ? <time datetime={p.mis_a_jour}>{tr.date(p.mis_a_jour)}</time> : null}</td>
                    <td>
                      <a href={`/projets/${p.id}`}>
                        {t('staff-register:home.projects.view')}
                        <span class="visually-hidden"> {t('staff-register:home.projects.viewOf', { title: p.titre_clair })}</span>
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        ) : null}
        <Pagination t={t} page={page} pages={pages} href={href} />
      </section>

      <section aria-labelledby="organisations-titre">
        <h2 id="organisations-titre">{t('staff-register:home.organisations.heading')}</h2>
        <p>
          <a href="/espace-pro/registre/organisations/nouveau">{t('staff-register:home.organisations.new')}</a>
        </p>
        {organisations.length === 0 ? (
          <p>{t('staff-register:home.organisations.none')}</p>
        ) : (
          <TableRegion labelledBy="organisations-caption">
            <table>
              <caption class="visually-hidden" id="organisations-caption">
                {t('staff-register:home.organisations.heading')}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('staff-register:home.organisations.name')}</th>
                  <th scope="col">{t('staff-register:home.organisations.id')}</th>
                  <th scope="col">SIREN</th>
                </tr>
              </thead>
              <tbody>
                {organisations.map((o) => (
                  <tr>
                    <td>
                      <a href={`/espace-pro/registre/organisations/${o.id}`} lang="fr">
                        {o.name}
                      </a>
                    </td>
                    <td>
                      <code>{o.id}</code>
                    </td>
                    <td>{o.siren ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        )}
      </section>

      <section aria-labelledby="sources-titre">
        <h2 id="sources-titre">{t('staff-register:home.sources.heading')}</h2>
        <p>
          <a href="/espace-pro/registre/sources/nouveau">{t('staff-register:home.sources.new')}</a>
        </p>
        {sources.length === 0 ? (
          <p>{t('staff-register:home.sources.none')}</p>
        ) : (
          <TableRegion labelledBy="sources-caption">
            <table>
              <caption class="visually-hidden" id="sources-caption">
                {t('staff-register:home.sources.heading')}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('staff-register:home.sources.name')}</th>
                  <th scope="col">{t('staff-register:home.sources.id')}</th>
                  <th scope="col">{t('staff-register:home.sources.kind')}</th>
                </tr>
              </thead>
              <tbody>
                {sources.map((s) => (
                  <tr>
                    <td>
                      <a href={`/espace-pro/registre/sources/${s.id}`} lang="fr">
                        {s.name}
                      </a>
                    </td>
                    <td>
                      <code>{s.id}</code>
                    </td>
                    <td>{s.kind ? t(`staff-register:source.kinds.${s.kind}`, { defaultValue: s.kind }) : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        )}
      </section>
    </Layout>
  );
}
