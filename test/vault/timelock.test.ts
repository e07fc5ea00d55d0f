import { expect } from "chai";
import { ZeroHash } from "ethers";
import { network } from "hardhat";

import {
  cancellationTypedData,
  ConfigAction,
  digest,
  ETH,
  nextConfigChange,
  nextWithdrawal,
  OperationState,
  prefixOf,
  type Withdrawal,
} from "../../scripts/lib/index.js";
import {
  HOUR,
  makeVaultFixture,
  pinNextTimestamp,
  queueSignedWithdrawal,
  roles,
  signCancellation,
  signWithdrawal,
  withdrawalId,
  type QueuedWithdrawal,
  type VaultContext,
} from "../helpers/vault.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;

/** Delay and window differ from each other and from the defaults, so a boundary can't be hit by accident. */
const WITHDRAWAL_DELAY = 2n * HOUR;
const EXECUTION_WINDOW = 5n * HOUR;

/** 2-of-3. */
const deployVault = makeVaultFixture(ethers, {
  withdrawalDelay: WITHDRAWAL_DELAY,
  configDelay: 3n * HOUR,
  executionWindow: EXECUTION_WINDOW,
});

/** The vault of `deployVault` with one ETH withdrawal queued by alice's and bob's signatures in slot 0. */
async function deployVaultWithQueuedWithdrawal() {
  const ctx = await deployVault();
  const q = await queueSignedWithdrawal(ctx, { asset: ETH, to: roles(ctx).recipient.address, amount: ONE_ETH }, 0n);
  return { ctx, q, deadline: q.eta + EXECUTION_WINDOW };
}

/** The vault of `deployVault` with one ETH withdrawal proposed by alice (pending, one approval). */
async function deployVaultWithProposal() {
  const ctx = await deployVault();
  const w = await ethWithdrawal(ctx);
  await ctx.vault.connect(roles(ctx).alice).proposeWithdrawal(w);
  return { ctx, w, id: withdrawalId(ctx, w) };
}

const ONE_ETH = ethers.parseEther("1");

async function ethWithdrawal(ctx: VaultContext): Promise<Withdrawal> {
  return nextWithdrawal(ctx.vault, { asset: ETH, to: roles(ctx).recipient.address, amount: ONE_ETH });
}

/** Id of the cancellation of `operation` in `epoch` (default: the fixture's epoch 1). */
function cancellationId(ctx: VaultContext, operation: string, epoch = 1): string {
  return digest(cancellationTypedData(ctx.domain, operation, epoch));
}

/** Alice's and bob's signatures over the cancellation of `operation`. */
function quorumCancellation(ctx: VaultContext, operation: string): Promise<string> {
  const { alice, bob } = roles(ctx);
  return signCancellation(ctx, operation, 1, [alice, bob]);
}

/** A second ETH withdrawal (next nonce) signed by alice and bob, for queueing into a reused slot. */
async function nextSignedWithdrawal(ctx: VaultContext): Promise<{ w: Withdrawal; signatures: string }> {
  const w = await ethWithdrawal(ctx);
  return { w, signatures: await signWithdrawal(ctx, w, [roles(ctx).alice, roles(ctx).bob]) };
}

async function state(ctx: VaultContext, q: Pick<QueuedWithdrawal, "id" | "slot">): Promise<OperationState> {
  return Number(await ctx.vault.operationState(q.id, q.slot)) as OperationState;
}

