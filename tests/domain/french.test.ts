import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { withFrenchArticle, withFrenchPreposition } from '../../server/domain/french';

const demo = JSON.parse(readFileSync(new URL('../../server/db/seed/demo-register.json', import.meta.url), 'utf8')) as { organisations: { name: string }[] };

/** Every organisation of the demonstration register: after "à", after "de", and as the object of a verb. Each read aloud. */
const DEMO: [name: string, to: string, of: string, the: string][] = [
  [
    'Assistance Publique – Hôpitaux de Paris (AP-HP)',
    'à l’Assistance Publique – Hôpitaux de Paris (AP-HP)',
    'de l’Assistance Publique – Hôpitaux de Paris (AP-HP)',
    'l’Assistance Publique – Hôpitaux de Paris (AP-HP)',
  ],
  [
    'Réseau HUGO (Hôpitaux universitaires du Grand Ouest)',
    'au Réseau HUGO (Hôpitaux universitaires du Grand Ouest)',
    'du Réseau HUGO (Hôpitaux universitaires du Grand Ouest)',
    'le Réseau HUGO (Hôpitaux universitaires du Grand Ouest)',
  ],
  ['Sorbonne Université', 'à Sorbonne Université', 'de Sorbonne Université', 'Sorbonne Université'],
  ['Université Paris Diderot', 'à l’Université Paris Diderot', 'de l’Université Paris Diderot', 'l’Université Paris Diderot'],
  [
    'Laboratoire d’informatique médicale et d’ingénierie des connaissances en e-santé (LIMICS)',
    'au Laboratoire d’informatique médicale et d’ingénierie des connaissances en e-santé (LIMICS)',
    'du Laboratoire d’informatique médicale et d’ingénierie des connaissances en e-santé (LIMICS)',
    'le Laboratoire d’informatique médicale et d’ingénierie des connaissances en e-santé (LIMICS)',
  ],
  [
    'Laboratoire d’informatique pour la mécanique et les sciences de l’ingénieur (LIMSI)',
    'au Laboratoire d’informatique pour la mécanique et les sciences de l’ingénieur (LIMSI)',
    'du Laboratoire d’informatique pour la mécanique et les sciences de l’ingénieur (LIMSI)',
    'le Laboratoire d’informatique pour la mécanique et les sciences de l’ingénieur (LIMSI)',
  ],
  [
    'Direction de la recherche, des études, de l’évaluation et des statistiques (DREES)',
    'à la Direction de la recherche, des études, de l’évaluation et des statistiques (DREES)',
    'de la Direction de la recherche, des études, de l’évaluation et des statistiques (DREES)',
    'la Direction de la recherche, des études, de l’évaluation et des statistiques (DREES)',
  ],
  ['Institut Curie', 'à l’Institut Curie', 'de l’Institut Curie', 'l’Institut Curie'],
  ['UNICANCER', 'à UNICANCER', 'd’UNICANCER', 'UNICANCER'],
  [
    'Banque nationale de données maladies rares (BNDMR)',
    'à la Banque nationale de données maladies rares (BNDMR)',
    'de la Banque nationale de données maladies rares (BNDMR)',
    'la Banque nationale de données maladies rares (BNDMR)',
  ],
  ['Santé publique France', 'à Santé publique France', 'de Santé publique France', 'Santé publique France'],
  ['Réseau NetSarc', 'au Réseau NetSarc', 'du Réseau NetSarc', 'le Réseau NetSarc'],
  ['Institut Bergonié', 'à l’Institut Bergonié', 'de l’Institut Bergonié', 'l’Institut Bergonié'],
  ['Université de Rennes', 'à l’Université de Rennes', 'de l’Université de Rennes', 'l’Université de Rennes'],
  [
    'Institut national de la santé et de la recherche médicale (INSERM)',
    'à l’Institut national de la santé et de la recherche médicale (INSERM)',
    'de l’Institut national de la santé et de la recherche médicale (INSERM)',
    'l’Institut national de la santé et de la recherche médicale (INSERM)',
  ],
  [
    'F-CRIN (French Clinical Research Infrastructure Network)',
    'à F-CRIN (French Clinical Research Infrastructure Network)',
    'de F-CRIN (French Clinical Research Infrastructure Network)',
    'F-CRIN (French Clinical Research Infrastructure Network)',
  ],
  ['CHU de Limoges', 'au CHU de Limoges', 'du CHU de Limoges', 'le CHU de Limoges'],
  ["Optim'Care", "à Optim'Care", "d’Optim'Care", "Optim'Care"],
  ['Epiconcept', 'à Epiconcept', 'd’Epiconcept', 'Epiconcept'],
  [
    'CRDC Occitanie (centre régional de coordination des dépistages des cancers)',
    'au CRDC Occitanie (centre régional de coordination des dépistages des cancers)',
    'du CRDC Occitanie (centre régional de coordination des dépistages des cancers)',
    'le CRDC Occitanie (centre régional de coordination des dépistages des cancers)',
  ],
  ['Implicity', 'à Implicity', 'd’Implicity', 'Implicity'],
  ['VIDAL', 'à VIDAL', 'de VIDAL', 'VIDAL'],
  [
    'Agence nationale de sécurité du médicament et des produits de santé (ANSM)',
    'à l’Agence nationale de sécurité du médicament et des produits de santé (ANSM)',
    'de l’Agence nationale de sécurité du médicament et des produits de santé (ANSM)',
    'l’Agence nationale de sécurité du médicament et des produits de santé (ANSM)',
  ],
  [
    'Agence régionale de santé Île-de-France (ARS Île-de-France)',
    'à l’Agence régionale de santé Île-de-France (ARS Île-de-France)',
    'de l’Agence régionale de santé Île-de-France (ARS Île-de-France)',
    'l’Agence régionale de santé Île-de-France (ARS Île-de-France)',
  ],
  ['SAMU 78 (SAMU des Yvelines)', 'au SAMU 78 (SAMU des Yvelines)', 'du SAMU 78 (SAMU des Yvelines)', 'le SAMU 78 (SAMU des Yvelines)'],
  ['GCS Sesan', 'au GCS Sesan', 'du GCS Sesan', 'le GCS Sesan'],
  ['Malakoff Médéric Humanis', 'à Malakoff Médéric Humanis', 'de Malakoff Médéric Humanis', 'Malakoff Médéric Humanis'],
  [
    'Caisse nationale de l’assurance maladie (Cnam)',
    'à la Caisse nationale de l’assurance maladie (Cnam)',
    'de la Caisse nationale de l’assurance maladie (Cnam)',
    'la Caisse nationale de l’assurance maladie (Cnam)',
  ],
  [
    'Plateforme des données de santé – Health Data Hub',
    'à la Plateforme des données de santé – Health Data Hub',
    'de la Plateforme des données de santé – Health Data Hub',
    'la Plateforme des données de santé – Health Data Hub',
  ],
  [
    'Organisme fictif de démonstration',
    'à l’Organisme fictif de démonstration',
    'de l’Organisme fictif de démonstration',
    'l’Organisme fictif de démonstration',
  ],
];

