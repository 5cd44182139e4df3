import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  formatMatrix,
  importCounts,
  importsIn,
  LAYERS,
  partOf,
  reachableFrom,
  type SourceImport,
} from '../scripts/layer-imports.ts';

// Dependencies point one way (docs/developing.md, "Layout"): each import in src/ goes to its own part
// of the tree or to a lower layer; sources never import each other; loading data and the CLI
// never reach the GraphQL schema.

const src = join(import.meta.dirname, '..', 'src');
const imports = importsIn(src);
const layerOf = (part: string) => LAYERS.findIndex((layer) => layer.includes(part));
const describeImport = ({ from, line, text }: SourceImport) => `src/${from}:${line} ${text}`;

describe('imports between the layers of src/', () => {
  it('print as a matrix (row imports column)', () => {
    console.info(formatMatrix(importCounts(imports), LAYERS.flat()));
    expect(imports.length).toBeGreaterThan(100);
  });

  it('name only parts the layering knows', () => {
    const parts = new Set(imports.flatMap(({ from, to }) => [partOf(from), partOf(to)]));
    expect([...parts].filter((part) => layerOf(part) < 0)).toEqual([]);
  });

  it('never point to a higher layer or a neighbour in the same layer', () => {
    const reverse = imports.filter(({ from, to }) => {
      const [a, b] = [partOf(from), partOf(to)];
      return a !== b && layerOf(b) >= layerOf(a);
    });
    expect(reverse.map(describeImport)).toEqual([]);
  });

  it('never go from one source to another', () => {
    const sourceOf = (file: string) => /^sources\/([^/]+)\//.exec(file)?.[1];
    const across = imports.filter(({ from, to }) => {
      const [a, b] = [sourceOf(from), sourceOf(to)];
      return a !== undefined && b !== undefined && a !== b;
    });
    expect(across.map(describeImport)).toEqual([]);
  });
});

describe('loading data and the CLI', () => {
  const graphqlModules = (files: Set<string>) =>
    [...files].filter(
      (file) => file === 'schema/index.ts' || file.startsWith('graphql/builder') || file.endsWith('/graphql.ts'),
    );

  it.each(['publishing/bundled.ts', 'cli.ts', 'sources/registry.ts'])('%s never imports a GraphQL module', (start) => {
    expect(graphqlModules(reachableFrom(start, imports))).toEqual([]);
  });

  it('are checked against files that exist: the server does reach the schema', () => {
    expect(graphqlModules(reachableFrom('server/yoga.ts', imports))).toContain('schema/index.ts');
  });
});
