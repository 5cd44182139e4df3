import { type DocumentNode, GraphQLError, type GraphQLSchema, isEnumType, visit } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Validation errors about a literal argument value say what is wrong but not where: this names
 * the field and argument ("drugDeaths(asOf:): ...") and, for enums, lists the valid values.
 */
export function useArgumentNamesInErrors(schema: GraphQLSchema): Plugin {
  return {
    onValidate({ params }) {
      return ({ result, setResult }) => {
        if (result.length) setResult(result.map((error) => explain(error, params.documentAST, schema)));
      };
    },
  };
}

function explain(error: GraphQLError, document: DocumentNode, schema: GraphQLSchema): GraphQLError {
  const loc = error.nodes?.[0]?.loc;
  if (!loc) return error;
  let argument: string | undefined;
  visit(document, {
    Field(field) {
      for (const arg of field.arguments ?? []) {
        const value = arg.value.loc;
        if (value && value.start <= loc.start && loc.end <= value.end)
          argument = `${field.name.value}(${arg.name.value}:)`;
      }
    },
  });
  if (!argument) return error;
  let message = `${argument}: ${error.message}`;
  const enumName = /does not exist in "(\w+)" enum/.exec(error.message)?.[1];
  const enumType = enumName ? schema.getType(enumName) : undefined;
  if (isEnumType(enumType))
    message += ` Valid values: ${enumType
      .getValues()
      .map((v) => v.name)
      .join(', ')}.`;
  return new GraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: error.extensions,
  });
}
