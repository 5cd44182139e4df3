import { describe, expect, it } from 'vitest';
import { inlineParameters, statementName } from '../../src/db/pool-mode.ts';

// Behind a pooler in transaction mode a statement is sent with its parameters as literals
// (src/db/pool-mode.ts); test/db/pgbouncer.test.ts runs them through a real PgBouncer.

describe('inlineParameters', () => {
  it('writes each value as pg would send it, quoted as a literal', () => {
    const sql = inlineParameters('SELECT $1, $2, $3, $4, $5, $6', [
      "it's",
      42,
      null,
      ['a', 'b"c'],
      true,
      Buffer.from([0xde, 0xad]),
    ]);
    // escapeLiteral writes a text with backslashes as E'...' (after a space), each backslash doubled.
    expect(sql).toBe(`SELECT 'it''s', '42', NULL,  E'{"a","b\\\\"c"}', 'true',  E'\\\\xdead'`);
  });

  it('leaves $n alone inside string literals, quoted identifiers, comments and dollar quotes', () => {
    const sql = `SELECT '$1', "a$1", $1 -- $1\n /* $1 */, $$ $1 $$, $tag$ $1 $tag$, E'\\' $1', $2`;
    expect(inlineParameters(sql, ['x', 'y'])).toBe(
      `SELECT '$1', "a$1", 'x' -- $1\n /* $1 */, $$ $1 $$, $tag$ $1 $tag$, E'\\' $1', 'y'`,
    );
  });

  it('refuses a placeholder without a value', () => {
    expect(() => inlineParameters('SELECT $2', ['only one'])).toThrow('no value for parameter $2');
  });
});

describe('statementName', () => {
  it('names a statement in session mode only, the same text always the same name', () => {
    const sql = 'SELECT 1';
    expect(statementName(sql, { embedded: false, poolMode: 'session' })).toMatch(/^cells_[0-9a-f]{16}$/);
    expect(statementName(sql, { embedded: false, poolMode: 'session' })).toBe(
      statementName(sql, { embedded: false, poolMode: 'session' }),
    );
    expect(statementName(sql, { embedded: false, poolMode: 'transaction' })).toBeUndefined();
    expect(statementName(sql, { embedded: true, poolMode: 'session' })).toBeUndefined();
  });
});
