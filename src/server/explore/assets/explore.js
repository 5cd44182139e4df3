// The report's figures, redrawn live from the hub's API with Observable Plot (global `Plot`,
// loaded from the hub). Each chart is one GraphQL query; the same arguments give its CSV link
// and its "open in GraphiQL" link, and its rows fill the table under it.

const lang = new URLSearchParams(location.search).get('lang') === 'en' ? 'en' : 'nb';
const LANG = lang.toUpperCase();
const t = (text) => text[lang];
const numbers = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'nb-NO', { maximumFractionDigits: 2 });
const format = (value) => (value == null ? '–' : numbers.format(value));
const COLOURS = ['#1f5f8b', '#e07b39', '#5a9e6f', '#8e5ba8', '#c44e52', '#7f7f7f'];

const TEXT = {
  title: { nb: 'Tall om illegale rusmidler — utforsk dataene', en: 'Figures on illegal drugs — explore the data' },
  intro: {
    nb: 'Figurene i Helsedirektoratets rapport, tegnet på nytt fra rusdata-APIet. Hver figur har tallene som tabell, en CSV-fil og spørringen i GraphiQL.',
    en:
      "The figures of the Norwegian Directorate of Health's report, redrawn live from the rusdata API. " +
      'Each figure has its numbers as a table, a CSV file and its query in GraphiQL.',
  },
  footer: {
    nb: 'Alle tall som publisert, med kilde og utgivelse (se CSV-filene). Nedlastinger av alle tabeller: /data. Avløpsvannsdata: © EUDA, CC BY 4.0.',
    en: 'Every figure as published, with its source and release (see the CSV files). Downloads of every table: /data. Wastewater data: © EUDA, CC BY 4.0.',
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
};

/** An enum value in a GraphQL argument (written without quotes). */
const enumValue = (name) => ({ enum: name });
const literal = (value) =>
  Array.isArray(value)
    ? `[${value.map(literal).join(', ')}]`
    : typeof value === 'object'
      ? value.enum
      : JSON.stringify(value);
const parameter = (value) =>
  Array.isArray(value) ? value.map(parameter).join(',') : typeof value === 'object' ? value.enum : String(value);

/** One chart: a query (field, arguments, selection), table columns and a Plot specification. */
const CHARTS = [
  {
    id: 'deaths-per-year',
    title: { nb: 'Narkotikautløste dødsfall per år, 2001–2024', en: 'Drug-induced deaths per year, 2001–2024' },
    description: {
      nb:
        'Siste publiserte tall. Åpne sirkler er tall slik de først ble publisert: 2023 ble først publisert ' +
        'som 363 og revidert til 391. År uten publiserte tall står tomme.',
      en:
        'Latest published figures. Open circles are figures as first published: 2023 was first published ' +
        'as 363 and revised to 391. Years without published figures are left empty.',
    },
    field: 'drugDeaths',
    args: { from: 2001, to: 2024 },
    selection: 'year value qualifier release { label publishedAt } revisions { value release { label publishedAt } }',
    columns: [
      { label: TEXT.year, value: (row) => row.year, numeric: false },
      { label: { nb: 'Dødsfall (siste)', en: 'Deaths (latest)' }, field: 'value' },
      {
        label: { nb: 'Først publisert', en: 'First published' },
        value: (row) => firstPublished(row)?.value ?? null,
      },
      { label: { nb: 'Utgivelse', en: 'Release' }, value: (row) => row.release.label, numeric: false },
    ],
    plot: (rows, width) => {
      const revised = rows
        .map((row) => ({ year: row.year, latest: row.value, first: firstPublished(row)?.value }))
        .filter((row) => row.first != null && row.first !== row.latest);
      const marked = revised.filter((row) => Math.abs(row.latest - row.first) >= 0.02 * row.latest);
      return Plot.plot({
        width,
        height: 320,
        marginLeft: 44,
        x: { type: 'band', domain: d3.range(2001, 2025), label: null, tickFormat: (y) => (y % 2 ? '' : String(y)) },
        y: { grid: true, label: t(TEXT.deaths), domain: [0, 450] },
        marks: [
          Plot.barY(rows, { x: 'year', y: 'value', fill: COLOURS[0], title: (row) => `${row.year}: ${row.value}` }),
          Plot.dot(revised, { x: 'year', y: 'first', r: 4, stroke: COLOURS[1], strokeWidth: 2, fill: 'white' }),
          Plot.text(marked, {
            x: 'year',
            y: (row) => Math.max(row.latest, row.first),
            text: (row) => `${row.first} → ${row.latest}`,
            dy: -12,
            fontSize: 11,
            fontWeight: 600,
            fill: COLOURS[1],
          }),
          Plot.ruleY([0]),
        ],
      });
    },
  },
  {
    id: 'deaths-by-county',
    title: { nb: 'Dødsfall per fylke, 2024', en: 'Deaths by county, 2024' },
    description: {
      nb: 'Narkotikautløste dødsfall i 2024 etter bostedsfylke.',
      en: 'Drug-induced deaths in 2024 by county of residence.',
    },
    field: 'drugDeaths',
    args: { from: 2024, to: 2024, by: [enumValue('REGION')] },
    selection: `region { code name(lang: ${LANG}) } value`,
    columns: [
      { label: { nb: 'Fylke', en: 'County' }, value: (row) => row.region.name, numeric: false },
      { label: TEXT.deaths, field: 'value' },
    ],
    plot: (rows, width) =>
      Plot.plot({
        width,
        height: 380,
        marginLeft: 130,
        marginRight: 30,
        x: { grid: true, label: t(TEXT.deaths) },
        y: { label: null },
        marks: [
          Plot.barX(rows, { y: (row) => row.region.name, x: 'value', fill: COLOURS[0], sort: { y: '-x' } }),
          Plot.text(rows, {
            y: (row) => row.region.name,
            x: 'value',
            text: (row) => format(row.value),
            dx: 4,
            textAnchor: 'start',
            fontSize: 11,
          }),
          Plot.ruleX([0]),
        ],
      }),
  },
  {
    id: 'deaths-by-age-and-sex',
    title: { nb: 'Dødsfall etter alder og kjønn, 2024', en: 'Deaths by age group and sex, 2024' },
    description: {
      nb: 'Narkotikautløste dødsfall i 2024 etter aldersgruppe, menn og kvinner.',
      en: 'Drug-induced deaths in 2024 by age group, men and women.',
    },
    field: 'drugDeaths',
    args: { from: 2024, to: 2024, by: [enumValue('AGE_GROUP'), enumValue('SEX')] },
    selection: `ageGroup { code name(lang: ${LANG}) } sex value`,
    columns: [
      { label: { nb: 'Alder', en: 'Age' }, value: (row) => row.ageGroup.code, numeric: false },
      { label: { nb: 'Kjønn', en: 'Sex' }, value: (row) => sexLabel(row.sex), numeric: false },
      { label: TEXT.deaths, field: 'value' },
    ],
    plot: (rows, width) =>
      Plot.plot({
        width,
        height: 320,
        marginLeft: 44,
        fx: { label: null, padding: 0.15 },
        x: { axis: null, domain: ['MALE', 'FEMALE'] },
        y: { grid: true, label: t(TEXT.deaths) },
        color: { domain: ['MALE', 'FEMALE'], range: [COLOURS[0], COLOURS[1]], legend: true, tickFormat: sexLabel },
        marks: [
          Plot.barY(rows, { fx: (row) => row.ageGroup.code, x: 'sex', y: 'value', fill: 'sex' }),
          Plot.text(rows, {
            fx: (row) => row.ageGroup.code,
            x: 'sex',
            y: 'value',
            text: 'value',
            dy: -6,
            fontSize: 10,
          }),
          Plot.ruleY([0]),
        ],
      }),
  },
  {
    id: 'cannabis-prevalence',
    title: { nb: 'Bruk av cannabis 2013–2025 (16–64 år)', en: 'Cannabis use 2013–2025 (ages 16–64)' },
    description: {
      nb: 'Andel som har brukt cannabis noen gang, siste 12 måneder og siste 4 uker, med 95 % konfidensintervall.',
      en: 'Share who have used cannabis ever, in the last 12 months and in the last 4 weeks, with 95 % confidence intervals.',
    },
    field: 'prevalence',
    args: { substance: ['CANNABIS'], from: 2013, to: 2025, by: [enumValue('RECALL')] },
    selection: 'year recall value ciLow ciHigh',
    columns: [
      { label: TEXT.year, value: (row) => row.year, numeric: false },
      { label: { nb: 'Periode', en: 'Recall' }, value: (row) => recallLabel(row.recall), numeric: false },
      { label: TEXT.percent, field: 'value' },
      { label: { nb: 'KI nedre', en: 'CI low' }, value: (row) => row.ciLow },
      { label: { nb: 'KI øvre', en: 'CI high' }, value: (row) => row.ciHigh },
    ],
    plot: (rows, width) =>
      Plot.plot({
        width,
        height: 320,
        marginLeft: 44,
        x: { label: null, tickFormat: 'd' },
        y: { grid: true, label: t(TEXT.percent), domain: [0, 35] },
        color: { domain: RECALLS, range: COLOURS, legend: true, tickFormat: recallLabel },
        marks: [
          Plot.areaY(rows, { x: 'year', y1: 'ciLow', y2: 'ciHigh', fill: 'recall', fillOpacity: 0.15 }),
          Plot.lineY(rows, { x: 'year', y: 'value', stroke: 'recall', strokeWidth: 2 }),
          Plot.dot(rows, {
            x: 'year',
            y: 'value',
            fill: 'recall',
            r: 3,
            title: (row) => `${row.year}: ${row.value} %`,
          }),
        ],
      }),
  },
  {
    id: 'substances-2025',
    title: { nb: 'Bruk av illegale rusmidler i 2025, etter stoff', en: 'Use of illegal drugs in 2025, by substance' },
    description: {
      nb: 'Andel 16–64 år som har brukt stoffet noen gang og siste 12 måneder, med 95 % konfidensintervall. Cannabis til sammenligning.',
      en: 'Share of ages 16–64 who have used the substance ever and in the last 12 months, with 95 % confidence intervals. Cannabis for comparison.',
    },
    field: 'prevalence',
    args: { from: 2025, to: 2025, recall: [enumValue('LIFETIME'), enumValue('LAST_12_MONTHS')] },
    selection: `substance { code name(lang: ${LANG}) } recall value ciLow ciHigh`,
    columns: [
      { label: TEXT.substance, value: (row) => row.substance.name, numeric: false },
      { label: { nb: 'Periode', en: 'Recall' }, value: (row) => recallLabel(row.recall), numeric: false },
      { label: TEXT.percent, field: 'value' },
      { label: { nb: 'KI nedre', en: 'CI low' }, value: (row) => row.ciLow },
      { label: { nb: 'KI øvre', en: 'CI high' }, value: (row) => row.ciHigh },
    ],
    plot: (rows, width) =>
      Plot.plot({
        width,
        height: 400,
        marginLeft: 150,
        marginRight: 36,
        x: { grid: true, label: t(TEXT.percent) },
        fy: {
          label: null,
          domain: d3.groupSort(
            rows,
            (group) => -d3.max(group, (row) => row.value),
            (row) => row.substance.name,
          ),
        },
        y: { axis: null, domain: RECALLS.slice(0, 2) },
        color: { domain: RECALLS.slice(0, 2), range: COLOURS, legend: true, tickFormat: recallLabel },
        marks: [
          Plot.barX(rows, { fy: (row) => row.substance.name, y: 'recall', x: 'value', fill: 'recall' }),
          Plot.ruleY(rows, { fy: (row) => row.substance.name, y: 'recall', x1: 'ciLow', x2: 'ciHigh', stroke: '#222' }),
          Plot.text(rows, {
            fy: (row) => row.substance.name,
            y: 'recall',
            x: (row) => row.ciHigh ?? row.value,
            text: (row) => format(row.value),
            dx: 4,
            textAnchor: 'start',
            fontSize: 10,
          }),
          Plot.ruleX([0]),
        ],
      }),
  },
  {
    id: 'wastewater-norway',
    title: {
      nb: 'Rusmidler i avløpsvann i Bergen, Oslo og Trondheim, etter måleuke',
      en: 'Drugs in wastewater in Bergen, Oslo and Trondheim, by sampling week',
    },
    description: {
      nb: 'Døgnmiddel i milligram per 1000 innbyggere per dag, målt én uke om våren og én om høsten. Vårukene er EUDAs målinger (© EUDA, CC BY 4.0).',
      en:
        'Daily mean in milligrams per 1000 inhabitants per day, measured one week in spring and one in ' +
        "autumn. The spring weeks are EUDA's measurements (© EUDA, CC BY 4.0).",
    },
    field: 'wastewater',
    args: { country: ['NO'] },
    selection: `year campaign site { code city } substance { code name(lang: ${LANG}) } value status`,
    columns: [
      { label: TEXT.year, value: (row) => row.year, numeric: false },
      { label: { nb: 'Uke', en: 'Week' }, value: (row) => campaignLabel(row.campaign), numeric: false },
      { label: { nb: 'By', en: 'City' }, value: (row) => row.site.city, numeric: false },
      { label: TEXT.substance, value: (row) => row.substance.name, numeric: false },
      { label: { nb: 'mg/1000/døgn', en: 'mg/1000/day' }, field: 'value' },
    ],
    plot: (rows, width) => {
      // Two-line ticks ("Vår" over "2024") fit four periods in a third of the width.
      const period = (row) => `${campaignLabel(row.campaign)}\n${row.year}`;
      const periods = [...new Set(rows.map(period))];
      const cities = [...new Set(rows.map((row) => row.site.city))].sort();
      const substances = d3.groupSort(
        rows,
        (group) => -d3.max(group, (row) => row.value),
        (row) => row.substance.name,
      );
      const column = (row) => substances.indexOf(row.substance.name) % 3;
      const line = (row) => Math.floor(substances.indexOf(row.substance.name) / 3);
      return Plot.plot({
        width,
        height: 440,
        marginLeft: 44,
        marginTop: 24,
        marginBottom: 36,
        fx: { axis: null, padding: 0.08 },
        fy: { axis: null, padding: 0.18 },
        x: { domain: periods, label: null, padding: 0.3, tickSize: 0 },
        // The unit is in the description: a y label would collide with the first panel's title.
        y: { grid: true, label: null, ticks: 4 },
        color: { domain: cities, range: COLOURS, legend: true },
        marks: [
          Plot.text(substances, {
            fx: (_, i) => i % 3,
            fy: (_, i) => Math.floor(i / 3),
            frameAnchor: 'top-left',
            dx: 4,
            dy: -14,
            text: (name) => name,
            fontWeight: 600,
          }),
          Plot.lineY(rows, {
            fx: column,
            fy: line,
            x: period,
            y: 'value',
            stroke: (row) => row.site.city,
            z: (row) => row.site.city,
          }),
          Plot.dot(rows, {
            fx: column,
            fy: line,
            x: period,
            y: 'value',
            fill: (row) => row.site.city,
            r: 2.5,
            title: (row) => `${row.site.city}, ${campaignLabel(row.campaign)} ${row.year}: ${format(row.value)}`,
          }),
        ],
      });
    },
  },
  {
    id: 'wastewater-ranking',
    title: {
      nb: 'Byene i EUDAs avløpsvannsmåling rangert, 2024',
      en: "Cities in EUDA's wastewater monitoring, ranked, 2024",
    },
    description: {
      nb: 'Døgnmiddel for valgt stoff i 2024: de 30 høyeste og de norske byene (uthevet). Tabellen har alle byene. Data: © EUDA, CC BY 4.0.',
      en:
        'Daily mean of the chosen substance in 2024: the 30 highest and the Norwegian cities (highlighted). ' +
        'The table lists every city. Data: © EUDA, CC BY 4.0.',
    },
    choice: {
      label: TEXT.substance,
      options: {
        COCAINE: { nb: 'Kokain', en: 'Cocaine' },
        CANNABIS: { nb: 'Cannabis', en: 'Cannabis' },
        AMPHETAMINE: { nb: 'Amfetamin', en: 'Amphetamine' },
        METHAMPHETAMINE: { nb: 'Metamfetamin', en: 'Methamphetamine' },
        MDMA: { nb: 'Ecstasy/MDMA', en: 'Ecstasy/MDMA' },
        KETAMINE: { nb: 'Ketamin', en: 'Ketamine' },
      },
      initial: 'COCAINE',
    },
    field: 'wastewater',
    // EUDA's week (SPRING): the report's autumn weeks of three Norwegian cities are not in EUDA's ranking.
    args: (choice) => ({
      substance: [choice],
      from: 2024,
      to: 2024,
      campaign: [enumValue('SPRING')],
      orderBy: enumValue('VALUE_DESC'),
    }),
    selection: 'site { code city country } value status',
    columns: [
      { label: { nb: 'By', en: 'City' }, value: (row) => row.site.city, numeric: false },
      { label: { nb: 'Land', en: 'Country' }, value: (row) => row.site.country, numeric: false },
      { label: { nb: 'mg/1000/døgn', en: 'mg/1000/day' }, field: 'value' },
    ],
    plot: (rows, width) => {
      const measured = rows.filter((row) => row.value != null);
      const shown = measured.filter((row, i) => i < 30 || row.site.country === 'NO');
      const name = (row) => `${row.site.city} (${row.site.country})`;
      return Plot.plot({
        width,
        height: 18 * shown.length + 40,
        marginLeft: 170,
        marginRight: 48,
        x: { grid: true, label: `mg/1000/${lang === 'en' ? 'day' : 'døgn'}` },
        y: { label: null, domain: shown.map(name) },
        marks: [
          Plot.barX(shown, {
            y: name,
            x: 'value',
            fill: (row) => (row.site.country === 'NO' ? COLOURS[1] : '#9fb6c8'),
          }),
          Plot.text(shown, {
            y: name,
            x: 'value',
            text: (row) => format(row.value),
            dx: 4,
            textAnchor: 'start',
            fontSize: 10,
          }),
          Plot.ruleX([0]),
        ],
      });
    },
  },
  {
    id: 'people-who-inject-drugs',
    title: {
      nb: 'Beregnet antall personer som injiserer narkotika',
      en: 'Estimated number of people who inject drugs',
    },
    description: {
      nb:
        'Anslag med dødelighetsmultiplikatormetoden: punkt for årlige anslag, strek for intervall der bare ' +
        'det er publisert, linje for glidende gjennomsnitt over tre år.',
      en:
        'Estimates by the mortality multiplier method: dots for annual estimates, bars for ranges where ' +
        'only a range was published, a line for the three-year moving average.',
    },
    field: 'injectingDrugUseEstimates',
    args: {},
    label: { nb: 'årlige anslag', en: 'annual estimates' },
    selection: 'year value low high qualifier',
    columns: [
      { label: TEXT.year, value: (row) => row.year, numeric: false },
      { label: { nb: 'Anslag', en: 'Estimate' }, field: 'value' },
      { label: { nb: 'Lav', en: 'Low' }, value: (row) => row.low },
      { label: { nb: 'Høy', en: 'High' }, value: (row) => row.high },
    ],
    also: [
      {
        alias: 'movingAverage',
        label: { nb: 'glidende gjennomsnitt over tre år', en: 'three-year moving average' },
        field: 'injectingDrugUseEstimates',
        args: { series: enumValue('THREE_YEAR_MOVING_AVERAGE') },
        selection: 'year value qualifier',
        columns: [
          { label: TEXT.year, value: (row) => row.year, numeric: false },
          { label: { nb: 'Gjennomsnitt', en: 'Average' }, field: 'value' },
        ],
      },
    ],
    plot: (rows, width, data) =>
      Plot.plot({
        width,
        height: 320,
        marginLeft: 56,
        x: { label: null, tickFormat: 'd', inset: 12 },
        y: { grid: true, label: lang === 'en' ? 'Persons' : 'Personer', zero: true },
        color: {
          legend: true,
          domain: ['range', 'annual', 'average'],
          range: [COLOURS[0], COLOURS[1], COLOURS[2]],
          tickFormat: (key) =>
            ({
              range: lang === 'en' ? 'Range' : 'Intervall',
              annual: lang === 'en' ? 'Annual estimate' : 'Årlig anslag',
              average: lang === 'en' ? '3-year moving average' : 'Glidende gjennomsnitt, 3 år',
            })[key],
        },
        marks: [
          Plot.ruleX(rows, {
            x: 'year',
            y1: 'low',
            y2: 'high',
            stroke: () => 'range',
            strokeWidth: 3,
            strokeOpacity: 0.5,
          }),
          Plot.lineY(data.movingAverage, { x: 'year', y: 'value', stroke: () => 'average', strokeWidth: 2 }),
          Plot.dot(
            rows.filter((row) => row.value != null),
            { x: 'year', y: 'value', fill: () => 'annual', r: 4, title: (row) => `${row.year}: ${format(row.value)}` },
          ),
          Plot.ruleY([0]),
        ],
      }),
  },
];

const RECALLS = ['LIFETIME', 'LAST_12_MONTHS', 'LAST_4_WEEKS'];
const RECALL_LABELS = {
  LIFETIME: { nb: 'Noen gang', en: 'Ever' },
  LAST_12_MONTHS: { nb: 'Siste 12 måneder', en: 'Last 12 months' },
  LAST_4_WEEKS: { nb: 'Siste 4 uker', en: 'Last 4 weeks' },
};
const SEX_LABELS = {
  MALE: { nb: 'Menn', en: 'Men' },
  FEMALE: { nb: 'Kvinner', en: 'Women' },
  ALL: { nb: 'Alle', en: 'All' },
};
function recallLabel(code) {
  return RECALL_LABELS[code] ? t(RECALL_LABELS[code]) : code;
}
const CAMPAIGN_LABELS = { SPRING: { nb: 'Vår', en: 'Spring' }, AUTUMN: { nb: 'Høst', en: 'Autumn' } };
function campaignLabel(code) {
  return CAMPAIGN_LABELS[code] ? t(CAMPAIGN_LABELS[code]) : code;
}
function sexLabel(code) {
  return SEX_LABELS[code] ? t(SEX_LABELS[code]) : code;
}

/** The value a cell had in its first publication (its oldest earlier release), if it was revised. */
function firstPublished(row) {
  return row.revisions.at(-1);
}

/** The chart's parts: its main query, and further series (`also`) under their aliases. */
function partsOf(chart, args) {
  return [{ ...chart, key: chart.field, args }, ...(chart.also ?? []).map((part) => ({ ...part, key: part.alias }))];
}

function queryOf(chart, parts) {
  const fields = parts.map((part) => {
    const list = Object.entries(part.args)
      .map(([name, value]) => `${name}: ${literal(value)}`)
      .join(', ');
    const name = part.alias ? `${part.alias}: ${part.field}` : part.field;
    return `  ${name}${list ? `(${list})` : ''} {\n    ${part.selection}\n  }\n`;
  });
  return `# ${t(chart.title)}\n{\n${fields.join('')}}\n`;
}

function downloadUrl(chart, args, format) {
  const params = new URLSearchParams(Object.entries(args).map(([name, value]) => [name, parameter(value)]));
  params.set('lang', lang);
  return `/data/${chart.field}.${format}?${params}`;
}

async function fetchRows(query) {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query }),
  });
  const body = await response.json();
  if (body.errors?.length) throw new Error(body.errors.map((error) => error.message).join('; '));
  return body.data;
}

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

