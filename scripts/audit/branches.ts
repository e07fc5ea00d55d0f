/**
 * `npm run coverage:branches`: branch coverage of the Solidity tests, with its gate (issue #9).
 * Hardhat 3's coverage counts lines and statements only, so this one figure comes from forge:
 * `forge coverage` builds the same contracts and *.t.sol files (foundry.toml; offline, on the
 * project's npm solc through scripts/forge/solc.cjs) and runs the Solidity tests — fuzz and
 * invariant included, at the CI settings of foundry.toml — recording which side of every branch
 * (`if`/`else`, `require`, `&&`/`||` short circuit… as forge counts them) executed.
 *
 * The mocha tests (test/**\/*.test.ts) do not count here: forge cannot run them. They are what
 * `npm run coverage:gate` measures (lines and statements, 100%).
 *
 * Writes reports/branches.lcov (forge's lcov) and reports/branches.json (the figures below, for
 * `npm run audit-report`); prints one row per non-mock contract and every branch never taken
 * (file:line). Exits 1 when the branches of the non-mock contracts together are below
 * REQUIRED_PERCENT, or when forge is missing or fails.
 *
 * Usage: node --import tsx scripts/audit/branches.ts [--lcov <file>]
 *   --lcov <file>: gate an existing lcov file instead of running forge.
 */
import { spawn } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";

import { forgeBinary } from "./forge.js";

const ROOT = process.cwd();
const REPORTS = path.join(ROOT, "reports");
const LCOV = path.join(REPORTS, "branches.lcov");
const SUMMARY = path.join(REPORTS, "branches.json");
export const REQUIRED_PERCENT = 95;
/** Measured: every contract outside contracts/test/ (mocks) and test/ (test helpers). */
const NOT_MEASURED = "(^test/|contracts/test/)";

export interface FileBranches {
  file: string;
  branches: number;
  taken: number;
  /** "line" of each branch side never taken (a line appears once per side missed). */
  missed: number[];
}

export interface BranchSummary {
  requiredPercent: number;
  branches: number;
  taken: number;
  percent: number;
  files: FileBranches[];
}

/** Parses lcov `SF:`/`BRDA:<line>,<block>,<branch>,<taken>` records ("-" or 0 = never taken). */
export function parseLcovBranches(lcov: string): FileBranches[] {
  const files: FileBranches[] = [];
  let current: FileBranches | undefined;
  for (const raw of lcov.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("SF:")) {
      current = { file: path.relative(ROOT, path.resolve(ROOT, line.slice(3))), branches: 0, taken: 0, missed: [] };
      files.push(current);
    } else if (line.startsWith("BRDA:") && current !== undefined) {
      const [lineNumber, , , taken] = line.slice(5).split(",");
      current.branches += 1;
      if (taken !== "-" && Number(taken) > 0) current.taken += 1;
      else current.missed.push(Number(lineNumber));
    } else if (line === "end_of_record") {
      current = undefined;
    }
  }
  return files.filter((f) => f.file.startsWith("contracts/") && !f.file.startsWith("contracts/test/"));
}

export function summarize(files: FileBranches[]): BranchSummary {
  const branches = files.reduce((sum, f) => sum + f.branches, 0);
  const taken = files.reduce((sum, f) => sum + f.taken, 0);
  const percent = branches === 0 ? 100 : (100 * taken) / branches;
  return { requiredPercent: REQUIRED_PERCENT, branches, taken, percent, files };
}

async function runForgeCoverage(): Promise<void> {
  await mkdir(REPORTS, { recursive: true });
  const args = ["coverage", "--report", "lcov", "--report-file", LCOV, "--report", "summary"];
  args.push("--no-match-coverage", NOT_MEASURED);
  const started = Date.now();
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(forgeBinary(), args, { stdio: "inherit" });
    child.on("error", reject);
    child.on("close", resolve);
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  console.error(`forge coverage: exit code ${code} after ${Math.floor(seconds / 60)} min ${seconds % 60} s`);
  if (code !== 0) throw new Error(`forge coverage failed (exit code ${code}); its output is above`);
}

/** "76 (both sides), 98, 102": a line listed once per branch side never taken. */
function missedLines(lines: number[]): string {
  const counts = new Map<number, number>();
  for (const line of lines) counts.set(line, (counts.get(line) ?? 0) + 1);
  return [...counts].map(([line, count]) => (count > 1 ? `${line} (${count} sides)` : `${line}`)).join(", ");
}

function formatTable(summary: BranchSummary): string {
  const width = Math.max(...summary.files.map((f) => f.file.length), "contract".length);
  const rows = summary.files.map((f) => {
    const percent = f.branches === 0 ? "—" : `${((100 * f.taken) / f.branches).toFixed(1)}%`;
    const missed = f.missed.length === 0 ? "" : `never taken: line ${missedLines(f.missed)}`;
    return `${f.file.padEnd(width)}  ${`${f.taken}/${f.branches}`.padStart(7)}  ${percent.padStart(6)}  ${missed}`;
  });
  const total = `${"all non-mock contracts".padEnd(width)}  ${`${summary.taken}/${summary.branches}`.padStart(7)}  ${`${summary.percent.toFixed(1)}%`.padStart(6)}`;
  return [`${"contract".padEnd(width)}  branches       %`, ...rows, total].join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { lcov: { type: "string" } } });
  if (values.lcov === undefined) await runForgeCoverage();
  const lcovFile = values.lcov ?? LCOV;
  const summary = summarize(parseLcovBranches(await readFile(lcovFile, "utf8")));
  if (summary.files.length === 0) throw new Error(`${lcovFile} has no contract under contracts/: nothing was measured`);
  await mkdir(REPORTS, { recursive: true });
  await writeFile(SUMMARY, `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`\nBranch coverage of the Solidity tests (forge), non-mock contracts:\n${formatTable(summary)}`);
  if (summary.percent < REQUIRED_PERCENT) {
    console.error(
      `\nbranch coverage gate FAILED: ${summary.percent.toFixed(1)}% < ${REQUIRED_PERCENT}%. ` +
        "Add Solidity tests that take the branches listed above (the lcov file has them per side).",
    );
    process.exitCode = 1;
  } else {
    console.log(`\nbranch coverage gate passed: ${summary.percent.toFixed(1)}% ≥ ${REQUIRED_PERCENT}%`);
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main().catch((error: unknown) => {
    console.error(`coverage:branches: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
