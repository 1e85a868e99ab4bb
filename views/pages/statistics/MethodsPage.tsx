import { ContentBlock } from '../../components/ContentBlocks';
import { Layout } from '../../layouts/Layout';
import type { PageContext } from '../../page-context';
import type { Block, Link, Section } from '../content/content-types';

type MethodsDoc = { title: string; lead: string; sections: Section[]; next: Link[] };

/** The numbers the text speaks of (thresholds, freezing delay), put in where it writes {{name}}. */
export type MethodsNumbers = Record<string, number>;

function fill(text: string, numbers: MethodsNumbers): string {
  return text.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => (name in numbers ? String(numbers[name]) : whole));
}

function filled(block: Block, numbers: MethodsNumbers): Block {
  if ('p' in block) return { p: fill(block.p, numbers) };
  if ('ul' in block) return { ul: block.ul.map((s) => fill(s, numbers)) };
  if ('ol' in block) return { ol: block.ol.map((s) => fill(s, numbers)) };
  if ('dl' in block) return { dl: block.dl.map((e) => ({ term: fill(e.term, numbers), definition: fill(e.definition, numbers) })) };
  if ('note' in block) return { note: fill(block.note, numbers) };
  return block;
}

/**
 * /statistiques/methode: how each figure is computed, the thresholds, what is suppressed and why, the
 * freezing rule, with the legal sources. The text is the `methods` document of the statistics locale;
 * the thresholds come from the code that applies them (server/domain/statistics.ts), so they cannot differ.
 */
export function MethodsPage({ ctx, numbers }: { ctx: PageContext; numbers: MethodsNumbers }) {
  const { tr } = ctx;
  const { t } = tr;
  const doc = tr.doc<{ methods: MethodsDoc }>('statistics').methods;
  return (
    <Layout
      ctx={ctx}
      title={doc.title}
      description={doc.lead}
      breadcrumb={[
        { href: '/', label: t('common:breadcrumb.home') },
        { href: '/statistiques', label: t('statistics:title') },
      ]}
    >
      <div class="content">
        <h1>{doc.title}</h1>
        <p class="lead">{fill(doc.lead, numbers)}</p>
        <nav class="toc" aria-labelledby="toc-title">
          <h2 class="toc__title" id="toc-title">
            {t('statistics:methodsToc')}
          </h2>
          <ol>
            {doc.sections.map((s, i) => (
              <li>
                <a href={`#m-${i + 1}`}>{s.heading}</a>
              </li>
            ))}
          </ol>
        </nav>
        {doc.sections.map((s, i) => (
          <section aria-labelledby={`m-${i + 1}`}>
            <h2 id={`m-${i + 1}`}>{s.heading}</h2>
            {s.blocks.map((b) => (
              <ContentBlock block={filled(b, numbers)} t={t} />
            ))}
          </section>
        ))}
        <div class="next-steps">
          <h2>{t('statistics:methodsNext')}</h2>
          <ul>
            {doc.next.map((l) => (
              <li>
                <a href={l.href}>{l.label}</a>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </Layout>
  );
}
