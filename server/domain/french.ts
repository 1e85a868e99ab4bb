/**
 * French articles before an organisation's name: "transmise à la Caisse nationale de l’assurance
 * maladie", "au CHU de Limoges", "à l’Institut Curie", "à VIDAL"; "la réponse de la Caisse…", "du
 * CHU…", "de l’Institut…", "de VIDAL".
 *
 * The rule, from French grammar (the article before the names of institutions, elision, contraction):
 * - A name made of a common noun ("Caisse nationale…", "Centre…", "Institut…") takes the definite
 *   article of that noun, its first word: "la" for a feminine noun, "le" for a masculine one, "les"
 *   for a plural one. An acronym takes the article of the noun it stands for (le CHU: le centre
 *   hospitalier universitaire; l’INSERM: l’institut; la DREES: la direction).
 * - "le" and "la" become "l’" before a vowel or a mute h (l’Agence, l’Hôpital); not before an
 *   aspirated h (la Haute Autorité de santé) nor before an acronym spelt from a consonant (la CNIL).
 * - After "à" and "de", "le" and "les" contract: à + le = au, à + les = aux, de + le = du,
 *   de + les = des. "la" and "l’" do not (à la, de la, à l’, de l’).
 * - A brand or company name ("VIDAL", "Epiconcept", "Santé publique France", "Sorbonne Université")
 *   takes no article: "à VIDAL", "de VIDAL". So does every name whose first word is not a noun
 *   listed below: without knowing the word's gender, no article is the safe choice. "de" still
 *   elides before a vowel ("d’Epiconcept"); "à" never does.
 * - A name that starts with its own article keeps it, contracted when it is "Le" or "Les"
 *   ("au Monde", "des Hospices…"), as is ("à La Poste") otherwise.
 *
 * The lists hold the words that organisations' names start with (server/db/seed/demo-register.json,
 * and the common French names of health and research bodies).
 */

export type FrenchPreposition = 'à' | 'de';

type Article = 'le' | 'la' | 'les';

/** Nouns and acronyms that start names of organisations, with their article. Compared without case. */
const FIRST_WORDS: ReadonlyMap<string, Article> = new Map<string, Article>([
  // Feminine nouns.
  ...(
    [
      'agence',
      'assistance',
      'association',
      'autorité',
      'banque',
      'base',
      'caisse',
      'chambre',
      'clinique',
      'cohorte',
      'commission',
      'communauté',
      'délégation',
      'direction',
      'école',
      'équipe',
      'fédération',
      'fondation',
      'haute',
      'ligue',
      'maison',
      'mutualité',
      'mutuelle',
      'plateforme',
      'société',
      'union',
      'unité',
      'université',
    ] as const
  ).map((w) => [w, 'la'] as const),
  // Feminine acronyms: agence régionale de santé, Assistance publique – Hôpitaux de Paris or de Marseille,
  // agence nationale de sécurité du médicament, banque nationale de données maladies rares, caisses,
  // Commission nationale de l’informatique et des libertés, directions, Haute Autorité de santé, Mutualité sociale agricole.
  ...(['ars', 'ap-hp', 'ap-hm', 'ansm', 'bndmr', 'cnam', 'cnaf', 'ccmsa', 'cpam', 'cnil', 'drees', 'dgs', 'dgos', 'has', 'msa'] as const).map(
    (w) => [w, 'la'] as const,
  ),
  // Masculine nouns.
  ...(
    [
      'centre',
      'collège',
      'comité',
      'conseil',
      'consortium',
      'département',
      'établissement',
      'groupe',
      'groupement',
      'haut',
      'hôpital',
      'institut',
      'laboratoire',
      'ministère',
      'observatoire',
      'office',
      'organisme',
      'pôle',
      'programme',
      'registre',
      'réseau',
      'service',
      'syndicat',
    ] as const
  ).map((w) => [w, 'le'] as const),
  // Masculine acronyms: centres hospitaliers (régional, universitaire, intercommunal), centre régional de coordination
  // des dépistages des cancers, centre de lutte contre le cancer, groupements (de coopération sanitaire, d’intérêt public,
  // hospitalier universitaire), instituts, service d’aide médicale urgente.
  ...(['ch', 'chi', 'chr', 'chru', 'chu', 'clcc', 'crdc', 'gcs', 'gip', 'ghu', 'inserm', 'inca', 'insee', 'cnrs', 'cea', 'ird', 'samu'] as const).map(
    (w) => [w, 'le'] as const,
  ),
  // Plural nouns.
  ...(['hospices', 'hôpitaux', 'laboratoires', 'instituts', 'hcl'] as const).map((w) => [w, 'les'] as const),
]);

/** Words starting with an h that is mute, so "le" and "la" elide before them (l’Hôpital); every other h is aspirated. */
const MUTE_H = new Set(['hôpital', 'hôpitaux', 'hospices', 'hôtel']);

const ELIDED = 'l’';

function startsWithVowelSound(word: string): boolean {
  const first = word.normalize('NFD').charAt(0).toLowerCase();
  return 'aeiou'.includes(first) || MUTE_H.has(word.toLowerCase());
}

/** "Caisse nationale…" → { article: 'la', rest: 'Caisse nationale…' }; "Le Monde" → { article: 'le', rest: 'Monde' }. */
function split(name: string): { article: Article | 'l’' | null; rest: string; ownArticle: boolean } {
  const own = /^(Le|Les)\s+(\S.*)$/u.exec(name);
  if (own) return { article: own[1]!.toLowerCase() as Article, rest: own[2]!, ownArticle: true };
  // "La Poste", "L’Oréal": the article is part of the name and "la" never contracts, so the name stays whole.
  if (/^(La\s|L[’'])/u.test(name)) return { article: null, rest: name, ownArticle: true };
  const firstWord = name.split(/\s/u, 1)[0]!.replace(/[,;:.]+$/u, '');
  const article = FIRST_WORDS.get(firstWord.toLowerCase()) ?? null;
  if (article !== 'les' && article !== null && startsWithVowelSound(firstWord)) return { article: ELIDED, rest: name, ownArticle: false };
  return { article, rest: name, ownArticle: false };
}

/** The name with its definite article, as the object of a verb: "la Caisse…", "le CHU…", "l’INSERM", "VIDAL". */
export function withFrenchArticle(name: string): string {
  const trimmed = name.trim();
  const { article, rest, ownArticle } = split(trimmed);
  if (article === null || ownArticle) return trimmed;
  return article === ELIDED ? `${ELIDED}${rest}` : `${article} ${rest}`;
}

/** The name after "à" or "de", article contracted: "à la Caisse…", "au CHU…", "à l’INSERM", "à VIDAL"; "de la", "du", "de l’", "de". */
export function withFrenchPreposition(preposition: FrenchPreposition, name: string): string {
  const trimmed = name.trim();
  const { article, rest } = split(trimmed);
  if (article === 'le') return `${preposition === 'à' ? 'au' : 'du'} ${rest}`;
  if (article === 'les') return `${preposition === 'à' ? 'aux' : 'des'} ${rest}`;
  if (article === ELIDED) return `${preposition} ${ELIDED}${rest}`;
  if (article === 'la') return `${preposition} la ${rest}`;
  // No article: "de" elides before a vowel ("d’Epiconcept"), "à" never does.
  if (preposition === 'de' && startsWithVowelSound(rest)) return `d’${rest}`;
  return `${preposition} ${rest}`;
}
