/**
 * `npm run bench`: runs every suite (or those named on the command line), prints a table and writes
 * bench/results.json. Running some suites keeps the other suites' last results in the file.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { blobsSuite } from './blobs.bench.js';
import { bundleSuite } from './bundle.bench.js';
import { caseListSuite } from './case-list.bench.js';
import { deskReportsSuite } from './desk-reports.bench.js';
import { formatTable, type BenchResult, type BenchSuite } from './harness.js';
import { fleetSuite } from './fleet.bench.js';
import { fleetNodesSuite } from './fleet-nodes.bench.js';
import { hallFsyncsSuite } from './hall-fsyncs.bench.js';
import { idcardSuite } from './idcard.bench.js';
import { printerSuite } from './printer.bench.js';
import { pouchSuite } from './pouch.bench.js';
import { processStartSuite } from './process-start.bench.js';
import { residentSuite, soakSuite } from './resident.bench.js';
import { scannerSuite } from './scanner.bench.js';
import { startupSuite } from './startup.bench.js';
import { syncSuite } from './sync.bench.js';
import { uiSuite } from './ui.bench.js';

const suites: BenchSuite[] = [
  startupSuite,
  processStartSuite,
  bundleSuite,
  idcardSuite,
  printerSuite,
  scannerSuite,
  uiSuite,
  residentSuite,
  soakSuite,
  syncSuite,
  pouchSuite,
  fleetSuite,
  fleetNodesSuite,
  caseListSuite,
  deskReportsSuite,
  blobsSuite,
  hallFsyncsSuite,
];
const only = process.argv.slice(2);
const unknown = only.filter((n) => !suites.some((s) => s.name === n));
if (unknown.length > 0) {
  console.error(`unknown suite(s): ${unknown.join(', ')} (have: ${suites.map((s) => s.name).join(', ')})`);
  process.exit(2);
}

type Stored = BenchResult & { suite?: string };
const out = join(import.meta.dirname, 'results.json');
const ran = new Set<string>();
const results: Stored[] = [];
for (const suite of suites) {
  if (only.length > 0 && !only.includes(suite.name)) continue;
  process.stderr.write(`running ${suite.name}…\n`);
  ran.add(suite.name);
  results.push(...(await suite.run()).map((r) => ({ ...r, suite: suite.name })));
}
console.log(formatTable(results));
const previous: Stored[] = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as Stored[]) : [];
const kept = only.length > 0 ? previous.filter((r) => r.suite !== undefined && !ran.has(r.suite)) : [];
const order = suites.map((s) => s.name);
const merged = [...kept, ...results].sort(
  (a, b) => order.indexOf(a.suite ?? '') - order.indexOf(b.suite ?? ''),
);
writeFileSync(out, `${JSON.stringify(merged, null, 2)}\n`);
console.log(`\nwrote ${out}`);
