/** `npm run bench`: runs every suite, prints a table and writes bench/results.json. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleSuite } from './bundle.bench.js';
import { formatTable, type BenchResult, type BenchSuite } from './harness.js';
import { idcardSuite } from './idcard.bench.js';
import { printerSuite } from './printer.bench.js';
import { residentSuite } from './resident.bench.js';
import { scannerSuite } from './scanner.bench.js';
import { startupSuite } from './startup.bench.js';
import { uiSuite } from './ui.bench.js';

const suites: BenchSuite[] = [startupSuite, bundleSuite, idcardSuite, printerSuite, scannerSuite, uiSuite, residentSuite];
const only = process.argv.slice(2);

const results: BenchResult[] = [];
for (const suite of suites) {
  if (only.length > 0 && !only.includes(suite.name)) continue;
  process.stderr.write(`running ${suite.name}…\n`);
  results.push(...(await suite.run()));
}
console.log(formatTable(results));
const out = join(import.meta.dirname, 'results.json');
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwrote ${out}`);
