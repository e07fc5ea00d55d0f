import { expect } from "chai";
import { network } from "hardhat";

import { ETH, findFreeSlot, nextWithdrawal, OperationState, readOperation } from "../../scripts/lib/index.js";
import { DAY, makeVaultFixture, signWithdrawal } from "../helpers/vault.js";

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
