import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/database.ts';
import { applyMigrations } from '../../src/db/migrate.ts';
import { loadBundledData } from '../../src/publishing/bundled.ts';
import { createHub, type Hub } from '../../src/server/yoga.ts';

// The embedded database is one PGlite session behind one connection; concurrent requests must
// queue on it and each get its own, correct answer (multiplexing returned wrong rows: PGlite #1046).

let db: Database;
let hub: Hub;
let dataDir: string;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'rusdata-embedded-'));
  db = await openDatabase({ dataDir, poolMax: 10 });
  await applyMigrations(db.pool);
  await loadBundledData(db);
  hub = createHub(db);
});
afterAll(async () => {
  await db.close();
  rmSync(dataDir, { recursive: true, force: true });
});

it('answers 50 concurrent requests on the embedded database, each correctly', async () => {
  expect(db.kind).toBe('embedded');
  const counties = ['31', '32', '03', '33', '34', '39', '40', '42', '11', '46', '15', '50', '18', '55', '56'];
  const expected = async (code: string) => {
    const response = await hub.fetch('http://rusdata.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `{ drugDeaths(region: ["${code}"], from: 2024, to: 2024) { value region { code } } }`,
      }),
    });
    return (await response.json()) as { data: { drugDeaths: { value: number; region: { code: string } }[] } };
  };
  const sequential: Record<string, number> = {};
  for (const code of counties) sequential[code] = (await expected(code)).data.drugDeaths[0]!.value;

  const requests = Array.from({ length: 50 }, (_, i) => counties[i % counties.length]!);
  const answers = await Promise.all(requests.map((code) => expected(code)));
  answers.forEach((answer, i) => {
    expect(answer.data.drugDeaths).toEqual([{ value: sequential[requests[i]!], region: { code: requests[i] } }]);
  });
});