describe("ReserveVault", function () {
  describe("executeWithdrawal timing", function () {
    it("a relayer cannot execute a withdrawal one second before its eta", async function () {
      const { ctx, q } = await loadFixture(deployVaultWithQueuedWithdrawal);
      await time.setNextBlockTimestamp(q.eta - 1n);
      await expect(ctx.vault.connect(roles(ctx).relayer).executeWithdrawal(q.w, q.slot))
        .to.be.revertedWithCustomError(ctx.vault, "OperationNotReady")
        .withArgs(q.id, q.eta, q.eta - 1n);
    });

    it("a relayer executes a withdrawal at its eta", async function () {
      const { ctx, q } = await loadFixture(deployVaultWithQueuedWithdrawal);
      await time.setNextBlockTimestamp(q.eta);
      await expect(ctx.vault.connect(roles(ctx).relayer).executeWithdrawal(q.w, q.slot))
        .to.emit(ctx.vault, "WithdrawalExecuted")
        .withArgs(q.id);
    });

    it("a relayer executes a withdrawal at the last second of its execution window", async function () {
      const { ctx, q, deadline } = await loadFixture(deployVaultWithQueuedWithdrawal);
      await time.setNextBlockTimestamp(deadline);
      await expect(ctx.vault.connect(roles(ctx).relayer).executeWithdrawal(q.w, q.slot))
        .to.emit(ctx.vault, "WithdrawalExecuted")
        .withArgs(q.id);
    });

    it("a relayer cannot execute a withdrawal one second after its execution window", async function () {
      const { ctx, q, deadline } = await loadFixture(deployVaultWithQueuedWithdrawal);
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(ctx.vault.connect(roles(ctx).relayer).executeWithdrawal(q.w, q.slot))
        .to.be.revertedWithCustomError(ctx.vault, "OperationExpired")
        .withArgs(q.id, deadline, deadline + 1n);
    });
  });

  describe("operationState", function () {
    it("an operation never submitted is Unknown", async function () {
      const ctx = await loadFixture(deployVault);
      const w = await ethWithdrawal(ctx);
      expect(await state(ctx, { id: withdrawalId(ctx, w), slot: 0n })).to.equal(OperationState.Unknown);
    });

    it("a proposed withdrawal is Pending", async function () {
      const { ctx, id } = await loadFixture(deployVaultWithProposal);
      expect(await state(ctx, { id, slot: 0n })).to.equal(OperationState.Pending);
    });

    it("a queued withdrawal is Queued until one second before its eta", async function () {
      const { ctx, q } = await loadFixture(deployVaultWithQueuedWithdrawal);
      await time.increaseTo(q.eta - 1n);
      expect(await state(ctx, q)).to.equal(OperationState.Queued);
    });

    it("a queued withdrawal is Ready at its eta", async function () {
      const { ctx, q } = await loadFixture(deployVaultWithQueuedWithdrawal);
      await time.increaseTo(q.eta);
      expect(await state(ctx, q)).to.equal(OperationState.Ready);
    });

    it("a queued withdrawal is still Ready at the last second of its execution window", async function () {
      const { ctx, q, deadline } = await loadFixture(deployVaultWithQueuedWithdrawal);
      await time.increaseTo(deadline);
      expect(await state(ctx, q)).to.equal(OperationState.Ready);
    });

    it("a queued withdrawal is Expired one second after its execution window", async function () {
      const { ctx, q, deadline } = await loadFixture(deployVaultWithQueuedWithdrawal);
      await time.increaseTo(deadline + 1n);
      expect(await state(ctx, q)).to.equal(OperationState.Expired);
    });

    it("an executed withdrawal is Executed", async function () {
      const { ctx, q } = await loadFixture(deployVaultWithQueuedWithdrawal);
      await time.increaseTo(q.eta);
      await ctx.vault.connect(roles(ctx).relayer).executeWithdrawal(q.w, q.slot);
      expect(await state(ctx, q)).to.equal(OperationState.Executed);
    });

    it("a queued withdrawal cancelled by the quorum is Cancelled", async function () {
      const { ctx, q } = await loadFixture(deployVaultWithQueuedWithdrawal);
      await ctx.vault.connect(roles(ctx).relayer).cancel(q.id, q.slot, await quorumCancellation(ctx, q.id));
      expect(await state(ctx, q)).to.equal(OperationState.Cancelled);
    });

    it("a revoked proposal is Revoked, not Cancelled", async function () {
      const { ctx, id } = await loadFixture(deployVaultWithProposal);
      await ctx.vault.connect(roles(ctx).alice).revokeProposal(id);
      expect(await state(ctx, { id, slot: 0n })).to.equal(OperationState.Revoked);
    });

    it("a proposal whose operation was queued by signatures alone no longer reads Pending elsewhere", async function () {
      const { ctx, w, id } = await loadFixture(deployVaultWithProposal);
      await ctx.vault.queueWithdrawal(w, 3n, await signWithdrawal(ctx, w, [roles(ctx).alice, roles(ctx).bob]));
      expect(await state(ctx, { id, slot: 3n })).to.equal(OperationState.Queued);
      expect(await state(ctx, { id, slot: 0n })).to.equal(OperationState.Unknown);
    });

    it("a queued withdrawal reads Unknown through a slot that does not hold it", async function () {
      const { ctx, q } = await loadFixture(deployVaultWithQueuedWithdrawal);
      expect(await state(ctx, { id: q.id, slot: q.slot + 1n })).to.equal(OperationState.Unknown);
    });
  });

  describe("queueSlot", function () {
    it("an unused slot is free and holds no eta", async function () {
      const ctx = await loadFixture(deployVault);
      const { idPrefix, eta, free } = await ctx.vault.queueSlot(7n);
      expect([idPrefix, eta, free]).to.deep.equal([ZeroHash, 0n, true]);
    });

    it("a slot holding a queued withdrawal reports its id prefix and eta and is not free", async function () {
      const { ctx, q } = await loadFixture(deployVaultWithQueuedWithdrawal);
      const { idPrefix, eta, free } = await ctx.vault.queueSlot(q.slot);
      expect([idPrefix, eta, free]).to.deep.equal([prefixOf(q.id), q.eta, false]);
    });

    it("a slot is not free at the last second of its withdrawal's execution window", async function () {
      const { ctx, q, deadline } = await loadFixture(deployVaultWithQueuedWithdrawal);
      await time.increaseTo(deadline);
      expect((await ctx.vault.queueSlot(q.slot)).free).to.equal(false);
    });

    it("a slot is free one second after its withdrawal's window and still reports the stale eta", async function () {
      const { ctx, q, deadline } = await loadFixture(deployVaultWithQueuedWithdrawal);
      await time.increaseTo(deadline + 1n);
      const { idPrefix, eta, free } = await ctx.vault.queueSlot(q.slot);
      expect([idPrefix, eta, free]).to.deep.equal([prefixOf(q.id), q.eta, true]);
    });

    it("a slot whose withdrawal executed is free and holds no eta", async function () {
      const { ctx, q } = await loadFixture(deployVaultWithQueuedWithdrawal);
      await time.increaseTo(q.eta);
      await ctx.vault.connect(roles(ctx).relayer).executeWithdrawal(q.w, q.slot);
      const { idPrefix, eta, free } = await ctx.vault.queueSlot(q.slot);
      expect([idPrefix, eta, free]).to.deep.equal([prefixOf(q.id), 0n, true]);
    });

    it("a slot whose withdrawal was cancelled is free and holds no eta", async function () {
      const { ctx, q } = await loadFixture(deployVaultWithQueuedWithdrawal);
      await ctx.vault.connect(roles(ctx).relayer).cancel(q.id, q.slot, await quorumCancellation(ctx, q.id));
      const { idPrefix, eta, free } = await ctx.vault.queueSlot(q.slot);
      expect([idPrefix, eta, free]).to.deep.equal([prefixOf(q.id), 0n, true]);
    });

    it("a relayer cannot queue into a slot at the last second of its occupant's execution window", async function () {
      const { ctx, q, deadline } = await loadFixture(deployVaultWithQueuedWithdrawal);
      const { w, signatures } = await nextSignedWithdrawal(ctx);
      await time.setNextBlockTimestamp(deadline);
      await expect(ctx.vault.connect(roles(ctx).relayer).queueWithdrawal(w, q.slot, signatures))
        .to.be.revertedWithCustomError(ctx.vault, "QueueSlotOccupied")
        .withArgs(q.slot);
    });

    it("a relayer queues into a slot one second after its occupant's execution window", async function () {
      const { ctx, q, deadline } = await loadFixture(deployVaultWithQueuedWithdrawal);
      const { w, signatures } = await nextSignedWithdrawal(ctx);
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(ctx.vault.connect(roles(ctx).relayer).queueWithdrawal(w, q.slot, signatures))
        .to.emit(ctx.vault, "WithdrawalQueued")
        .withArgs(withdrawalId(ctx, w), ETH, w.to, ONE_ETH, 1, q.slot, deadline + 1n + WITHDRAWAL_DELAY);
    });
  });

  describe("revokeProposal", function () {
    it("the proposer revokes their own pending proposal", async function () {
      const { ctx, id } = await loadFixture(deployVaultWithProposal);
      const { alice } = roles(ctx);
      await expect(ctx.vault.connect(alice).revokeProposal(id))
        .to.emit(ctx.vault, "ProposalRevoked")
        .withArgs(id, alice.address);
    });

    it("another signer cannot revoke a signer's proposal", async function () {
      const { ctx, id } = await loadFixture(deployVaultWithProposal);
      const { alice, bob } = roles(ctx);
      await expect(ctx.vault.connect(bob).revokeProposal(id))
        .to.be.revertedWithCustomError(ctx.vault, "CallerNotProposer")
        .withArgs(bob.address, alice.address);
    });

    it("an outsider cannot revoke a signer's proposal", async function () {
      const { ctx, id } = await loadFixture(deployVaultWithProposal);
      const { alice, stranger } = roles(ctx);
      await expect(ctx.vault.connect(stranger).revokeProposal(id))
        .to.be.revertedWithCustomError(ctx.vault, "CallerNotProposer")
        .withArgs(stranger.address, alice.address);
    });

    it("the proposer cannot revoke a proposal twice", async function () {
      const { ctx, id } = await loadFixture(deployVaultWithProposal);
      const { alice } = roles(ctx);
      await ctx.vault.connect(alice).revokeProposal(id);
      await expect(ctx.vault.connect(alice).revokeProposal(id))
        .to.be.revertedWithCustomError(ctx.vault, "ProposalNotPending")
        .withArgs(id);
    });

    it("the proposer cannot revoke a proposal the approvals queued", async function () {
      const { ctx, w, id } = await loadFixture(deployVaultWithProposal);
      const { alice, bob } = roles(ctx);
      await ctx.vault.connect(bob).approveWithdrawal(w, 0n);
      await expect(ctx.vault.connect(alice).revokeProposal(id))
        .to.be.revertedWithCustomError(ctx.vault, "ProposalNotPending")
        .withArgs(id);
    });

    it("the proposer cannot revoke a proposal the quorum cancelled", async function () {
      const { ctx, id } = await loadFixture(deployVaultWithProposal);
      const { alice, relayer } = roles(ctx);
      await ctx.vault.connect(relayer).cancel(id, 0n, await quorumCancellation(ctx, id));
      await expect(ctx.vault.connect(alice).revokeProposal(id))
        .to.be.revertedWithCustomError(ctx.vault, "ProposalNotPending")
        .withArgs(id);
    });

    it("a signer cannot revoke an id that was never proposed", async function () {
      const ctx = await loadFixture(deployVault);
      const id = withdrawalId(ctx, await ethWithdrawal(ctx));
      await expect(ctx.vault.connect(roles(ctx).alice).revokeProposal(id))
        .to.be.revertedWithCustomError(ctx.vault, "ProposalNotPending")
        .withArgs(id);
    });
  });

  describe("cancel", function () {
    it("an outsider relays a quorum's signatures that cancel a queued withdrawal", async function () {
      const { ctx, q } = await loadFixture(deployVaultWithQueuedWithdrawal);
      await expect(ctx.vault.connect(roles(ctx).relayer).cancel(q.id, q.slot, await quorumCancellation(ctx, q.id)))
        .to.emit(ctx.vault, "OperationCancelled")
        .withArgs(q.id, q.slot);
    });

    it("a quorum's signatures cancel a withdrawal that is already ready", async function () {
      const { ctx, q } = await loadFixture(deployVaultWithQueuedWithdrawal);
      await time.increaseTo(q.eta);
      await expect(ctx.vault.connect(roles(ctx).relayer).cancel(q.id, q.slot, await quorumCancellation(ctx, q.id)))
        .to.emit(ctx.vault, "OperationCancelled")
        .withArgs(q.id, q.slot);
    });

    it("one on-chain cancellation approval and one signature cancel a queued withdrawal", async function () {
      const { ctx, q } = await loadFixture(deployVaultWithQueuedWithdrawal);
      const { alice, bob, relayer } = roles(ctx);
      await ctx.vault.connect(alice).approveCancellation(q.id, q.slot);
      await expect(ctx.vault.connect(relayer).cancel(q.id, q.slot, await signCancellation(ctx, q.id, 1, [bob])))
        .to.emit(ctx.vault, "OperationCancelled")
        .withArgs(q.id, q.slot);
      expect(await state(ctx, q)).to.equal(OperationState.Cancelled);
    });

    it("a quorum's signatures cancel a pending proposal", async function () {
      const { ctx, id } = await loadFixture(deployVaultWithProposal);
      await expect(ctx.vault.connect(roles(ctx).relayer).cancel(id, 0n, await quorumCancellation(ctx, id)))
        .to.emit(ctx.vault, "OperationCancelled")
        .withArgs(id, 0n);
      expect(await state(ctx, { id, slot: 0n })).to.equal(OperationState.Cancelled);
    });

    it("a signer cannot approve a withdrawal whose proposal the quorum cancelled: its nonce is consumed", async function () {
      const { ctx, w, id } = await loadFixture(deployVaultWithProposal);
      await ctx.vault.connect(roles(ctx).relayer).cancel(id, 0n, await quorumCancellation(ctx, id));
      expect(await ctx.vault.withdrawalNonce(ETH)).to.equal(w.nonce + 1);
      await expect(ctx.vault.connect(roles(ctx).bob).approveWithdrawal(w, 0n))
        .to.be.revertedWithCustomError(ctx.vault, "NonceMismatch")
        .withArgs(w.nonce, w.nonce + 1);
    });

    it("a relayer cannot queue, with signatures collected earlier, a withdrawal whose proposal the quorum cancelled", async function () {
      const { ctx, w, id } = await loadFixture(deployVaultWithProposal);
      const { alice, bob, relayer } = roles(ctx);
      const signatures = await signWithdrawal(ctx, w, [alice, bob]);
      await ctx.vault.connect(relayer).cancel(id, 0n, await quorumCancellation(ctx, id));
      expect(await state(ctx, { id, slot: 0n })).to.equal(OperationState.Cancelled);

      await expect(ctx.vault.connect(relayer).queueWithdrawal(w, 0n, signatures))
        .to.be.revertedWithCustomError(ctx.vault, "NonceMismatch")
        .withArgs(w.nonce, w.nonce + 1);
    });

    it("the quorum cannot cancel a pending proposal for a later nonce than the next one", async function () {
      const ctx = await loadFixture(deployVault);
      const later = { ...(await ethWithdrawal(ctx)), nonce: 1 };
      await ctx.vault.connect(roles(ctx).alice).proposeWithdrawal(later);
      const id = withdrawalId(ctx, later);

      await expect(ctx.vault.connect(roles(ctx).relayer).cancel(id, 0n, await quorumCancellation(ctx, id)))
        .to.be.revertedWithCustomError(ctx.vault, "NonceNotNext")
        .withArgs(1, 0);
    });

    it("the quorum cannot cancel through the wrong slot a proposal already queued by signatures alone", async function () {
      const { ctx, w, id } = await loadFixture(deployVaultWithProposal);
      const { alice, bob, relayer } = roles(ctx);
      await ctx.vault.connect(relayer).queueWithdrawal(w, 3n, await signWithdrawal(ctx, w, [alice, bob]));

      await expect(ctx.vault.connect(relayer).cancel(id, 0n, await quorumCancellation(ctx, id)))
        .to.be.revertedWithCustomError(ctx.vault, "NothingToCancel")
        .withArgs(id, 0n);
      expect(await state(ctx, { id, slot: 3n })).to.equal(OperationState.Queued);
    });

    it("a relayer cannot cancel with one signature short of the threshold", async function () {
      const { ctx, q } = await loadFixture(deployVaultWithQueuedWithdrawal);
      const signatures = await signCancellation(ctx, q.id, 1, [roles(ctx).alice]);
      await expect(ctx.vault.connect(roles(ctx).relayer).cancel(q.id, q.slot, signatures))
        .to.be.revertedWithCustomError(ctx.vault, "ThresholdNotMet")
        .withArgs(2, 1);
    });

    it("a relayer cannot cancel an id that was never proposed or queued", async function () {
      const ctx = await loadFixture(deployVault);
      const id = withdrawalId(ctx, await ethWithdrawal(ctx));
      await expect(ctx.vault.connect(roles(ctx).relayer).cancel(id, 0n, await quorumCancellation(ctx, id)))
        .to.be.revertedWithCustomError(ctx.vault, "NothingToCancel")
        .withArgs(id, 0n);
    });

    it("a relayer cannot cancel a queued withdrawal through a slot that does not hold it", async function () {
      const { ctx, q } = await loadFixture(deployVaultWithQueuedWithdrawal);
      await expect(ctx.vault.connect(roles(ctx).relayer).cancel(q.id, q.slot + 1n, await quorumCancellation(ctx, q.id)))
        .to.be.revertedWithCustomError(ctx.vault, "NothingToCancel")
        .withArgs(q.id, q.slot + 1n);
    });

    it("a relayer cannot cancel an executed withdrawal", async function () {
      const { ctx, q } = await loadFixture(deployVaultWithQueuedWithdrawal);
      const { relayer } = roles(ctx);
      await time.increaseTo(q.eta);
      await ctx.vault.connect(relayer).executeWithdrawal(q.w, q.slot);
      await expect(ctx.vault.connect(relayer).cancel(q.id, q.slot, await quorumCancellation(ctx, q.id)))
        .to.be.revertedWithCustomError(ctx.vault, "NothingToCancel")
        .withArgs(q.id, q.slot);
    });

    it("a relayer cannot cancel a withdrawal twice", async function () {
      const { ctx, q } = await loadFixture(deployVaultWithQueuedWithdrawal);
      const { relayer } = roles(ctx);
      const signatures = await quorumCancellation(ctx, q.id);
      await ctx.vault.connect(relayer).cancel(q.id, q.slot, signatures);
      await expect(ctx.vault.connect(relayer).cancel(q.id, q.slot, signatures))
        .to.be.revertedWithCustomError(ctx.vault, "NothingToCancel")
        .withArgs(q.id, q.slot);
    });

    it("a relayer cannot execute a cancelled withdrawal", async function () {
      const { ctx, q } = await loadFixture(deployVaultWithQueuedWithdrawal);
      const { relayer } = roles(ctx);
      await ctx.vault.connect(relayer).cancel(q.id, q.slot, await quorumCancellation(ctx, q.id));
      await time.increaseTo(q.eta);
      await expect(ctx.vault.connect(relayer).executeWithdrawal(q.w, q.slot))
        .to.be.revertedWithCustomError(ctx.vault, "OperationNotQueued")
        .withArgs(q.id, q.slot);
    });

    it("a quorum's signatures cancel an expired withdrawal", async function () {
      const { ctx, q, deadline } = await loadFixture(deployVaultWithQueuedWithdrawal);
      await time.increaseTo(deadline + 1n);
      await expect(ctx.vault.connect(roles(ctx).relayer).cancel(q.id, q.slot, await quorumCancellation(ctx, q.id)))
        .to.emit(ctx.vault, "OperationCancelled")
        .withArgs(q.id, q.slot);
      expect(await state(ctx, q)).to.equal(OperationState.Cancelled);
    });

    it("the slot of a cancelled expired withdrawal takes a new withdrawal", async function () {
      const { ctx, q, deadline } = await loadFixture(deployVaultWithQueuedWithdrawal);
      const { relayer } = roles(ctx);
      await time.increaseTo(deadline + 1n);
      await ctx.vault.connect(relayer).cancel(q.id, q.slot, await quorumCancellation(ctx, q.id));
      const { w, signatures } = await nextSignedWithdrawal(ctx);
      const queuedAt = await pinNextTimestamp(time);
      await expect(ctx.vault.connect(relayer).queueWithdrawal(w, q.slot, signatures))
        .to.emit(ctx.vault, "WithdrawalQueued")
        .withArgs(withdrawalId(ctx, w), ETH, w.to, ONE_ETH, 1, q.slot, queuedAt + WITHDRAWAL_DELAY);
    });
    it("a quorum's signatures cancel a pending configuration change proposal and consume the configuration nonce", async function () {
      const ctx = await loadFixture(deployVault);
      const { alice, relayer } = roles(ctx);
      const c = await nextConfigChange(ctx.vault, { action: ConfigAction.SetCoolOff, value: 2n * HOUR });
      const id = await ctx.vault.configChangeId(c);
      await ctx.vault.connect(alice).proposeConfigChange(c);

      await expect(ctx.vault.connect(relayer).cancel(id, 0n, await quorumCancellation(ctx, id)))
        .to.emit(ctx.vault, "OperationCancelled")
        .withArgs(id, 0n);
      expect(await state(ctx, { id, slot: 0n })).to.equal(OperationState.Cancelled);
      expect((await ctx.vault.configuration()).configNonce).to.equal(BigInt(c.nonce) + 1n);
    });

    it("a quorum cannot cancel a pending configuration change proposal whose nonce is not the next one", async function () {
      const ctx = await loadFixture(deployVault);
      const { alice, relayer } = roles(ctx);
      const next = await nextConfigChange(ctx.vault, { action: ConfigAction.SetCoolOff, value: 2n * HOUR });
      const later = { ...next, nonce: next.nonce + 1 };
      const id = await ctx.vault.configChangeId(later);
      await ctx.vault.connect(alice).proposeConfigChange(later);

      await expect(ctx.vault.connect(relayer).cancel(id, 0n, await quorumCancellation(ctx, id)))
        .to.be.revertedWithCustomError(ctx.vault, "NonceNotNext")
        .withArgs(later.nonce, next.nonce);
      expect(await state(ctx, { id, slot: 0n })).to.equal(OperationState.Pending);
    });
  });

  describe("approveCancellation", function () {
    it("a signer's first approval proposes the cancellation, and the withdrawal stays queued", async function () {
      const { ctx, q } = await loadFixture(deployVaultWithQueuedWithdrawal);
      const { alice } = roles(ctx);
      const cid = cancellationId(ctx, q.id);
      const tx = ctx.vault.connect(alice).approveCancellation(q.id, q.slot);
      await expect(tx).to.emit(ctx.vault, "CancellationProposed").withArgs(cid, alice.address, q.id);
      await expect(tx).to.emit(ctx.vault, "OperationApproved").withArgs(cid, alice.address, 1);
      await expect(tx).not.to.emit(ctx.vault, "OperationCancelled");
      expect(await state(ctx, q)).to.equal(OperationState.Queued);
    });

    it("the approval reaching the threshold cancels the queued withdrawal", async function () {
      const { ctx, q } = await loadFixture(deployVaultWithQueuedWithdrawal);
      const { alice, bob } = roles(ctx);
      const cid = cancellationId(ctx, q.id);
      await ctx.vault.connect(alice).approveCancellation(q.id, q.slot);
      const tx = ctx.vault.connect(bob).approveCancellation(q.id, q.slot);
      await expect(tx).to.emit(ctx.vault, "OperationApproved").withArgs(cid, bob.address, 2);
      await expect(tx).to.emit(ctx.vault, "OperationCancelled").withArgs(q.id, q.slot);
      await expect(tx).not.to.emit(ctx.vault, "CancellationProposed");
      expect(await state(ctx, q)).to.equal(OperationState.Cancelled);
    });

    it("an approval reports whether it cancelled the operation", async function () {
      const { ctx, q } = await loadFixture(deployVaultWithQueuedWithdrawal);
      const { alice, bob } = roles(ctx);
      expect(await ctx.vault.connect(alice).approveCancellation.staticCall(q.id, q.slot)).to.equal(false);
      await ctx.vault.connect(alice).approveCancellation(q.id, q.slot);
      expect(await ctx.vault.connect(bob).approveCancellation.staticCall(q.id, q.slot)).to.equal(true);
    });

    it("a quorum's on-chain approvals cancel a pending proposal", async function () {
      const { ctx, id } = await loadFixture(deployVaultWithProposal);
      const { bob, carol } = roles(ctx);
      await ctx.vault.connect(bob).approveCancellation(id, 0n);
      await expect(ctx.vault.connect(carol).approveCancellation(id, 0n))
        .to.emit(ctx.vault, "OperationCancelled")
        .withArgs(id, 0n);
      expect(await state(ctx, { id, slot: 0n })).to.equal(OperationState.Cancelled);
    });

    it("an outsider cannot approve a cancellation", async function () {
      const { ctx, q } = await loadFixture(deployVaultWithQueuedWithdrawal);
      const { stranger } = roles(ctx);
      await expect(ctx.vault.connect(stranger).approveCancellation(q.id, q.slot))
        .to.be.revertedWithCustomError(ctx.vault, "CallerNotSigner")
        .withArgs(stranger.address);
    });

    it("a signer cannot approve a cancellation twice", async function () {
      const { ctx, q } = await loadFixture(deployVaultWithQueuedWithdrawal);
      const { alice } = roles(ctx);
      await ctx.vault.connect(alice).approveCancellation(q.id, q.slot);
      await expect(ctx.vault.connect(alice).approveCancellation(q.id, q.slot))
        .to.be.revertedWithCustomError(ctx.vault, "AlreadyApproved")
        .withArgs(cancellationId(ctx, q.id), alice.address);
    });

    it("a signer cannot approve a cancellation that already took effect", async function () {
      const { ctx, q } = await loadFixture(deployVaultWithQueuedWithdrawal);
      const { alice, bob, carol } = roles(ctx);
      await ctx.vault.connect(alice).approveCancellation(q.id, q.slot);
      await ctx.vault.connect(bob).approveCancellation(q.id, q.slot);
      await expect(ctx.vault.connect(carol).approveCancellation(q.id, q.slot))
        .to.be.revertedWithCustomError(ctx.vault, "ProposalNotPending")
        .withArgs(cancellationId(ctx, q.id));
    });

    it("the approval reaching the threshold cannot cancel an id with nothing to cancel", async function () {
      const ctx = await loadFixture(deployVault);
      const { alice, bob } = roles(ctx);
      const id = withdrawalId(ctx, await ethWithdrawal(ctx));
      await ctx.vault.connect(alice).approveCancellation(id, 0n);
      await expect(ctx.vault.connect(bob).approveCancellation(id, 0n))
        .to.be.revertedWithCustomError(ctx.vault, "NothingToCancel")
        .withArgs(id, 0n);
    });

    it("a quorum cannot cancel a pending cancellation proposal: a cancellation is never itself cancellable", async function () {
      const { ctx, q } = await loadFixture(deployVaultWithQueuedWithdrawal);
      const { alice, relayer } = roles(ctx);
      const cid = cancellationId(ctx, q.id);
      await ctx.vault.connect(alice).approveCancellation(q.id, q.slot);

      await expect(ctx.vault.connect(relayer).cancel(cid, q.slot, await quorumCancellation(ctx, cid)))
        .to.be.revertedWithCustomError(ctx.vault, "NothingToCancel")
        .withArgs(cid, q.slot);
      expect(await state(ctx, q)).to.equal(OperationState.Queued);
    });
  });
});
