import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { builder } from '../graphql/builder.ts';
import { type LangValue, langArgs } from '../graphql/common.ts';
import { compositeKey } from '../graphql/node.ts';
import { cell, readCsvFile } from '../importing/csv.ts';
import { DATA_DIR } from '../importing/source-files.ts';

// The report's coverage is data (prisma/data/report-coverage/): what the hub serves of each
// chapter, and what the report prints that it does not serve, with the reason. It spans sources,
// so it lives with the schema, which knows them all.

const DIR = join(DATA_DIR, 'report-coverage');

/** Why a printed figure is not served: the codes of not-served.csv and of the GraphQL enum. */
const NOT_SERVED_KINDS = {
  NO_PUBLIC_DATA: { description: 'Printed in a chart whose data are not public; the hub has nothing to serve.' },
  NO_NUMBER_PRINTED: { description: 'A statement without a number (a comparison, a trend, "the same applies").' },
  NOT_A_CELL: { description: 'A range over years or cells, a scope figure or a restatement: not one cell.' },
  NOT_YET_MODELLED: { description: 'A printed number the hub has no cube for yet.' },
} as const;
type NotServedKindValue = keyof typeof NOT_SERVED_KINDS;

interface Served {
  description: string;
  field: string;
  arguments: string;
  selection: string;
}
interface NotServed {
  description: string;
  kind: NotServedKindValue;
  reason: string;
}
interface Chapter {
  chapter: number;
  titleNb: string;
  titleEn: string;
  served: Served[];
  notServed: NotServed[];
}

/** Reads and checks the coverage files once: every row names a chapter of chapters.csv. */
export function readReportCoverage(dir = DIR): Chapter[] {
  const chapters = readCsvFile(
    join(dir, 'chapters.csv'),
    z.object({ chapter: cell.number, title_nb: cell.text, title_en: cell.text }),
  ).map((c) => ({ chapter: c.chapter, titleNb: c.title_nb, titleEn: c.title_en, served: [], notServed: [] }));
  const byNumber = new Map<number, Chapter>(chapters.map((c) => [c.chapter, c]));
  const chapterOf = cell.number.refine((n) => byNumber.has(n), 'must be a chapter of chapters.csv');
  for (const row of readCsvFile(
    join(dir, 'served.csv'),
    z.object({
      chapter: chapterOf,
      description: cell.text,
      field: cell.text,
      arguments: z.string(),
      selection: cell.text,
    }),
  )) {
    byNumber.get(row.chapter)?.served.push(row);
  }
  for (const row of readCsvFile(
    join(dir, 'not-served.csv'),
    z.object({
      chapter: chapterOf,
      description: cell.text,
      kind: z.enum(Object.keys(NOT_SERVED_KINDS) as [NotServedKindValue, ...NotServedKindValue[]]),
      reason: cell.text,
    }),
  )) {
    byNumber.get(row.chapter)?.notServed.push(row);
  }
  return chapters;
}

const coverage = readReportCoverage();

const NotServedKind = builder.enumType('NotServedKind', {
  description: 'Why a printed figure of the report is not served.',
  values: NOT_SERVED_KINDS,
});

/** A figure's key: its chapter and a digest of what it says (an edited row is another object). */
const figureKey = (chapter: number, figure: Served | NotServed) =>
  compositeKey([chapter, createHash('sha256').update(JSON.stringify(figure)).digest('base64url').slice(0, 16)]);

const chapterOf = new Map<Served | NotServed, number>(
  coverage.flatMap((c) => [...c.served, ...c.notServed].map((figure) => [figure, c.chapter] as const)),
);
const figuresByKey = new Map<string, Served | NotServed>(
  [...chapterOf].map(([figure, chapter]) => [figureKey(chapter, figure), figure]),
);
const figureId = { resolve: (figure: Served | NotServed) => figureKey(chapterOf.get(figure) ?? 0, figure) };
const isServed = (figure: Served | NotServed | undefined): figure is Served => !!figure && 'field' in figure;

const ServedFigure = builder.node(builder.objectRef<Served>('ServedFigure'), {
  description: 'Printed figures of a chapter that the hub serves, and the query that answers them.',
  id: figureId,
  loadOne: (key) => {
    const figure = figuresByKey.get(key);
    return isServed(figure) ? figure : null;
  },
  fields: (t) => ({
    description: t.exposeString('description', {
      description: "Which printed figures (in the report's words where useful).",
    }),
    field: t.exposeString('field', { description: 'The root query field that serves them.' }),
    arguments: t.exposeString('arguments', { description: 'Its arguments, in GraphQL syntax (may be empty).' }),
    query: t.string({
      description: 'A complete query for them, ready to send.',
      resolve: (s) => `{ ${s.field}${s.arguments ? `(${s.arguments})` : ''} { ${s.selection} } }`,
    }),
  }),
});

const NotServedFigure = builder.node(builder.objectRef<NotServed>('NotServedFigure'), {
  description: 'Something the report prints that the hub does not serve.',
  id: figureId,
  loadOne: (key) => {
    const figure = figuresByKey.get(key);
    return figure && !isServed(figure) ? figure : null;
  },
  fields: (t) => ({
    description: t.exposeString('description', { description: 'What the report prints.' }),
    kind: t.field({ type: NotServedKind, description: 'Why it is not served, as a code.', resolve: (n) => n.kind }),
    reason: t.exposeString('reason', { description: 'Why it is not served, and what is served instead.' }),
  }),
});

const ReportChapter = builder.node(builder.objectRef<Chapter>('ReportChapter'), {
  description: 'One chapter of "Tall om illegale rusmidler": what the hub serves of it and what it does not.',
  id: { resolve: (c) => c.chapter },
  loadOne: (key) => coverage.find((c) => String(c.chapter) === key) ?? null,
  fields: (t) => ({
    chapter: t.exposeInt('chapter', { description: "The chapter's number in the report." }),
    title: t.string({
      description: "The chapter's title (Norwegian as printed, or English).",
      args: langArgs,
      resolve: (c, { lang }) => ((lang as LangValue | null) === 'EN' ? c.titleEn : c.titleNb),
    }),
    served: t.field({
      type: [ServedFigure],
      description: 'What the hub serves of the chapter.',
      resolve: (c) => c.served,
    }),
    notServed: t.field({
      type: [NotServedFigure],
      description: 'What the chapter prints that the hub does not serve, with the reason.',
      resolve: (c) => c.notServed,
    }),
  }),
});

builder.queryFields((t) => ({
  reportCoverage: t.field({
    type: [ReportChapter],
    description:
      "The report's coverage, chapter by chapter: what the hub serves (with the query) and what the report prints that it does not serve (with the reason).",
    args: { chapter: t.arg.intList({ description: 'Chapter numbers. Default: every chapter.' }) },
    resolve: (_root, args) => coverage.filter((c) => !args.chapter || args.chapter.includes(c.chapter)),
  }),
}));
