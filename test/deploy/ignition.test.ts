import { readFile } from "node:fs/promises";

import { expect } from "chai";
import { network } from "hardhat";

import ReserveVaultModule from "../../deploy/modules/ReserveVault.js";
import { GuardianModule__factory, ReserveVault__factory } from "../../types/ethers-contracts/index.js";
import {
  compareConfigs,
  describeConfig,
  ignitionParameters,
  initialConfig,
  loadVaultConfig,
  readDeployedConfig,
  type InitialConfig,
} from "../../scripts/lib/index.js";

const { ethers, ignition, networkHelpers } = await network.create();

const LOCAL_CONFIG = "deploy/configs/local.json";

async function deployFixture() {
  const config = await loadVaultConfig(LOCAL_CONFIG);
  const deployed = await ignition.deploy(ReserveVaultModule, { parameters: ignitionParameters(config) });
  const vault = ReserveVault__factory.connect(await deployed.vault.getAddress(), ethers.provider);
  const guardianModule = GuardianModule__factory.connect(await deployed.guardianModule.getAddress(), ethers.provider);
  return { config, vault, guardianModule, rules: await deployed.rules.getAddress() };
}

async function readParameters(network: string): Promise<unknown> {
  return JSON.parse(await readFile(`deploy/parameters/${network}.json`, "utf8"));
}

describe("deploy/modules/ReserveVault (Ignition)", function () {
  it("deploys a vault whose every field, read back from the chain, equals the configuration file", async function () {
    const { config, vault, guardianModule } = await networkHelpers.loadFixture(deployFixture);
    const actual = await readDeployedConfig(
      vault,
      guardianModule,
      config.outflowLimits.map((l) => l.asset),
    );
    const comparison = compareConfigs(config, actual);
    expect(comparison).to.have.length(19);
    expect(comparison.filter((c) => !c.matches)).to.deep.equal([]);
    expect(actual).to.deep.equal(config);
  });

  it("binds the three contracts: the vault's guardian module and rules are the ones deployed with it", async function () {
    const { vault, guardianModule, rules } = await networkHelpers.loadFixture(deployFixture);
    expect(await vault.GUARDIANS()).to.equal(await guardianModule.getAddress());
    expect(await guardianModule.VAULT()).to.equal(await vault.getAddress());
    expect((await vault.withdrawalPolicy()).rules).to.equal(rules);
  });

  it("deploy/parameters/{default,localhost}.json are what the deploy command derives from deploy/configs/local.json", async function () {
    const expected = ignitionParameters(await loadVaultConfig(LOCAL_CONFIG));
    // The JSON round trip is what the command writes: numbers for delays, decimal strings for limits.
    const written = JSON.parse(JSON.stringify(expected)) as unknown;
    expect(await readParameters("default")).to.deep.equal(written);
    expect(await readParameters("localhost")).to.deep.equal(written);
  });
});

describe("read-back comparison (scripts/lib/deployment.ts)", function () {
  const base: InitialConfig = initialConfig({
    signers: [
      "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
      "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
      "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
    ],
    threshold: 2,
    guardians: ["0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65", "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc"],
    guardianThreshold: 1,
    outflowLimits: [{ asset: ethers.ZeroAddress, limit: 10n ** 18n }],
  });

  it("names every field that differs, with the chain's value and the file's", function () {
    const onChain: InitialConfig = {
      ...base,
      threshold: 3,
      longDelay: base.longDelay + 1n,
      outflowLimits: [{ asset: ethers.ZeroAddress, limit: 2n * 10n ** 18n }],
    };
    const mismatches = compareConfigs(base, onChain).filter((c) => !c.matches);
    expect(mismatches.map((m) => m.field)).to.deep.equal([
      "threshold",
      "delays.longDelay",
      "policy.outflowLimits[ETH]",
    ]);
    expect(mismatches[0]).to.include({ expected: "2 of 3 signers", actual: "3 of 3 signers" });
    expect(mismatches[2]).to.include({
      expected: "1.0 ETH (1000000000000000000 wei)",
      actual: "2.0 ETH (2000000000000000000 wei)",
    });
  });

  it("a limit the chain does not report is a mismatch, not a silent pass", function () {
    const onChain: InitialConfig = { ...base, outflowLimits: [] };
    const mismatch = compareConfigs(base, onChain).find((c) => !c.matches);
    expect(mismatch).to.include({ field: "policy.outflowLimits[ETH]", actual: "(not reported)" });
  });

  it("describes the configuration in words: thresholds of totals, durations in days and hours", function () {
    const fields = new Map(describeConfig(base).map((f) => [f.field, f.value]));
    expect(fields.get("guardianThreshold")).to.equal("1 of 2 guardians");
    expect(fields.get("delays.withdrawalDelay")).to.equal("86400 s (1 day)");
    expect(fields.get("policy.allowlist")).to.equal("(none)");
  });
});
