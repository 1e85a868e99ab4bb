/**
 * Documents staff may attach to an answer (server/domain/document-types.ts): judged by their first bytes
 * and their name, never by the type the browser claims.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_DOCUMENT_BYTES, checkDocument, cleanFilename } from '../../server/domain/document-types';

const bytes = (...b: number[]) => new Uint8Array(b);
const PDF = bytes(0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37);
const PNG = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0);
const JPEG = bytes(0xff, 0xd8, 0xff, 0xe0);
const doc = (name: string, content: Uint8Array, type = 'application/octet-stream') => ({ name, type, bytes: content });

describe('checkDocument', () => {
  it.each([
    ['réponse.pdf', PDF, 'application/pdf'],
    ['scan.PNG', PNG, 'image/png'],
    ['photo.jpeg', JPEG, 'image/jpeg'],
    ['photo.jpg', JPEG, 'image/jpeg'],
    ['note.txt', new TextEncoder().encode('Bonjour, voici la réponse.'), 'text/plain; charset=utf-8'],
  ])('accepts %s by its content', (name, content, contentType) => {
    expect(checkDocument(doc(name, content))).toEqual({ ok: true, filename: name, contentType });
  });

  it.each([
    ['an empty file', doc('a.pdf', bytes()), 'document.empty'],
    ['a file over 5 MB', doc('a.pdf', new Uint8Array(MAX_DOCUMENT_BYTES + 1)), 'document.tooLarge'],
    ['an extension not allowed', doc('a.exe', PDF), 'document.type'],
    ['no extension', doc('reponse', PDF), 'document.type'],
    ['a PNG named .pdf', doc('a.pdf', PNG), 'document.content'],
    ['a PDF the browser calls an image', doc('a.png', PDF, 'image/png'), 'document.content'],
    ['text with a NUL byte', doc('a.txt', bytes(0x41, 0, 0x42)), 'document.content'],
    ['text that is not UTF-8', doc('a.txt', bytes(0xc3, 0x28)), 'document.content'],
  ])('refuses %s', (_, d, key) => {
    expect(checkDocument(d)).toEqual({ ok: false, key });
  });
});

describe('cleanFilename', () => {
  it('keeps only the last path segment, without control or reserved characters', () => {
    expect(cleanFilename('C:\\Users\\dpo\\réponse.pdf')).toBe('réponse.pdf');
    expect(cleanFilename('../../etc/pass"wd<>.txt')).toBe('passwd.txt');
  });

  it('never exceeds 100 characters and keeps the extension', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (name) => {
        expect(cleanFilename(name).length).toBeLessThanOrEqual(100);
      }),
    );
    expect(cleanFilename(`${'a'.repeat(150)}.pdf`)).toBe(`${'a'.repeat(96)}.pdf`);
  });
});
