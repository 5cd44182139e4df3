// The GraphQL module of the source: importing it registers its types and fields.
import './sites.ts';
import './loads.ts';
import './changes.ts';
