/**
 * `npm run mutation`: mutation testing of contracts/ReserveVault.sol with SuMo's operators (issue #9).
 *
 * A mutant is the contract with one small change — an operator, a comparison, a literal, a deleted
 * event, statement or modifier… (SuMo's "extended" operators, listed in the summary). Each one is
 * compiled and tested; it is killed when a test fails, live when every test passes. The score is
 * killed / (killed + live + timed out); mutants that do not compile (stillborn) do not count.
 *
 * SuMo generates the mutants (scripts/audit/sumo-mutants.cjs); this script compiles and tests them,
 * because SuMo's own runner cannot start here (see sumo-mutants.cjs) and runs one mutant at a time.
 * Nothing happens in the working tree: each worker (--jobs, default 2) gets a sandbox under
 * cache/mutation/ with a copy of every file git knows (tracked, and untracked but not ignored, so
 * new tests count before they are committed) and a link to node_modules, and per mutant runs:
 *   compile: `forge build` — legacy code generation without the optimizer, seconds per mutant where
 *            the production build (via-IR, 10,000 runs) takes minutes. A mutant that does not
 *            compile is stillborn.
 *   test:    the Solidity tests with forge, stopping at the first failure (fuzz and invariant runs
 *            reduced to FUZZ_RUNS / INVARIANT_RUNS below), then, only if they all pass, the
 *            in-process mocha tests of the vault and the guardians with Hardhat on the same fast
 *            build (hardhat.mutation.config.ts: unoptimized bytecode exceeds 24 KB, so that
 *            in-process chain lifts the contract size limit).
 * The CLI tests (test/tasks) are not run: they start child processes and a node per test (minutes
 * per mutant) and reach the contracts only through paths the in-process tests cover. Each sandbox
 * first runs compile and test on the unmutated contract: they must pass.
 *
 * Writes reports/mutation/results.json (every mutant: hash, operator, line, original, replacement,
 * status, seconds) and reports/mutation/summary.json; prints the score and every live mutant.
 * docs/MUTATION.md records the score and why each live mutant survives.
 *
 * Usage: node --import tsx scripts/audit/mutation.ts [--contract contracts/ReserveVault.sol]
 *          [--jobs 2] [--minimal] [--only <hash>,<hash>… | --resume] [--summarize]
 *   --minimal: SuMo's minimal operator variants (fewer mutants per operator; default: extended).
 *   --only: test just these mutants (e.g. the live ones, after adding a test) and update their
 *           entries in results.json.
 *   --resume: test the mutants results.json does not hold yet (after a stopped run) and add them.
 *   --summarize: re-read results.json (no run).
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, readFile, readdir, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";

import { forgeBinary } from "./forge.js";

const ROOT = process.cwd();
const SANDBOXES = path.join(ROOT, "cache", "mutation");
const REPORTS = path.join(ROOT, "reports", "mutation");
const RESULTS = path.join(REPORTS, "results.json");
const FUZZ_RUNS = 256;
const INVARIANT_RUNS = 64;
/** A mutant whose tests run longer than this is "timedout" (e.g. a loop that no longer ends). */
const TIMEOUT_SECONDS = 900;
/** The mocha tests a mutant runs when the Solidity tests all pass (in-process; see above). */
const MOCHA_TESTS = ["test/vault", "test/guardians"];

export type MutantStatus = "killed" | "live" | "timedout" | "stillborn";

export interface Mutant {
  hash: string;
  operator: string;
  start: number;
  end: number;
  startLine: number;
  endLine: number;
  original: string;
  replacement: string;
}

export interface MutantResult extends Mutant {
  status: MutantStatus;
  /** What killed it: "forge" (a Solidity test) or "mocha"; empty otherwise. */
  killedBy: "forge" | "mocha" | "";
  seconds: number;
}

export interface MutationResults {
  contract: string;
  /** How many mutants SuMo generated (results may hold fewer if a run was stopped early). */
  generated: number;
  /** The commit the run tested, "+ uncommitted changes" when the tree differed from it. */
  commit: string;
  operators: string[];
  settings: { fuzzRuns: number; invariantRuns: number; mochaTests: string[] };
  results: MutantResult[];
}

