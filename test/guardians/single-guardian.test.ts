/**
 * A single guardian (G = K = 1) could once block every withdrawal for good: its veto requirement
 * min(G, 1 + level) is always 1, it can veto the configuration changes that would replace it, and
 * with a council threshold of N + G the signers could not convene the council without it. The
 * council bound C <= N + G - max(M, K) closes this: the keys outside any quorum (here, all
 * signers) can always form the council, so a rogue single guardian blocks for at most the council
 * delay.
 */
import { expect } from "chai";
import { network } from "hardhat";

import {
  ConfigAction,
  councilChangeTypedData,
  DEFAULT_TIMINGS,
  deployReserveVault,
  ETH,
  findFreeSlot,
  initialConfig,
  nextConfigChange,
  nextWithdrawal,
  type CouncilChange,
} from "../../scripts/lib/index.js";
import { HOUR, makeVaultFixture, signAll, signWithdrawal } from "../helpers/vault.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;

/** 2-of-5 signers and one guardian (K = 1): C = 4, which the five signers reach without it. */
const deploySingleGuardian = makeVaultFixture(ethers, {
  ...DEFAULT_TIMINGS,
  signerCount: 5,
  threshold: 2,
  guardianCount: 1,
  guardianThreshold: 1,
});

describe("GuardianModule › a single guardian", function () {
  it("nobody can deploy a vault whose council needs its only guardian (C <= N + G - max(M, K))", async function () {
    const accounts = (await ethers.getSigners()).map((a) => a.address);
    // 2-of-3 signers and one guardian: a strict majority of 4 keys is 3, but the keys outside the
    // signer quorum are only 2. No council threshold is valid, so the configuration is rejected.
    const config = initialConfig({
      signers: accounts.slice(1, 4),
      threshold: 2,
      guardians: accounts.slice(4, 5),
      guardianThreshold: 1,
      councilThreshold: 4,
    });
    const factory = await ethers.getContractFactory("ReserveVault");
    await expect(deployReserveVault(ethers, config))
      .to.be.revertedWithCustomError(factory, "CouncilThresholdOutOfRange")
      .withArgs(4, 3, 2);
  });

  it("the signers cannot remove the only guardian (GuardianCountOutOfRange)", async function () {
    const ctx = await loadFixture(deploySingleGuardian);
    const [only] = ctx.guardians;
    const c = await nextConfigChange(ctx.vault, {
      action: ConfigAction.RemoveGuardian,
      account: only!.address,
      value: 1n,
    });
    await expect(ctx.vault.connect(ctx.signers[0]!).proposeConfigChange(c))
      .to.be.revertedWithCustomError(ctx.vault, "GuardianCountOutOfRange")
      .withArgs(0n, 32n);
    expect(await ctx.guardianModule.guardians()).to.deep.equal([only!.address]);
  });

  it("a rogue single guardian who vetoes everything is replaced by the signers' council within councilDelay", async function () {
    const ctx = await loadFixture(deploySingleGuardian);
    const [rogue] = ctx.guardians;
    const [alice, bob] = ctx.signers;
    const hotWallet = ctx.outsiders[1]!;
    expect((await ctx.guardianModule.guardianCounts()).councilThreshold).to.equal(4n);

    // The rogue vetoes the first withdrawal, and keeps vetoing: with G = 1 it always can.
    const start = BigInt(await time.latest());
    const w = await nextWithdrawal(ctx.vault, { asset: ETH, to: hotWallet.address, amount: ethers.parseEther("1") });
    await ctx.vault.queueWithdrawal(w, 0n, await signWithdrawal(ctx, w, [alice!, bob!]));
    await ctx.guardianModule.connect(rogue!).veto(await ctx.vault.withdrawalId(w), 0n, "0x");
    expect((await ctx.guardianModule.vetoRequirement()).required).to.equal(1n);

    // Four of the five signers form the council and replace the guardian; nobody can stop it.
    const replacement = ctx.outsiders[2]!.address;
    const change: CouncilChange = {
      signers: [],
      threshold: 0n,
      guardians: [replacement],
      guardianThreshold: 1n,
      councilThreshold: 4n,
      nonce: 0,
    };
    const councilSignatures = await signAll(
      councilChangeTypedData(ctx.guardianDomain, change),
      ctx.signers.slice(0, 4),
    );
    await ctx.guardianModule.queueCouncilChange(change, councilSignatures);
    await time.increase(DEFAULT_TIMINGS.councilDelay);
    await ctx.guardianModule.executeCouncilChange(change);
    expect(await ctx.guardianModule.guardians()).to.deep.equal([replacement]);

    // The withdrawal, queued again, executes after the normal delay.
    const again = await nextWithdrawal(ctx.vault, { asset: ETH, to: hotWallet.address, amount: w.amount });
    const slot = await findFreeSlot(ctx.vault);
    await ctx.vault.queueWithdrawal(again, slot, await signWithdrawal(ctx, again, [alice!, bob!]));
    await time.increase(DEFAULT_TIMINGS.withdrawalDelay);
    await expect(ctx.vault.executeWithdrawal(again, slot)).to.changeEtherBalance(ethers, hotWallet, w.amount);

    const blocked = BigInt(await time.latest()) - start;
    expect(blocked <= DEFAULT_TIMINGS.councilDelay + DEFAULT_TIMINGS.withdrawalDelay + HOUR).to.equal(true);
  });
});
