// The report's figures, redrawn live from the hub's API with Observable Plot (global `Plot`,
// loaded from the hub). Each chart is one GraphQL query; the same arguments give its CSV link
// and its "open in GraphiQL" link, and its rows fill the table under it.

import { CHARTS } from './charts.js';
import { format, labelOf, lang, TEXT, t } from './text.js';

const literal = (value) =>
  Array.isArray(value)
    ? `[${value.map(literal).join(', ')}]`
    : typeof value === 'object'
      ? value.enum
      : JSON.stringify(value);
const parameter = (value) =>
  Array.isArray(value) ? value.map(parameter).join(',') : typeof value === 'object' ? value.enum : String(value);

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
      for (const code of chart.choice.options)
        select.append(element('option', { value: code }, labelOf('Substance', code)));
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
