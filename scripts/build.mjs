// Compiles src/ to dist/ (JavaScript the hub starts from, without a TypeScript loader at run
// time). Type checking is `npm run typecheck`'s job; this only emits, so it takes seconds. Skips
// the work when dist/ is newer than every file and folder under src/ (so `npm start` after a
// `git pull` rebuilds, and a restart does not); `--force` always rebuilds. With `--force` (npm
// install, npm run build), or when it is missing, it also prepares dist/embedded-image/: the
// migrated database with the bundled data that a new embedded DATA_DIR starts from. `npm start`
// runs it in the hub's own process (scripts/start.mjs), which saves starting Node twice.
// The packages dist/ imports are then bundled into dist/packages/ (bundlePackages, below).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(import.meta.dirname, '..');
const dist = join(root, 'dist');
const stamp = join(dist, '.built');
const image = join(dist, 'embedded-image');
/** Packages that stay in node_modules, each with the reason (test/deploy/build.test.ts reads it too). */
const unbundledPackages = JSON.parse(readFileSync(join(import.meta.dirname, 'unbundled-packages.json'), 'utf8'));
const inputs = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

function newestChange(path) {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  // A folder's own time changes when a file in it is added, removed or renamed.
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, entry)));
  return newest;
}

/** Every JavaScript file under a folder. */
function javaScriptFiles(folder) {
  return readdirSync(folder, { recursive: true })
    .filter((file) => file.endsWith('.js'))
    .map((file) => join(folder, file));
}

/**
 * Bundles the packages dist/ imports into shared chunks under dist/packages/: Node then loads a
 * few files instead of some thousand modules, which was two fifths of a restart. Every file of
 * dist/ stays where tsc wrote it and imports the others as before (paths from import.meta.dirname,
 * the source folders found at run time and the fingerprints of bundled data keep working); each
 * package's code is in exactly one chunk, so module state (graphql's classes) is shared.
 */
async function bundlePackages() {
  const { build: esbuild } = await import('esbuild');
  await esbuild({
    entryPoints: javaScriptFiles(dist),
    outdir: dist,
    outbase: dist,
    allowOverwrite: true,
    bundle: true,
    splitting: true,
    chunkNames: 'packages/[name]-[hash]',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // ES module builds first (graphql's among them): bundled ESM is hoisted into one scope, where
    // CommonJS stays wrapped and is reached through property lookups on every call.
    mainFields: ['module', 'main'],
    // Composed with tsc's maps, so stack traces still name the TypeScript lines. Without the
    // sources' text: Node reads every map when a module loads, and the text was two thirds of it.
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'warning',
    external: Object.keys(unbundledPackages),
    // CommonJS packages in an ES module chunk still call require() (for Node's own modules).
    banner: {
      js: "import { createRequire as __packagesCreateRequire } from 'node:module'; const require = __packagesCreateRequire(import.meta.url);",
    },
    plugins: [
      {
        // graphql ships ES modules (.mjs) beside CommonJS (.js): a package that require()s it
        // (graphql-jit) would otherwise bring a second graphql into the bundle, with classes of
        // its own, loaded at every start. Its require()s get the ES modules every import gets.
        name: 'one-graphql',
        setup(build) {
          build.onResolve({ filter: /^graphql(\/.*)?$/ }, ({ kind, path, resolveDir }) =>
            kind === 'require-call'
              ? build.resolve(path === 'graphql' ? 'graphql/index.mjs' : path.replace(/\.js$/, '.mjs'), {
                  kind: 'import-statement',
                  resolveDir,
                })
              : undefined,
          );
        },
      },
      {
        name: 'own-modules-stay-files',
        setup(build) {
          build.onResolve({ filter: /^\.\.?\// }, ({ kind, importer, path }) =>
            kind === 'entry-point' || importer.split(sep).includes('node_modules')
              ? undefined
              : { path, external: true },
          );
        },
      },
    ],
  });
  // The packages' chunks keep no source map: Node would read their 6 MB at every start for frames
  // inside graphql or Pothos, which the chunk's own lines and the function names identify.
  const chunks = join(dist, 'packages');
  for (const file of readdirSync(chunks)) {
    const path = join(chunks, file);
    if (file.endsWith('.js.map')) rmSync(path);
    else if (file.endsWith('.js')) {
      writeFileSync(path, readFileSync(path, 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'));
    }
  }
}

/** Builds dist/ when it is older than its inputs (or always, with `force`); returns an exit code. */
export async function build({ force = false } = {}) {
  const builtAt = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
  const changedAt = Math.max(...inputs.map((input) => newestChange(join(root, input))));
  if (!force && builtAt > changedAt) return 0;

  let tsc;
  try {
    tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    // A production install (`npm ci --omit=dev`) has no compiler: it runs the dist/ it was given.
    if (existsSync(stamp)) return 0;
    console.error('build: dist/ is missing and TypeScript is not installed; run `npm install` first.');
    return 1;
  }
  const started = performance.now();
  // From scratch: a source file deleted from src/ must not live on in dist/. The embedded database
  // image stays: it is made from the migrations and data, not from this build (and is only slower,
  // never wrong, when older than they are).
  for (const entry of existsSync(dist) ? readdirSync(dist) : []) {
    if (join(dist, entry) !== image) rmSync(join(dist, entry), { recursive: true, force: true });
  }
  const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (result.status !== 0) return result.status ?? 1;
  await bundlePackages();
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
  console.log(`build: src/ compiled to dist/, packages bundled, in ${Math.round(performance.now() - started)} ms`);

  // The database a new embedded DATA_DIR starts from (src/db/embedded.ts, EMBEDDED_IMAGE).
  if (force || !existsSync(image)) {
    const prepared = spawnSync(process.execPath, [join(dist, 'cli.js'), 'prepare-embedded'], { stdio: 'inherit' });
    if (prepared.status !== 0) {
      console.warn(
        'build: no embedded database image; a new DATA_DIR is created and loaded at its first start (slower).',
      );
    }
  }
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await build({ force: process.argv.includes('--force') });
}
