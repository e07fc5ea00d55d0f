/**
 * `npm run demo`: plays every key-loss scenario on the in-process Hardhat chain (a fresh chain
 * each, time travel for the delays), prints each timeline and outcome, checks each outcome against
 * the resilience analysis, and writes the HTML report to reports/resilience.html. Exit code 1 if a
 * scenario's outcome is not what the analysis predicts.
 */
import { mkdir, writeFile } from "node:fs/promises";

import { network } from "hardhat";

import { analyze, formatAnalysisTable, renderReport, weakestPointSentences } from "../lib/index.js";
import { playScenarios, reportScenario } from "./index.js";

const REPORT = "reports/resilience.html";

const started = Date.now();
const outcomes = await playScenarios(() => network.create());
const shown = outcomes.map(reportScenario);

console.log("\nScenarios against the analysis");
console.log("==============================");
for (const s of shown) {
  const agrees = s.observed === s.predicted;
  console.log(`${agrees ? "✓" : "✗"} ${s.title}: observed ${s.observed}, analysis ${s.predicted} (${s.loss})`);
  if (!agrees) process.exitCode = 1;
}

// The analysis of the configuration the scenarios share (2-of-3 signers, 2-of-3 guardians).
const first = outcomes[0]!;
const cells = analyze(first.membership, first.timings);
console.log("\nAnalysis of that vault (every number of lost / stolen keys)");
console.log(formatAnalysisTable(first.membership, cells));
console.log("Weakest points:");
for (const w of weakestPointSentences(cells)) console.log(`  - ${w}`);
await mkdir("reports", { recursive: true });
await writeFile(
  REPORT,
  renderReport({
    title: "Reserve vault — resilience report",
    source: "the demo configuration (scripts/scenarios)",
    membership: first.membership,
    cells,
    weakestPoints: weakestPointSentences(cells),
    scenarios: shown,
    generatedAt: new Date(),
  }),
);
console.log(`\n${outcomes.length} scenarios in ${((Date.now() - started) / 1000).toFixed(1)} s; report: ${REPORT}`);
