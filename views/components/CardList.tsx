export type Card = { href: string; title: string; summary: string };

/** A list of cards, each a whole-card link whose name is the card title (DSFR "tuile" pattern). */
export function CardList({ cards, headingLevel = 2 }: { cards: Card[]; headingLevel?: 2 | 3 }) {
  const H = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <ul class="cards">
      {cards.map((card) => (
        <li class="card">
          <H class="card__title">
            <a href={card.href}>{card.title}</a>
          </H>
          <p class="card__summary">{card.summary}</p>
        </li>
      ))}
    </ul>
  );
}
