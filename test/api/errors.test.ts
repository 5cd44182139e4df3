import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/server/yoga.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub({
    limits: { ...DEFAULT_LIMITS, MAX_QUERY_DEPTH: 6, MAX_ALIASES: 5, MAX_TOKENS: 400, MAX_COST: 5000 },
  });
});
afterAll(() => hub.close());

async function firstError(query: string) {
  const response = await hub.query(query);
  expect(response.errors, 'expected an error').toBeDefined();
  return response.errors![0]!;
}

describe('bad input gets an error with a code, naming the argument and the valid values', () => {
  it('an unknown enum value in a variable', async () => {
    const response = await hub.query('query ($m: DeathMeasure) { drugDeaths(measure: $m) { value } }', { m: 'FOO' });
    expect(response.errors?.[0]?.message).toBe(
      'Variable "$m" got invalid value "FOO"; Value "FOO" does not exist in "DeathMeasure" enum. Valid values: ' +
        'DEATHS, PERCENT_OF_DEATHS, MEAN_AGE, CHANGE_FROM_PREVIOUS_YEAR, NOT_AUTOPSIED, PERCENT_NOT_AUTOPSIED, ' +
        'MEAN_DEATHS_PER_YEAR, RATE_PER_100K.',
    );
  });

  it('a variable of the wrong type', async () => {
    const response = await hub.query('query ($from: Int) { drugDeaths(from: $from) { value } }', { from: 'abc' });
    expect(response.errors?.[0]?.message).toBe(
      'Variable "$from" got invalid value "abc"; Int cannot represent non-integer value: "abc"',
    );
  });

  it('an unknown region code', async () => {
    const error = await firstError('{ drugDeaths(region: ["99"]) { value } }');
    expect(error.extensions?.code).toBe('UNKNOWN_CODE');
    expect(error.message).toContain('unknown region code "99"');
    expect(error.message).toContain('Valid codes: 0, 01, 02, 03');
  });

  it('an unknown cause code', async () => {
    const error = await firstError('{ drugDeaths(cause: ["COFFEE"]) { value } }');
    expect(error.extensions?.code).toBe('UNKNOWN_CODE');
    expect(error.message).toMatch(/unknown cause code "COFFEE".*HEROIN/);
  });

  it('a breakdown the source never published', async () => {
    const error = await firstError('{ drugDeaths(by: [REGION, AGE_GROUP]) { value } }');
    expect(error.extensions?.code).toBe('BREAKDOWN_NOT_PUBLISHED');
    expect(error.message).toContain('no figures were published broken down by AGE_GROUP and REGION');
    expect(error.message).toContain('Published breakdowns:');
    expect(error.message).toContain('CAUSE × REGION');
  });

  it('from after to', async () => {
    const error = await firstError('{ drugDeaths(from: 2024, to: 2012) { value } }');
    expect(error.extensions?.code).toBe('INVALID_RANGE');
    expect(error.message).toBe('drugDeaths: from (2024) must not be after to (2012).');
  });

  it('a range wholly outside the coverage', async () => {
    const error = await firstError('{ drugDeaths(from: 2030, to: 2035) { value } }');
    expect(error.extensions?.code).toBe('OUT_OF_COVERAGE');
    expect(error.message).toMatch(
      /drugDeaths \(DEATHS\) covers \d{4}–2024; from: 2030 to: 2035 lies wholly outside it\./,
    );
  });

  it('a malformed date', async () => {
    const error = await firstError('{ drugDeaths(asOf: "2024-13-45") { value } }');
    expect(error.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(error.message).toBe(
      'drugDeaths(asOf:): "2024-13-45" is not a valid Date: expected a calendar date YYYY-MM-DD.',
    );
  });

  it('an unknown enum value names the valid ones', async () => {
    const error = await firstError('{ drugDeaths(by: [COLOUR]) { value } }');
    expect(error.message).toBe(
      'drugDeaths(by:): Value "COLOUR" does not exist in "DeathDimension" enum. Valid values: REGION, SEX, AGE_GROUP, CAUSE, INTENT.',
    );
    expect(error.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('query limits', () => {
  it('rejects a query deeper than the limit', async () => {
    const error = await firstError(
      '{ substances { parent { parent { parent { parent { parent { parent { code } } } } } } } }',
    );
    expect(error.message).toMatch(/depth/i);
  });

  it('rejects too many aliases', async () => {
    const aliases = Array.from({ length: 8 }, (_, i) => `a${i}: sources { id }`).join(' ');
    const error = await firstError(`{ ${aliases} }`);
    expect(error.message).toMatch(/aliases/i);
  });

  it('rejects too many tokens', async () => {
    const fields = Array.from({ length: 500 }, () => 'id').join(' ');
    const error = await firstError(`{ sources { ${fields} } }`);
    expect(error.message).toMatch(/token/i);
  });
});

describe('unexpected errors', () => {
  // It starts a hub of its own (migrations and bundled data): slow on a loaded 2-core machine.
  it('are masked, without internals', { timeout: 180_000 }, async () => {
    const broken = await startTestHub();
    await broken.db.pool.query('DROP TABLE death_rate_observation');
    const response = await broken.query('{ drugDeathRates { value } }');
    await broken.close();
    expect(response.errors?.[0]?.message).toBe('Unexpected error.');
    expect(JSON.stringify(response)).not.toContain('death_rate_observation');
  });
});
