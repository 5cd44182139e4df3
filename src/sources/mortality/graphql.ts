// The GraphQL module of the source: importing it registers its types and fields.
import './deaths.ts';
import './rates.ts';
