import type { CubeDefinition, CubeRow } from '../../cube/definition.ts';
import { builder } from '../../graphql/builder.ts';
import { queryCube } from '../../graphql/cube-fields.ts';
import { Observation, type ObservationShape } from '../../graphql/observation.ts';
import { TABLES } from './tables.ts';

interface EstimateRow extends CubeRow, ObservationShape {
  low: number | null;
  high: number | null;
  ratePer1000: number | null;
  method: string;
}

const estimatesCube: CubeDefinition = {
  field: 'injectingDrugUseEstimates',
  table: TABLES.estimates,
  series: [],
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

export const InjectingDrugUseEstimate = builder.objectRef<EstimateRow>('InjectingDrugUseEstimate').implement({
  description:
    'An estimate of the number of people who inject drugs in Norway (mortality multiplier method): the estimate where published (value), and its range. Some years were published only as a range.',
  interfaces: [Observation],
  isTypeOf: (row) => typeof row === 'object' && row !== null && 'method' in row && 'ratePer1000' in row,
  fields: (t) => ({
    low: t.exposeFloat('low', { nullable: true, description: 'Low end of the range.' }),
    high: t.exposeFloat('high', { nullable: true, description: 'High end of the range.' }),
    ratePer1000: t.exposeFloat('ratePer1000', {
      nullable: true,
      description: 'Estimate per 1 000 inhabitants aged 15-64, where published.',
    }),
    method: t.exposeString('method', { description: 'Estimation method.' }),
  }),
});

builder.queryFields((t) => ({
  injectingDrugUseEstimates: t.field({
    type: [InjectingDrugUseEstimate],
    description: 'Estimated number of people who inject drugs, per year, each from its latest publication by `asOf`.',
    args: {
      from: t.arg.int({ description: 'First year (inclusive).' }),
      to: t.arg.int({ description: 'Last year (inclusive).' }),
      asOf: t.arg({ type: 'Date', description: 'Answer as published on this date (default: the latest releases).' }),
    },
    resolve: async (_root, args, ctx) => {
      const rows = await queryCube<EstimateRow>(ctx, estimatesCube, {
        series: {},
        filters: {},
        from: args.from,
        to: args.to,
        asOf: args.asOf,
      });
      return rows.map((row) => ({ ...row, unit: 'PERSONS' as const }));
    },
  }),
}));
