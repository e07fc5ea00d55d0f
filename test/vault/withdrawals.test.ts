import { expect } from "chai";
import { ZeroAddress } from "ethers";
import { network } from "hardhat";

import {
  ETH,
  nextWithdrawal,
  OperationState,
  UNLIMITED,
  withdrawal,
  type Withdrawal,
} from "../../scripts/lib/index.js";
import {
  DAY,
  DEFAULT_DELAYS,
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

/** 2-of-3. */
const deployVault = makeVaultFixture(ethers);
const deployVaultThresholdOne = makeVaultFixture(ethers, { threshold: 1 });
const deployVaultThreeOfFour = makeVaultFixture(ethers, { signerCount: 4, threshold: 3 });

async function deployVaultWithRevertingReceiver() {
  const ctx = await deployVault();
  const receiver = await ethers.deployContract("RevertingReceiver");
  return { ctx, receiverAddress: await receiver.getAddress() };
}

const ONE_ETH = ethers.parseEther("1");
const TOKENS = 1_000n * 10n ** 6n;

/** The two assets every happy path runs with. */
const ASSETS = [
  { name: "ETH", asset: (_ctx: VaultContext) => ETH, amount: ONE_ETH },
  { name: "MockERC20", asset: (ctx: VaultContext) => ctx.tokenAddress, amount: TOKENS },
] as const;

/** A withdrawal of ONE_ETH to the recipient, for the vault's current epoch and ETH's next nonce. */
async function ethWithdrawal(ctx: VaultContext): Promise<Withdrawal> {
  return nextWithdrawal(ctx.vault, { asset: ETH, to: roles(ctx).recipient.address, amount: ONE_ETH });
}

/** Waits for the eta, executes as the relayer, and asserts the event and both balance changes. */
async function expectExecution(ctx: VaultContext, q: QueuedWithdrawal): Promise<void> {
  const { relayer, recipient } = roles(ctx);
  await time.increaseTo(q.eta);
  const tx = ctx.vault.connect(relayer).executeWithdrawal(q.w, q.slot);
  await expect(tx).to.emit(ctx.vault, "WithdrawalExecuted").withArgs(q.id);
  if (q.w.asset === ETH) {
    await expect(tx).to.changeEtherBalances(ethers, [ctx.vault, recipient], [-q.w.amount, q.w.amount]);
  } else {
    await expect(tx).to.changeTokenBalances(ethers, ctx.token, [ctx.vault, recipient], [-q.w.amount, q.w.amount]);
  }
  expect(await ctx.vault.operationState(q.id, q.slot)).to.equal(OperationState.Executed);
}

describe("ReserveVault", function () {
  describe("withdrawal by EIP-712 signatures", function () {
    for (const { name, asset, amount } of ASSETS) {
      it(`an outsider queues a quorum-signed withdrawal of ${name} and anyone executes it after the delay`, async function () {
        const ctx = await loadFixture(deployVault);
        const { alice, bob, relayer, recipient } = roles(ctx);
        const w = await nextWithdrawal(ctx.vault, { asset: asset(ctx), to: recipient.address, amount });
        const id = withdrawalId(ctx, w);
        const signatures = await signWithdrawal(ctx, w, [alice, bob]);

        const queuedAt = await pinNextTimestamp(time);
        await expect(ctx.vault.connect(relayer).queueWithdrawal(w, 0n, signatures))
          .to.emit(ctx.vault, "WithdrawalQueued")
          .withArgs(id, w.asset, recipient.address, amount, 0, 0n, queuedAt + DAY);
        expect(await ctx.vault.operationState(id, 0n)).to.equal(OperationState.Queued);

        await expectExecution(ctx, { w, id, slot: 0n, eta: queuedAt + DAY });
      });
    }
  });

  describe("withdrawal by on-chain approvals", function () {
    for (const { name, asset, amount } of ASSETS) {
      it(`a signer proposes a withdrawal of ${name}, the approval reaching the threshold queues it, anyone executes it`, async function () {
        const ctx = await loadFixture(deployVault);
        const { alice, bob, recipient } = roles(ctx);
        const w = await nextWithdrawal(ctx.vault, { asset: asset(ctx), to: recipient.address, amount });
        const id = withdrawalId(ctx, w);

        const proposal = ctx.vault.connect(alice).proposeWithdrawal(w);
        await expect(proposal)
          .to.emit(ctx.vault, "WithdrawalProposed")
          .withArgs(id, alice.address, w.asset, recipient.address, amount, 0);
        await expect(proposal).to.emit(ctx.vault, "OperationApproved").withArgs(id, alice.address, 1);
        expect(await ctx.vault.operationState(id, 0n)).to.equal(OperationState.Pending);

        const queuedAt = await pinNextTimestamp(time);
        const approval = ctx.vault.connect(bob).approveWithdrawal(w, 0n);
        await expect(approval).to.emit(ctx.vault, "OperationApproved").withArgs(id, bob.address, 2);
        await expect(approval)
          .to.emit(ctx.vault, "WithdrawalQueued")
          .withArgs(id, w.asset, recipient.address, amount, 0, 0n, queuedAt + DAY);
        expect(await ctx.vault.operationState(id, 0n)).to.equal(OperationState.Queued);

        await expectExecution(ctx, { w, id, slot: 0n, eta: queuedAt + DAY });
      });
    }
  });

  describe("withdrawal by on-chain approvals and signatures", function () {
    for (const { name, asset, amount } of ASSETS) {
      it(`a proposer's on-chain approval and one signature queue a withdrawal of ${name} that anyone executes`, async function () {
        const ctx = await loadFixture(deployVault);
        const { alice, bob, relayer, recipient } = roles(ctx);
        const w = await nextWithdrawal(ctx.vault, { asset: asset(ctx), to: recipient.address, amount });
        const id = withdrawalId(ctx, w);
        const proposal = ctx.vault.connect(alice).proposeWithdrawal(w);
        await expect(proposal)
          .to.emit(ctx.vault, "WithdrawalProposed")
          .withArgs(id, alice.address, w.asset, recipient.address, amount, 0);
        await expect(proposal).to.emit(ctx.vault, "OperationApproved").withArgs(id, alice.address, 1);

        const queuedAt = await pinNextTimestamp(time);
        await expect(ctx.vault.connect(relayer).queueWithdrawal(w, 0n, await signWithdrawal(ctx, w, [bob])))
          .to.emit(ctx.vault, "WithdrawalQueued")
          .withArgs(id, w.asset, recipient.address, amount, 0, 0n, queuedAt + DAY);

        await expectExecution(ctx, { w, id, slot: 0n, eta: queuedAt + DAY });
      });

      it(`a threshold-1 proposal of a withdrawal of ${name} is queued with empty signatures and executed`, async function () {
        const ctx = await loadFixture(deployVaultThresholdOne);
        const { alice, relayer, recipient } = roles(ctx);
        const w = await nextWithdrawal(ctx.vault, { asset: asset(ctx), to: recipient.address, amount });
        const id = withdrawalId(ctx, w);
        const proposal = ctx.vault.connect(alice).proposeWithdrawal(w);
        await expect(proposal)
          .to.emit(ctx.vault, "WithdrawalProposed")
          .withArgs(id, alice.address, w.asset, recipient.address, amount, 0);
        await expect(proposal).to.emit(ctx.vault, "OperationApproved").withArgs(id, alice.address, 1);

        const queuedAt = await pinNextTimestamp(time);
        await expect(ctx.vault.connect(relayer).queueWithdrawal(w, 0n, "0x"))
          .to.emit(ctx.vault, "WithdrawalQueued")
          .withArgs(id, w.asset, recipient.address, amount, 0, 0n, queuedAt + DAY);

        await expectExecution(ctx, { w, id, slot: 0n, eta: queuedAt + DAY });
      });
    }

    it("a proposer's signature does not count a second time next to their on-chain approval", async function () {
      const ctx = await loadFixture(deployVault);
      const { alice, relayer } = roles(ctx);
      const w = await ethWithdrawal(ctx);
      await ctx.vault.connect(alice).proposeWithdrawal(w);
      await expect(ctx.vault.connect(relayer).queueWithdrawal(w, 0n, await signWithdrawal(ctx, w, [alice])))
        .to.be.revertedWithCustomError(ctx.vault, "ThresholdNotMet")
        .withArgs(2, 1);
    });

    it("the proposer cannot revoke a proposal once its approvals helped queue it", async function () {
      const ctx = await loadFixture(deployVault);
      const { alice, bob, relayer } = roles(ctx);
      const w = await ethWithdrawal(ctx);
      const id = withdrawalId(ctx, w);
      await ctx.vault.connect(alice).proposeWithdrawal(w);
      await ctx.vault.connect(relayer).queueWithdrawal(w, 0n, await signWithdrawal(ctx, w, [bob]));
      await expect(ctx.vault.connect(alice).revokeProposal(id))
        .to.be.revertedWithCustomError(ctx.vault, "ProposalNotPending")
        .withArgs(id);
    });
  });

  describe("proposeWithdrawal", function () {
    it("a signer may propose a withdrawal with a nonce above the asset's next one", async function () {
      const ctx = await loadFixture(deployVault);
      const { alice, recipient } = roles(ctx);
      const w = withdrawal({ asset: ETH, to: recipient.address, amount: ONE_ETH, nonce: 5, epoch: 1 });
      await expect(ctx.vault.connect(alice).proposeWithdrawal(w))
        .to.emit(ctx.vault, "WithdrawalProposed")
        .withArgs(withdrawalId(ctx, w), alice.address, ETH, recipient.address, ONE_ETH, 5);
    });

    it("an outsider cannot propose a withdrawal", async function () {
      const ctx = await loadFixture(deployVault);
      const { stranger } = roles(ctx);
      await expect(ctx.vault.connect(stranger).proposeWithdrawal(await ethWithdrawal(ctx)))
        .to.be.revertedWithCustomError(ctx.vault, "CallerNotSigner")
        .withArgs(stranger.address);
    });

    it("a signer cannot propose a withdrawal that is already proposed", async function () {
      const ctx = await loadFixture(deployVault);
      const { alice, bob } = roles(ctx);
      const w = await ethWithdrawal(ctx);
      await ctx.vault.connect(alice).proposeWithdrawal(w);
      await expect(ctx.vault.connect(bob).proposeWithdrawal(w))
        .to.be.revertedWithCustomError(ctx.vault, "ProposalAlreadyExists")
        .withArgs(withdrawalId(ctx, w));
    });

    it("a signer cannot propose again a withdrawal whose proposal was revoked", async function () {
      const ctx = await loadFixture(deployVault);
      const { alice } = roles(ctx);
      const w = await ethWithdrawal(ctx);
      const id = withdrawalId(ctx, w);
      await ctx.vault.connect(alice).proposeWithdrawal(w);
      await ctx.vault.connect(alice).revokeProposal(id);
      await expect(ctx.vault.connect(alice).proposeWithdrawal(w))
        .to.be.revertedWithCustomError(ctx.vault, "ProposalAlreadyExists")
        .withArgs(id);
    });

    it("a signer cannot propose a withdrawal for another epoch", async function () {
      const ctx = await loadFixture(deployVault);
      const w = { ...(await ethWithdrawal(ctx)), epoch: 2 };
      await expect(ctx.vault.connect(roles(ctx).alice).proposeWithdrawal(w))
        .to.be.revertedWithCustomError(ctx.vault, "EpochMismatch")
        .withArgs(2, 1);
    });

    it("a signer cannot propose a withdrawal to the zero address", async function () {
      const ctx = await loadFixture(deployVault);
      const w = { ...(await ethWithdrawal(ctx)), to: ZeroAddress };
      await expect(ctx.vault.connect(roles(ctx).alice).proposeWithdrawal(w))
        .to.be.revertedWithCustomError(ctx.vault, "WithdrawalToZeroAddress")
        .withArgs();
    });

    it("a signer cannot propose a withdrawal of zero", async function () {
      const ctx = await loadFixture(deployVault);
      const w = { ...(await ethWithdrawal(ctx)), amount: 0n };
      await expect(ctx.vault.connect(roles(ctx).alice).proposeWithdrawal(w))
        .to.be.revertedWithCustomError(ctx.vault, "WithdrawalAmountZero")
        .withArgs();
    });

    it("a signer cannot propose a withdrawal with a nonce below the asset's next one", async function () {
      const ctx = await loadFixture(deployVault);
      const { alice, recipient } = roles(ctx);
      const queued = await queueSignedWithdrawal(ctx, { asset: ETH, to: recipient.address, amount: ONE_ETH });
      const stale = { ...queued.w, amount: 2n * ONE_ETH };
      await expect(ctx.vault.connect(alice).proposeWithdrawal(stale))
        .to.be.revertedWithCustomError(ctx.vault, "NonceMismatch")
        .withArgs(0, 1);
    });
  });

  describe("approveWithdrawal", function () {
    it("an approval below the threshold records the approval and leaves the withdrawal pending", async function () {
      const ctx = await loadFixture(deployVaultThreeOfFour);
      const { alice, bob } = roles(ctx);
      const w = await ethWithdrawal(ctx);
      const id = withdrawalId(ctx, w);
      await ctx.vault.connect(alice).proposeWithdrawal(w);
      const approval = ctx.vault.connect(bob).approveWithdrawal(w, 0n);
      await expect(approval).to.emit(ctx.vault, "OperationApproved").withArgs(id, bob.address, 2);
      await expect(approval).not.to.emit(ctx.vault, "WithdrawalQueued");
      expect(await ctx.vault.operationState(id, 0n)).to.equal(OperationState.Pending);
    });

    it("an approval reports whether it queued the withdrawal", async function () {
      const ctx = await loadFixture(deployVaultThreeOfFour);
      const { alice, bob, carol } = roles(ctx);
      const w = await ethWithdrawal(ctx);
      await ctx.vault.connect(alice).proposeWithdrawal(w);
      expect(await ctx.vault.connect(bob).approveWithdrawal.staticCall(w, 0n)).to.equal(false);
      await ctx.vault.connect(bob).approveWithdrawal(w, 0n);
      expect(await ctx.vault.connect(carol).approveWithdrawal.staticCall(w, 0n)).to.equal(true);
    });

    it("an outsider cannot approve a withdrawal", async function () {
      const ctx = await loadFixture(deployVault);
      const { alice, stranger } = roles(ctx);
      const w = await ethWithdrawal(ctx);
      await ctx.vault.connect(alice).proposeWithdrawal(w);
      await expect(ctx.vault.connect(stranger).approveWithdrawal(w, 0n))
        .to.be.revertedWithCustomError(ctx.vault, "CallerNotSigner")
        .withArgs(stranger.address);
    });

    it("a signer cannot approve a withdrawal that was never proposed", async function () {
      const ctx = await loadFixture(deployVault);
      const w = await ethWithdrawal(ctx);
      await expect(ctx.vault.connect(roles(ctx).bob).approveWithdrawal(w, 0n))
        .to.be.revertedWithCustomError(ctx.vault, "ProposalNotPending")
        .withArgs(withdrawalId(ctx, w));
    });

    it("a signer cannot approve a withdrawal whose proposal was revoked", async function () {
      const ctx = await loadFixture(deployVault);
      const { alice, bob } = roles(ctx);
      const w = await ethWithdrawal(ctx);
      const id = withdrawalId(ctx, w);
      await ctx.vault.connect(alice).proposeWithdrawal(w);
      await ctx.vault.connect(alice).revokeProposal(id);
      await expect(ctx.vault.connect(bob).approveWithdrawal(w, 0n))
        .to.be.revertedWithCustomError(ctx.vault, "ProposalNotPending")
        .withArgs(id);
    });

    it("the proposer cannot approve their own proposal a second time", async function () {
      const ctx = await loadFixture(deployVault);
      const { alice } = roles(ctx);
      const w = await ethWithdrawal(ctx);
      await ctx.vault.connect(alice).proposeWithdrawal(w);
      await expect(ctx.vault.connect(alice).approveWithdrawal(w, 0n))
        .to.be.revertedWithCustomError(ctx.vault, "AlreadyApproved")
        .withArgs(withdrawalId(ctx, w), alice.address);
    });

    it("a signer cannot approve a withdrawal twice", async function () {
      const ctx = await loadFixture(deployVaultThreeOfFour);
      const { alice, bob } = roles(ctx);
      const w = await ethWithdrawal(ctx);
      await ctx.vault.connect(alice).proposeWithdrawal(w);
      await ctx.vault.connect(bob).approveWithdrawal(w, 0n);
      await expect(ctx.vault.connect(bob).approveWithdrawal(w, 0n))
        .to.be.revertedWithCustomError(ctx.vault, "AlreadyApproved")
        .withArgs(withdrawalId(ctx, w), bob.address);
    });

    it("a signer cannot approve a withdrawal for another epoch", async function () {
      const ctx = await loadFixture(deployVault);
      const w = { ...(await ethWithdrawal(ctx)), epoch: 0 };
      await expect(ctx.vault.connect(roles(ctx).bob).approveWithdrawal(w, 0n))
        .to.be.revertedWithCustomError(ctx.vault, "EpochMismatch")
        .withArgs(0, 1);
    });

    it("a signer cannot approve a withdrawal to the zero address", async function () {
      const ctx = await loadFixture(deployVault);
      const w = { ...(await ethWithdrawal(ctx)), to: ZeroAddress };
      await expect(ctx.vault.connect(roles(ctx).bob).approveWithdrawal(w, 0n))
        .to.be.revertedWithCustomError(ctx.vault, "WithdrawalToZeroAddress")
        .withArgs();
    });

    it("a signer cannot approve a withdrawal of zero", async function () {
      const ctx = await loadFixture(deployVault);
      const w = { ...(await ethWithdrawal(ctx)), amount: 0n };
      await expect(ctx.vault.connect(roles(ctx).bob).approveWithdrawal(w, 0n))
        .to.be.revertedWithCustomError(ctx.vault, "WithdrawalAmountZero")
        .withArgs();
    });

    it("a signer cannot approve a withdrawal whose nonce was already used", async function () {
      const ctx = await loadFixture(deployVault);
      const { alice, bob, carol } = roles(ctx);
      const w = await ethWithdrawal(ctx);
      await ctx.vault.connect(alice).proposeWithdrawal(w);
      await ctx.vault.connect(bob).approveWithdrawal(w, 0n);
      await expect(ctx.vault.connect(carol).approveWithdrawal(w, 0n))
        .to.be.revertedWithCustomError(ctx.vault, "NonceMismatch")
        .withArgs(0, 1);
    });

    it("the approval reaching the threshold cannot queue a withdrawal whose nonce is not the next one", async function () {
      const ctx = await loadFixture(deployVault);
      const { alice, bob, recipient } = roles(ctx);
      const w = withdrawal({ asset: ETH, to: recipient.address, amount: ONE_ETH, nonce: 1, epoch: 1 });
      await ctx.vault.connect(alice).proposeWithdrawal(w);
      await expect(ctx.vault.connect(bob).approveWithdrawal(w, 0n))
        .to.be.revertedWithCustomError(ctx.vault, "NonceMismatch")
        .withArgs(1, 0);
    });

    it("the approval reaching the threshold cannot queue into an occupied slot", async function () {
      const ctx = await loadFixture(deployVault);
      const { alice, bob } = roles(ctx);
      const occupant = await queueSignedWithdrawal(ctx, { asset: ctx.tokenAddress, to: alice.address, amount: TOKENS });
      const w = await ethWithdrawal(ctx);
      await ctx.vault.connect(alice).proposeWithdrawal(w);
      await expect(ctx.vault.connect(bob).approveWithdrawal(w, occupant.slot))
        .to.be.revertedWithCustomError(ctx.vault, "QueueSlotOccupied")
        .withArgs(occupant.slot);
    });
  });

  describe("approvals", function () {
    it("reports the on-chain approvals of a pending withdrawal: bitmap over the sorted signers, count and proposer", async function () {
      const ctx = await loadFixture(deployVaultThreeOfFour);
      const { bob, carol } = roles(ctx);
      const w = await ethWithdrawal(ctx);
      const id = withdrawalId(ctx, w);
      await ctx.vault.connect(bob).proposeWithdrawal(w);
      await ctx.vault.connect(carol).approveWithdrawal(w, 0n);

      const [bitmap, count, proposer] = await ctx.vault.approvals(id);
      expect(bitmap).to.equal(0b110n); // bob is signer 1, carol signer 2 (ascending)
      expect(count).to.equal(2n);
      expect(proposer).to.equal(bob.address);
    });

    it("reports no approval and no proposer for a withdrawal nobody proposed", async function () {
      const ctx = await loadFixture(deployVault);
      const id = withdrawalId(ctx, await ethWithdrawal(ctx));
      const [bitmap, count, proposer] = await ctx.vault.approvals(id);
      expect([bitmap, count, proposer]).to.deep.equal([0n, 0n, ZeroAddress]);
    });
  });

  describe("queueWithdrawal", function () {
    it("a relayer cannot queue a withdrawal for another epoch", async function () {
      const ctx = await loadFixture(deployVault);
      const w = { ...(await ethWithdrawal(ctx)), epoch: 2 };
      const signatures = await signWithdrawal(ctx, w, ctx.signers.slice(0, 2));
      await expect(ctx.vault.connect(roles(ctx).relayer).queueWithdrawal(w, 0n, signatures))
        .to.be.revertedWithCustomError(ctx.vault, "EpochMismatch")
        .withArgs(2, 1);
    });

    it("a relayer cannot queue a withdrawal to the zero address", async function () {
      const ctx = await loadFixture(deployVault);
      const w = { ...(await ethWithdrawal(ctx)), to: ZeroAddress };
      const signatures = await signWithdrawal(ctx, w, ctx.signers.slice(0, 2));
      await expect(ctx.vault.connect(roles(ctx).relayer).queueWithdrawal(w, 0n, signatures))
        .to.be.revertedWithCustomError(ctx.vault, "WithdrawalToZeroAddress")
        .withArgs();
    });

    it("a relayer cannot queue a withdrawal of zero", async function () {
      const ctx = await loadFixture(deployVault);
      const w = { ...(await ethWithdrawal(ctx)), amount: 0n };
      const signatures = await signWithdrawal(ctx, w, ctx.signers.slice(0, 2));
      await expect(ctx.vault.connect(roles(ctx).relayer).queueWithdrawal(w, 0n, signatures))
        .to.be.revertedWithCustomError(ctx.vault, "WithdrawalAmountZero")
        .withArgs();
    });

    it("a relayer cannot queue a withdrawal whose nonce is above the asset's next one", async function () {
      const ctx = await loadFixture(deployVault);
      const w = { ...(await ethWithdrawal(ctx)), nonce: 1 };
      const signatures = await signWithdrawal(ctx, w, ctx.signers.slice(0, 2));
      await expect(ctx.vault.connect(roles(ctx).relayer).queueWithdrawal(w, 0n, signatures))
        .to.be.revertedWithCustomError(ctx.vault, "NonceMismatch")
        .withArgs(1, 0);
    });

    it("a relayer cannot queue a second withdrawal with an already used nonce", async function () {
      const ctx = await loadFixture(deployVault);
      const { relayer } = roles(ctx);
      const first = await queueSignedWithdrawal(ctx, { asset: ETH, to: relayer.address, amount: ONE_ETH });
      const second = { ...first.w, amount: 2n * ONE_ETH };
      const signatures = await signWithdrawal(ctx, second, ctx.signers.slice(0, 2));
      await expect(ctx.vault.connect(relayer).queueWithdrawal(second, 1n, signatures))
        .to.be.revertedWithCustomError(ctx.vault, "NonceMismatch")
        .withArgs(0, 1);
    });
  });

  describe("executeWithdrawal", function () {
    it("a relayer cannot execute a queued withdrawal through another slot", async function () {
      const ctx = await loadFixture(deployVault);
      const q = await queueSignedWithdrawal(ctx, { asset: ETH, to: roles(ctx).recipient.address, amount: ONE_ETH });
      await time.increaseTo(q.eta);
      await expect(ctx.vault.connect(roles(ctx).relayer).executeWithdrawal(q.w, q.slot + 1n))
        .to.be.revertedWithCustomError(ctx.vault, "OperationNotQueued")
        .withArgs(q.id, q.slot + 1n);
    });

    it("a relayer cannot execute a queued withdrawal with an altered amount", async function () {
      const ctx = await loadFixture(deployVault);
      const q = await queueSignedWithdrawal(ctx, { asset: ETH, to: roles(ctx).recipient.address, amount: ONE_ETH });
      await time.increaseTo(q.eta);
      const altered = { ...q.w, amount: 100n * ONE_ETH };
      await expect(ctx.vault.connect(roles(ctx).relayer).executeWithdrawal(altered, q.slot))
        .to.be.revertedWithCustomError(ctx.vault, "OperationNotQueued")
        .withArgs(withdrawalId(ctx, altered), q.slot);
    });

    it("a relayer cannot execute a queued withdrawal with an altered recipient", async function () {
      const ctx = await loadFixture(deployVault);
      const { recipient, stranger } = roles(ctx);
      const q = await queueSignedWithdrawal(ctx, { asset: ETH, to: recipient.address, amount: ONE_ETH });
      await time.increaseTo(q.eta);
      const altered = { ...q.w, to: stranger.address };
      await expect(ctx.vault.connect(stranger).executeWithdrawal(altered, q.slot))
        .to.be.revertedWithCustomError(ctx.vault, "OperationNotQueued")
        .withArgs(withdrawalId(ctx, altered), q.slot);
    });

    it("a relayer cannot execute a withdrawal that is only proposed", async function () {
      const ctx = await loadFixture(deployVault);
      const w = await ethWithdrawal(ctx);
      await ctx.vault.connect(roles(ctx).alice).proposeWithdrawal(w);
      await time.increase(DAY);
      await expect(ctx.vault.connect(roles(ctx).relayer).executeWithdrawal(w, 0n))
        .to.be.revertedWithCustomError(ctx.vault, "OperationNotQueued")
        .withArgs(withdrawalId(ctx, w), 0n);
    });

    it("a relayer cannot execute a withdrawal twice", async function () {
      const ctx = await loadFixture(deployVault);
      const q = await queueSignedWithdrawal(ctx, { asset: ETH, to: roles(ctx).recipient.address, amount: ONE_ETH });
      await time.increaseTo(q.eta);
      await ctx.vault.connect(roles(ctx).relayer).executeWithdrawal(q.w, q.slot);
      await expect(ctx.vault.connect(roles(ctx).relayer).executeWithdrawal(q.w, q.slot))
        .to.be.revertedWithCustomError(ctx.vault, "OperationNotQueued")
        .withArgs(q.id, q.slot);
    });

    it("a relayer cannot execute a withdrawal presented with another epoch", async function () {
      const ctx = await loadFixture(deployVault);
      const q = await queueSignedWithdrawal(ctx, { asset: ETH, to: roles(ctx).recipient.address, amount: ONE_ETH });
      await time.increaseTo(q.eta);
      await expect(ctx.vault.connect(roles(ctx).relayer).executeWithdrawal({ ...q.w, epoch: 2 }, q.slot))
        .to.be.revertedWithCustomError(ctx.vault, "EpochMismatch")
        .withArgs(2, 1);
    });

    it("a relayer cannot execute an ETH withdrawal to a recipient that rejects ETH, and it stays ready", async function () {
      const { ctx, receiverAddress } = await loadFixture(deployVaultWithRevertingReceiver);
      const q = await queueSignedWithdrawal(ctx, { asset: ETH, to: receiverAddress, amount: ONE_ETH });
      await time.increaseTo(q.eta);
      await expect(ctx.vault.connect(roles(ctx).relayer).executeWithdrawal(q.w, q.slot))
        .to.be.revertedWithCustomError(ctx.vault, "EthTransferFailed")
        .withArgs(receiverAddress, ONE_ETH);
      expect(await ctx.vault.operationState(q.id, q.slot)).to.equal(OperationState.Ready);
    });
  });

  describe("withdrawal nonces", function () {
    it("nobody can queue a withdrawal with an asset's last nonce (2^32 - 1): the nonce never wraps around to a used one", async function () {
      const ctx = await loadFixture(deployVault);
      const LAST_NONCE = 2n ** 32n - 1n;
      // ReserveVault storage: _core is slot 0, _assets (asset => AssetState) slot 1. An AssetState
      // packs nonce (bits 0-31), period, used, and the limit (bits 160-255). No sequence of calls
      // reaches nonce 2^32 - 1 in a test's lifetime, so the test writes it.
      const slot = ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["address", "uint256"], [ETH, 1n]));
      const state = BigInt(await ethers.provider.getStorage(ctx.vaultAddress, slot));
      expect(state >> 160n, "the slot holds ETH's state: its limit").to.equal(UNLIMITED);
      await networkHelpers.setStorageAt(ctx.vaultAddress, slot, state | LAST_NONCE);
      expect(await ctx.vault.withdrawalNonce(ETH)).to.equal(LAST_NONCE);

      const w = await ethWithdrawal(ctx);
      expect(BigInt(w.nonce)).to.equal(LAST_NONCE);
      const signatures = await signWithdrawal(ctx, w, [roles(ctx).alice, roles(ctx).bob]);
      await expect(
        ctx.vault.connect(roles(ctx).relayer).queueWithdrawal(w, 0n, signatures),
      ).to.be.revertedWithCustomError(ctx.vault, "WithdrawalNonceExhausted");
      expect(await ctx.vault.withdrawalNonce(ETH)).to.equal(LAST_NONCE);
    });

    it("queueing a withdrawal advances only its own asset's nonce", async function () {
      const ctx = await loadFixture(deployVault);
      await queueSignedWithdrawal(ctx, { asset: ETH, to: roles(ctx).recipient.address, amount: ONE_ETH });
      expect(await ctx.vault.withdrawalNonce(ETH)).to.equal(1);
      expect(await ctx.vault.withdrawalNonce(ctx.tokenAddress)).to.equal(0);
    });

    it("ETH and token withdrawals with the same nonce are queued independently", async function () {
      const ctx = await loadFixture(deployVault);
      const { recipient } = roles(ctx);
      const eth = await queueSignedWithdrawal(ctx, { asset: ETH, to: recipient.address, amount: ONE_ETH });
      const token = await queueSignedWithdrawal(ctx, {
        asset: ctx.tokenAddress,
        to: recipient.address,
        amount: TOKENS,
      });
      expect([eth.w.nonce, token.w.nonce]).to.deep.equal([0, 0]);
      expect(await ctx.vault.operationState(token.id, token.slot)).to.equal(OperationState.Queued);
    });

    it("a relayer cannot replay an executed withdrawal's signatures", async function () {
      const ctx = await loadFixture(deployVault);
      const { alice, bob, relayer } = roles(ctx);
      const q = await queueSignedWithdrawal(ctx, { asset: ETH, to: roles(ctx).recipient.address, amount: ONE_ETH });
      await time.increaseTo(q.eta);
      await ctx.vault.connect(roles(ctx).relayer).executeWithdrawal(q.w, q.slot);
      const signatures = await signWithdrawal(ctx, q.w, [alice, bob]);
      await expect(ctx.vault.connect(relayer).queueWithdrawal(q.w, q.slot, signatures))
        .to.be.revertedWithCustomError(ctx.vault, "NonceMismatch")
        .withArgs(0, 1);
    });

    it("a relayer cannot queue again a cancelled withdrawal: its nonce stays used", async function () {
      const ctx = await loadFixture(deployVault);
      const { alice, bob, relayer } = roles(ctx);
      const q = await queueSignedWithdrawal(ctx, { asset: ETH, to: roles(ctx).recipient.address, amount: ONE_ETH });
      await ctx.vault.connect(relayer).cancel(q.id, q.slot, await signCancellation(ctx, q.id, 1, [alice, bob]));
      const signatures = await signWithdrawal(ctx, q.w, [alice, bob]);
      await expect(ctx.vault.connect(relayer).queueWithdrawal(q.w, q.slot, signatures))
        .to.be.revertedWithCustomError(ctx.vault, "NonceMismatch")
        .withArgs(0, 1);
    });
  });

  describe("queue slots", function () {
    it("a relayer cannot queue into a slot that holds a queued withdrawal", async function () {
      const ctx = await loadFixture(deployVault);
      const { recipient, relayer } = roles(ctx);
      const occupant = await queueSignedWithdrawal(ctx, { asset: ETH, to: recipient.address, amount: ONE_ETH });
      const w = await nextWithdrawal(ctx.vault, { asset: ctx.tokenAddress, to: recipient.address, amount: TOKENS });
      const signatures = await signWithdrawal(ctx, w, ctx.signers.slice(0, 2));
      await expect(ctx.vault.connect(relayer).queueWithdrawal(w, occupant.slot, signatures))
        .to.be.revertedWithCustomError(ctx.vault, "QueueSlotOccupied")
        .withArgs(occupant.slot);
    });

    it("a relayer cannot queue into a slot that holds a ready withdrawal", async function () {
      const ctx = await loadFixture(deployVault);
      const { recipient, relayer } = roles(ctx);
      const occupant = await queueSignedWithdrawal(ctx, { asset: ETH, to: recipient.address, amount: ONE_ETH });
      await time.increaseTo(occupant.eta);
      const w = await nextWithdrawal(ctx.vault, { asset: ctx.tokenAddress, to: recipient.address, amount: TOKENS });
      const signatures = await signWithdrawal(ctx, w, ctx.signers.slice(0, 2));
      await expect(ctx.vault.connect(relayer).queueWithdrawal(w, occupant.slot, signatures))
        .to.be.revertedWithCustomError(ctx.vault, "QueueSlotOccupied")
        .withArgs(occupant.slot);
    });

    it("a slot is reused once its withdrawal executed", async function () {
      const ctx = await loadFixture(deployVault);
      const { recipient } = roles(ctx);
      const first = await queueSignedWithdrawal(ctx, { asset: ETH, to: recipient.address, amount: ONE_ETH });
      await time.increaseTo(first.eta);
      await ctx.vault.connect(roles(ctx).relayer).executeWithdrawal(first.w, first.slot);
      const second = await queueSignedWithdrawal(
        ctx,
        { asset: ETH, to: recipient.address, amount: ONE_ETH },
        first.slot,
      );
      expect(await ctx.vault.operationState(second.id, first.slot)).to.equal(OperationState.Queued);
    });

    it("a slot is reused once its withdrawal was cancelled", async function () {
      const ctx = await loadFixture(deployVault);
      const { alice, bob, recipient, relayer } = roles(ctx);
      const first = await queueSignedWithdrawal(ctx, { asset: ETH, to: recipient.address, amount: ONE_ETH });
      await ctx.vault
        .connect(relayer)
        .cancel(first.id, first.slot, await signCancellation(ctx, first.id, 1, [alice, bob]));
      const second = await queueSignedWithdrawal(
        ctx,
        { asset: ETH, to: recipient.address, amount: ONE_ETH },
        first.slot,
      );
      expect(await ctx.vault.operationState(second.id, first.slot)).to.equal(OperationState.Queued);
    });

    it("a slot is reused once its withdrawal expired", async function () {
      const ctx = await loadFixture(deployVault);
      const { recipient } = roles(ctx);
      const first = await queueSignedWithdrawal(ctx, { asset: ETH, to: recipient.address, amount: ONE_ETH });
      await time.increaseTo(first.eta + DEFAULT_DELAYS.executionWindow + 1n);
      const second = await queueSignedWithdrawal(
        ctx,
        { asset: ETH, to: recipient.address, amount: ONE_ETH },
        first.slot,
      );
      expect(await ctx.vault.operationState(second.id, first.slot)).to.equal(OperationState.Queued);
      expect(await ctx.vault.operationState(first.id, first.slot)).to.equal(OperationState.Unknown);
    });
  });
});
