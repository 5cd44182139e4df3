// The page's language (?lang=en, else Norwegian), its texts, number format and colours, and the
// labels of codes. Code labels are the hub's own (labels.js, made from the schema's enum labels
// and the codelists), so the page repeats none of them.
import { LABELS } from './labels.js';

export const lang = new URLSearchParams(location.search).get('lang') === 'en' ? 'en' : 'nb';
export const LANG = lang.toUpperCase();
/** A text in the page's language: `{ nb, en }`. */
export const t = (text) => text[lang];
const numbers = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'nb-NO', { maximumFractionDigits: 2 });
export const format = (value) => (value == null ? '–' : numbers.format(value));
export const COLOURS = ['#1f5f8b', '#e07b39', '#5a9e6f', '#8e5ba8', '#c44e52', '#7f7f7f'];

export const TEXT = {
  title: { nb: 'Tall om illegale rusmidler — utforsk dataene', en: 'Figures on illegal drugs — explore the data' },
  intro: {
    nb:
      'Figurene i Helsedirektoratets rapport, tegnet på nytt fra rusdata-APIet. Hver figur har tallene som ' +
      'tabell, en CSV-fil og spørringen i GraphiQL.',
    en:
      "The figures of the Norwegian Directorate of Health's report, redrawn live from the rusdata API. " +
      'Each figure has its numbers as a table, a CSV file and its query in GraphiQL.',
  },
  footer: {
    nb:
      'Alle tall som publisert, med kilde og utgivelse (se CSV-filene). Nedlastinger av alle tabeller: /data. ' +
      'Avløpsvannsdata: © EUDA, CC BY 4.0.',
    en:
      'Every figure as published, with its source and release (see the CSV files). Downloads of every table: ' +
      '/data. Wastewater data: © EUDA, CC BY 4.0.',
  },
  table: { nb: 'Tallene som tabell', en: 'The numbers as a table' },
  csv: { nb: 'Last ned CSV', en: 'Download CSV' },
  jsonStat: { nb: 'JSON-stat', en: 'JSON-stat' },
  graphiql: { nb: 'Åpne i GraphiQL', en: 'Open in GraphiQL' },
  loading: { nb: 'Henter tall …', en: 'Loading …' },
  failed: { nb: 'Kunne ikke hente tallene: ', en: 'Could not load the numbers: ' },
  year: { nb: 'År', en: 'Year' },
  deaths: { nb: 'Dødsfall', en: 'Deaths' },
  percent: { nb: 'Prosent', en: 'Per cent' },
  substance: { nb: 'Stoff', en: 'Substance' },
  source: { nb: 'Kilde', en: 'Source' },
  recall: { nb: 'Periode', en: 'Recall' },
  city: { nb: 'By', en: 'City' },
  load: { nb: 'mg/1000/døgn', en: 'mg/1000/day' },
};

/** The label of a code of a GraphQL enum (Recall, Sex, WastewaterCampaign) or of the substance codelist. */
export function labelOf(type, code) {
  const label = LABELS[type]?.[code];
  return label ? t(label) : code;
}
export const recallLabel = (code) => labelOf('Recall', code);
export const sexLabel = (code) => labelOf('Sex', code);
export const campaignLabel = (code) => labelOf('WastewaterCampaign', code);
/** The recall periods in their order (the enum's). */
export const RECALLS = Object.keys(LABELS.Recall);
