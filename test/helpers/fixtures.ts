/**
 * A large release in EUDA's data layout for load tests: `rows` rows of 10 observations each at
 * one real site (Graz, AT001), over made-up years. Test data only: never served as figures.
 */
export function largeEudaFile(rows: number): string {
  const header =
    '"Year","Metabolite","Site ID","Country","City",' +
    '"Wednesday","Thursday","Friday","Saturday","Sunday","Monday","Tuesday","Weekday mean","Weekend mean","Daily mean"';
  const metabolites = ['cocaine', 'MDMA', 'amphetamine', 'methamphetamine', 'cannabis'];
  const lines = Array.from(
    { length: rows },
    (_, i) => `${1000 + Math.floor(i / 5)},"${metabolites[i % 5]}","AT001","AT","Graz",1,2,3,4,5,6,7,8,9,${i}`,
  );
  return `${header}\n${lines.join('\n')}\n`;
}