/** Names outside the demonstration: acronyms alone, h mute and aspirated, plurals, names with their own article. */
const OTHERS: [name: string, to: string, of: string, the: string][] = [
  ['INSERM', 'à l’INSERM', 'de l’INSERM', 'l’INSERM'],
  ['Inserm', 'à l’Inserm', 'de l’Inserm', 'l’Inserm'],
  ['CNAM', 'à la CNAM', 'de la CNAM', 'la CNAM'],
  ['ANSM', 'à l’ANSM', 'de l’ANSM', 'l’ANSM'],
  ['CNIL', 'à la CNIL', 'de la CNIL', 'la CNIL'],
  ['AP-HP', 'à l’AP-HP', 'de l’AP-HP', 'l’AP-HP'],
  ['Centre Léon Bérard', 'au Centre Léon Bérard', 'du Centre Léon Bérard', 'le Centre Léon Bérard'],
  ['Cohorte Constances', 'à la Cohorte Constances', 'de la Cohorte Constances', 'la Cohorte Constances'],
  [
    'Fédération hospitalière de France',
    'à la Fédération hospitalière de France',
    'de la Fédération hospitalière de France',
    'la Fédération hospitalière de France',
  ],
  ['Mutualité française', 'à la Mutualité française', 'de la Mutualité française', 'la Mutualité française'],
  [
    'Groupement hospitalier de territoire',
    'au Groupement hospitalier de territoire',
    'du Groupement hospitalier de territoire',
    'le Groupement hospitalier de territoire',
  ],
  ['Registre des cancers du Tarn', 'au Registre des cancers du Tarn', 'du Registre des cancers du Tarn', 'le Registre des cancers du Tarn'],
  ['Établissement français du sang', 'à l’Établissement français du sang', 'de l’Établissement français du sang', 'l’Établissement français du sang'],
  ['Hôpital Foch', 'à l’Hôpital Foch', 'de l’Hôpital Foch', 'l’Hôpital Foch'],
  ['Haute Autorité de santé', 'à la Haute Autorité de santé', 'de la Haute Autorité de santé', 'la Haute Autorité de santé'],
  ['HAS', 'à la HAS', 'de la HAS', 'la HAS'],
  ['Haut Conseil de la santé publique', 'au Haut Conseil de la santé publique', 'du Haut Conseil de la santé publique', 'le Haut Conseil de la santé publique'],
  ['Hospices Civils de Lyon', 'aux Hospices Civils de Lyon', 'des Hospices Civils de Lyon', 'les Hospices Civils de Lyon'],
  ['Le Monde', 'au Monde', 'du Monde', 'Le Monde'],
  ['Les Laboratoires Servier', 'aux Laboratoires Servier', 'des Laboratoires Servier', 'Les Laboratoires Servier'],
  ['La Poste', 'à La Poste', 'de La Poste', 'La Poste'],
  ['L’Oréal', 'à L’Oréal', 'de L’Oréal', 'L’Oréal'],
  ['  Institut Pasteur ', 'à l’Institut Pasteur', 'de l’Institut Pasteur', 'l’Institut Pasteur'],
];