function tableOf(chart, rows, caption) {
  const head = element(
    'tr',
    {},
    ...chart.columns.map((column) =>
      element('th', { scope: 'col', class: column.numeric === false ? '' : 'number' }, t(column.label)),
    ),
  );
  const body = rows.map((row) =>
    element(
      'tr',
      {},
      ...chart.columns.map((column) => {
        const value = column.field ? row[column.field] : column.value(row);
        if (column.numeric === false) return element('td', {}, String(value));
        const attributes = { class: 'number', 'data-value': value == null ? '' : String(value) };
        if (column.field) attributes['data-field'] = column.field;
        return element('td', attributes, format(value));
      }),
    ),
  );
  return element(
    'table',
    { 'data-part': chart.key },
    element('caption', { class: caption ? '' : 'visually-hidden' }, caption ?? t(chart.title)),
    element('thead', {}, head),
    element('tbody', {}, ...body),
  );
}

async function draw(chart, figure, choice) {
  const args = typeof chart.args === 'function' ? chart.args(choice) : chart.args;
  const parts = partsOf(chart, args);
  const query = queryOf(chart, parts);
  const area = figure.querySelector('.chart');
  const links = figure.querySelector('.links');
  const details = figure.querySelector('details .table-wrap');
  figure.dataset.state = 'loading';
  area.replaceChildren(element('p', {}, t(TEXT.loading)));
  links.replaceChildren(
    ...parts.flatMap((part) => {
      const suffix = part.label ? `: ${t(part.label)}` : '';
      return [
        element(
          'a',
          { href: downloadUrl(part, part.args, 'csv'), class: 'csv', download: `${part.field}.csv` },
          t(TEXT.csv) + suffix,
        ),
        element('a', { href: downloadUrl(part, part.args, 'json'), class: 'json-stat' }, t(TEXT.jsonStat) + suffix),
      ];
    }),
    element(
      'a',
      { href: `/graphql?${new URLSearchParams({ query })}`, class: 'graphiql', target: '_blank', rel: 'noopener' },
      t(TEXT.graphiql),
    ),
  );
  try {
    const data = await fetchRows(query);
    const width = Math.max(320, area.clientWidth || 560);
    area.replaceChildren(chart.plot(data[chart.field], width, data));
    details.replaceChildren(
      ...parts.map((part) =>
        tableOf(part, data[part.key], parts.length > 1 ? t(part.label ?? chart.title) : undefined),
      ),
    );
    figure.dataset.state = 'ready';
  } catch (error) {
    area.replaceChildren(element('p', { class: 'error' }, t(TEXT.failed) + error.message));
    figure.dataset.state = 'failed';
  }
}

