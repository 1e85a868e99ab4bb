/**
 * The published JSON Schema of the request document (server/api/request-schema.ts), checked against a
 * sample typed as `RequestDocument` (TypeScript checks the sample against the type): every key of the
 * sample is described, every required key is in the sample, no object takes extra keys, the enums are the
 * domain lists, and the formats and patterns agree with the sample's values. Ajv, a maintained JSON Schema
 * validator, then holds version 2's rules on which part each recipient gets.
 */

import { describe, it, expect } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { RequestDocument } from '../../connectors/types';
import { LANGUAGES } from '../../server/i18n';
import { INSURANCE_SCHEMES, KINDS, ON_BEHALF, SCOPES } from '../../server/domain/rights-request';
import { createReference } from '../../server/domain/reference';
import { checkNir } from '../../server/domain/nir';
import { REQUEST_SCHEMA_ID, requestDocumentSchema } from '../../server/api/request-schema';

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  description?: string;
  [key: string]: unknown;
};

// Compile-time: the domain lists and the document type name the same values, both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameLists: [
  Same<(typeof KINDS)[number], RequestDocument['kind']>,
  Same<(typeof SCOPES)[number], RequestDocument['scope']>,
  Same<(typeof ON_BEHALF)[number], RequestDocument['on_behalf']>,
  Same<(typeof INSURANCE_SCHEMES)[number] | null, RequestDocument['insurance_scheme']>,
  Same<(typeof LANGUAGES)[number], RequestDocument['language']>,
] = [true, true, true, true, true];

const PUBLIC_URL = 'https://droits.example.test';

const sample: RequestDocument = {
  $schema: `${PUBLIC_URL}${REQUEST_SCHEMA_ID}`,
  version: 2,
  id: '6f1c2a9e-3b7d-4c58-9a0e-2d4f6b8c1e35',
  reference: createReference(),
  role: 'answer',
  part: 'pseudonymised',
  kind: 'opposition',
  scope: 'projet',
  project: { id: 'p1', title: 'Étude synthétique' },
  sources: [{ id: 'snds', name: 'Base principale du SNDS', identifying: false }],
  organisation: { id: 'cnam', name: 'Caisse nationale de l’assurance maladie' },
  answered_by: { id: 'cnam', name: 'Caisse nationale de l’assurance maladie' },
  identity_step: 'cnam',
  on_behalf: 'child',
  insurance_scheme: 'cpam',
  language: 'fr',
  identity: {
    last_name: 'Synthétique',
    first_names: 'Camille',
    birth_name: 'Fictive',
    birth_date: '1980-01-01',
    birth_place: 'Nulle-part',
    // A synthetic NIR whose key is right: 97 − (2800175123456 mod 97) = 10.
    nir: '280017512345610',
    email: 'camille@example.test',
    postal_address: '1 rue de l’Exemple, 75000 Paris',
    requester_name: 'Dominique Synthétique',
    relationship: 'parent',
  },
  details: { reason: 'Test', wrong_data: 'a', correct_data: 'b', access_scope: 'all', other_details: 'none' },
  submitted_at: '2025-01-01T10:00:00.000Z',
  confirmed_at: '2025-01-01T10:05:00.000Z',
  received_on: '2025-01-02',
  due_on: '2025-02-03',
  callback_url: `${PUBLIC_URL}/api/v1/callbacks/o1`,
};

const schema = requestDocumentSchema(PUBLIC_URL) as Schema;
const props = schema.properties!;
const NESTED = ['identity', 'details', 'project', 'organisation', 'answered_by'] as const;

/** Each object schema with the sample value it describes, by path. */
function objects(): [string, Schema, Record<string, unknown>][] {
  const record = sample as unknown as Record<string, unknown>;
  const source = (props.sources!.items as Schema) ?? {};
  return [
    ['(document)', schema, record],
    ...NESTED.map((k): [string, Schema, Record<string, unknown>] => [k, props[k]!, record[k] as Record<string, unknown>]),
    ['sources[]', source, sample.sources[0]! as unknown as Record<string, unknown>],
  ];
}

function types(s: Schema): string[] {
  return s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
}

/** The leaf schemas with their sample values, by dotted path. */
function leaves(): [string, Schema, unknown][] {
  const out: [string, Schema, unknown][] = [];
  for (const [path, s, value] of objects()) {
    if (path === 'sources[]') continue;
    for (const [key, sub] of Object.entries(s.properties!)) {
      if ((NESTED as readonly string[]).includes(key) && path === '(document)') continue;
      out.push([path === '(document)' ? key : `${path}.${key}`, sub, value[key]]);
    }
  }
  return out;
}

