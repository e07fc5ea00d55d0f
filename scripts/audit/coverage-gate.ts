/**
 * `npm run coverage:gate`: the coverage gate of issue #9. Every non-mock contract (contracts/**
 * except contracts/test/**) must have 100% of its lines and 100% of its statements executed by the
 * test suite. Reads what `hardhat test --coverage` (npm run coverage) left under coverage/:
 *
 * - coverage/lcov.info: Hardhat's per-line execution (DA:<line>,<0|1>); the line figures below.
 * - coverage/data/<runner>/*.json: the statement tags the tests executed (tag -> hit count), one
 *   directory per test runner (mocha, solidity). Hardhat prints statement percentages but writes
 *   no per-statement file, so the gate re-derives each contract's statements with the same EDR
 *   instrumentation Hardhat used (`addStatementCoverageInstrumentation(source, "project/<path>")`;
 *   the tags are a hash of source name and position, so they match the ones the run recorded).
 *
 * The two must describe the same run: `hardhat test mocha --coverage` rewrites lcov.info and
 * coverage/data/mocha but leaves an older coverage/data/solidity behind. So the gate recomputes
 * each file's lines from the statements and tags with Hardhat's own line algorithm
 * (process-coverage.js of the pinned hardhat, loaded by path: it is not exported) and requires
 * them to equal lcov.info; `npm run coverage` (scripts/audit/coverage.ts) clears coverage/ first.
 *
 * Prints one table row per non-mock contract (lines %, statements %, uncovered lines); files with
 * no executable statement (interfaces, constant-only libraries) are listed as such and pass.
 * Exits 1 naming each file below 100% with its uncovered lines, or when the output is missing,
 * older than a contract, or inconsistent (nothing is then trusted).
 *
 * Usage: node --import tsx scripts/audit/coverage-gate.ts [--dir coverage] [--json]
 *   --json: one JSON document on stdout instead of the table (the verdict is the exit code).
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

import { addStatementCoverageInstrumentation, latestSupportedSolidityVersion } from "@nomicfoundation/edr";

const ROOT = process.cwd();
const CONTRACTS = "contracts";
/** Mocks and test doubles: compiled with the contracts, never gated. */
const MOCKS = `${CONTRACTS}/test/`;
/** The source name Hardhat 3 gives a project file (the instrumentation tags depend on it). */
const SOURCE_NAME_PREFIX = "project/";
const REQUIRED_PERCENT = 100;

interface Statement {
  tag: string;
  line: number;
  startUtf16: number;
  endUtf16: number;
}

/** Hardhat's statement → line mapping (what wrote lcov.info), or undefined if this hardhat moved it. */
type LineProcessor = (
  fileContent: string,
  metadata: readonly Statement[],
  hitTags: ReadonlySet<string>,
) => { lines: { executed: Map<number, unknown>; unexecuted: Map<number, unknown> } };

async function hardhatLineProcessor(): Promise<LineProcessor | undefined> {
  const hardhatEntry = createRequire(import.meta.url).resolve("hardhat");
  const file = path.join(path.dirname(hardhatEntry), "internal/builtin-plugins/coverage/process-coverage.js");
  try {
    const module = (await import(pathToFileURL(file).href)) as { getProcessedCoverageInfo?: LineProcessor };
    return module.getProcessedCoverageInfo;
  } catch {
    return undefined;
  }
}

interface FileCoverage {
  file: string;
  /** Executable lines (lcov DA entries) and those executed. */
  lines: number;
  linesHit: number;
  uncoveredLines: number[];
  statements: number;
  statementsHit: number;
  /** Lines where an unexecuted statement starts. */
  uncoveredStatementLines: number[];
}

