/**
 * Wording rules that hold across the locales (issue 11):
 * - organisation names in French texts get their article through the formats of server/i18n.ts
 *   (`{{organisation, à}}`, `{{organisation, de}}`, `{{organisation, article}}`, locales/README.md): no
 *   French text writes a preposition before a bare name, and mails, connectors' mails and pages read
 *   "à la Caisse…", "au CHU…", "de l’Institut…" in French and the plain name in English;
 * - English calls the organisation that must answer an "organisation", never a "body" ("public body"
 *   stays, for an organisme public), and an empty answer "None";
 * - a deadline is "au plus tard le …" in French and "by … at the latest" in English.
 */
import { describe, expect, it } from 'vitest';
import { renderNoticeMail } from '../connectors/email';
import type { RequestDocument } from '../connectors/types';
import { createI18n, loadResources, translatorFor } from '../server/i18n';
import { renderMail } from '../server/services/mail-outbox';

const i18n = createI18n();
const fr = translatorFor(i18n, 'fr');
const en = translatorFor(i18n, 'en');

/** Every string of a locale document, with its path. */
function strings(value: unknown, path: string): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => strings(v, `${path}.${k}`));
  return [];
}

/** The variables that hold an organisation's name in the texts. */
const NAME_VARIABLES = 'organisation|recipient|answeredBy';

describe('French texts', () => {
  it('never write a preposition or a verb before a bare organisation name', () => {
    const bare = new RegExp(`(?:^|[\\s’'])(?:à|de|d’|par|auprès de|joindre|C’est)\\s*\\{\\{(?:${NAME_VARIABLES})\\}\\}`, 'u');
    const offenders = Object.entries(loadResources().fr!).flatMap(([ns, doc]) => strings(doc, ns).filter(([, text]) => bare.test(text)));
    expect(offenders).toEqual([]);
  });

  it('use only the formats the service defines', () => {
    const formats = new Set(['à', 'de', 'article', 'number']);
    for (const lang of ['fr', 'en'] as const) {
      for (const [ns, doc] of Object.entries(loadResources()[lang]!)) {
        for (const [path, text] of strings(doc, ns)) {
          for (const m of text.matchAll(/\{\{\s*[\w.]+\s*,\s*([^}]+?)\s*\}\}/g)) expect(formats, `${lang} ${path}`).toContain(m[1]!.toLowerCase());
        }
      }
    }
  });
});

describe('deadlines', () => {
  it('French says "au plus tard", never "avant le", "d’ici le" or "attendue le"', () => {
    const offenders = Object.entries(loadResources().fr!).flatMap(([ns, doc]) =>
      strings(doc, ns).filter(([, text]) => /\b(?:avant le|d’ici le|d’ici \d|attendue le) /u.test(text)),
    );
    expect(offenders).toEqual([]);
  });

  it('English says "by … at the latest"', () => {
    const offenders = Object.entries(loadResources().en!).flatMap(([ns, doc]) =>
      strings(doc, ns).filter(([, text]) => /\bby \{\{(?:date|due|extendedDate)\}\}(?! at the latest)/.test(text)),
    );
    expect(offenders).toEqual([]);
  });
});

describe('English texts', () => {
  /** The uses of "body" that are right: public bodies (organismes publics), the register's kinds, a variable's name. */
  const RIGHT_BODIES =
    /\bpublic bod(?:y|ies)\b|these bodies|\bresearch body\b|public agency or body|depending on the body|each body to publish|bodies that produce health data|\{\{body\}\}/gi;

  it('call the organisation that answers an organisation, not a body', () => {
    const offenders = Object.entries(loadResources().en!).flatMap(([ns, doc]) =>
      strings(doc, ns).filter(([, text]) => /\bbod(?:y|ies)\b/i.test(text.replace(RIGHT_BODIES, ''))),
    );
    expect(offenders).toEqual([]);
  });

  it('say "None", not "Nothing", for an empty value', () => {
    const offenders = Object.entries(loadResources().en!).flatMap(([ns, doc]) => strings(doc, ns).filter(([, text]) => /^nothing$/i.test(text.trim())));
    expect(offenders).toEqual([]);
  });
});

