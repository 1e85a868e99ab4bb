import type { Child } from 'hono/jsx';
import { ContentBlock, LinkItem } from '../../components/ContentBlocks';
import { Layout } from '../../layouts/Layout';
import type { Crumb, PageContext } from '../../page-context';
import type { ContentDoc } from './content-types';

export type ContentPageProps = {
  ctx: PageContext;
  doc: ContentDoc;
  breadcrumb: Crumb[];
  /** Larger text and spacing for easy-to-read pages. */
  easyRead?: boolean;
  /** Extra content after the sections (cards of sub-pages on index pages). */
  children?: Child;
};

/** A plain-language information page: h1, lead, a table of contents, sections, then "what you can do now". */
export function ContentPage({ ctx, doc, breadcrumb, easyRead, children }: ContentPageProps) {
  const { t } = ctx.tr;
  const showToc = doc.sections.length >= 3;
  return (
    <Layout ctx={ctx} title={doc.title} description={doc.summary} breadcrumb={breadcrumb} bodyClass={easyRead ? 'easy-read' : undefined}>
      <article class="content">
        <h1>{doc.title}</h1>
        <p class="lead">{doc.lead}</p>
        {showToc ? (
          <nav class="toc" aria-labelledby="toc-title">
            <h2 id="toc-title" class="toc__title">
              {t('common:toc')}
            </h2>
            <ol>
              {doc.sections.map((section, i) => (
                <li>
                  <a href={`#section-${i + 1}`}>{section.heading}</a>
                </li>
              ))}
            </ol>
          </nav>
        ) : null}
        {doc.sections.map((section, i) => (
          <section aria-labelledby={`section-${i + 1}`}>
            <h2 id={`section-${i + 1}`}>{section.heading}</h2>
            {section.blocks.map((block) => (
              <ContentBlock block={block} t={t} />
            ))}
          </section>
        ))}
        {children}
        {doc.next.length > 0 ? (
          <aside class="next-steps" aria-labelledby="next-steps-title">
            <h2 id="next-steps-title">{t('common:nextSteps')}</h2>
            <ul class="link-list">
              {doc.next.map((link) => (
                <li>
                  <LinkItem link={link} t={t} />
                </li>
              ))}
            </ul>
          </aside>
        ) : null}
      </article>
    </Layout>
  );
}
