// The GraphQL module of the source: importing it registers its types and fields.
import './estimates.ts';
