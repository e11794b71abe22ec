import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderRoleMatrixTable } from './role-matrix-table';

const DOC = path.resolve(__dirname, '../../../../docs/investigator-api.md');
const START = '<!-- role-matrix:start -->';
const END = '<!-- role-matrix:end -->';

/** Cells of each row, so Prettier's column padding does not count. */
const cellsOf = (table: string): string[][] =>
  table
    .trim()
    .split('\n')
    .map((line) =>
      line
        .split('|')
        .map((cell) => cell.trim().replace(/^:?-+:?$/, '-'))
        .filter((cell) => cell.length > 0),
    );

describe('role matrix in docs/investigator-api.md', () => {
  it('is the table ROLE_MATRIX renders (paste renderRoleMatrixTable() between the markers after a change)', () => {
    const doc = readFileSync(DOC, 'utf8');
    const table = doc.slice(doc.indexOf(START) + START.length, doc.indexOf(END));
    expect(cellsOf(table)).toEqual(cellsOf(renderRoleMatrixTable()));
  });
});
