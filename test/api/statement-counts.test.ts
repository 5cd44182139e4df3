import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/server/yoga.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

// Lookups of dimensions and of observations per parent go through per-request DataLoaders:
// the number of SQL statements must not grow with the number of parents.

let hub: TestHub;
beforeAll(async () => {
  // Without the response cache: the statements of answering, not of serving a cached answer.
  hub = await startTestHub({ limits: { ...DEFAULT_LIMITS, RESPONSE_CACHE_TTL_MS: 0 } });
});
afterAll(() => hub.close());

async function statementsFor(query: string): Promise<number> {
  await hub.query(query); // warm the per-process metadata cache
  hub.statements.length = 0;
  const response = await hub.query(query);
  expect(response.errors).toBeUndefined();
  return hub.statements.length;
}

describe('SQL statements per request', () => {
  it('are one for every county with its deaths series (regions come from memory)', async () => {
    expect(await statementsFor('{ regions { code name drugDeaths(from: 2012, to: 2024) { year value } } }')).toBe(1);
  });

  it('are the same with the ids clients cache by (ids are made from what each row has)', async () => {
    const withoutIds = '{ regions { code name drugDeaths(from: 2012, to: 2024) { year value } } }';
    const withIds = '{ regions { id code name drugDeaths(from: 2012, to: 2024) { id year value } } }';
    expect(await statementsFor(withIds)).toBe(await statementsFor(withoutIds));
  });

  it('are the same for one region as for all 16 with their deaths series', async () => {
    const fields =
      'code name drugDeaths(from: 2012, to: 2024) { year value region { name } release { label } source { id } }';
    const one = await statementsFor(`{ region(code: "03") { ${fields} } }`);
    const all = await statementsFor(`{ regions { ${fields} } }`);
    expect(all).toBe(one);
    expect(all).toBeLessThanOrEqual(5);
  });

  it('are the same for one substance as for all of them with their deaths', async () => {
    const fields = 'code drugDeaths { value cause { name } }';
    const one = await statementsFor(`{ substance(code: "METHADONE") { ${fields} } }`);
    const all = await statementsFor(`{ substances { ${fields} } }`);
    expect(all).toBe(one);
  });

  it('load the revisions of every row of a series in one statement', async () => {
    const without = await statementsFor('{ drugDeaths(from: 2012, to: 2024) { value } }');
    const withRevisions = await statementsFor('{ drugDeaths(from: 2012, to: 2024) { value revisions { value } } }');
    expect(withRevisions).toBe(without + 1);
  });

  it('do not grow with the rows of a breakdown and their dimension objects', async () => {
    const count = await statementsFor(
      '{ drugDeaths(from: 2024, to: 2024, by: [AGE_GROUP, SEX]) { ageGroup { code name } sex release { id } source { id } } }',
    );
    expect(count).toBeLessThanOrEqual(4);
  });
});

describe('SQL statements across sources', () => {
  it('are the same for one substance as for all, with prevalence and deaths', async () => {
    const fields = 'code prevalence(from: 2025, to: 2025) { value recall } drugDeaths { value }';
    // STIMULANTS has both: survey prevalence and a cause-of-death group.
    const one = await statementsFor(`{ substance(code: "STIMULANTS") { ${fields} } }`);
    const all = await statementsFor(`{ substances { ${fields} } }`);
    expect(all).toBe(one);
  });
});

describe('SQL statements for wastewater', () => {
  it("are the same for one region as for all, with their sites' loads", async () => {
    const fields =
      'code wastewater(substance: ["COCAINE"]) { value site { city } metabolite { measuredAs } substance { code } }';
    const one = await statementsFor(`{ region(code: "03") { ${fields} } }`);
    const all = await statementsFor(`{ regions { ${fields} } }`);
    expect(all).toBe(one);
  });

  it('are the same for one region as for all, with their sites', async () => {
    const fields = 'code wastewaterSites { code city region { code } }';
    const one = await statementsFor(`{ region(code: "03") { ${fields} } }`);
    const all = await statementsFor(`{ regions { ${fields} } }`);
    expect(all).toBe(one);
  });

  it('are one for loads with their sites, metabolites and substances (codelists come from memory)', async () => {
    expect(
      await statementsFor(
        '{ wastewater(substance: ["CANNABIS"], first: 100) { value site { code city } metabolite { measuredAs } substance { code } } }',
      ),
    ).toBe(1);
  });

  it("are one for every region with its sites' loads", async () => {
    expect(await statementsFor('{ regions { code wastewater(substance: ["COCAINE"]) { value site { city } } } }')).toBe(
      1,
    );
  });
});

describe('columns read', () => {
  async function statementOf(query: string): Promise<string> {
    await statementsFor(query);
    return hub.statements.join('\n');
  }

  it('leave out the long texts (reference, note) when no field asks for them', async () => {
    const sql = await statementOf('{ regions { drugDeaths(from: 2023, to: 2024) { year value } } }');
    expect(sql).not.toContain('"reference"');
    expect(sql).not.toContain('"note"');
  });

  it('read them when asked for, on a parent and at the root, through fragments too', async () => {
    const nested = await statementOf('{ regions { drugDeaths(from: 2023, to: 2024) { reference } } }');
    expect(nested).toContain('"reference"');
    const root = await statementOf(
      '{ drugDeaths(from: 2024, to: 2024) { ...Texts } } fragment Texts on Observation { note }',
    );
    expect(root).toContain('"note"');
    expect(root).not.toContain('"reference"');
  });

  it('leave out the codes the filters fix, and the cells still answer them', async () => {
    // sex fixed by its filter; measure by the field; region, age group, cause and intent by their totals.
    const query =
      '{ drugDeaths(from: 2020, to: 2024, sex: MALE) { year measure sex ageGroup { code } region { code } } }';
    const sql = await statementOf(query);
    for (const fixed of ['measure', 'sex', 'regionCode', 'ageGroupCode', 'causeCode', 'intentCode']) {
      expect(sql).not.toContain(`AS "${fixed}"`);
    }
    expect(sql).toContain('AS "year"');
    const { data } = await hub.query<{ drugDeaths: { year: number }[] }>(query);
    expect(data?.drugDeaths.length).toBeGreaterThan(0);
    for (const cell of data?.drugDeaths ?? []) {
      expect(cell).toMatchObject({ measure: 'DEATHS', sex: 'MALE', ageGroup: { code: 'ALL' }, region: { code: '0' } });
    }
  });
});