describe('French organisation names with their article', () => {
  it('the table holds every organisation of the demonstration register', () => {
    expect(DEMO.map(([name]) => name).sort()).toEqual(demo.organisations.map((o) => o.name).sort());
  });

  it.each([...DEMO, ...OTHERS])('%s', (name, to, of, the) => {
    expect(withFrenchPreposition('à', name)).toBe(to);
    expect(withFrenchPreposition('de', name)).toBe(of);
    expect(withFrenchArticle(name)).toBe(the);
  });

  it('keeps the name whole after its article, and starts with an article, a contraction or the preposition alone', () => {
    const word = fc.stringMatching(/^[A-Za-zÀ-ÿ’'-]{1,12}$/);
    const name = fc.array(word, { minLength: 1, maxLength: 5 }).map((w) => w.join(' '));
    fc.assert(
      fc.property(name, (n) => {
        const bare = n.replace(/^(Le|Les)\s+/u, '');
        expect(withFrenchArticle(n).endsWith(n.startsWith('Le ') || n.startsWith('Les ') ? n : bare)).toBe(true);
        expect(withFrenchPreposition('à', n)).toMatch(/^(à la |à l’|au |aux |à )/u);
        expect(withFrenchPreposition('de', n)).toMatch(/^(de la |de l’|du |des |de |d’)/u);
        expect(withFrenchPreposition('à', n).endsWith(bare)).toBe(true);
        expect(withFrenchPreposition('de', n).endsWith(bare)).toBe(true);
      }),
    );
  });
});
