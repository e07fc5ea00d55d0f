#!/usr/bin/env node
// The npm `solc` (wasm) behind the command-line interface forge expects of a native solc, so
// `forge build`/`forge coverage` use the project's one pinned compiler and download nothing
// (foundry.toml: `solc = "scripts/forge/solc.cjs"`). Forge calls it two ways:
//   solc --version                      → "Version: <long version>" (forge parses the last line)
//   solc [options] --standard-json      → standard JSON in on stdin, out on stdout
// Path options (--base-path, --include-path, --allow-paths) only matter for imports that are not
// in the input; forge sends every source's content, and the import callback reads the rest from
// the base path or the include paths.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const solc = require("solc");

const args = process.argv.slice(2);
if (args.includes("--version")) {
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${solc.version()}\n`);
  process.exit(0);
}
if (!args.includes("--standard-json")) {
  process.stderr.write(`scripts/forge/solc.cjs only answers --version and --standard-json (got: ${args.join(" ")})\n`);
  process.exit(2);
}

function optionValues(name) {
  const values = [];
  args.forEach((arg, i) => {
    if (arg === name && i + 1 < args.length) values.push(...args[i + 1].split(","));
    else if (arg.startsWith(`${name}=`)) values.push(...arg.slice(name.length + 1).split(","));
  });
  return values;
}
const roots = [...optionValues("--base-path"), ...optionValues("--include-path"), process.cwd()];

function findImports(importPath) {
  for (const root of roots) {
    const candidate = path.resolve(root, importPath);
    if (fs.existsSync(candidate)) return { contents: fs.readFileSync(candidate, "utf8") };
  }
  return { error: `File not found: ${importPath} (looked in ${roots.join(", ")})` };
}

const input = fs.readFileSync(0, "utf8");
process.stdout.write(solc.compile(input, { import: findImports }));
