import type { SurveyWave } from '../../db/generated/prisma/client.ts';
import { builder } from '../../graphql/builder.ts';
import { langArgs } from '../../graphql/common.ts';
import type { BatchLoad } from '../../graphql/loaders.ts';
import { compositeKey, parseCompositeKey } from '../../graphql/node.ts';

/** For `lookup` fields: the latest published method facts per survey year (one statement per path); null for a year without. */
export const wavesByYear: BatchLoad<number, SurveyWave | null> = async (years, ctx) => {
  const waves = await ctx.prisma.surveyWave.findMany({
    where: { year: { in: [...years] }, release: { withdrawnAt: null } },
    orderBy: [{ release: { publishedAt: 'desc' } }, { release: { createdAt: 'desc' } }],
  });
  return years.map((year) => waves.find((wave) => wave.year === year) ?? null);
};

export const SurveyWaveType = builder.prismaNode('SurveyWave', {
  description: 'Method facts of one year of the survey, as the report gives them, and its comparability notes.',
  // One release's facts of one year: a later release's facts of the same year are another object.
  id: { resolve: (wave) => compositeKey([wave.releaseId, wave.year]) },
  findUnique: (key) => {
    const [releaseId, year] = parseCompositeKey(key, 2) ?? [];
    // A key that names no wave finds nothing.
    const valid = releaseId && year && /^\d{1,4}$/.test(year);
    return { releaseId_year: valid ? { releaseId, year: Number(year) } : { releaseId: '', year: -1 } };
  },
  nullable: true,
  fields: (t) => ({
    year: t.exposeInt('year', { description: 'Survey year.' }),
    drawnSample: t.exposeInt('drawnSample', {
      nullable: true,
      description: 'Persons drawn from the population register.',
    }),
    sampleAgeFrom: t.exposeInt('sampleAgeFrom', { nullable: true, description: 'Youngest age drawn.' }),
    sampleAgeTo: t.exposeInt('sampleAgeTo', { nullable: true, description: 'Oldest age drawn.' }),
    removals: t.exposeInt('removals', { nullable: true, description: 'Persons removed from the sample ("avganger").' }),
    grossSample: t.exposeInt('grossSample', { nullable: true, description: 'Gross sample after removals.' }),
    respondents: t.exposeInt('respondents', { nullable: true, description: 'Persons who answered.' }),
    responseRate: t.exposeFloat('responseRate', {
      nullable: true,
      description: 'Response rate in percent of the gross sample.',
    }),
    webShare: t.exposeFloat('webShare', {
      nullable: true,
      description: 'Percent of respondents who answered on the web (CAWI).',
    }),
    phoneShare: t.exposeFloat('phoneShare', {
      nullable: true,
      description: 'Percent of respondents interviewed by telephone (CATI).',
    }),
    nonContactShare: t.exposeFloat('nonContactShare', {
      nullable: true,
      description: 'Non-contact, in percent of the gross sample.',
    }),
    fieldworkStart: t.field({
      type: 'Date',
      nullable: true,
      description: 'First day of fieldwork.',
      resolve: (wave) => wave.fieldworkStart,
    }),
    fieldworkEnd: t.field({
      type: 'Date',
      nullable: true,
      description: 'Last day of fieldwork.',
      resolve: (wave) => wave.fieldworkEnd,
    }),
    notes: t.stringList({
      description: 'Comparability notes for this year (e.g. the 2023 spring/autumn split).',
      args: langArgs,
      resolve: (wave, { lang }) => (lang === 'EN' ? wave.notesEn : wave.notesNb),
    }),
    reference: t.exposeString('reference', { description: 'Where the report gives these facts.' }),
    release: t.relation('release', { description: 'The release these facts come from.' }),
  }),
});

builder.queryFields((t) => ({
  surveyWaves: t.prismaField({
    type: ['SurveyWave'],
    description: 'Method facts of the survey years the sources describe, newest year first.',
    resolve: (query, _root, _args, ctx) =>
      ctx.prisma.surveyWave.findMany({
        ...query,
        where: { release: { withdrawnAt: null } },
        orderBy: [{ year: 'desc' }],
      }),
  }),
}));
