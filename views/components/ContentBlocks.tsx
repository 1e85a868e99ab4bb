import type { TFunction } from '../../server/i18n';
import type { Block, Link } from '../pages/content/content-types';

function isExternal(href: string): boolean {
  return /^https?:\/\//.test(href) || href.startsWith('mailto:');
}

export function LinkItem({ link, t }: { link: Link; t: TFunction }) {
  const external = /^https?:\/\//.test(link.href);
  return (
    <a href={link.href} rel={external ? 'noopener' : undefined}>
      {link.label}
      {external ? <span class="visually-hidden"> {t('common:externalLink')}</span> : null}
    </a>
  );
}

/** Renders one block of a content document; the text is plain and escaped by JSX. */
export function ContentBlock({ block, t, headingLevel = 3 }: { block: Block; t: TFunction; headingLevel?: 3 | 4 }) {
  if ('p' in block) return <p>{block.p}</p>;
  if ('ul' in block)
    return (
      <ul>
        {block.ul.map((item) => (
          <li>{item}</li>
        ))}
      </ul>
    );
  if ('ol' in block)
    return (
      <ol class="steps">
        {block.ol.map((item) => (
          <li>{item}</li>
        ))}
      </ol>
    );
  if ('dl' in block) {
    return (
      <dl class="glossary">
        {block.dl.map((entry) => (
          <div class="glossary__entry">
            <dt>{entry.term}</dt>
            <dd>{entry.definition}</dd>
          </div>
        ))}
      </dl>
    );
  }
  if ('qa' in block) {
    const H = headingLevel === 3 ? 'h3' : 'h4';
    return (
      <div class="qa">
        {block.qa.map((item) => (
          <div class="qa__item">
            <H>{item.q}</H>
            {item.a.map((answer) => (
              <p>{answer}</p>
            ))}
          </div>
        ))}
      </div>
    );
  }
  if ('note' in block) {
    return (
      <div class="callout">
        <p>{block.note}</p>
      </div>
    );
  }
  if ('source' in block) {
    return (
      <p class="source">
        <span class="source__label">{t('common:source')}</span> {block.source}
      </p>
    );
  }
  if ('links' in block) {
    return (
      <ul class="link-list">
        {block.links.map((link) => (
          <li>
            <LinkItem link={link} t={t} />
          </li>
        ))}
      </ul>
    );
  }
  return null;
}

export { isExternal };
