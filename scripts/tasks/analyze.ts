/**
 * `vault analyze <config file>`: OFFLINE. For the configuration, the outcome of every combination
 * of lost and stolen signers and guardians (by count), as a compact table, and its weakest points.
 * `--report <file.html>` also plays the key-loss scenarios on the in-process chain and writes the
 * self-contained HTML report (colour-coded grid, weakest points, each scenario's timeline).
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import {
  analyze,
  formatAnalysisTable,
  formatDuration,
  loadVaultConfig,
  renderReport,
  weakestPoints,
  weakestPointSentences,
  type Membership,
} from "../lib/index.js";
import { playScenarios, reportScenario } from "../scenarios/index.js";
import { command, type CommonArguments, type Output } from "./cli.js";

interface AnalyzeArguments extends CommonArguments {
  configFile: string;
  report: string;
}

async function analyzeConfig(args: AnalyzeArguments, hre: HardhatRuntimeEnvironment, out: Output): Promise<void> {
  const config = await loadVaultConfig(args.configFile);
  const m: Membership = {
    signers: config.signers.length,
    threshold: config.threshold,
    guardians: config.guardians.length,
    guardianThreshold: config.guardianThreshold,
    councilThreshold: config.councilThreshold,
  };
  const cells = analyze(m, config);
  const counts = { unaffected: 0, delayed: 0, frozen: 0, "at-risk": 0 };
  for (const c of cells) counts[c.verdict.outcome]++;

  out.say(
    `${args.configFile}: ${m.threshold}-of-${m.signers} signers, ${m.guardianThreshold}-of-${m.guardians} guardians, council ${m.councilThreshold} of ${m.signers + m.guardians}\n`,
  );
  out.say(formatAnalysisTable(m, cells));
  out.say(
    `\n${cells.length} combinations: ${counts.unaffected} unaffected, ${counts.delayed} delayed, ${counts.frozen} frozen for good, ${counts["at-risk"]} funds at risk.`,
  );
  out.say(
    `Delayed means withdrawals resume within T_r (the time honest keys take to react) plus at most: recovery ${formatDuration(config.recoveryDelay + config.longDelay)}, council ${formatDuration(config.councilDelay + config.withdrawalDelay)}.`,
  );
  out.say("\nWeakest points:");
  for (const s of weakestPointSentences(cells)) out.say(`  - ${s}`);
  let report: string | undefined;
  if (args.report !== "") {
    // The scenarios play on fresh in-process chains (never the --network), then the report is written.
    out.say(`\nPlaying the scenarios on the in-process chain for ${args.report} ...`);
    const outcomes = await playScenarios(
      () => hre.network.create("default"),
      () => {},
    );
    await mkdir(path.dirname(path.resolve(args.report)), { recursive: true });
    await writeFile(
      args.report,
      renderReport({
        title: "Reserve vault — resilience report",
        source: args.configFile,
        membership: m,
        cells,
        weakestPoints: weakestPointSentences(cells),
        scenarios: outcomes.map(reportScenario),
        generatedAt: new Date(),
      }),
    );
    report = args.report;
    out.say(
      `Wrote ${args.report}: the grid, the weakest points and ${outcomes.length} scenario timelines (self-contained HTML).`,
    );
  }
  out.result({ configuration: m, counts, cells, weakestPoints: weakestPoints(cells), report });
}

export default command<AnalyzeArguments>(analyzeConfig);
