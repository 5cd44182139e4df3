import {
  type GraphQLArgument,
  type GraphQLEnumValue,
  type GraphQLField,
  type GraphQLFieldMap,
  type GraphQLInputType,
  type GraphQLNamedType,
  GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  isEnumType,
  isInterfaceType,
  isListType,
  isObjectType,
  isScalarType,
} from 'graphql';

/** The interface every observation type implements (DESIGN.md); its fields are the provenance. */
const OBSERVATION = 'Observation';
/** Fields of a label, in order of preference, on a dimension's object type (`region { name }`). */
const LABEL_FIELDS = ['name', 'city', 'measuredAs', 'label'];
/** The start of a period cell (a count over 2020-2024): part of the period, not a measure. */
const PERIOD_START = 'yearFrom';

/** A field of the observation type that identifies the cell (region, sex, site, ...). */
export interface DownloadDimension {
  field: string;
  kind: 'enum' | 'text' | 'object';
  /** For object dimensions: the field with the label, and whether it takes `lang`. */
  labelField?: string;
  labelTakesLang?: boolean;
  /** For enums: each value's label per language (`extensions.label`, else its description). */
  enumLabels?: Map<string, Record<DownloadLang, string>>;
  /** For object dimensions: the Prisma model behind the type, whose rows are the codelist. */
  codelistModel?: string;
  description: string;
}

/** The values of the enums every observation carries: the unit, status and qualifier, and its release's status. */
export interface ProvenanceEnums {
  unit: string[];
  status: string[];
  qualifier: string[];
  releaseStatus: string[];
}

/** A root field of Query that lists observations: what it downloads and how. */
export interface CubeField {
  name: string;
  description: string;
  args: readonly GraphQLArgument[];
  hasPeriodStart: boolean;
  dimensions: DownloadDimension[];
  /** Numbers a cell carries besides its value (ciLow, ciHigh, respondents, low, high, ...). */
  measures: string[];
  /** Each measure's number type: Int fields are integers. */
  measureTypes: Record<string, 'integer' | 'number'>;
  /** The description of each field of the observation type (the schema's, for the Table Schema). */
  fieldDescriptions: Record<string, string>;
  enums: ProvenanceEnums;
}

/**
 * Every root field of Query that returns a list of an `Observation` type: the cube fields,
 * derived from the schema so that a new source's field downloads without being listed here.
 */
export function cubeFields(schema: GraphQLSchema): Map<string, CubeField> {
  const observation = schema.getType(OBSERVATION);
  if (!isInterfaceType(observation)) throw new Error(`the schema has no ${OBSERVATION} interface`);
  const provenance = new Set(Object.keys(observation.getFields()));
  const enums = provenanceEnums(observation.getFields());
  const fields = new Map<string, CubeField>();
  for (const field of Object.values(schema.getQueryType()?.getFields() ?? {})) {
    if (!isListType(getNullableType(field.type))) continue;
    const type = getNamedType(field.type);
    if (!(type instanceof GraphQLObjectType) || !type.getInterfaces().includes(observation)) continue;
    fields.set(field.name, { ...describe(field, type, provenance), enums });
  }
  return fields;
}

/** The values of an enum type, by name; none when the name is not an enum. */
function enumValues(type: GraphQLNamedType | null | undefined): string[] {
  return type && isEnumType(type) ? type.getValues().map((value) => value.name) : [];
}

function provenanceEnums(fields: GraphQLFieldMap<unknown, unknown>): ProvenanceEnums {
  const of = (name: string) => enumValues(fields[name] && getNamedType(fields[name].type));
  const release = fields.release && getNamedType(fields.release.type);
  const releaseStatus = isObjectType(release) ? release.getFields().status : undefined;
  return {
    unit: of('unit'),
    status: of('status'),
    qualifier: of('qualifier'),
    releaseStatus: enumValues(releaseStatus && getNamedType(releaseStatus.type)),
  };
}

function describe(
  field: GraphQLField<unknown, unknown>,
  type: GraphQLObjectType,
  provenance: Set<string>,
): Omit<CubeField, 'enums'> {
  const dimensions: DownloadDimension[] = [];
  const measures: string[] = [];
  const measureTypes: Record<string, 'integer' | 'number'> = {};
  const fieldDescriptions: Record<string, string> = {};
  let hasPeriodStart = false;
  for (const child of Object.values(type.getFields())) {
    const description = (child.description ?? child.name).replace(/\.$/, '');
    fieldDescriptions[child.name] = description;
    if (provenance.has(child.name)) continue;
    if (isListType(getNullableType(child.type))) continue;
    const named = getNamedType(child.type);
    if (child.name === PERIOD_START) hasPeriodStart = true;
    else if (isEnumType(named)) {
      const enumLabels = new Map(named.getValues().map((v) => [v.name, enumLabel(v)]));
      dimensions.push({ field: child.name, kind: 'enum', enumLabels, description });
    } else if (isScalarType(named)) {
      if (named.name === 'Int' || named.name === 'Float') {
        measures.push(child.name);
        measureTypes[child.name] = named.name === 'Int' ? 'integer' : 'number';
      } else dimensions.push({ field: child.name, kind: 'text', description });
    } else if (isObjectType(named) && named.getFields().code) {
      const labelField = LABEL_FIELDS.map((name) => named.getFields()[name]).find(Boolean);
      // Pothos marks a type backed by a Prisma model; that model's rows are the dimension's codelist.
      const model = named.extensions.pothosPrismaModel;
      dimensions.push({
        field: child.name,
        kind: 'object',
        description,
        codelistModel: typeof model === 'string' ? model : undefined,
        labelField: labelField?.name,
        labelTakesLang: labelField?.args.some((arg) => arg.name === 'lang') ?? false,
      });
    }
    // Other objects (a survey wave's method facts) describe the cell; they do not identify it.
  }
  return {
    name: field.name,
    description: field.description ?? field.name,
    args: field.args,
    hasPeriodStart,
    dimensions,
    measures,
    measureTypes,
    fieldDescriptions,
  };
}

