// Reads docs/adding-a-source.md as its reader follows it: each code block by its caption, the
// HTML comment lines right before the block. The captions:
//   <!-- file: <path> -->                        a new file with exactly the block's content
//   <!-- append to: <path> -->                   the block goes at the end of an existing file
//   <!-- add to model <Model> in: <path> -->     the block goes inside that model of a Prisma schema
//   <!-- not run: followed by test/docs/adding-a-source.test.ts -->   before a ```sh block: a step
//   <!-- answer -->                              the JSON the hub answers the ```graphql block with

export const FOLLOWED = '<!-- not run: followed by test/docs/adding-a-source.test.ts';

interface Block {
  lang: string;
  text: string;
  captions: string[];
}

export interface Guide {
  files: { path: string; text: string }[];
  appends: { path: string; text: string }[];
  modelAdditions: { model: string; path: string; text: string }[];
  /** The ```sh blocks the test runs, in order. */
  steps: string[];
  query: string;
  answer: string;
}

function blocksOf(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  for (let index = 0; index < lines.length; index++) {
    const fence = /^```(\w*)$/.exec(lines[index] ?? '');
    if (!fence) continue;
    const captions: string[] = [];
    for (let before = index - 1; before >= 0 && /^<!--.*-->$/.test(lines[before] ?? ''); before--)
      captions.unshift(lines[before] ?? '');
    const end = lines.findIndex((line, after) => after > index && line === '```');
    if (end < 0) throw new Error(`the code block at line ${index + 1} is never closed`);
    blocks.push({ lang: fence[1] ?? '', text: lines.slice(index + 1, end).join('\n'), captions });
    index = end;
  }
  return blocks;
}

/** The guide's captioned blocks; fails naming what a test needs and the guide lacks. */
export function parseGuide(markdown: string): Guide {
  const guide: Guide = { files: [], appends: [], modelAdditions: [], steps: [], query: '', answer: '' };
  for (const { lang, text, captions } of blocksOf(markdown)) {
    for (const caption of captions) {
      const file = /^<!-- file: (\S+) -->$/.exec(caption);
      if (file?.[1]) guide.files.push({ path: file[1], text });
      const append = /^<!-- append to: (\S+) -->$/.exec(caption);
      if (append?.[1]) guide.appends.push({ path: append[1], text });
      const model = /^<!-- add to model (\w+) in: (\S+) -->$/.exec(caption);
      if (model?.[1] && model[2]) guide.modelAdditions.push({ model: model[1], path: model[2], text });
      if (caption === '<!-- answer -->') guide.answer = text;
    }
    if (lang === 'sh' && captions.at(-1)?.startsWith(FOLLOWED)) guide.steps.push(text);
    if (lang === 'graphql') guide.query = text;
  }
  if (!guide.query || !guide.answer) throw new Error('the guide needs a ```graphql query and its <!-- answer -->');
  return guide;
}

/**
 * The example's word ("seizure") replaced by `word` in each case it is written in: seizures,
 * Seizure, SEIZURES, seizure_observation.
 */
export function renamed(text: string, word: string): string {
  const capitalised = `${word.charAt(0).toUpperCase()}${word.slice(1)}`;
  return text.replace(/seizure/gi, (found) =>
    found === found.toUpperCase() ? word.toUpperCase() : found.charAt(0) === 'S' ? capitalised : word,
  );
}
