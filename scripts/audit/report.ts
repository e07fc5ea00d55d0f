/**
 * `npm run audit-report`: the auditor's evidence in one place. Runs every check the project has —
 * tests (Solidity and mocha), coverage with its gates (lines and statements with Hardhat, branches
 * with forge), lint, the gas snapshot — and summarises them
 * with the fuzz and invariant settings, the properties of docs/PROPERTIES.md and the mutation score
 * recorded in docs/MUTATION.md. Exit code 1 if any check fails.
 *
 * AUDIT_SKIP_TESTS=1 leaves out the long runs (tests, both coverages) and reports the rest. The
 * mutation run (`npm run mutation`, about two hours) is not repeated here: its recorded result is read.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";

import { SOLIDITY_TEST_SETTINGS } from "../../hardhat.config.js";

interface Check {
  name: string;
  command: string[];
  /** One line from the command's output (stdout and stderr together). */
  summarize(output: string, ok: boolean): string;
}

function lastMatch(output: string, pattern: RegExp): string | undefined {
  const matches = [...output.matchAll(pattern)];
  return matches.at(-1)?.[0];
}

const CHECKS: Check[] = [
  {
    name: "tests",
    command: ["npx", "hardhat", "test"],
    summarize: (out) =>
      [lastMatch(out, /^\d+ passing.*$/gm), lastMatch(out, /^\d+ failing.*$/gm)].filter(Boolean).join("; ") ||
      "no summary line",
  },
  {
    name: "coverage (gate: 100% lines and statements of every non-mock contract)",
    command: ["npm", "run", "--silent", "coverage:gate"],
    summarize: (out, ok) => lastMatch(out, /^.*(coverage|Coverage).*$/gm) ?? (ok ? "passed" : "failed"),
  },
  {
    name: "branch coverage (forge, Solidity tests; gate: 95% of the non-mock contracts' branches)",
    command: ["npm", "run", "--silent", "coverage:branches"],
    summarize: (out, ok) => lastMatch(out, /^branch coverage gate.*$/gm) ?? (ok ? "passed" : "failed"),
  },
  {
    name: "lint (solhint, eslint, prettier)",
    command: ["npm", "run", "--silent", "lint"],
    summarize: (out, ok) => (ok ? "clean" : (lastMatch(out, /^.*(problem|warning|error).*$/gim) ?? "failed")),
  },
  {
    name: "gas snapshot (regressions fail)",
    command: ["npm", "run", "--silent", "gas:check"],
    summarize: (out, ok) =>
      ok ? "matches .gas-snapshot and snapshots/" : (lastMatch(out, /^.*(changed|differ|mismatch).*$/gim) ?? "changed"),
  },
];

function run(command: string[]): Promise<{ ok: boolean; output: string; seconds: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command[0]!, command.slice(1), {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, FORCE_COLOR: "0" },
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("close", (code) => resolve({ ok: code === 0, output, seconds: (Date.now() - started) / 1000 }));
  });
}

const skipTests = process.env.AUDIT_SKIP_TESTS === "1";
const rows: [string, string, string][] = [];
let failed = 0;
for (const check of CHECKS) {
  if (skipTests && (check.name === "tests" || check.name.includes("coverage"))) {
    rows.push([check.name, "skipped", "(AUDIT_SKIP_TESTS=1)"]);
    continue;
  }
  process.stderr.write(`running ${check.command.join(" ")} ...\n`);
  const { ok, output, seconds } = await run(check.command);
  if (!ok) failed++;
  rows.push([check.name, ok ? "PASS" : "FAIL", `${check.summarize(output, ok)} (${seconds.toFixed(0)} s)`]);
}

const { fuzz, invariant } = SOLIDITY_TEST_SETTINGS;
rows.push([
  "fuzz and invariant settings",
  "info",
  `fuzz ${fuzz.runs} runs per test; invariants ${invariant.runs} runs × depth ${invariant.depth}`,
]);

const model = await readFile("test/model/vault.model.test.ts", "utf8");
const sequences = model.match(/envInteger\("MODEL_RUNS", (\d+)\)/)?.[1] ?? "?";
rows.push([
  "model-based fuzzing (fast-check)",
  "info",
  `${sequences} random sequences per run (part of the tests; MODEL_RUNS for more)`,
]);

const properties = await readFile("docs/PROPERTIES.md", "utf8");
const numbered = [...properties.matchAll(/^\| (P|T)\d+ \|/gm)].length;
rows.push(["properties (docs/PROPERTIES.md)", "info", `${numbered} numbered properties, each linked to its tests`]);

rows.push([
  "mutation score",
  existsSync("docs/MUTATION.md") ? "info" : "missing",
  existsSync("docs/MUTATION.md")
    ? ((await readFile("docs/MUTATION.md", "utf8")).match(/^Score: .*$/m)?.[0] ?? "see docs/MUTATION.md")
    : "not recorded: run npm run mutation and record its result in docs/MUTATION.md",
]);

const width = Math.max(...rows.map((r) => r[0].length));
console.log("\nreserve-vault — audit evidence\n");
for (const [name, status, detail] of rows) console.log(`${name.padEnd(width)}  ${status.padEnd(7)}  ${detail}`);
console.log(`\n${failed === 0 ? "every check passed" : `${failed} check(s) failed`}`);
if (failed > 0) process.exitCode = 1;
