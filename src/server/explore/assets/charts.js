// The report's figures: per chart its query (field, arguments, selection), the columns of its
// table and its Observable Plot specification (global `Plot` and `d3`, loaded from the hub).
import { barValues, COLUMNS, enumValue, largestFirst } from './chart-parts.js';
import { COLOURS, campaignLabel, format, LANG, RECALLS, recallLabel, sexLabel, TEXT, t } from './text.js';

/** The value a cell had in its first publication (its oldest earlier release), if it was revised. */
function firstPublished(row) {
  return row.revisions.at(-1);
}

/** One chart: a query (field, arguments, selection), table columns and a Plot specification. */
export const CHARTS = [
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
      COLUMNS.year,
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
      COLUMNS.deaths,
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
          barValues(rows, { y: (row) => row.region.name, x: 'value' }, 11),
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
      COLUMNS.deaths,
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
    columns: [COLUMNS.year, COLUMNS.recall, COLUMNS.percent, COLUMNS.ciLow, COLUMNS.ciHigh],
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
    columns: [COLUMNS.substance, COLUMNS.recall, COLUMNS.percent, COLUMNS.ciLow, COLUMNS.ciHigh],
    plot: (rows, width) =>
      Plot.plot({
        width,
        height: 400,
        marginLeft: 150,
        marginRight: 36,
        x: { grid: true, label: t(TEXT.percent) },
        fy: {
          label: null,
          domain: largestFirst(rows, (row) => row.substance.name),
        },
        y: { axis: null, domain: RECALLS.slice(0, 2) },
        color: { domain: RECALLS.slice(0, 2), range: COLOURS, legend: true, tickFormat: recallLabel },
        marks: [
          Plot.barX(rows, { fy: (row) => row.substance.name, y: 'recall', x: 'value', fill: 'recall' }),
          Plot.ruleY(rows, { fy: (row) => row.substance.name, y: 'recall', x1: 'ciLow', x2: 'ciHigh', stroke: '#222' }),
          barValues(rows, { fy: (row) => row.substance.name, y: 'recall', x: (row) => row.ciHigh ?? row.value }),
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
      COLUMNS.year,
      { label: { nb: 'Uke', en: 'Week' }, value: (row) => campaignLabel(row.campaign), numeric: false },
      COLUMNS.city,
      COLUMNS.substance,
      COLUMNS.load,
    ],
    plot: (rows, width) => {
      // Two-line ticks ("Vår" over "2024") fit four periods in a third of the width.
      const period = (row) => `${campaignLabel(row.campaign)}\n${row.year}`;
      const periods = [...new Set(rows.map(period))];
      const cities = [...new Set(rows.map((row) => row.site.city))].sort();
      const substances = largestFirst(rows, (row) => row.substance.name);
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
      // Substance codes, labelled as the substance codelist names them.
      options: ['COCAINE', 'CANNABIS', 'AMPHETAMINE', 'METHAMPHETAMINE', 'MDMA', 'KETAMINE'],
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
      COLUMNS.city,
      { label: { nb: 'Land', en: 'Country' }, value: (row) => row.site.country, numeric: false },
      COLUMNS.load,
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
        x: { grid: true, label: t(TEXT.load) },
        y: { label: null, domain: shown.map(name) },
        marks: [
          Plot.barX(shown, {
            y: name,
            x: 'value',
            fill: (row) => (row.site.country === 'NO' ? COLOURS[1] : '#9fb6c8'),
          }),
          barValues(shown, { y: name, x: 'value' }),
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
      COLUMNS.year,
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
        columns: [COLUMNS.year, { label: { nb: 'Gjennomsnitt', en: 'Average' }, field: 'value' }],
      },
    ],
    plot: (rows, width, data) =>
      Plot.plot({
        width,
        height: 320,
        marginLeft: 56,
        x: { label: null, tickFormat: 'd', inset: 12 },
        y: { grid: true, label: t({ nb: 'Personer', en: 'Persons' }), zero: true },
        color: {
          legend: true,
          domain: ['range', 'annual', 'average'],
          range: [COLOURS[0], COLOURS[1], COLOURS[2]],
          tickFormat: (key) =>
            t(
              {
                range: { nb: 'Intervall', en: 'Range' },
                annual: { nb: 'Årlig anslag', en: 'Annual estimate' },
                average: { nb: 'Glidende gjennomsnitt, 3 år', en: '3-year moving average' },
              }[key],
            ),
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
