import * as enums from '../db/generated/prisma/enums.ts';
import { builder } from './builder.ts';
import { unitEnum } from './units.ts';

export const Lang = builder.enumType('Lang', {
  description: 'Language of labels.',
  values: {
    NB: { description: 'Norwegian (bokmål), the language the sources publish in.' },
    EN: { description: 'English.' },
  } as const,
});

export type LangValue = 'NB' | 'EN';

interface Labelled {
  nameNb: string;
  nameEn: string;
}

/** The label of a codelist entry in the requested language. */
export function label(entry: Labelled, lang: LangValue | null | undefined): string {
  return lang === 'EN' ? entry.nameEn : entry.nameNb;
}

/**
 * The label of an enum value in both languages, kept in the schema's `extensions` (where
 * downloads read it) next to the value's description.
 */
export const labelled = (nb: string, en: string) => ({ extensions: { label: { NB: nb, EN: en } } });

/** What the schema says of one enum value: its description, or its description and labels. */
type ValueDescription = string | { description: string; extensions?: Record<string, unknown> };

/**
 * A GraphQL enum over an enum of the Prisma schema (values and their order are the database's),
 * with its description and each value's: a value's entry is its description, or an object with
 * its description and `labelled(...)`. Every value must be described.
 */
export function describedEnum<const Values extends Record<string, string>>(
  values: Values,
  name: string,
  description: string,
  descriptions: { [Value in keyof Values]: ValueDescription },
) {
  const config = Object.fromEntries(
    Object.entries(descriptions).map(([value, entry]: [string, ValueDescription]) => [
      value,
      typeof entry === 'string' ? { description: entry } : entry,
    ]),
  );
  // Pothos cannot check options against a generic enum; the signature above checks them instead.
  return builder.enumType(values, { name, description, values: config } as never);
}

/** The `lang` argument of every `name` and label field. */
export const langArgs = builder.args((t) => ({
  lang: t.field({ type: Lang, defaultValue: 'NB', description: 'Language of the label (default NB).' }),
}));

export const Sex = describedEnum(enums.Sex, 'Sex', 'Sex as the sources publish it; ALL is the total.', {
  ALL: { description: 'Both sexes (the total).', ...labelled('Begge kjønn', 'Both sexes') },
  MALE: { description: 'Men.', ...labelled('Menn', 'Men') },
  FEMALE: { description: 'Women.', ...labelled('Kvinner', 'Women') },
});

/** The unit of a value: the shared units and those the sources declare (units.ts). */
export const Unit = unitEnum();

export const ValueStatus = describedEnum(
  enums.ValueStatus,
  'ValueStatus',
  'Status of a value as the source gives it.',
  {
    NORMAL: 'A published value.',
    PROVISIONAL: 'Published as provisional; it may be revised.',
    SUPPRESSED: 'Withheld by the source (e.g. small numbers); value is null.',
    BELOW_LOQ: 'Below the limit of quantification (published as 0).',
    MISSING: 'Not available (e.g. no sample that day); value is null.',
    DOUBTFUL:
      'Printed by the source but doubtful (e.g. one composite sample copied to several days); the note ' +
      'says why. Leave these out where only sound measurements will do.',
  },
);

export const AttributeOrigin = describedEnum(
  enums.AttributeOrigin,
  'AttributeOrigin',
  'Whether an attribute of a value (e.g. the standard population of a rate) was printed by its source.',
  {
    PRINTED: 'The source prints it.',
    INFERRED: "The source does not print it; the hub inferred it (e.g. from the publisher's practice at the time).",
  },
);

export const Qualifier = describedEnum(
  enums.Qualifier,
  'Qualifier',
  'How exact a printed figure is, as the source worded it.',
  {
    EXACT: 'Printed as an exact figure.',
    ABOUT: '"om lag", "rundt", "cirka": about.',
    NEARLY: '"nærmere": nearly (the true value is a little lower).',
    JUST_OVER: '"i overkant av": just over.',
    LESS_THAN: '"under": less than.',
    ABOUT_OR_LESS: '"rundt ... eller mindre": about this value or less (an upper bound, roughly).',
  },
);

/**
 * The `asOf` argument of every field that answers from releases. A release whose day is not
 * known is dated by a placeholder (Release.publishedAtPrecision says which), and asOf compares
 * with that placeholder: one rule for every source.
 */
export const AS_OF_DESCRIPTION =
  'Answer as published on this date (default: the latest releases, withdrawn ones left out). A release ' +
  'counts from its publishedAt. Where its day is not known (Release.publishedAtPrecision), publishedAt ' +
  'is a placeholder: the 1st of the month (MONTH), 1 January (YEAR), or 1 January of the year after its ' +
  'latest data (UNKNOWN); asOf compares with that placeholder, so such a release counts as published from then.';
