// Prints, as JSON, the mutants SuMo's operators generate for one contract: the same set
// `sumo test` would test (every operator enabled in SuMo's operators.config.json — its "extended"
// operators by default). Only SuMo's generator is used: its runner cannot start in this project
// (it requires `glob`'s callback API without declaring the dependency, and the hoisted glob 10
// has none), so scripts/audit/mutation.ts compiles and tests the mutants itself.
// SuMo reads sumo-config from the directory in APP_ROOT_PATH (scripts/audit/mutation.ts writes it).
// Usage: APP_ROOT_PATH=<sandbox> node scripts/audit/sumo-mutants.cjs <contract.sol>
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const sumo = path.dirname(require.resolve("@morenabarboni/sumo/package.json"));
const parser = require(require.resolve("@solidity-parser/parser", { paths: [sumo] }));
const generator = require(path.join(sumo, "src", "operators", "mutationGenerator"));
const enabled = require(path.join(sumo, "src", "operators.config.json"));

const operators = Object.entries(generator)
  .filter(([name]) => name.endsWith("Operator") && name !== "CompositeOperator")
  .map(([, Operator]) => new Operator());
const composite = new generator.CompositeOperator(operators);

const file = path.resolve(process.argv[2]);
const source = fs.readFileSync(file, "utf8");
const ast = parser.parse(source, { range: true, loc: true });
const mutants = composite.getMutations(file, source, parser.visit.bind(parser, ast), false).map((m) => ({
  hash: m.hash(),
  operator: m.operator,
  start: m.start,
  end: m.end,
  startLine: m.startLine,
  endLine: m.endLine,
  original: source.slice(m.start, m.end),
  replacement: m.replace,
}));
const operatorsUsed = Object.keys(enabled).filter((id) => enabled[id] === true);
process.stdout.write(`${JSON.stringify({ operators: operatorsUsed, mutants })}\n`);
