import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
