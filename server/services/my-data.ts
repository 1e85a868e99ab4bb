/**
 * "Which projects may use my data?": the choices the page offers (the SNDS bases, the hospital data
 * warehouses and the cohorts among the register's sources), the answers read against them, and one page
 * of the projects that use the sources the answers point to, each with the sources of the person's it
 * uses. Reads only: nothing of the answers is stored or logged.
 */
import type { Db } from '../db/client';
import { dataSourcesOfKind, projectIdsUsingSources, sndsSources, type SourceChoice } from '../db/my-data';
import { projectRows } from '../db/register';
import { parseMyDataAnswers, sourcesOfAnswers, type AnswerQuery, type MyDataAnswers } from '../domain/my-data';
import type { ProjectRow } from '../domain/register-schema';

export type { SourceChoice };
export const MY_DATA_PAGE_SIZE = 20;

export type MyDataChoices = { snds: SourceChoice[]; hospitals: SourceChoice[]; cohorts: SourceChoice[] };

export function myDataChoices(db: Db): MyDataChoices {
  return { snds: sndsSources(db), hospitals: dataSourcesOfKind(db, 'entrepot'), cohorts: dataSourcesOfKind(db, 'cohorte') };
}

export type MyDataProject = { row: ProjectRow; matched: { id: string; name: string }[] };
export type MyDataResults = { total: number; pages: number; projects: MyDataProject[]; sources: string[] };

/** The answers in the address, and (once the form was sent) the page of projects they lead to. */
export function myDataPage(db: Db, query: AnswerQuery): { choices: MyDataChoices; answers: MyDataAnswers; results?: MyDataResults } {
  const choices = myDataChoices(db);
  const answers = parseMyDataAnswers(query, {
    hospitals: new Set(choices.hospitals.map((s) => s.id)),
    cohorts: new Set(choices.cohorts.map((s) => s.id)),
  });
  if (!answers.asked) return { choices, answers };
  const sources = sourcesOfAnswers(
    answers,
    choices.snds.map((s) => s.id),
  );
  const { total, ids } = projectIdsUsingSources(db, sources, MY_DATA_PAGE_SIZE, (answers.page - 1) * MY_DATA_PAGE_SIZE);
  const chosen = new Set(sources);
  const projects = projectRows(db, ids).map((row) => {
    const idsOf = (row.sources_ids ?? '').split(';');
    const names = (row.sources_noms ?? '').split(';');
    return { row, matched: idsOf.flatMap((id, i) => (chosen.has(id) ? [{ id, name: names[i] ?? id }] : [])) };
  });
  return { choices, answers, results: { total, pages: Math.max(1, Math.ceil(total / MY_DATA_PAGE_SIZE)), projects, sources } };
}
