import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import unbundledPackages from '../../scripts/unbundled-packages.json' with { type: 'json' };

// dist/ is what `npm install` built (scripts/build.mjs): tsc's files in src/'s layout, with the
// packages they import bundled into dist/packages/ (a restart loads a few files, not thousands).

const ROOT = join(import.meta.dirname, '../..');
const DIST = join(ROOT, 'dist');

const javaScriptFiles = (folder: string) =>
  readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.js'))
    .map((file) => join(folder, file));

/** The modules each file of dist/ imports, as esbuild reads them (static and literal dynamic imports). */
function importsOfDist(): Promise<Map<string, string[]>> {
  distImports ??= readImportsOfDist();
  return distImports;
}
let distImports: Promise<Map<string, string[]>> | undefined;

async function readImportsOfDist(): Promise<Map<string, string[]>> {
  const { metafile } = await build({
    entryPoints: javaScriptFiles(DIST),
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'node',
    packages: 'external',
    // Inputs are named relative to the project (dist/server/yoga.js).
    absWorkingDir: ROOT,
    outdir: join(DIST, 'unused'),
    logLevel: 'silent',
  });
  return new Map(
    Object.entries(metafile.inputs).map(([file, { imports }]) => [
      file,
      imports.map(({ original, path }) => original ?? path),
    ]),
  );
}

/** The package a bare specifier names (`@scope/name` or `name`), or undefined for a file. */
const packageOf = (specifier: string) =>
  /^[./]|^node:/.test(specifier)
    ? undefined
    : specifier
        .split('/')
        .slice(0, specifier.startsWith('@') ? 2 : 1)
        .join('/');

const unbundled = Object.keys(unbundledPackages).map((pattern) => new RegExp(`^${pattern.replace('*', '.*')}$`));

describe('the build (dist/)', () => {
  it('keeps the hub in src/ layout: every module of src/ is a file of dist/ in the same place', () => {
    const sources = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).filter(
      (file) => file.endsWith('.ts') && !file.endsWith('.d.ts'),
    );
    const built = new Set(javaScriptFiles(DIST).map((file) => relative(DIST, file)));
    expect(sources.filter((file) => !built.has(file.replace(/\.ts$/, '.js')))).toEqual([]);
  });

  it('imports no package from node_modules but those left unbundled on purpose', async () => {
    const imported = new Map<string, string>();
    for (const [file, specifiers] of await importsOfDist()) {
      for (const name of specifiers.map(packageOf)) {
        if (name && !unbundled.some((pattern) => pattern.test(name))) imported.set(name, file);
      }
    }
    expect(Object.fromEntries(imported)).toEqual({});
  });

  it('bundles the packages it imports into dist/packages/, which the hub imports', async () => {
    const yoga = (await importsOfDist()).get('dist/server/yoga.js') ?? [];
    const chunk = yoga.find((specifier) => specifier.startsWith('../packages/'));
    expect(chunk).toBeDefined();
    expect(readFileSync(join(DIST, 'server', chunk ?? ''), 'utf8')).toContain('// node_modules/graphql');
  });

  it('bundles graphql once, as ES modules, though graphql-jit require()s it', () => {
    const bundled = javaScriptFiles(join(DIST, 'packages')).map((file) => readFileSync(file, 'utf8'));
    const copies = (extension: string) =>
      bundled.filter((text) =>
        new RegExp(`^// node_modules/graphql/execution/execute\\.${extension}$`, 'm').test(text),
      );
    expect(copies('mjs')).toHaveLength(1);
    expect(copies('js')).toEqual([]);
  });

  it("gives the packages' chunks no source maps, which Node would read at every start", () => {
    const chunks = readdirSync(join(DIST, 'packages'));
    expect(chunks.filter((file) => file.endsWith('.map'))).toEqual([]);
    for (const file of javaScriptFiles(join(DIST, 'packages'))) {
      expect(readFileSync(file, 'utf8')).not.toContain('sourceMappingURL');
    }
  });

  it("maps the hub's code back to its TypeScript, for stack traces", () => {
    const map = JSON.parse(readFileSync(join(DIST, 'server/yoga.js.map'), 'utf8')) as { sources: string[] };
    expect(map.sources).toContain('../../src/server/yoga.ts');
  });
});