export interface MutationSummary {
  contract: string;
  generated: number;
  mutants: number;
  killed: number;
  live: number;
  timedout: number;
  stillborn: number;
  /** killed / (killed + live + timedout), in percent. */
  score: number;
  liveMutants: MutantResult[];
}

export function summarizeResults(run: MutationResults): MutationSummary {
  const count = (status: MutantStatus) => run.results.filter((r) => r.status === status).length;
  const killed = count("killed");
  const live = count("live");
  const timedout = count("timedout");
  const tested = killed + live + timedout;
  return {
    contract: run.contract,
    generated: run.generated,
    mutants: run.results.length,
    killed,
    live,
    timedout,
    stillborn: count("stillborn"),
    score: tested === 0 ? 0 : (100 * killed) / tested,
    liveMutants: run.results.filter((r) => r.status === "live"),
  };
}

async function projectFiles(): Promise<string[]> {
  const out = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT });
  return out
    .toString("utf8")
    .split("\0")
    .filter((f) => f !== "" && existsSync(path.join(ROOT, f)));
}

async function solidityFilesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(path.join(ROOT, dir), { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(".sol"))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)).split(path.sep).join("/"));
}

/** Solidity tests that run many random inputs: after the unit tests, which fail faster. */
const RANDOMIZED_TESTS = "test/{fuzz,invariant,gas}/*";

const TEST_SCRIPT = `#!/bin/sh
# One mutant, cheapest tests first, stopping at the first failure: the Solidity unit tests (exit 10),
# the fuzz and invariant tests (exit 11), then the in-process mocha tests (exit 20).
export FOUNDRY_FUZZ_RUNS=${FUZZ_RUNS} FOUNDRY_INVARIANT_RUNS=${INVARIANT_RUNS}
forge test --fail-fast --no-match-path '${RANDOMIZED_TESTS}' >forge.log 2>&1 || exit 10
forge test --fail-fast --match-path '${RANDOMIZED_TESTS}' >forge.log 2>&1 || exit 11
hardhat --config hardhat.mutation.config.ts test mocha --bail ${MOCHA_TESTS.map((d) => `${d}/*.test.ts`).join(" ")} >mocha.log 2>&1 || exit 20
`;

const HARDHAT_CONFIG = `// The mutation sandbox's build: legacy code generation without the optimizer (seconds per
// mutant), and an in-process chain without the 24 KB contract size limit (unoptimized bytecode).
import config from "./hardhat.config.js";

export default {
  ...config,
  solidity: {
    ...config.solidity,
    profiles: { default: { ...config.solidity.profiles.default, settings: {} } },
  },
  networks: { ...config.networks, default: { type: "edr-simulated", allowUnlimitedContractSize: true } },
};
`;

/** A fresh copy of the project for one worker, with SuMo's config (its generator reads it). */
async function prepareSandbox(dir: string, contract: string, files: string[], minimal: boolean): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  for (const file of files) await cp(path.join(ROOT, file), path.join(dir, file));
  await symlink(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  const sumoConfig = {
    contractsDir: "contracts",
    testDir: "test",
    buildDir: "cache/forge/out",
    skipContracts: (await solidityFilesUnder("contracts")).filter((f) => f !== contract),
    skipTests: [],
    testingFramework: "custom",
    minimal,
    tce: false,
  };
  await writeFile(path.join(dir, "sumo-config.json"), `${JSON.stringify(sumoConfig, null, 2)}\n`);
  await writeFile(path.join(dir, "mutation-test.sh"), TEST_SCRIPT);
  await writeFile(path.join(dir, "hardhat.mutation.config.ts"), HARDHAT_CONFIG);
}

