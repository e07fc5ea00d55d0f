/**
 * `npm run coverage`: `hardhat test --coverage` over every in-process test, into a fresh coverage/
 * (lcov.info, html/, data/<runner>/, which scripts/audit/coverage-gate.ts reads).
 *
 * - coverage/ is removed first: each runner rewrites only its own coverage/data/<runner>, so a
 *   leftover directory of an earlier run would mix into the gate's statement figures.
 * - test/tasks/** is left out. Those tests run the CLI (`hardhat vault …`) in child processes
 *   against `hardhat node`s they start: what the contracts execute there is never recorded
 *   (coverage is collected only in this process's in-process network), so they add nothing to
 *   contract coverage and only cost minutes. They pass under --coverage; `npm test` runs them.
 * - Every other mocha file under test/ (as `hardhat test` would pick them) and every *.t.sol under test/
 *   (fuzz, invariant, gas) is passed explicitly, so one invocation covers both runners and prints
 *   Hardhat's combined report.
 *
 * Prints the wall-clock time of the run on stderr; exits with hardhat's exit code.
 * Usage: node --import tsx scripts/audit/coverage.ts
 */
import { spawn } from "node:child_process";
import { readdir, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

const ROOT = process.cwd();
const TESTS = "test";
/** In-process coverage cannot see what child processes execute (see above). */
const EXCLUDED = [`${TESTS}/tasks/`];

async function testFiles(): Promise<string[]> {
  const entries = await readdir(path.join(ROOT, TESTS), { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
    .filter((f) => !EXCLUDED.some((prefix) => f.startsWith(prefix)));
  const mocha = files.filter((f) => /\.(ts|js|mjs|cjs)$/.test(f) && !f.endsWith(".d.ts"));
  const solidity = files.filter((f) => f.endsWith(".t.sol"));
  return [...mocha, ...solidity].sort();
}

async function main(): Promise<void> {
  const files = await testFiles();
  await rm(path.join(ROOT, "coverage"), { recursive: true, force: true });
  const cli = path.join(path.dirname(createRequire(import.meta.url).resolve("hardhat")), "cli.js");
  const started = Date.now();
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [cli, "test", "--coverage", ...files], { stdio: "inherit" });
    child.on("error", reject);
    child.on("close", resolve);
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  console.error(
    `coverage: ${files.length} test files (${EXCLUDED.join(", ")} left out) in ${Math.floor(seconds / 60)} min ${seconds % 60} s; exit code ${code}`,
  );
  process.exitCode = code ?? 1;
}

await main();
