import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from '@graphql-codegen/cli';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import config from '../../examples/codegen.ts';

// examples/codegen.ts as a front-end runs it: GraphQL Code Generator's client preset over
// schema.graphql (offline), then the generated types and the example operation compiled with
// `tsc --strict`. No field of an operation may come out `unknown` or `any`.

const ROOT = join(import.meta.dirname, '../..');
const EXAMPLE = 'deaths-with-provenance.ts';
// Inside the project, so the generated code finds its imports in node_modules.
mkdirSync(join(ROOT, 'test-results'), { recursive: true });
const work = mkdtempSync(join(ROOT, 'test-results', 'codegen-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

type OutputConfig = { preset: string; config: Record<string, unknown> };
const exampleOutput = (config.generates as Record<string, OutputConfig>)['examples/gql/'];

/** Generates the client preset's files for the example into `dir`/gql with the given output config. */
async function generateInto(dir: string, output: OutputConfig | undefined): Promise<void> {
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(ROOT, 'examples', EXAMPLE), join(dir, EXAMPLE));
  await generate(
    {
      ...config,
      cwd: ROOT,
      silent: true,
      documents: [join(dir, EXAMPLE)],
      generates: { [`${join(dir, 'gql')}/`]: output as never },
    },
    true,
  );
}

/** Compiles the example with the generated code under --strict; returns the diagnostics and the program. */
function compile(dir: string) {
  const program = ts.createProgram([join(dir, EXAMPLE)], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
    skipLibCheck: true,
  });
  const diagnostics = ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  return { program, diagnostics };
}

/** Paths (Type.field.field) in the operation types of graphql.ts whose type is `unknown` or `any`. */
function untypedFields(program: ts.Program, dir: string): string[] {
  const file = program.getSourceFile(join(dir, 'gql', 'graphql.ts'));
  if (!file) throw new Error('graphql.ts was not generated');
  const checker = program.getTypeChecker();
  const found: string[] = [];
  const visit = (type: ts.Type, path: string, seen: Set<ts.Type>) => {
    if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) {
      found.push(path);
      return;
    }
    if (seen.has(type)) return;
    seen.add(type);
    if (type.isUnion() || type.isIntersection()) {
      for (const member of type.types) visit(member, path, seen);
      return;
    }
    if (checker.isArrayType(type)) {
      for (const element of checker.getTypeArguments(type as ts.TypeReference)) visit(element, `${path}[]`, seen);
      return;
    }
    if (type.flags & ts.TypeFlags.Object) {
      for (const property of checker.getPropertiesOfType(type)) {
        visit(checker.getTypeOfSymbol(property), `${path}.${property.name}`, seen);
      }
    }
  };
  for (const statement of file.statements) {
    // The operations' result and variable types (generic helpers like Exact<T> are not results).
    if (
      ts.isTypeAliasDeclaration(statement) &&
      !statement.typeParameters &&
      /(Query|Mutation|Subscription|Fragment|Variables)$/.test(statement.name.text)
    ) {
      visit(checker.getTypeAtLocation(statement.name), statement.name.text, new Set());
    }
  }
  return found;
}

describe('examples/codegen.ts (GraphQL Code Generator, client preset)', () => {
  it('generates types that compile with tsc --strict, with every field typed (dates as strings)', async () => {
    const dir = join(work, 'mapped');
    await generateInto(dir, exampleOutput);
    const { program, diagnostics } = compile(dir);
    expect(diagnostics).toEqual([]);
    expect(untypedFields(program, dir)).toEqual([]);
    const generated = readFileSync(join(dir, 'gql', 'graphql.ts'), 'utf8');
    const operation = generated.split('\n').find((line) => line.startsWith('export type DeathsWithProvenanceQuery ='));
    console.info(operation);
    expect(operation).toContain('publishedAt: string');
  });

  it('would leave publishedAt `unknown` without the scalar mappings (what the check above catches)', async () => {
    const dir = join(work, 'unmapped');
    await generateInto(dir, { ...exampleOutput, config: { useTypeImports: true } } as OutputConfig);
    const { program } = compile(dir);
    expect(untypedFields(program, dir)).toContain('DeathsWithProvenanceQuery.drugDeaths[].release.publishedAt');
  });

  it('refuses a schema scalar without a mapping (strictScalars), rather than typing it `unknown`', async () => {
    const { Date: _date, ...others } = (exampleOutput?.config.scalars ?? {}) as Record<string, unknown>;
    const output = { ...exampleOutput, config: { ...exampleOutput?.config, scalars: others } } as OutputConfig;
    await expect(generateInto(join(work, 'strict'), output)).rejects.toThrow(/Date/);
  });
});
