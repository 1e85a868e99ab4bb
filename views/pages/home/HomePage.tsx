import { Layout } from '../../layouts/Layout';
import type { PageContext } from '../../page-context';

type Door = { href: string; title: string; body: string; action: string; more?: { href: string; label: string } };
type Fact = { title: string; body: string };

/** Home: what this is, then three doors (understand, the register, exercise my rights). */
export function HomePage({ ctx }: { ctx: PageContext }) {
  const { t, doc } = ctx.tr;
  const home = doc<{
    title: string;
    lead: string;
    doorsTitle: string;
    doors: Door[];
    factsTitle: string;
    facts: Fact[];
    easyRead: { title: string; body: string; link: string };
  }>('home');
  return (
    <Layout ctx={ctx} title={home.title} description={home.lead}>
      <div class="hero">
        <h1>{home.title}</h1>
        <p class="lead">{home.lead}</p>
      </div>
      <section aria-labelledby="doors-title">
        <h2 id="doors-title">{home.doorsTitle}</h2>
        <ul class="doors">
          {home.doors.map((door) => (
            <li class="door">
              <h3 class="door__title">{door.title}</h3>
              <p>{door.body}</p>
              <a class="button" href={door.href}>
                {door.action}
              </a>
              {door.more ? (
                <p class="door__more">
                  <a href={door.more.href}>{door.more.label}</a>
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="facts-title">
        <h2 id="facts-title">{home.factsTitle}</h2>
        <dl class="facts">
          {home.facts.map((fact) => (
            <div class="facts__item">
              <dt>{fact.title}</dt>
              <dd>{fact.body}</dd>
            </div>
          ))}
        </dl>
      </section>
      <aside class="callout callout--easy" aria-labelledby="easy-title">
        <h2 id="easy-title">{home.easyRead.title}</h2>
        <p>{home.easyRead.body}</p>
        <p>
          <a href="/facile-a-lire">{home.easyRead.link}</a>
        </p>
      </aside>
      <p class="muted">{t('common:site.sourcesNote')}</p>
    </Layout>
  );
}
