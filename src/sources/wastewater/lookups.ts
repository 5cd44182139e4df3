import { join } from 'node:path';
import { z } from 'zod';
import type { SqlValue } from '../../db/bulk.ts';
import { CODELIST_TABLES, readCodelistCodes } from '../../dimensions/codelists.ts';
import { cell, InputFileError, readCsvFile } from '../../importing/csv.ts';
import { codeOf } from '../../importing/source-files.ts';
import { type FileRecord, field, orNull, splitFootnote } from './layouts.ts';

// The wastewater source's own codelists: EUDA's metabolites and sites, read from its files and
// used both as reference rows (upserted on every start) and to check the codes of data files.

interface Metabolite {
  code: string;
  measuredAs: string;
  substance: string;
  aliases: string[];
}

function readMetabolites(dir: string): Metabolite[] {
  const substances = readCodelistCodes().get(CODELIST_TABLES.substance);
  return readCsvFile(
    join(dir, 'metabolites.csv'),
    z.object({
      code: cell.text,
      measured_as: cell.text,
      substance: codeOf(substances, 'substance'),
      aliases: z.string(),
    }),
  ).map((row) => ({
    code: row.code,
    measuredAs: row.measured_as,
    substance: row.substance,
    aliases: row.aliases.split('|').filter(Boolean),
  }));
}

export const SITE_COLUMNS = [
  'code',
  'euda_site_id',
  'country_code',
  'city',
  'city_as_published',
  'city_note',
  'location',
  'latitude',
  'longitude',
  'population',
  'population_as_published',
  'institution',
  'website',
  'region_code',
  'note',
];

/** A site table of a release: its file name and records (header checked). */
export interface SiteTable {
  file: string;
  records: FileRecord[];
}

/**
 * The sites: every site table of the releases (a later release's row for the same id wins), then
 * sites-extra.csv: sites of earlier releases whose EUDA id was reused, found by (EUDA id, location).
 */
function readSites(dir: string, tables: readonly SiteTable[]) {
  const regions = new Map(
    readCsvFile(
      join(dir, 'site-regions.csv'),
      z.object({ site: cell.text, region: codeOf(readCodelistCodes().get(CODELIST_TABLES.region), 'region code') }),
    ).map((row) => [row.site, row.region]),
  );
  const countries = new Map<string, string>();
  const bySite = new Map<string, SqlValue[]>();
  for (const { file, records } of tables) {
    for (const { line, record } of records) {
      const number = (column: string) => {
        const text = orNull(record[column]);
        if (text === null) return null;
        const value = Number(text);
        if (!Number.isFinite(value)) throw new InputFileError(file, line, column, `must be a number (found "${text}")`);
        return value;
      };
      const [id, country, cityAsPublished] = [field(record, 'SiteID'), field(record, 'Country'), field(record, 'City')];
      const { city, note } = splitFootnote(cityAsPublished);
      const population = number('Population');
      countries.set(id, country);
      bySite.set(id, [
        ...[id, id, country, city, cityAsPublished, note, orNull(record.Location)],
        ...[number('Latitude'), number('Longitude'), population === null ? null : Math.round(population)],
        ...[orNull(record.Population), orNull(record.Institution), orNull(record.Website)],
        ...[regions.get(id) ?? null, null],
      ]);
    }
  }
  const rows = [...bySite.values()];
  const extraByEudaSite = new Map<string, string>();
  const extras = readCsvFile(
    join(dir, 'sites-extra.csv'),
    z.object({
      code: cell.text,
      euda_site_id: cell.text,
      country: cell.text,
      city: cell.text,
      location: cell.text,
      region: cell.text,
      note: cell.text,
    }),
  );
  for (const extra of extras) {
    countries.set(extra.code, extra.country);
    extraByEudaSite.set(`${extra.euda_site_id}|${extra.location}`, extra.code);
    rows.push([
      ...[extra.code, extra.euda_site_id, extra.country, extra.city, extra.city, null, extra.location],
      ...[null, null, null, null, null, null],
      ...[regions.get(extra.code) ?? extra.region, extra.note],
    ]);
  }
  return { rows, countries, extraByEudaSite };
}

/** Metabolites and sites, to check and map the codes of a data file. */
export function readLookups(dir: string, siteTables: readonly SiteTable[]) {
  const metabolites = readMetabolites(dir);
  const metaboliteByName = new Map(
    metabolites.flatMap((m) => [[m.code, m] as const, ...m.aliases.map((alias) => [alias, m] as const)]),
  );
  const sites = readSites(dir, siteTables);
  const siteFiles = [...siteTables.map((table) => table.file), 'sites-extra.csv'].join(', ');
  return {
    metabolites,
    sites,
    metaboliteOf(file: string, line: number, column: string, name: string) {
      const metabolite = metaboliteByName.get(name.trim());
      if (!metabolite) {
        const known = [...metaboliteByName.keys()].join(', ');
        throw new InputFileError(file, line, column, `unknown metabolite "${name}"; known: ${known}`);
      }
      return metabolite;
    },
    siteOf(file: string, line: number, column: string, id: string) {
      if (!sites.countries.has(id))
        throw new InputFileError(file, line, column, `unknown site "${id}": not in ${siteFiles}`);
      return id;
    },
    /** A site of an earlier release named by its EUDA id and location: its code in sites-extra.csv, else its id. */
    earlierSiteOf(file: string, line: number, id: string, location: string) {
      return sites.extraByEudaSite.get(`${id}|${location}`) ?? this.siteOf(file, line, 'site_id', id);
    },
  };
}

export type Lookups = ReturnType<typeof readLookups>;
