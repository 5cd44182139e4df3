// The GraphQL module of the source: importing it registers its types and fields.
import './waves.ts';
import './prevalence.ts';
import './trends.ts';
import './distributions.ts';
