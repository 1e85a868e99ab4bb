/**
 * The size rules of issue 12, checked with the TypeScript compiler API:
 * - a .ts/.tsx file of server/ or connectors/ over 300 lines says why in its first comment block, in a
 *   sentence that starts with the marker `Over 300 lines:` (e.g. "Over 300 lines: one file holds every
 *   table, as drizzle-kit reads it");
 * - a function of server/ or connectors/ (declaration, arrow function, method, accessor, constructor or
 *   function expression) spans at most 80 lines, from its first token to its last, nested functions
 *   included. views/ is exempt: a page component is as long as the page.
 * A fixture (tests/fixtures/sizes/) proves that both checks report what they say.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FIXTURE = join(ROOT, 'tests', 'fixtures', 'sizes');
const FOLDERS = ['server', 'connectors'];
const MAX_FILE_LINES = 300;
const MAX_FUNCTION_LINES = 80;
/** The marker of a stated reason, followed by the reason itself (a few words at least). */
const REASON = /Over 300 lines:\s*\S[^]{10,}/;

/**
 * Functions allowed over the limit for now, as `path:name`. Only shrinks: an entry whose function is back
 * under the limit fails the test, so that it is removed.
 */
const KNOWN_LONG_FUNCTIONS: string[] = [];

interface LongFunction {
  file: string;
  line: number;
  name: string;
  lines: number;
}

/** Every .ts/.tsx file under the folders, as a path relative to `dir` with forward slashes. */
function sourcesUnder(dir: string, folders: string[]): string[] {
  return folders.flatMap((folder) =>
    readdirSync(join(dir, folder), { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.tsx?$/.test(f))
      .map((f) =>
        relative(dir, join(dir, folder, f))
          .split('\\')
          .join('/'),
      )
      .sort(),
  );
}

function parse(dir: string, file: string): ts.SourceFile {
  const text = readFileSync(join(dir, file), 'utf8');
  const kind = file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
}

/** Lines as `wc -l` counts them: a final newline ends the last line, it does not start another. */
function lineCount(source: ts.SourceFile): number {
  const text = source.getFullText();
  return text.length === 0 ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/** The first comment of the file (a block comment, or a run of line comments), before any code. */
function firstComment(source: ts.SourceFile): string {
  const text = source.getFullText();
  const ranges = ts.getLeadingCommentRanges(text, 0) ?? [];
  return ranges.map((r) => text.slice(r.pos, r.end)).join('\n');
}

/** A readable name for a function: its own, or that of the variable, property or call it is given to. */
function functionName(node: ts.FunctionLikeDeclaration, source: ts.SourceFile): string {
  if (node.name) return node.name.getText(source);
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) {
    return parent.name.getText(source);
  }
  if (ts.isCallExpression(parent)) return `(argument of ${parent.expression.getText(source).slice(0, 40)})`;
  if (ts.isExportAssignment(parent)) return 'default';
  return '(anonymous)';
}

function isFunctionLike(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

/** The functions of a file longer than the limit (overload signatures without a body are skipped). */
function longFunctions(source: ts.SourceFile, max: number): LongFunction[] {
  const found: LongFunction[] = [];
  const visit = (node: ts.Node): void => {
    if (isFunctionLike(node) && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = end - start + 1;
      if (lines > max) found.push({ file: source.fileName, line: start + 1, name: functionName(node, source), lines });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Files over the line limit whose first comment states no reason, as `file: N lines`. */
function filesOverWithoutReason(dir: string, files: string[]): string[] {
  return files.flatMap((file) => {
    const source = parse(dir, file);
    const lines = lineCount(source);
    return lines > MAX_FILE_LINES && !REASON.test(firstComment(source)) ? [`${file}: ${lines} lines`] : [];
  });
}

function allLongFunctions(dir: string, files: string[]): LongFunction[] {
  return files.flatMap((file) => longFunctions(parse(dir, file), MAX_FUNCTION_LINES));
}

const describeLong = (f: LongFunction): string => `${f.file}:${f.line} ${f.name}: ${f.lines} lines`;
const key = (f: LongFunction): string => `${f.file}:${f.name}`;

describe('size rules over server/ and connectors/', () => {
  const files = sourcesUnder(ROOT, FOLDERS);

  it('reads the files it checks (a check that sees nothing proves nothing)', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files).toContain('connectors/cnam-batch.ts');
    expect(files.some((f) => f.endsWith('.tsx'))).toBe(true);
  });

  it(`a file over ${MAX_FILE_LINES} lines states why at its top ("Over 300 lines: …")`, () => {
    expect(filesOverWithoutReason(ROOT, files), 'split the file, or say why not in its first comment').toEqual([]);
  });

  it(`no function spans more than ${MAX_FUNCTION_LINES} lines, except the known ones`, () => {
    const long = allLongFunctions(ROOT, files);
    const fresh = long.filter((f) => !KNOWN_LONG_FUNCTIONS.includes(key(f))).map(describeLong);
    expect(fresh, 'functions over the limit: split them').toEqual([]);
  });

  it('the known long functions are still long, so that the list only shrinks', () => {
    const long = new Set(allLongFunctions(ROOT, files).map(key));
    expect(
      KNOWN_LONG_FUNCTIONS.filter((k) => !long.has(k)),
      'back under the limit: remove from KNOWN_LONG_FUNCTIONS',
    ).toEqual([]);
  });
});

describe('size rules over a fixture that breaks them', () => {
  const files = sourcesUnder(FIXTURE, ['src']);

  it('reports the long file without a reason, and not the one that states it', () => {
    expect(files).toEqual(['src/long-file-with-reason.ts', 'src/long-file.ts', 'src/long-function.ts']);
    expect(filesOverWithoutReason(FIXTURE, files)).toEqual(['src/long-file.ts: 302 lines']);
  });

  it('reports each kind of long function with its file, line and length, and none of the short ones', () => {
    expect(allLongFunctions(FIXTURE, files).map(describeLong)).toEqual([
      'src/long-function.ts:9 longDeclaration: 82 lines',
      'src/long-function.ts:92 longArrow: 81 lines',
      'src/long-function.ts:257 builder: 88 lines',
      'src/long-function.ts:258 (argument of app.get): 85 lines',
      'src/long-function.ts:347 longMethod: 81 lines',
    ]);
  });
});
