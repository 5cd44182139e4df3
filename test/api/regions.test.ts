import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundledData } from '../../src/publishing/bundled.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

// `regions` without validIn answers in the county structure of the current year: the hub's clock,
// fixed here so that the answer does not depend on the day the test runs.

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub({ clock: () => new Date('2022-07-01T12:00:00Z') });
});
afterAll(() => hub.close());

describe('regions', () => {
  it('default to the counties in use in the year of the clock (2022: the 11 of 2020-2023)', async () => {
    const { regions } = await hub.data<{ regions: { code: string }[] }>('{ regions { code } }');
    expect(regions.map((r) => r.code)).toEqual(['0', '03', '11', '15', '18', '30', '34', '38', '42', '46', '50', '54']);
  });

  it('answer the structure of the year asked for, whatever the clock', async () => {
    const { regions } = await hub.data<{ regions: { code: string }[] }>('{ regions(validIn: 2024) { code } }');
    expect(regions).toHaveLength(16);
  });

  it('are held in memory and read again after a release event (a new code comes with its data)', async () => {
    // A new alias each time: a new question, so the HTTP cache does not answer it.
    let asked = 0;
    const nameOfOslo = async () => {
      const alias = `oslo${++asked}`;
      const data = await hub.data<Record<string, { name: string }>>(`{ ${alias}: region(code: "03") { name } }`);
      return data[alias]?.name;
    };
    expect(await nameOfOslo()).toBe('Oslo');
    await hub.db.pool.query(`UPDATE region SET name_nb = 'Oslo kommune' WHERE code = '03'`);
    expect(await nameOfOslo()).toBe('Oslo');
    const announced = hub.hub.events.subscribe('release:changed').next();
    await hub.db.pool.query(`UPDATE release SET withdrawn_at = now() WHERE id = (SELECT min(id) FROM release)`);
    await announced;
    expect(await nameOfOslo()).toBe('Oslo kommune');
  });

  it('are read again when newer bundled codelists are loaded by any process (the data version moves)', async () => {
    const before = hub.hub.events.version();
    await hub.db.pool.query(`UPDATE region SET name_nb = 'Oslo by' WHERE code = '03'`);
    await hub.db.pool.query(`UPDATE bundled_load SET fingerprint = 'older files' WHERE name = 'dimensions'`);
    const moved = new Promise<void>((resolve) => hub.hub.events.onChange(resolve));
    await loadBundledData(hub.db);
    await moved;
    expect(hub.hub.events.version()).not.toBe(before);
    const { region } = await hub.data<{ region: { name: string } }>('{ region(code: "03") { name } }');
    expect(region.name).toBe('Oslo');
  });
});
