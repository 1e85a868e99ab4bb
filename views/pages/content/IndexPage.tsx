import { CardList, type Card } from '../../components/CardList';
import { Layout } from '../../layouts/Layout';
import type { Crumb, PageContext } from '../../page-context';

/** A section's landing page: title, lead and one card per page beneath it. */
export function IndexPage(props: { ctx: PageContext; title: string; lead: string; cards: Card[]; breadcrumb: Crumb[]; easyRead?: boolean }) {
  return (
    <Layout ctx={props.ctx} title={props.title} description={props.lead} breadcrumb={props.breadcrumb} bodyClass={props.easyRead ? 'easy-read' : undefined}>
      <h1>{props.title}</h1>
      <p class="lead">{props.lead}</p>
      <CardList cards={props.cards} />
    </Layout>
  );
}