describe('organisation names in mails and pages', () => {
  it('the person’s mails: "transmise au Centre…", "adressée à la Caisse…"; the plain name in English', () => {
    const vars = { reference: 'DS-AAAA-BBBB', organisation: 'Centre Léon Bérard', due: '2026-05-04', trackUrl: 'https://droits.example.org/suivi/x' };
    expect(renderMail(i18n, 'fr', 'forwarded', vars).text).toContain('Votre demande DS-AAAA-BBBB a été transmise aujourd’hui au Centre Léon Bérard.');
    expect(renderMail(i18n, 'en', 'forwarded', vars).text).toContain('sent today to Centre Léon Bérard.');
    const closed = { ...vars, organisation: 'Caisse nationale de l’assurance maladie' };
    expect(renderMail(i18n, 'fr', 'closed', closed).text).toContain(
      'Votre demande DS-AAAA-BBBB adressée à la Caisse nationale de l’assurance maladie est clôturée.',
    );
  });

  it('the staff alert: the organisation with its article', () => {
    const mail = renderMail(i18n, 'fr', 'delivery_dead', {
      reference: 'DS-AAAA-BBBB',
      organisation: 'Institut Curie',
      channel: 'webhook',
      error: 'HTTP 503 (gave up after 10 attempts)',
      attempts: 10,
      attemptsText: 'après 10 tentatives',
      command: 'npm run deliveries:retry -- x',
    });
    expect(mail.text).toContain('n’a pas pu être transmise à l’Institut Curie par le canal webhook (après 10 tentatives).');
  });

  it('the notice to a project’s controller: "C’est la Caisse… qui la traite"', () => {
    const doc = {
      reference: 'DS-AAAA-BBBB',
      kind: 'opposition',
      project: null,
      sources: [],
      answered_by: { id: 'cnam', name: 'Caisse nationale de l’assurance maladie' },
    } as unknown as RequestDocument;
    expect(renderNoticeMail(fr, doc).text).toContain('C’est la Caisse nationale de l’assurance maladie qui la traite et qui répond à la personne.');
    expect(renderNoticeMail(en, { ...doc, answered_by: { id: 'chu', name: 'CHU de Limoges' } }).text).toContain('CHU de Limoges');
    expect(renderNoticeMail(fr, { ...doc, answered_by: { id: 'chu', name: 'CHU de Limoges' } }).text).toContain('C’est le CHU de Limoges qui la traite');
  });

  it.each([
    [
      'Caisse nationale de l’assurance maladie',
      'la réponse de la Caisse nationale de l’assurance maladie',
      'à joindre la Caisse nationale de l’assurance maladie',
      'par la Caisse nationale de l’assurance maladie',
      'envoyée à la Caisse nationale de l’assurance maladie',
    ],
    ['CHU de Limoges', 'la réponse du CHU de Limoges', 'à joindre le CHU de Limoges', 'par le CHU de Limoges', 'envoyée au CHU de Limoges'],
    ['INSERM', 'la réponse de l’INSERM', 'à joindre l’INSERM', 'par l’INSERM', 'envoyée à l’INSERM'],
    ['VIDAL', 'la réponse de VIDAL', 'à joindre VIDAL', 'par VIDAL', 'envoyée à VIDAL'],
  ])('the tracking page for %s', (organisation, waiting, retrying, notYet, sent) => {
    expect(fr.t('request:track.state.waiting', { organisation, date: '2 avril 2026', count: 3 })).toContain(waiting);
    expect(fr.t('request:track.delivery.retrying', { organisation })).toContain(retrying);
    expect(fr.t('request:track.state.notYetReceived', { organisation, date: '2 avril 2026' })).toContain(notYet);
    expect(fr.t('request:clarification.sent', { organisation })).toContain(sent);
    expect(fr.t('request:track.reminderText', { recipient: organisation, reference: 'R', submitted: 'x', due: 'y' })).toMatch(/auprès (de la |du |de l’|de )/u);
    expect(en.t('request:track.state.waiting', { organisation, date: '2 April 2026', count: 3 })).toContain(`from ${organisation},`);
  });
});
