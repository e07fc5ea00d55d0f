import { expect } from "chai";
import { network } from "hardhat";

import {
  ConfigAction,
  ETH,
  findFreeSlot,
  nextConfigChange,
  nextWithdrawal,
  OperationState,
  readOperation,
  readWithdrawal,
} from "../../scripts/lib/index.js";
import { DAY, makeVaultFixture, signConfigChange, signWithdrawal } from "../helpers/vault.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;
const deployVault = makeVaultFixture(ethers);

describe("ReserveVault › withdrawal lifecycle", function () {
  it("a 2-of-3 quorum's signed ETH withdrawal executes after the withdrawal delay", async function () {
    const ctx = await loadFixture(deployVault);
    const [relayer, recipient] = ctx.outsiders.slice(1);
    const w = await nextWithdrawal(ctx.vault, { asset: ETH, to: recipient!.address, amount: ethers.parseEther("1") });
    const signatures = await signWithdrawal(ctx, w, ctx.signers.slice(0, 2));
    const slot = await findFreeSlot(ctx.vault);
    const id = await ctx.vault.withdrawalId(w);

    const queuedAt = BigInt(await time.latest()) + 10n;
    await time.setNextBlockTimestamp(queuedAt);
    await expect(ctx.vault.connect(relayer).queueWithdrawal(w, slot, signatures))
      .to.emit(ctx.vault, "WithdrawalQueued")
      .withArgs(id, ETH, recipient!.address, w.amount, w.nonce, slot, queuedAt + DAY);
    expect((await readOperation(ctx.vault, id, slot)).state).to.equal(OperationState.Queued);

    await time.increaseTo(queuedAt + DAY);
    await expect(ctx.vault.connect(relayer).executeWithdrawal(w, slot)).to.changeEtherBalances(
      ethers,
      [ctx.vault, recipient!],
      [-w.amount, w.amount],
    );
    expect((await readOperation(ctx.vault, id, slot)).state).to.equal(OperationState.Executed);
  });
});

describe("scripts/lib › readWithdrawal", function () {
  it("reports a queued withdrawal of an older epoch as stale although operationState says Ready", async function () {
    const ctx = await loadFixture(deployVault);
    const quorum = ctx.signers.slice(0, 2);
    const w = await nextWithdrawal(ctx.vault, { asset: ETH, to: ctx.outsiders[1]!.address, amount: 1n });
    await ctx.vault.queueWithdrawal(w, 0n, await signWithdrawal(ctx, w, quorum));
    expect((await readWithdrawal(ctx.vault, w, 0n)).stale).to.equal(undefined);

    const c = await nextConfigChange(ctx.vault, { action: ConfigAction.SetThreshold, value: 1n });
    await ctx.vault.queueConfigChange(c, 1n, await signConfigChange(ctx, c, quorum));
    await time.increase(2n * DAY);
    await ctx.vault.executeConfigChange(c, 1n);

    const status = await readWithdrawal(ctx.vault, w, 0n);
    expect(status.state).to.equal(OperationState.Ready);
    expect(status.stale).to.equal("approved under epoch 1 but the vault is at epoch 2: it can never execute");
  });

  it("reports a proposal whose nonce another withdrawal used as stale", async function () {
    const ctx = await loadFixture(deployVault);
    const to = ctx.outsiders[1]!.address;
    const proposed = await nextWithdrawal(ctx.vault, { asset: ETH, to, amount: 1n });
    await ctx.vault.connect(ctx.signers[0]!).proposeWithdrawal(proposed);
    const other = { ...proposed, amount: 2n };
    await ctx.vault.queueWithdrawal(other, 0n, await signWithdrawal(ctx, other, ctx.signers.slice(0, 2)));

    const status = await readWithdrawal(ctx.vault, proposed, 1n);
    expect(status.state).to.equal(OperationState.Unknown);
    expect(status.stale).to.equal("nonce 0 of this asset is used (next is 1): queued in another slot, or superseded");
  });
});
