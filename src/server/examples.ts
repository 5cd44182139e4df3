/**
 * Example operations: preloaded as GraphiQL tabs and shown in the README. A test runs each of
 * them against the bundled data, so they stay working. Each asks for the `id` of every object, as
 * a front-end should: Apollo Client and urql Graphcache key their caches by it (docs/using-the-api.md).
 */
export const EXAMPLE_OPERATIONS: { name: string; query: string }[] = [
  {
    name: 'Deaths per year',
    query: `# Drug-induced deaths in Norway per year, with provenance
query DeathsPerYear {
  drugDeaths(from: 2012, to: 2024) {
    id
    year
    value
    qualifier
    release { id label publishedAt status }
    reference
  }
}`,
  },
  {
    name: 'Deaths by county 2024',
    query: `# The 15 counties in 2024 (by: breaks a dimension down; default is Norway)
query DeathsByCounty {
  drugDeaths(from: 2024, to: 2024, by: [REGION]) {
    id
    region { id code name }
    value
  }
}`,
  },
  {
    name: 'Revisions: 2023 as first published',
    query: `# 2023 was first published as 363 (June 2024) and revised to 391 (2025):
# asOf answers from the releases published by a date.
query Deaths2023Revisions {
# Each value has its own id (its cell and release): node(id) on the first still gives 363.
  firstPublished: drugDeaths(from: 2023, to: 2023, asOf: "2024-12-31") { id value release { id label } }
  latest: drugDeaths(from: 2023, to: 2023) { id value release { id label } }
}`,
  },
  {
    name: 'Oslo by substance type',
    query: `query OsloByCause {
  drugDeaths(region: ["03"], by: [CAUSE]) {
    id
    year
    cause { id code name(lang: EN) }
    value
  }
}`,
  },
  {
    name: 'Age and sex 2024',
    query: `query AgeAndSex {
  drugDeaths(from: 2024, to: 2024, by: [AGE_GROUP, SEX]) {
    id
    ageGroup { id code }
    sex
    value
  }
}`,
  },
  {
    name: 'Rates by county',
    query: `# Age-standardised rates always name their standard population
query RatesByCounty {
  drugDeathRates(from: 2024, to: 2024, by: [REGION]) {
    id
    region { id name }
    value
    standardPopulation { id code name(lang: EN) }
  }
}`,
  },
  {
    name: 'Cannabis use 2013-2025',
    query: `# Survey prevalence with 95 % CI and unweighted counts, by recall period
query CannabisByRecall {
  prevalence(substance: ["CANNABIS"], from: 2013, to: 2025, by: [RECALL]) {
    id year recall value ciLow ciHigh respondents users qualifier
    release { id label status }
  }
}`,
  },
  {
    name: 'Cannabis across sources',
    query: `# One substance, every source: survey prevalence, trend test and deaths
query CannabisAcrossSources {
  substance(code: "CANNABIS") {
    id
    name(lang: EN)
    prevalence(from: 2025, to: 2025, by: [SEX]) { id sex value ciLow ciHigh wave { id respondents responseRate } }
    prevalenceTrends { id recall test { id direction pValue pQualifier } }
    drugDeaths { id year value }
  }
}`,
  },
  {
    name: 'Debut age of cannabis use',
    query: `query DebutAge {
  distribution: useDistribution(distribution: CANNABIS_DEBUT_AGE) { id category value count }
  mean: useDistribution(distribution: CANNABIS_DEBUT_AGE, measure: MEAN) { id value qualifier }
}`,
  },
  {
    name: 'Every county with its series',
    query: `query Dashboard {
  regions {
    id
    code
    name
    drugDeaths(from: 2012, to: 2024) { id year value }
  }
}`,
  },
  {
    name: 'Downloads and citations',
    query: `# Every list of observations also downloads as a file, its arguments as query parameters
# (lists comma-separated; lang=nb|en for the labels):
#   /data/drugDeaths.csv?from=2024&to=2024&by=REGION    CSV, one row per cell
#   /data/drugDeaths.json?from=2024&to=2024&by=REGION   JSON-stat 2.0
#   /data      lists every download      /explore   the report's figures, redrawn live
# Cite a release with its citation; credit a source with its attribution (EUDA: CC BY 4.0).
query Citations {
  sources {
    id
    licence
    attribution
    latestRelease { id citation }
  }
}`,
  },
  {
    name: 'Wastewater: spring and autumn',
    query: `# Oslo's cannabis week means: EUDA's spring week and the report's spring and autumn weeks
query WastewaterCampaigns {
  wastewater(site: ["NO007"], substance: ["CANNABIS"], from: 2024, to: 2025, statistic: [DAILY_MEAN]) {
    id
    year
    campaign
    value
    status
    release { id status }
    revisions { id value release { id } }
  }
}`,
  },
  {
    name: 'People who inject drugs: two series',
    query: `# The report's annual estimates and their 3-year moving average (both PRELIMINARY)
query InjectingDrugUse {
  annual: injectingDrugUseEstimates(from: 2012, to: 2024) {
    id year series value status revisions { id value release { id label } }
  }
  movingAverage: injectingDrugUseEstimates(series: THREE_YEAR_MOVING_AVERAGE, from: 2012, to: 2024) { id year value }
}`,
  },
  {
    name: 'What the report prints that the hub does not serve',
    query: `query ReportCoverage {
  reportCoverage {
    id
    chapter
    title(lang: EN)
    served { id description query }
    notServed { id description kind reason }
  }
}`,
  },
  {
    name: 'Sources and releases',
    query: `query Sources {
  sources {
    id
    name(lang: EN)
    notes(lang: EN)
    releases { id label status publishedAt publishedAtPrecision }
  }
}`,
  },
];