async function solidityFiles(dir: string): Promise<string[]> {
  const entries = await readdir(path.join(ROOT, dir), { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(".sol"))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
    .sort();
}

/** lcov.info → file → (line → executed). */
function parseLcov(text: string): Map<string, Map<number, boolean>> {
  const files = new Map<string, Map<number, boolean>>();
  let current: Map<number, boolean> | undefined;
  for (const line of text.split("\n")) {
    if (line.startsWith("SF:")) {
      current = new Map();
      files.set(line.slice(3).split(path.sep).join("/"), current);
    } else if (line.startsWith("DA:") && current !== undefined) {
      const [lineNo, count] = line.slice(3).split(",");
      current.set(Number(lineNo), Number(count) > 0);
    } else if (line === "end_of_record") {
      current = undefined;
    }
  }
  return files;
}

/** Every tag any runner recorded as executed (coverage/data/<runner>/*.json). */
async function executedTags(dataDir: string): Promise<{ tags: Set<string>; runners: string[] }> {
  const tags = new Set<string>();
  const runners: string[] = [];
  for (const runner of await readdir(dataDir, { withFileTypes: true })) {
    if (!runner.isDirectory()) continue;
    runners.push(runner.name);
    for (const file of await readdir(path.join(dataDir, runner.name))) {
      if (!file.endsWith(".json")) continue;
      const counts = JSON.parse(await readFile(path.join(dataDir, runner.name, file), "utf8")) as Record<
        string,
        number
      >;
      for (const [tag, count] of Object.entries(counts)) if (count > 0) tags.add(tag);
    }
  }
  return { tags, runners: runners.sort() };
}

/** The statements EDR instruments in `file`, with the line each starts on. */
function statementsOf(file: string, source: string): Statement[] {
  const pragma = /pragma\s+solidity\s+=?\s*(\d+\.\d+\.\d+)\s*;/.exec(source);
  const version = pragma?.[1] ?? latestSupportedSolidityVersion();
  const { metadata } = addStatementCoverageInstrumentation(source, SOURCE_NAME_PREFIX + file, version);
  const lineStarts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === "\n") lineStarts.push(i + 1);
  const lineOf = (offset: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  return metadata
    .filter((m) => m.kind === "statement")
    .map((m) => ({
      tag: Buffer.from(m.tag).toString("hex"),
      line: lineOf(m.startUtf16),
      startUtf16: m.startUtf16,
      endUtf16: m.endUtf16,
    }));
}

function percent(hit: number, total: number): string {
  return total === 0 ? "-" : ((hit * 100) / total).toFixed(2);
}

/** "3, 7-9, 12" */
function ranges(lines: readonly number[]): string {
  const sorted = [...new Set(lines)].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const start = sorted[i]!;
    while (i + 1 < sorted.length && sorted[i + 1] === sorted[i]! + 1) i++;
    out.push(start === sorted[i] ? `${start}` : `${start}-${sorted[i]}`);
  }
  return out.join(", ");
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: readonly string[]) => `| ${r.map((cell, c) => cell.padEnd(widths[c]!)).join(" | ")} |`;
  return [line(rows[0]!), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.slice(1).map(line)].join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { dir: { type: "string", default: "coverage" }, json: { type: "boolean", default: false } },
  });
  const dir = path.resolve(ROOT, values.dir!);
  const lcovPath = path.join(dir, "lcov.info");
  const problems: string[] = [];

  const lcovStat = await stat(lcovPath).catch(() => undefined);
  if (lcovStat === undefined) {
    console.error(`coverage gate: ${path.relative(ROOT, lcovPath)} not found; run \`npm run coverage\` first.`);
    process.exitCode = 1;
    return;
  }
  const lcov = parseLcov(await readFile(lcovPath, "utf8"));
  const { tags, runners } = await executedTags(path.join(dir, "data")).catch(() => ({
    tags: new Set<string>(),
    runners: [],
  }));
  if (runners.length === 0)
    problems.push(`no statement data under ${path.relative(ROOT, dir)}/data; run \`npm run coverage\``);

  const processLines = await hardhatLineProcessor();
  if (processLines === undefined) {
    console.error(
      "coverage gate: warning: hardhat's process-coverage.js not found; lcov.info and coverage/data are not cross-checked",
    );
  }
  const files = (await solidityFiles(CONTRACTS)).filter((f) => !f.startsWith(MOCKS));
  const results: FileCoverage[] = [];
  const noCode: string[] = [];
  for (const file of files) {
    const absolute = path.join(ROOT, file);
    if ((await stat(absolute)).mtimeMs > lcovStat.mtimeMs) {
      problems.push(
        `${file} changed after ${path.relative(ROOT, lcovPath)} was written: the coverage is stale; rerun \`npm run coverage\``,
      );
    }
    const source = await readFile(absolute, "utf8");
    const statements = statementsOf(file, source);
    if (statements.length === 0) {
      noCode.push(file);
      continue;
    }
    const lines = lcov.get(file);
    if (lines === undefined) {
      problems.push(
        `${file} has ${statements.length} statements but is not in lcov.info: was it compiled by the coverage run?`,
      );
      continue;
    }
    const uncoveredLines = [...lines].filter(([, hit]) => !hit).map(([l]) => l);
    const missed = statements.filter((s) => !tags.has(s.tag));
    const result: FileCoverage = {
      file,
      lines: lines.size,
      linesHit: lines.size - uncoveredLines.length,
      uncoveredLines,
      statements: statements.length,
      statementsHit: statements.length - missed.length,
      uncoveredStatementLines: [...new Set(missed.map((s) => s.line))].sort((a, b) => a - b),
    };
    // Lines were executed but no statement tag matches: the tags are not the ones Hardhat used.
    if (result.linesHit > 0 && result.statementsHit === 0) {
      problems.push(
        `${file}: lcov.info shows executed lines but no statement tag matches the recorded data (Hardhat's source naming or tagging changed?)`,
      );
    } else if (processLines !== undefined) {
      const expected = new Set(processLines(source, statements, tags).lines.unexecuted.keys());
      const differ = [...new Set([...expected, ...uncoveredLines])].filter(
        (l) => expected.has(l) !== uncoveredLines.includes(l),
      );
      if (differ.length > 0) {
        problems.push(
          `${file}: lcov.info and ${path.relative(ROOT, dir)}/data disagree on lines ${ranges(differ)}: ` +
            `they come from different runs (runners found: ${runners.join(", ")}); rerun \`npm run coverage\``,
        );
      }
    }
    results.push(result);
  }

  const below = results.filter(
    (r) => (r.linesHit * 100) / r.lines < REQUIRED_PERCENT || (r.statementsHit * 100) / r.statements < REQUIRED_PERCENT,
  );
  const totals = results.reduce(
    (t, r) => ({ l: t.l + r.lines, lh: t.lh + r.linesHit, s: t.s + r.statements, sh: t.sh + r.statementsHit }),
    { l: 0, lh: 0, s: 0, sh: 0 },
  );

  if (values.json) {
    console.log(
      JSON.stringify(
        {
          required: REQUIRED_PERCENT,
          runners,
          files: results,
          noExecutableCode: noCode,
          totals,
          below: below.map((r) => r.file),
          problems,
        },
        null,
        2,
      ),
    );
  } else {
    const rows = [
      ["Contract", "Lines %", "Lines", "Statements %", "Statements", "Uncovered lines"],
      ...results.map((r) => [
        r.file,
        percent(r.linesHit, r.lines),
        `${r.linesHit}/${r.lines}`,
        percent(r.statementsHit, r.statements),
        `${r.statementsHit}/${r.statements}`,
        ranges([...r.uncoveredLines, ...r.uncoveredStatementLines]) || "-",
      ]),
      ...noCode.map((f) => [f, "-", "0/0", "-", "0/0", "no executable statements"]),
      [
        "Total",
        percent(totals.lh, totals.l),
        `${totals.lh}/${totals.l}`,
        percent(totals.sh, totals.s),
        `${totals.sh}/${totals.s}`,
        "",
      ],
    ];
    console.log(
      `Coverage of the non-mock contracts (runners: ${runners.join(", ") || "none"}; gate: ${REQUIRED_PERCENT}% lines and statements)\n`,
    );
    console.log(table(rows));
    console.log();
  }

  for (const r of below) {
    problems.push(
      `${r.file}: lines ${percent(r.linesHit, r.lines)}%, statements ${percent(r.statementsHit, r.statements)}%; ` +
        `uncovered lines ${ranges(r.uncoveredLines) || "none"}` +
        (r.uncoveredStatementLines.length > 0
          ? `; unexecuted statements start on lines ${ranges(r.uncoveredStatementLines)}`
          : ""),
    );
  }
  if (problems.length > 0) {
    console.error(
      `coverage gate FAILED (${REQUIRED_PERCENT}% of lines and statements of every non-mock contract required):`,
    );
    for (const p of problems) console.error(`  - ${p}`);
    process.exitCode = 1;
  } else if (!values.json) {
    console.log(`coverage gate passed: ${results.length} contracts at ${REQUIRED_PERCENT}% lines and statements.`);
  }
}

await main();
