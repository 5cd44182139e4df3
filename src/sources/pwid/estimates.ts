import type { CubeRow } from '../../cube/definition.ts';
import * as enums from '../../db/generated/prisma/enums.ts';
import { builder } from '../../graphql/builder.ts';
import { AS_OF_DESCRIPTION, describedEnum, labelled } from '../../graphql/common.ts';
import { queryCube } from '../../graphql/cube-fields.ts';
import { Observation, type ObservationShape, observationNode, unitField } from '../../graphql/observation.ts';
import { estimatesCube } from './cubes.ts';

interface EstimateRow extends CubeRow, ObservationShape {
  low: number | null;
  high: number | null;
  ratePer1000: number | null;
  method: string;
  series: enums.InjectingDrugUseSeries;
}

export const InjectingDrugUseSeries = describedEnum(
  enums.InjectingDrugUseSeries,
  'InjectingDrugUseSeries',
  'Which series of estimates: each year its own estimate, or the moving average of three.',
  {
    ANNUAL_ESTIMATE: {
      description: "The year's own estimate (the default; every earlier publication's figures).",
      ...labelled('Årlig anslag', 'Annual estimate'),
    },
    THREE_YEAR_MOVING_AVERAGE: {
      description:
        'The 3-year moving average of the annual estimates, as the report charts it (never recomputed by the hub).',
      ...labelled('Glidende gjennomsnitt over tre år', 'Three-year moving average'),
    },
  },
);

export const InjectingDrugUseEstimate = builder.node(builder.objectRef<EstimateRow>('InjectingDrugUseEstimate'), {
  ...observationNode(estimatesCube),
  description:
    'An estimate of the number of people who inject drugs in Norway (mortality multiplier method): the ' +
    'estimate where published (value), and its range. Some years were published only as a range.',
  interfaces: [Observation],
  isTypeOf: (row) => typeof row === 'object' && row !== null && 'method' in row && 'ratePer1000' in row,
  fields: (t) => ({
    unit: unitField(t, 'PERSONS'),
    low: t.exposeFloat('low', { nullable: true, description: 'Low end of the range.' }),
    high: t.exposeFloat('high', { nullable: true, description: 'High end of the range.' }),
    ratePer1000: t.exposeFloat('ratePer1000', {
      nullable: true,
      description: 'Estimate per 1 000 inhabitants aged 15-64, where published.',
    }),
    method: t.exposeString('method', { description: 'Estimation method.' }),
    series: t.field({
      type: InjectingDrugUseSeries,
      description: 'Whether this is an annual estimate or a 3-year moving average.',
      resolve: (row) => row.series,
    }),
  }),
});

builder.queryFields((t) => ({
  injectingDrugUseEstimates: t.field({
    type: [InjectingDrugUseEstimate],
    description:
      'Estimated number of people who inject drugs, per year, each from its latest publication by `asOf`: ' +
      'the annual estimates by default, or the 3-year moving average (`series`).',
    args: {
      series: t.arg({
        type: InjectingDrugUseSeries,
        defaultValue: 'ANNUAL_ESTIMATE',
        description: 'Which series (default ANNUAL_ESTIMATE).',
      }),
      from: t.arg.int({ description: 'First year (inclusive).' }),
      to: t.arg.int({ description: 'Last year (inclusive).' }),
      asOf: t.arg({ type: 'Date', description: AS_OF_DESCRIPTION }),
    },
    resolve: async (_root, args, ctx, info) => {
      const query = {
        series: { series: args.series ?? 'ANNUAL_ESTIMATE' },
        filters: {},
        from: args.from,
        to: args.to,
        asOf: args.asOf,
      };
      return queryCube<EstimateRow>(ctx, estimatesCube, query, info);
    },
  }),
}));
