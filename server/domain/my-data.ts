/**
 * The answers of the page "Which projects may use my data?" (/comprendre/mes-donnees-dans-les-projets),
 * read from its GET form, and which data sources they point to. Pure: the sources a person may choose are
 * given. Nothing here is stored: the answers live in the page's address only.
 *
 * Being insured in France puts a person's reimbursed care in the main base of the SNDS (Code de la santé
 * publique, L1461-1 I), which covers almost everyone cared for in France: a person who does not know
 * whether they are insured is shown the SNDS projects as well.
 */

export const INSURED_ANSWERS = ['oui', 'non', 'nsp'] as const;
export type InsuredAnswer = (typeof INSURED_ANSWERS)[number];

/** More values than any list of sources holds: what is beyond is ignored, and the work stays bounded. */
const MAX_VALUES = 100;
const MAX_PAGE = 10_000;

export type MyDataAnswers = {
  /** Whether the form was sent (its hidden field), even with nothing chosen. */
  asked: boolean;
  insured?: InsuredAnswer;
  hospitals: string[];
  cohorts: string[];
  page: number;
  /** Parameters given but not understood (an unknown source, a value not offered), for the page to say so. */
  ignored: string[];
};

export type AnswerQuery = { one: (name: string) => string | undefined; all: (name: string) => string[] };

/** Reads the answers; a value the page does not offer is left out and named in `ignored`, never an error. */
export function parseMyDataAnswers(query: AnswerQuery, known: { hospitals: ReadonlySet<string>; cohorts: ReadonlySet<string> }): MyDataAnswers {
  const ignored = new Set<string>();
  const pick = (name: string, allowed: ReadonlySet<string>) => {
    const values = [...new Set(query.all(name).slice(0, MAX_VALUES))].filter((v) => v !== '');
    if (values.some((v) => !allowed.has(v))) ignored.add(name);
    return values.filter((v) => allowed.has(v));
  };
  const rawInsured = query.one('assure');
  const insured = (INSURED_ANSWERS as readonly string[]).includes(rawInsured ?? '') ? (rawInsured as InsuredAnswer) : undefined;
  if (rawInsured && !insured) ignored.add('assure');
  const rawPage = query.one('page');
  const page = rawPage && /^\d{1,5}$/.test(rawPage) && Number(rawPage) >= 1 && Number(rawPage) <= MAX_PAGE ? Number(rawPage) : 1;
  if (rawPage && page === 1 && rawPage !== '1') ignored.add('page');
  return {
    asked: query.one('reponses') === '1',
    ...(insured ? { insured } : {}),
    hospitals: pick('hopital', known.hospitals),
    cohorts: pick('cohorte', known.cohorts),
    page,
    ignored: [...ignored],
  };
}

/** The sources the answers point to: the SNDS bases unless the person said they are not insured in France, then those chosen. */
export function sourcesOfAnswers(answers: MyDataAnswers, sndsIds: readonly string[]): string[] {
  const snds = answers.insured === 'oui' || answers.insured === 'nsp' ? sndsIds : [];
  return [...new Set([...snds, ...answers.hospitals, ...answers.cohorts])];
}

/** The address of the answers, for the pages of results (the same query, another page). */
export function answersQuery(answers: MyDataAnswers, page: number): string {
  const params = new URLSearchParams({ reponses: '1' });
  if (answers.insured) params.set('assure', answers.insured);
  for (const h of answers.hospitals) params.append('hopital', h);
  for (const c of answers.cohorts) params.append('cohorte', c);
  if (page > 1) params.set('page', String(page));
  return `?${params.toString()}`;
}
