import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { DateResolver } from 'graphql-scalars';
import { builder } from './builder.ts';

const invalidDate = (value: unknown, node?: ValueNode) =>
  new GraphQLError(`${JSON.stringify(value)} is not a valid Date: expected a calendar date YYYY-MM-DD.`, {
    nodes: node,
  });

// graphql-scalars' Date (strict calendar dates), with a message that says what is expected.
const DateScalar = new GraphQLScalarType({
  ...DateResolver.toConfig(),
  description: 'A calendar date, "YYYY-MM-DD" (e.g. "2024-12-31").',
  parseValue(value) {
    try {
      return DateResolver.parseValue(value);
    } catch {
      throw invalidDate(value);
    }
  },
  // A date literal is a string, never a variable: one parameter tells the compiled executor so.
  parseLiteral(ast) {
    try {
      return DateResolver.parseLiteral(ast, undefined);
    } catch {
      throw invalidDate(ast.kind === Kind.STRING ? ast.value : ast.kind, ast);
    }
  },
});

builder.addScalarType('Date', DateScalar, {});

// Uploads arrive as WHATWG File objects from graphql-yoga's multipart request parser.
builder.addScalarType(
  'File',
  new GraphQLScalarType<File, never>({
    name: 'File',
    description: 'A file sent as a multipart request (GraphQL multipart request spec).',
    parseValue(value) {
      // Yoga's File may be a ponyfill rather than Node's own class: check the shape, not the class.
      const file = value as Partial<File> | null;
      if (file && typeof file.text === 'function' && typeof file.name === 'string') return file as File;
      throw new GraphQLError(
        'Expected a file: send it as a multipart request with the GraphQL multipart request spec.',
      );
    },
    serialize() {
      throw new GraphQLError('A File cannot be returned.');
    },
  }),
  {},
);