function render() {
  document.documentElement.lang = lang;
  document.title = t(TEXT.title);
  for (const node of document.querySelectorAll('[data-text]')) node.textContent = t(TEXT[node.dataset.text]);
  for (const link of document.querySelectorAll('.lang a'))
    link.setAttribute('aria-current', String(link.dataset.lang === lang));
  const main = document.getElementById('charts');
  for (const chart of CHARTS) {
    const heading = element('h2', { id: `${chart.id}-title` }, t(chart.title));
    const figure = element(
      'figure',
      { id: chart.id, 'aria-labelledby': heading.id },
      heading,
      element('p', { class: 'description' }, t(chart.description)),
    );
    let choice;
    if (chart.choice) {
      choice = chart.choice.initial;
      const select = element('select', { id: `${chart.id}-choice` });
      for (const [code, label] of Object.entries(chart.choice.options))
        select.append(element('option', { value: code }, t(label)));
      select.value = choice;
      select.addEventListener('change', () => draw(chart, figure, select.value));
      figure.append(element('label', { for: select.id }, t(chart.choice.label)), select);
    }
    figure.append(
      element('div', { class: 'chart' }),
      element('div', { class: 'links' }),
      element('details', {}, element('summary', {}, t(TEXT.table)), element('div', { class: 'table-wrap' })),
    );
    main.append(figure);
    draw(chart, figure, choice);
  }
}

render();
