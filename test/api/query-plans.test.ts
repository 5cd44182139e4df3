import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { applyMigrations } from '../../src/db/migrate.ts';
import { loadBundledData } from '../../src/publishing/bundled.ts';
import { createHub, DEFAULT_LIMITS, type Hub } from '../../src/server/yoga.ts';
import { openTestDatabase } from '../helpers/hub.ts';

// The common cube queries can be answered from an index on the cube's table. Each query is sent
// through the hub; the statements it sent to the cube table are then EXPLAINed with their own
// parameters. Sequential scans are switched off for the EXPLAIN only, so the plan shows whether
// an index *can* answer (on tables this small a scan would win; at 50x the rows it would not:
// see `npm run bench:scale`). A filter the index cannot serve (e.g. `sex::text = 'ALL'`) would
// still show a Seq Scan.

let db: Database;
let drop: () => Promise<void>;
let hub: Hub;
const sent: { sql: string; values?: readonly unknown[] }[] = [];

beforeAll(async () => {
  ({ db, drop } = await openTestDatabase((sql, values) => sent.push({ sql, values })));
  await applyMigrations(db.pool);
  await loadBundledData(db);
  await db.pool.query('ANALYZE');
  hub = createHub(db, { limits: { ...DEFAULT_LIMITS, RESPONSE_CACHE_TTL_MS: 0 } });
});
afterAll(async () => {
  await hub.events.close();
  await drop();
});

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];

/** The plan nodes that read `table`, for every statement on it that answering `query` sent. */
async function scansOf(query: string, table: string): Promise<PlanNode[][]> {
  const response = await hub.fetch('http://rusdata.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { errors?: unknown };
  expect(body.errors).toBeUndefined();
  const statements = sent
    .splice(0)
    .filter(({ sql }) => sql.trimStart().startsWith('SELECT') && sql.includes(`FROM "${table}" o`));
  expect(statements.length).toBeGreaterThan(0);
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL enable_seqscan = off');
    const plans: PlanNode[][] = [];
    for (const { sql, values } of statements) {
      const { rows } = await client.query(`EXPLAIN (FORMAT JSON) ${sql}`, values ? [...values] : []);
      const root = (rows[0]['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan;
      // A bitmap scan names its index on a child node without a relation.
      plans.push(
        nodes(root).filter((node) => node['Relation Name'] === table || node['Index Name']?.startsWith(table)),
      );
    }
    return plans;
  } finally {
    await client.query('ROLLBACK');
    client.release();
    sent.length = 0;
  }
}

function expectIndexOnly(plans: PlanNode[][], index: string): void {
  for (const scans of plans) {
    expect(scans.map((node) => node['Node Type'])).not.toContain('Seq Scan');
    expect(scans.map((node) => node['Index Name'])).toContain(index);
  }
}

describe('the common cube queries read an index', () => {
  it('the dashboard: every region with its deaths series', async () => {
    const plans = await scansOf(
      '{ regions { code drugDeaths(from: 2012, to: 2024) { year value } } }',
      'death_observation',
    );
    expectIndexOnly(plans, 'death_observation_measure_region_code_sex_age_group_code_ca_idx');
  });

  it('a wastewater ranking: one substance and year, by value, top 10', async () => {
    const plans = await scansOf(
      '{ wastewater(substance: ["COCAINE"], from: 2024, to: 2024, orderBy: VALUE_DESC, first: 10) { value } }',
      'wastewater_observation',
    );
    // Values in ranking order, of the rows marked current.
    expectIndexOnly(plans, 'wastewater_observation_substance_code_statistic_value_idx');
  });

  it('a wastewater ranking as of a date: by value, top 10', async () => {
    const plans = await scansOf(
      '{ wastewater(substance: ["COCAINE"], from: 2024, to: 2024, orderBy: VALUE_DESC, first: 10, asOf: "2026-01-01") { value } }',
      'wastewater_observation',
    );
    // Values in ranking order; each candidate's cell is checked for a newer release by the cell index.
    expectIndexOnly(plans, 'wastewater_observation_substance_code_statistic_value_idx');
    expectIndexOnly(plans, 'wastewater_observation_substance_code_statistic_year_site__idx');
  });

  it('a wastewater series: one substance, every year, first 100', async () => {
    const plans = await scansOf(
      '{ wastewater(substance: ["CANNABIS"], first: 100) { value } }',
      'wastewater_observation',
    );
    expectIndexOnly(plans, 'wastewater_observation_substance_code_statistic_year_site__idx');
  });

  it('survey prevalence broken down by sex', async () => {
    const plans = await scansOf('{ prevalence(substance: ["CANNABIS"], by: [SEX]) { value } }', 'survey_prevalence');
    expectIndexOnly(plans, 'survey_prevalence_substance_code_recall_sex_age_group_code__idx');
  });

  it('the revisions of a deaths series', async () => {
    const plans = await scansOf(
      '{ drugDeaths(from: 2019, to: 2023) { value revisions { value } } }',
      'death_observation',
    );
    expect(plans).toHaveLength(2);
    expectIndexOnly(plans, 'death_observation_measure_region_code_sex_age_group_code_ca_idx');
  });

  it('the revisions of wastewater cells', async () => {
    const plans = await scansOf(
      '{ wastewater(substance: ["MDMA"], from: 2024, to: 2024, first: 5) { value revisions { value } } }',
      'wastewater_observation',
    );
    expectIndexOnly(plans, 'wastewater_observation_substance_code_statistic_year_site__idx');
  });
});
