import type { CubeDefinition } from '../../cube/definition.ts';
import { TABLES } from './tables.ts';

/** Estimated numbers of people who inject drugs by year: the annual estimate, and its 3-year moving average (series). */
export const estimatesCube: CubeDefinition = {
  field: 'injectingDrugUseEstimates',
  table: TABLES.estimates,
  series: [{ column: 'series', field: 'series' }],
  year: { column: 'year', field: 'year' },
  dimensions: [],
  values: [
    { column: 'estimate', field: 'value' },
    { column: 'low', field: 'low' },
    { column: 'high', field: 'high' },
    { column: 'rate_per_1000', field: 'ratePer1000' },
    { column: 'method', field: 'method' },
    { column: 'status', field: 'status' },
    { column: 'qualifier', field: 'qualifier' },
    { column: 'reference', field: 'reference' },
    { column: 'note', field: 'note' },
  ],
};