describe('requestDocumentSchema', () => {
  it('is a draft 2020-12 schema with an absolute $id on the public URL', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe('https://droits.example.test/api/v1/schemas/request.json');
    expect(requestDocumentSchema(`${PUBLIC_URL}/`).$id).toBe(schema.$id);
    expect(requestDocumentSchema(new URL(PUBLIC_URL)).$id).toBe(schema.$id);
    expect(new URL(schema.$id as string).pathname).toBe(REQUEST_SCHEMA_ID);
    expect(schema.title).toEqual(expect.any(String));
    expect(schema.description).toEqual(expect.any(String));
    expect(sameLists).toEqual([true, true, true, true, true]);
  });

  it('serialises to JSON and back unchanged', () => {
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });

  it.each(objects().map(([path, s, value]) => ({ path, s, value })))(
    "$path: the sample's keys are exactly the properties, all required, no others allowed",
    ({ s, value }) => {
      expect(types(s)).toContain('object');
      expect(s.additionalProperties).toBe(false);
      expect(Object.keys(s.properties!).sort()).toEqual(Object.keys(value).sort());
      expect([...s.required!].sort()).toEqual(Object.keys(value).sort());
    },
  );

  it('allows null exactly where the type does', () => {
    const nullable = leaves()
      .filter(([, s]) => types(s).includes('null'))
      .map(([p]) => p);
    expect(nullable.sort()).toEqual(
      [
        'insurance_scheme',
        'callback_url',
        'identity.birth_name',
        'identity.birth_place',
        'identity.nir',
        'identity.postal_address',
        'identity.requester_name',
        'identity.relationship',
        'details.reason',
        'details.wrong_data',
        'details.correct_data',
        'details.access_scope',
        'details.other_details',
      ].sort(),
    );
    expect(types(props.project!)).toEqual(['object', 'null']);
    expect(types(props.organisation!)).toEqual(['object']);
    // Null in a notice, which carries nothing about the person.
    expect(types(props.identity!)).toEqual(['object', 'null']);
    expect(types(props.details!)).toEqual(['object', 'null']);
  });

  it('gives each property a plain English description', () => {
    for (const [path, s] of [...leaves(), ...NESTED.map((k): [string, Schema] => [k, props[k]!])]) {
      expect(s.description, path).toMatch(/^[A-Z].{8,}\.$/s);
    }
  });

  it('marks the identity as for the recipient only', () => {
    expect(props.identity!.description).toContain("for the recipient only: never to be logged or copied outside the request's processing");
  });

  it('takes its enums from the domain lists', () => {
    expect(props.kind!.enum).toEqual([...KINDS]);
    expect(props.scope!.enum).toEqual([...SCOPES]);
    expect(props.on_behalf!.enum).toEqual([...ON_BEHALF]);
    expect(props.insurance_scheme!.enum).toEqual([...INSURANCE_SCHEMES, null]);
    expect(props.language!.enum).toEqual([...LANGUAGES]);
    expect(props.role!.enum).toEqual(['answer', 'notice']);
    expect(props.part!.enum).toEqual(['snds', 'pseudonymised', 'identifying', 'controller']);
    expect(props.version).toMatchObject({ type: 'integer', const: 2 });
  });

  it('types every leaf as the sample value is typed, and the sample is in each enum', () => {
    for (const [path, s, value] of leaves()) {
      const jsonType = value === null ? 'null' : Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;
      expect(types(s), path).toContain(jsonType);
      if (s.enum) expect(s.enum, path).toContain(value);
      if (s.const !== undefined) expect(value, path).toBe(s.const);
    }
  });

  it('gives dates, instants, URIs, the id and the e-mail their formats', () => {
    const formats = Object.fromEntries(
      leaves()
        .filter(([, s]) => s.format)
        .map(([p, s]) => [p, s.format]),
    );
    expect(formats).toEqual({
      $schema: 'uri',
      id: 'uuid',
      'identity.birth_date': 'date',
      'identity.email': 'email',
      submitted_at: 'date-time',
      confirmed_at: 'date-time',
      received_on: 'date',
      due_on: 'date',
      callback_url: 'uri',
    });
  });

  it('has patterns that accept the sample and refuse near misses', () => {
    const reference = new RegExp(props.reference!.pattern!, 'u');
    expect(reference.test(sample.reference)).toBe(true);
    expect(reference.test('DS-7K3M-Q9X0')).toBe(false); // 0 is not in the alphabet
    expect(reference.test('DS-7K3MQ9XA')).toBe(false);
    const nir = new RegExp(props.identity!.properties!.nir!.pattern!, 'u');
    expect(checkNir(sample.identity!.nir!, sample.identity!.birth_date)).toEqual({ ok: true, nir: sample.identity!.nir });
    expect(nir.test(sample.identity!.nir!)).toBe(true);
    expect(nir.test('1850299123456xx')).toBe(false);
    expect(nir.test('18502 2A 12345678'.replace(/ /g, ''))).toBe(true);
    expect(nir.test('2 80 01 75 123 456 10')).toBe(false); // stored normalised, without spaces
  });

  describe('which part each recipient gets (version 2), held by a validator', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const notice: RequestDocument = {
      ...sample,
      role: 'notice',
      organisation: { id: 'o1', name: 'Organisation fictive' },
      identity: null,
      details: null,
      insurance_scheme: null,
      callback_url: null,
    };
    const controller: RequestDocument = {
      ...sample,
      part: 'identifying',
      organisation: { id: 'o1', name: 'Organisation fictive' },
      answered_by: { id: 'o1', name: 'Organisation fictive' },
      identity_step: 'controller',
      insurance_scheme: null,
      identity: { ...sample.identity!, nir: null },
      sources: [{ id: 'cohorte', name: 'Cohorte fictive', identifying: true }],
    };

    it('accepts the CNAM’s document with the NIR, the controller’s without it, and a notice with nothing about the person', () => {
      for (const doc of [sample, controller, notice]) expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    });

    it('refuses a notice that carries an identity, details or a callback', () => {
      expect(validate({ ...notice, identity: sample.identity })).toBe(false);
      expect(validate({ ...notice, details: sample.details })).toBe(false);
      expect(validate({ ...notice, callback_url: sample.callback_url })).toBe(false);
    });

    it('refuses a NIR sent to a controller, and a CNAM document without it', () => {
      expect(validate({ ...controller, identity: { ...controller.identity!, nir: sample.identity!.nir } })).toBe(false);
      expect(validate({ ...controller, insurance_scheme: 'cpam' })).toBe(false);
      expect(validate({ ...sample, identity: { ...sample.identity!, nir: null } })).toBe(false);
    });
  });
});
