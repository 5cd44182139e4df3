import {
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  getVariableValues,
  isEnumType,
  visit,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Validation errors about a literal argument value say what is wrong but not where: this names
 * the field and argument ("drugDeaths(asOf:): ...") and, for enums, lists the valid values.
 * Variables are coerced here, before execution, with graphql-js' own messages (the compiled
 * executor's say less), and a bad enum value lists the valid ones too.
 */
export function useArgumentNamesInErrors(schema: GraphQLSchema): Plugin {
  return {
    onValidate({ params }) {
      return ({ result, setResult }) => {
        if (result.length) setResult(result.map((error) => explain(error, params.documentAST, schema)));
      };
    },
    onExecute({ args, setResultAndStopExecution }) {
      const definitions = getOperationAST(args.document, args.operationName)?.variableDefinitions;
      if (!definitions?.length) return;
      const { errors } = getVariableValues(schema, definitions, args.variableValues ?? {});
      if (errors) setResultAndStopExecution({ errors: errors.map((error) => withValidValues(error, schema)) });
    },
  };
}

/** For "Value "X" does not exist in "E" enum.": the same error, listing E's values. */
function withValidValues(error: GraphQLError, schema: GraphQLSchema, message = error.message): GraphQLError {
  const enumName = /does not exist in "(\w+)" enum/.exec(error.message)?.[1];
  const enumType = enumName ? schema.getType(enumName) : undefined;
  if (!isEnumType(enumType)) return message === error.message ? error : copyWithMessage(error, message);
  const valid = enumType
    .getValues()
    .map((v) => v.name)
    .join(', ');
  return copyWithMessage(error, `${message} Valid values: ${valid}.`);
}

function copyWithMessage(error: GraphQLError, message: string): GraphQLError {
  return new GraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: error.extensions,
  });
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
  return withValidValues(error, schema, `${argument}: ${error.message}`);
}
