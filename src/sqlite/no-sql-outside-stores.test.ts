/**
 * "No SQL outside the stores" (docs/store.md, "Stores: where the SQL lives"), checked mechanically:
 * every source file under src/ is parsed (TypeScript syntax only, no type checking, so comments and
 * prose never count) and the test fails naming the file and line of any SQL written outside the
 * places that hold it — the kiosk's stores (src/backend/store/), the hall's (src/hall/store/), the
 * SQLite kit (src/sqlite/), the sync client's store of its own tables (src/sync/store.ts), tests
 * and test kits (`*.test.ts`, `testing/`).
 *
 * What counts as SQL:
 * - a `.pragma(…)` call (only a better-sqlite3 database has one);
 * - a `.prepare(…)` call (a statement; nothing else in this code base has the method);
 * - an `.exec(…)` call whose argument is text that reads as SQL — an `.exec` with anything else is a
 *   RegExp's (`ISO_DATE.exec(value)`), and a database's `.exec(sql)` with the SQL held elsewhere is
 *   caught where that text is written, by the next rule;
 * - any string or template literal that reads as an SQL statement (keywords in capitals, as this
 *   code base writes them, so "Select a window from the list" is prose, not SQL).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const SRC = join(ROOT, 'src');

/** Where SQL may be written, as paths relative to the repository with `/` separators. */
function mayHoldSql(file: string): boolean {
  return (
    /\.test\.tsx?$/.test(file) ||
    file.split('/').includes('testing') ||
    file.startsWith('src/backend/store/') ||
    file.startsWith('src/hall/store/') ||
    file.startsWith('src/sqlite/') ||
    file === 'src/sync/store.ts'
  );
}

/** The start of an SQL statement: a statement keyword and what must follow it. */
const SQL_STATEMENT = new RegExp(
  String.raw`^\s*(?:` +
    [
      String.raw`SELECT\b[\s\S]*\bFROM\b`,
      String.raw`SELECT\s+(count|coalesce|json\w*|max|min|\d)\b`,
      String.raw`(INSERT|REPLACE)\s+(OR\s+[A-Z]+\s+)?INTO\b`,
      String.raw`UPDATE\s+\w+\s+SET\b`,
      String.raw`DELETE\s+FROM\b`,
      String.raw`CREATE\s+(TABLE|(UNIQUE\s+)?INDEX|TRIGGER|VIEW|VIRTUAL\s+TABLE)\b`,
      String.raw`DROP\s+(TABLE|INDEX|TRIGGER|VIEW)\b`,
      String.raw`ALTER\s+TABLE\b`,
      String.raw`PRAGMA\s+\w`,
      String.raw`WITH\s+(RECURSIVE\s+)?\w+(\s*\([^)]*\))?\s+AS\s*\(`,
      String.raw`(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|VACUUM|ANALYZE|REINDEX|ATTACH|DETACH)\b[\sA-Z_;]*$`,
    ].join('|') +
    ')',
);

const readsAsSql = (text: string): boolean => SQL_STATEMENT.test(text);

/** The text of a string or template literal (a substitution reads as `?`), else null. */
function literalText(node: ts.Node): string | null {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node))
    return node.head.text + node.templateSpans.map((s) => `?${s.literal.text}`).join('');
  if (ts.isParenthesizedExpression(node)) return literalText(node.expression);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = literalText(node.left);
    const right = literalText(node.right);
    return left === null && right === null ? null : `${left ?? '?'}${right ?? '?'}`;
  }
  return null;
}

type SqlFinding = { line: number; what: string };

/** Every place in one file's source that writes SQL, by the rules above. */
function findSql(fileName: string, source: string): SqlFinding[] {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const findings: SqlFinding[] = [];
  const at = (node: ts.Node, what: string) =>
    findings.push({ line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, what });
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const name = node.expression.name;
      const first = node.arguments[0];
      const text = first === undefined ? null : literalText(first);
      const sqlCall =
        name.text === 'pragma' ||
        name.text === 'prepare' ||
        (name.text === 'exec' && text !== null && readsAsSql(text));
      if (sqlCall) {
        // Reported once, at the method's line; its own SQL argument is not reported again.
        at(name, `.${name.text}(…)`);
        visit(node.expression);
        node.arguments.slice(1).forEach(visit);
        return;
      }
    }
    const text =
      ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)
        ? literalText(node)
        : null;
    if (text !== null && readsAsSql(text)) {
      at(node, `SQL text "${text.trim().split(/\s+/).slice(0, 4).join(' ')} …"`);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return findings;
}

/** Every .ts/.tsx file under `dir`, relative to the repository with `/` separators. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')
      ? [relative(ROOT, full).split(sep).join('/')]
      : [];
  });
}

describe('no SQL outside the stores', () => {
  it('finds SQL only in the stores, the SQLite kit and tests', () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(100); // the walk saw the tree
    const outside = files
      .filter((f) => !mayHoldSql(f))
      .flatMap((f) => findSql(f, readFileSync(join(ROOT, f), 'utf8')).map((x) => `${f}:${x.line} ${x.what}`));
    expect(outside).toEqual([]);
  });

  it('recognises the SQL the stores write (the rule is not blind to this code base)', () => {
    const stores = sourceFiles(SRC).filter(
      (f) =>
        /^src\/(backend|hall)\/store\/[^/]+-store\.ts$/.test(f) ||
        f === 'src/sync/store.ts' ||
        f === 'src/backend/store/outbox-writer.ts',
    );
    expect(stores.length).toBeGreaterThanOrEqual(10);
    for (const f of stores)
      expect({ f, found: findSql(f, readFileSync(join(ROOT, f), 'utf8')).length > 0 }).toEqual({
        f,
        found: true,
      });
  });

  it('tells a database call from a RegExp and from prose', () => {
    const lines = (src: string) => findSql('x.ts', src).map((x) => x.line);
    expect(
      lines(
        [
          "db.prepare('SELECT id FROM applications WHERE receipt_no = ?').get(r);", // 1
          'opened.db.exec(`CREATE TABLE t (x INTEGER) STRICT`);', // 2
          "raw.pragma('user_version');", // 3
          "const sql = 'UPDATE outbox SET payload = ? WHERE seq = ?';", // 4
          'd.prepare(sql).run(1, 2);', // 5
          'const q = `SELECT count(*) FROM ${table}`;', // 6
          "this.db.exec('BEGIN IMMEDIATE');", // 7
          "const w = 'DELETE FROM ' + name;", // 8
        ].join('\n'),
      ),
    ).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(
      lines(
        [
          'const m = /^(\\d{4})-(\\d{2})$/.exec(value);',
          'const n = ISO_DATE.exec(line);',
          'const p = PAGE_NAME.exec(`${name}.pnm`);',
          "const label = 'Select a window from the list';",
          "const help = 'Update the catalog, then set the hall';",
          '// db.prepare("SELECT * FROM applications") in a comment',
          '/** Runs `UPDATE outbox SET payload = …` in the store. */',
          "const e = 'begin';",
        ].join('\n'),
      ),
    ).toEqual([]);
  });
});
