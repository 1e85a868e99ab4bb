/**
 * The demonstration register (server/db/seed/demo-register.json) on a fresh install: every value the
 * /projets form offers returns at least one project, and every invented value is marked as such.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRows } from '../../server/db/register';
import { todayIn } from '../../server/domain/deadlines';
import { resultsOverdue } from '../../server/domain/register-rows';
import { FIELD_NAMES, PROJECT_STATUSES, PURPOSES } from '../../server/domain/register-schema';
import { translatorFor } from '../../server/i18n';
import { registerTableSchema, seedDemoRegister } from '../../server/services/register';
import { makeTestApp, type TestApp } from '../helpers/app';

let t: TestApp;
const now = new Date();
beforeAll(() => {
  t = makeTestApp({}, { now: () => now });
  seedDemoRegister(t.deps.database.db, registerTableSchema(translatorFor(t.deps.i18n, 'fr'), t.deps.config.publicUrl), now, todayIn(now));
});
afterAll(() => t.close());

const resultIds = (html: string) => [...html.matchAll(/<a href="\/projets\/([a-z0-9-]+)" lang="fr">/g)].map((m) => m[1]);
const count = (html: string) => Number(/<strong>(\d+) projets? trouvés?<\/strong>/.exec(html)?.[1] ?? 0);

/** Every (name, value) the form's selects offer, read from the page as a person gets it. */
function formOptions(html: string): [string, string][] {
  const form = /<form class="register__filters"[\s\S]*?<\/form>/.exec(html)![0];
  return [...form.matchAll(/<select id="f-[a-z]+" name="([a-z]+)">([\s\S]*?)<\/select>/g)].flatMap(([, name, options]) =>
    [...options!.matchAll(/<option value="([^"]*)"/g)].map((m) => [name!, m[1]!] as [string, string]).filter(([, value]) => value !== ''),
  );
}

describe('demonstration register', () => {
  it('returns at least one project for every value of every filter of /projets', async () => {
    const options = formOptions(await (await t.app.request('/projets')).text());
    const filters = options.filter(([name]) => name !== 'tri');
    // The form offers every status and purpose, both answers of the yes/no filters, and the lists.
    for (const s of PROJECT_STATUSES) expect(filters).toContainEqual(['statut', s]);
    for (const f of PURPOSES) expect(filters).toContainEqual(['finalite', f]);
    for (const name of ['commercial', 'opposition']) for (const v of ['oui', 'non']) expect(filters).toContainEqual([name, v]);
    expect(filters.filter(([n]) => n === 'source').length).toBeGreaterThan(10);
    expect(filters.filter(([n]) => n === 'organisation').length).toBeGreaterThan(10);
    const empty: string[] = [];
    for (const [name, value] of filters) {
      const html = await (await t.app.request(`/projets?${name}=${encodeURIComponent(value)}`)).text();
      if (count(html) < 1 || resultIds(html).length < 1) empty.push(`${name}=${value}`);
    }
    expect(empty).toEqual([]);
  });

  it('finds projects by topic: covid, diabetes, cancers, hospitalisations', async () => {
    for (const q of ['covid', 'diabète', 'diabetiques', 'cancers', 'hospitalisations', 'intelligence artificielle']) {
      expect(resultIds(await (await t.app.request(`/projets?q=${encodeURIComponent(q)}`)).text()).length, q).toBeGreaterThan(0);
    }
  });

  it('covers finished projects with results and with overdue results, objection not applicable with its reason, commercial use and AI training', () => {
    const rows = projectRows(t.deps.database.db);
    const today = todayIn(now);
    expect(rows.some((r) => r.statut === 'termine' && r.resultats_resume && r.date_resultats)).toBe(true);
    expect(rows.some((r) => resultsOverdue(r, today))).toBe(true);
    expect(rows.some((r) => r.opposition_applicable === 'false' && r.motif_exclusion_opposition)).toBe(true);
    expect(rows.every((r) => r.opposition_applicable === 'true' || r.motif_exclusion_opposition)).toBe(true);
    expect(rows.some((r) => r.usage_commercial === 'true')).toBe(true);
    expect(rows.some((r) => r.entrainement_ia === 'true')).toBe(true);
  });

  it('marks invented values: every record names its invented fields, a changed stage says so, an invented record says it is one', () => {
    const demo = JSON.parse(readFileSync(new URL('../../server/db/seed/demo-register.json', import.meta.url), 'utf8')) as {
      projects: Record<string, string>[];
      sources: Record<string, unknown>[];
    };
    for (const p of demo.projects) {
      const fictitious = p.champs_fictifs!.split(';');
      expect(fictitious.length, p.id).toBeGreaterThan(0);
      for (const f of fictitious) expect(FIELD_NAMES, `${p.id}: ${f}`).toContain(f);
      // The pilots stood at a file deposited, in review or with a CESREES opinion in mid-2019.
      if (!['depose', 'en_instruction', 'avis_cesrees'].includes(p.statut!)) {
        expect(fictitious, p.id).toContain('statut');
        expect(p.note_statut, p.id).toMatch(/fictif|fictive|inventé/);
      }
      if (p.opposition_applicable === 'false')
        expect(fictitious, p.id).toEqual(expect.arrayContaining(['opposition_applicable', 'motif_exclusion_opposition']));
    }
    const invented = demo.projects.filter((p) => !p.numero_hdh);
    expect(invented.map((p) => p.id)).toEqual(['demo-diabete-covid']);
    expect(invented[0]!.titre_clair).toMatch(/^Projet fictif/);
    expect(invented[0]!.champs_fictifs).toContain('titre_clair');
    for (const s of demo.sources) {
      expect(typeof s.identifiante, String(s.id)).toBe('boolean');
      expect(String(s.identifianteMotif).length, String(s.id)).toBeGreaterThan(20);
    }
  });
});
