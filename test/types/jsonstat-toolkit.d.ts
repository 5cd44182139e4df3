// The toolkit ships no types; these are the parts the tests use.
declare module 'jsonstat-toolkit' {
  interface JSONstatDataset {
    class: string;
    n: number;
    id: string[];
    toTable(options: { type: 'arrobj'; content: 'id'; status: true }): Record<string, string | number | null>[];
  }
  export default function JSONstat(input: unknown): JSONstatDataset;
}
