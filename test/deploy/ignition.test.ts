import { readFile } from "node:fs/promises";

import { expect } from "chai";
import { network } from "hardhat";

import ReserveVaultModule from "../../deploy/modules/ReserveVault.js";
import { ReserveVault__factory } from "../../types/ethers-contracts/index.js";
import { readConfiguration, readPolicy } from "../../scripts/lib/index.js";
import { compareAddresses } from "../../scripts/lib/signatures.js";

const { ethers, ignition } = await network.create();

describe("deploy/modules/ReserveVault", function () {
  it("deploys a vault whose on-chain configuration equals the local parameters file", async function () {
    const file = JSON.parse(await readFile("deploy/parameters/hardhat.json", "utf8")) as {
      ReserveVault: {
        signers: string[];
        threshold: number;
        guardians: string[];
        withdrawalDelay: number;
        configDelay: number;
        executionWindow: number;
        outflowPeriod: number;
        outflowLimits: { asset: string; limit: string }[];
        allowlist: string[];
        allowlistEnabled: boolean;
      };
    };
    const { vault: deployed } = await ignition.deploy(ReserveVaultModule, { parameters: file });
    const vault = ReserveVault__factory.connect(await deployed.getAddress(), ethers.provider);
    const expected = file.ReserveVault;
    const config = await readConfiguration(vault);

    expect(config.signers).to.deep.equal([...expected.signers].sort(compareAddresses));
    expect(config.threshold).to.equal(expected.threshold);
    expect(config.withdrawalDelay).to.equal(BigInt(expected.withdrawalDelay));
    expect(config.configDelay).to.equal(BigInt(expected.configDelay));
    expect(config.executionWindow).to.equal(BigInt(expected.executionWindow));
    expect(config.epoch).to.equal(1);
    const policy = await readPolicy(
      vault,
      expected.outflowLimits.map((l) => l.asset),
    );
    expect(policy.outflowPeriod).to.equal(BigInt(expected.outflowPeriod));
    expect(policy.allowlistEnabled).to.equal(expected.allowlistEnabled);
    expect(policy.allowlist).to.deep.equal([...expected.allowlist].sort(compareAddresses));
    for (const l of expected.outflowLimits) expect(policy.outflow.get(l.asset)!.limit).to.equal(BigInt(l.limit));
    const guardians = await ethers.getContractAt("GuardianModule", await vault.GUARDIANS());
    expect(await guardians.guardians()).to.deep.equal([...expected.guardians].sort(compareAddresses));
  });
});