/** Runs `command` in `cwd` with node_modules/.bin first on PATH; resolves to its exit code (null: timed out). */
function run(cwd: string, command: string, args: string[], timeoutSeconds: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const bin = path.join(ROOT, "node_modules", ".bin");
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}` };
    delete env.HH_TEST;
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "ignore", "pipe"], detached: true });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    }, timeoutSeconds * 1000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (signal === "SIGKILL") resolve(null);
      else {
        if (code !== 0 && process.env.MUTATION_DEBUG) console.error(stderr);
        resolve(code);
      }
    });
  });
}

async function generateMutants(sandbox: string, contract: string): Promise<{ operators: string[]; mutants: Mutant[] }> {
  const generator = path.join(ROOT, "scripts", "audit", "sumo-mutants.cjs");
  const out = execFileSync(process.execPath, [generator, contract], {
    cwd: sandbox,
    env: { ...process.env, APP_ROOT_PATH: sandbox },
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out.toString("utf8")) as { operators: string[]; mutants: Mutant[] };
}

async function testMutant(sandbox: string, contract: string, source: string, m: Mutant): Promise<MutantResult> {
  const started = Date.now();
  const file = path.join(sandbox, contract);
  await writeFile(file, source.slice(0, m.start) + m.replacement + source.slice(m.end));
  let status: MutantStatus;
  let killedBy: MutantResult["killedBy"] = "";
  try {
    if ((await run(sandbox, "forge", ["build", "--quiet"], TIMEOUT_SECONDS)) !== 0) {
      status = "stillborn";
    } else {
      const code = await run(sandbox, "sh", ["mutation-test.sh"], TIMEOUT_SECONDS);
      if (code === null) status = "timedout";
      else if (code === 0) status = "live";
      else {
        status = "killed";
        killedBy = code === 20 ? "mocha" : "forge";
      }
    }
  } finally {
    await writeFile(file, source);
  }
  return { ...m, status, killedBy, seconds: Math.round((Date.now() - started) / 1000) };
}

function formatSummary(s: MutationSummary, operators: string[], commit: string): string {
  const lines = [
    `Mutation testing of ${s.contract} at ${commit} (SuMo operators: ${operators.join(" ")})`,
    s.mutants === s.generated
      ? `  ${s.mutants} mutants, every one SuMo generated`
      : `  ${s.mutants} of the ${s.generated} mutants SuMo generated (the run stopped early; they are a uniform sample: hash order)`,
    `  killed ${s.killed}, live ${s.live}, timed out ${s.timedout}, stillborn (do not compile) ${s.stillborn}`,
    `Score: ${s.score.toFixed(1)}% (killed / (killed + live + timed out))`,
  ];
  if (s.liveMutants.length > 0) {
    lines.push("", "Live mutants (no test fails):");
    for (const m of s.liveMutants) {
      const replacement = m.replacement.trim() === "" ? "(deleted)" : m.replacement.trim();
      lines.push(`  ${m.hash} ${m.operator} line ${m.startLine}: ${m.original.trim()}  →  ${replacement}`);
    }
  }
  return lines.join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      contract: { type: "string", default: "contracts/ReserveVault.sol" },
      jobs: { type: "string", default: "2" },
      only: { type: "string" },
      resume: { type: "boolean", default: false },
      minimal: { type: "boolean", default: false },
      summarize: { type: "boolean" },
    },
  });
  const contract = values.contract ?? "contracts/ReserveVault.sol";
  const jobs = Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1)
    throw new Error(`--jobs must be a positive whole number (got ${values.jobs})`);
  if (!(await solidityFilesUnder("contracts")).includes(contract)) {
    throw new Error(`${contract} is not a contract under contracts/ (give its path, e.g. contracts/ReserveVault.sol)`);
  }

  if (!values.summarize) {
    forgeBinary(ROOT);
    const files = await projectFiles();
    const sandboxes = Array.from({ length: jobs }, (_, i) => path.join(SANDBOXES, `worker-${i}`));
    await Promise.all(sandboxes.map((dir) => prepareSandbox(dir, contract, files, values.minimal === true)));
    const { operators, mutants: generated } = await generateMutants(path.join(SANDBOXES, "worker-0"), contract);
    const only = values.only?.split(",").map((h) => h.trim());
    const unknown = only?.filter((h) => !generated.some((m) => m.hash === h)) ?? [];
    if (unknown.length > 0) throw new Error(`no mutant has the hash ${unknown.join(", ")} (see results.json)`);
    let previous: MutationResults | undefined;
    if (only !== undefined || values.resume === true) {
      if (!existsSync(RESULTS)) throw new Error(`${path.relative(ROOT, RESULTS)} is missing: nothing to add to`);
      previous = JSON.parse(await readFile(RESULTS, "utf8")) as MutationResults;
    }
    const done = new Set(previous?.results.map((r) => r.hash));
    const selected =
      only !== undefined
        ? generated.filter((m) => only.includes(m.hash))
        : values.resume === true
          ? generated.filter((m) => !done.has(m.hash))
          : generated;
    // In a seeded random order (by hash), so a run stopped early has tested a uniform sample.
    const mutants = selected.toSorted((a, b) => a.hash.localeCompare(b.hash));
    const source = await readFile(path.join(ROOT, contract), "utf8");

    // The unmutated contract must compile and pass in every sandbox (this also warms the build caches).
    await Promise.all(
      sandboxes.map(async (dir) => {
        if ((await run(dir, "forge", ["build", "--quiet"], TIMEOUT_SECONDS)) !== 0) {
          throw new Error(`${path.relative(ROOT, dir)}: the unmutated contracts do not compile with forge`);
        }
        const code = await run(dir, "sh", ["mutation-test.sh"], TIMEOUT_SECONDS);
        if (code !== 0) {
          const log = code === 20 ? "mocha.log" : "forge.log";
          throw new Error(`${path.relative(ROOT, dir)}: the tests fail on the unmutated contract (see ${log} there)`);
        }
      }),
    );
    console.error(`${mutants.length} mutants of ${contract}, ${jobs} workers`);

    const started = Date.now();
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT }).toString().trim();
    const dirty = execFileSync("git", ["status", "--porcelain"], { cwd: ROOT }).toString().trim() !== "";
    const tested = dirty ? `${head} + uncommitted changes` : head;
    const byHash = new Map((previous?.results ?? []).map((r) => [r.hash, r]));
    /** Rewrites results.json after every mutant, so an interrupted run keeps what it measured. */
    const save = async (count: number): Promise<void> => {
      const record: MutationResults = {
        contract,
        generated: generated.length,
        commit:
          previous === undefined
            ? tested
            : only !== undefined
              ? `${previous.commit}; ${count} mutant(s) re-tested at ${tested}: ${mutants.map((m) => m.hash).join(", ")}`
              : `${previous.commit}; ${count} more tested at ${tested}`,
        operators: values.minimal === true ? [...operators, "(minimal variants)"] : operators,
        settings: { fuzzRuns: FUZZ_RUNS, invariantRuns: INVARIANT_RUNS, mochaTests: MOCHA_TESTS },
        results: generated.map((m) => byHash.get(m.hash)).filter((r): r is MutantResult => r !== undefined),
      };
      await mkdir(REPORTS, { recursive: true });
      await writeFile(RESULTS, `${JSON.stringify(record, null, 2)}\n`);
    };

    let next = 0;
    let finished = 0;
    await Promise.all(
      sandboxes.map(async (dir) => {
        for (let m = mutants[next++]; m !== undefined; m = mutants[next++]) {
          const result = await testMutant(dir, contract, source, m);
          byHash.set(m.hash, result);
          await save(++finished);
          const by = result.killedBy === "" ? "" : ` by ${result.killedBy}`;
          console.error(
            `[${finished}/${mutants.length}] ${m.hash} ${m.operator} line ${m.startLine}: ${result.status}${by} (${result.seconds} s)`,
          );
        }
      }),
    );
    console.error(`mutation testing took ${Math.round((Date.now() - started) / 60_000)} min`);
  }

  const recorded = JSON.parse(await readFile(RESULTS, "utf8")) as MutationResults;
  const summary = summarizeResults(recorded);
  await writeFile(path.join(REPORTS, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(formatSummary(summary, recorded.operators, recorded.commit));
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main().catch((error: unknown) => {
    console.error(`mutation: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
