// What several charts of charts.js share: table columns and Plot marks (global `Plot` and `d3`).
import { format, recallLabel, TEXT } from './text.js';

/** An enum value in a GraphQL argument (written without quotes). */
export const enumValue = (name) => ({ enum: name });

/** The table columns several charts share. */
export const COLUMNS = {
  year: { label: TEXT.year, value: (row) => row.year, numeric: false },
  recall: { label: TEXT.recall, value: (row) => recallLabel(row.recall), numeric: false },
  substance: { label: TEXT.substance, value: (row) => row.substance.name, numeric: false },
  city: { label: TEXT.city, value: (row) => row.site.city, numeric: false },
  percent: { label: TEXT.percent, field: 'value' },
  deaths: { label: TEXT.deaths, field: 'value' },
  load: { label: TEXT.load, field: 'value' },
  ciLow: { label: { nb: 'KI nedre', en: 'CI low' }, value: (row) => row.ciLow },
  ciHigh: { label: { nb: 'KI øvre', en: 'CI high' }, value: (row) => row.ciHigh },
};

/** Each row's value printed at the end of its horizontal bar. */
export const barValues = (rows, channels, fontSize = 10) =>
  Plot.text(rows, { ...channels, text: (row) => format(row.value), dx: 4, textAnchor: 'start', fontSize });

/** The keys of the rows (e.g. substance names), the one with the largest value first. */
export const largestFirst = (rows, key) => d3.groupSort(rows, (group) => -d3.max(group, (row) => row.value), key);
