/** `npx hardhat vault analyze <config file>` as a user runs it: offline, a table and the weakest points. */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { analyze, loadVaultConfig } from "../../scripts/lib/index.js";
import { runHardhat } from "../helpers/cli.js";

describe("vault analyze (scripts/tasks/analyze.ts)", function () {
  this.timeout(60_000);

  it("prints the table of every lost/stolen combination and the weakest points of deploy/configs/local.json", async function () {
    const result = await runHardhat(["vault", "analyze", "deploy/configs/local.json"]);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.contain("2-of-3 signers, 2-of-3 guardians, council 4 of 6");
    expect(result.stdout).to.match(/^\s+0\/0\s+·\s+d\s+d\s+d/m); // no signer lost: unaffected, then rogue guardians delay
    expect(result.stdout).to.contain("100 combinations: ");
    expect(result.stdout).to.contain("- losing any 2 signers and 2 guardians freezes the vault for good");
  });

  it("--json prints one document whose cells are the library's analysis", async function () {
    const result = await runHardhat(["vault", "analyze", "deploy/configs/production.example.json", "--json"]);
    expect(result.code, result.stderr).to.equal(0);
    const doc = JSON.parse(result.stdout) as {
      cells: { verdict: { outcome: string } }[];
      counts: Record<string, number>;
    };
    const config = await loadVaultConfig("deploy/configs/production.example.json");
    const expected = analyze(
      { signers: 5, threshold: 3, guardians: 3, guardianThreshold: 2, councilThreshold: config.councilThreshold },
      config,
    );
    expect(doc.cells.map((c) => c.verdict.outcome)).to.deep.equal(expected.map((c) => c.verdict.outcome));
    expect(Object.values(doc.counts).reduce((a, b) => a + b, 0)).to.equal(expected.length);
  });

  it("an invalid configuration file is refused with the field, the value and the rule", async function () {
    const dir = await mkdtemp(path.join(tmpdir(), "vault-analyze-"));
    try {
      const json = JSON.parse(await readFile("deploy/configs/local.json", "utf8")) as Record<string, unknown>;
      const bad = path.join(dir, "bad.json");
      await writeFile(bad, JSON.stringify({ ...json, guardianThreshold: 0 }));
      const result = await runHardhat(["vault", "analyze", bad]);
      expect(result.code).to.equal(1);
      expect(result.stderr).to.contain("guardianThreshold: 0 —");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
