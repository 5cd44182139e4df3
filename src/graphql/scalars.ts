import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { DateResolver, DateTimeResolver } from 'graphql-scalars';
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

const invalidDateTime = (value: unknown, node?: ValueNode) =>
  new GraphQLError(
    `${JSON.stringify(value)} is not a valid DateTime: expected an ISO 8601 instant with an offset, ` +
      'e.g. "2027-03-01T08:00:00+01:00" or "2027-03-01T07:00:00Z".',
    { nodes: node },
  );

// graphql-scalars' DateTime (RFC 3339: an instant with an offset), answered in UTC ("...Z").
const DateTimeScalar = new GraphQLScalarType({
  ...DateTimeResolver.toConfig(),
  description:
    'An instant: an ISO 8601 date and time with an offset, e.g. "2027-03-01T08:00:00+01:00". Answered in UTC ("2027-03-01T07:00:00.000Z").',
  parseValue(value) {
    try {
      return DateTimeResolver.parseValue(value);
    } catch {
      throw invalidDateTime(value);
    }
  },
  parseLiteral(ast) {
    try {
      return DateTimeResolver.parseLiteral(ast, undefined);
    } catch {
      throw invalidDateTime(ast.kind === Kind.STRING ? ast.value : ast.kind, ast);
    }
  },
});

builder.addScalarType('DateTime', DateTimeScalar, {});

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