export type DownloadLang = 'NB' | 'EN';

/** An enum value's label in both languages, as the schema gives it (see `labelled`). */
function enumLabel(value: GraphQLEnumValue): Record<DownloadLang, string> {
  const label = value.extensions.label as Record<DownloadLang, string> | undefined;
  const fallback = (value.description ?? value.name).replace(/\.$/, '');
  return label ?? { NB: fallback, EN: fallback };
}

/** A query parameter the hub cannot turn into an argument (an unusable name, a bad `lang`). */
export class DownloadParameterError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/** Parameters that shape the file, not the query. */
export const FILE_PARAMETERS = ['lang', 'format'] as const;

/** `format=datapackage`: the download's Frictionless Data Package instead of the file. */
export const DATA_PACKAGE = 'datapackage';

/**
 * The GraphQL document a download runs: the field with its query parameters as literal
 * arguments (lists comma-separated, each value written as its GraphQL type expects, so GraphQL
 * itself validates them and a bad one fails exactly as in a query), selecting every dimension
 * with its label and every provenance field, plus the sources with their licences.
 */
export function downloadDocument(
  cube: CubeField,
  params: URLSearchParams,
): { document: string; lang: DownloadLang; asDataPackage: boolean } {
  const langParam = params.get('lang') ?? 'nb';
  if (langParam !== 'nb' && langParam !== 'en')
    throw new DownloadParameterError(
      `lang: "${langParam}" is not a language. Valid values: nb, en.`,
      'INVALID_PARAMETER',
    );
  const format = params.get('format');
  if (format !== null && format !== DATA_PACKAGE)
    throw new DownloadParameterError(
      `format: "${format}" is not a format. Valid values: ${DATA_PACKAGE} (the file's Data Package); without format, the file itself.`,
      'INVALID_PARAMETER',
    );
  const lang: DownloadLang = langParam === 'en' ? 'EN' : 'NB';
  const args: string[] = [];
  for (const name of new Set(params.keys())) {
    if ((FILE_PARAMETERS as readonly string[]).includes(name)) continue;
    if (!GRAPHQL_NAME.test(name))
      throw new DownloadParameterError(
        `${cube.name}: "${name}" is not an argument. Arguments: ${cube.args.map((a) => a.name).join(', ')}; and lang (nb, en), format (datapackage).`,
        'UNKNOWN_ARGUMENT',
      );
    const raw = params.getAll(name).join(',');
    const type = cube.args.find((arg) => arg.name === name)?.type;
    // An unknown name is passed on as it is: GraphQL answers "Unknown argument" as for a query.
    args.push(`${name}: ${type ? literal(type, raw) : JSON.stringify(raw)}`);
  }
  const label = (dimension: DownloadDimension) =>
    dimension.labelField ? ` ${dimension.labelField}${dimension.labelTakesLang ? `(lang: ${lang})` : ''}` : '';
  const dimensions = cube.dimensions.map((d) => (d.kind === 'object' ? `${d.field} { code${label(d)} }` : d.field));
  const selection = [
    'year',
    ...(cube.hasPeriodStart ? [PERIOD_START] : []),
    ...dimensions,
    'value unit status qualifier',
    ...cube.measures,
    'reference note',
    'source { id }',
    'release { id label status publishedAt citation }',
  ].join('\n    ');
  const document = `query Download {
  rows: ${cube.name}${args.length ? `(${args.join(', ')})` : ''} {
    ${selection}
  }
  sources { id name(lang: ${lang}) publisher url licence licenceUrl attribution }
}`;
  return { document, lang, asDataPackage: format === DATA_PACKAGE };
}

/** A query-string value written as a GraphQL literal of the argument's type. */
function literal(type: GraphQLInputType, raw: string): string {
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    const items = raw === '' ? [] : raw.split(',').map((item) => literal(nullable.ofType, item.trim()));
    return `[${items.join(', ')}]`;
  }
  const named = getNamedType(nullable);
  // A value that cannot be the type is written as a string, so GraphQL names the problem.
  if (isEnumType(named)) return GRAPHQL_NAME.test(raw) ? raw : JSON.stringify(raw);
  if (named.name === 'Int' || named.name === 'Float') return NUMBER.test(raw) ? raw : JSON.stringify(raw);
  if (named.name === 'Boolean') return raw === 'true' || raw === 'false' ? raw : JSON.stringify(raw);
  return JSON.stringify(raw);
}
