import { expect } from "chai";
import { concat, dataSlice, getAddress, N, Signature, toBeHex, zeroPadValue } from "ethers";
import { network } from "hardhat";

import {
  cancellationTypedData,
  compareAddresses,
  ConfigAction,
  ETH,
  findFreeSlot,
  nextConfigChange,
  nextWithdrawal,
  OperationState,
  recoverSigner,
  signTypedData,
  vaultDomain,
  withdrawalTypedData,
  type Withdrawal,
} from "../../scripts/lib/index.js";
import {
  DAY,
  makeVaultFixture,
  pinNextTimestamp,
  queueSignedWithdrawal,
  roles,
  signAll,
  signCancellation,
  signConfigChange,
  signWithdrawal,
  withdrawalId,
  type VaultContext,
} from "../helpers/vault.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;

/** 2-of-3. */
const deployVault = makeVaultFixture(ethers);
const deployVaultThreeOfFour = makeVaultFixture(ethers, { signerCount: 4, threshold: 3 });

/** Two vaults with the same signers: signatures for one must not count in the other. */
async function deployTwoVaults() {
  return { ctx: await deployVault(), other: await deployVault() };
}

/**
 * A vault whose epoch advanced from 1 to 2 (an AddSigner change queued by signatures, executed after
 * the config delay). Before the change, withdrawal nonce 0 was queued in slot 0 and nonce 1 was signed
 * by alice and bob but not submitted.
 */
async function deployVaultAtEpochTwo() {
  const ctx = await deployVault();
  const { alice, bob, relayer, recipient } = roles(ctx);
  const queuedBefore = await queueSignedWithdrawal(ctx, { asset: ETH, to: recipient.address, amount: ONE_ETH });
  const signedBefore = await nextWithdrawal(ctx.vault, { asset: ETH, to: recipient.address, amount: ONE_ETH });
  const signedBeforeSignatures = await signWithdrawal(ctx, signedBefore, [alice, bob]);

  const newSigner = ctx.outsiders[4];
  if (newSigner === undefined) throw new Error("fixture needs a fifth outsider to add as a signer");
  const change = await nextConfigChange(ctx.vault, {
    action: ConfigAction.AddSigner,
    account: newSigner.address,
    value: 2n,
  });
  const slot = await findFreeSlot(ctx.vault);
  await ctx.vault.connect(relayer).queueConfigChange(change, slot, await signConfigChange(ctx, change, [alice, bob]));
  await time.increaseTo((await ctx.vault.queueSlot(slot)).eta);
  await ctx.vault.connect(relayer).executeConfigChange(change, slot);
  return { ctx, queuedBefore, signedBefore, signedBeforeSignatures, newSigner };
}

const ONE_ETH = ethers.parseEther("1");
const SIGNATURE_BYTES = 65;

/** The `index`-th 65-byte signature of a packed set. */
function nth(packed: string, index: number): string {
  return dataSlice(packed, index * SIGNATURE_BYTES, (index + 1) * SIGNATURE_BYTES);
}

/** The address the vault recovers from `signature` when it is presented for withdrawal `w`. */
function recoveredFor(ctx: VaultContext, w: Withdrawal, signature: string): string {
  return recoverSigner(withdrawalTypedData(ctx.domain, w), signature);
}

async function ethWithdrawal(ctx: VaultContext): Promise<Withdrawal> {
  return nextWithdrawal(ctx.vault, { asset: ETH, to: roles(ctx).recipient.address, amount: ONE_ETH });
}

describe("ReserveVault", function () {
  describe("withdrawal signatures", function () {
    it("signatures of every signer, above the threshold, all count", async function () {
      const ctx = await loadFixture(deployVault);
      const { relayer, recipient } = roles(ctx);
      const w = await ethWithdrawal(ctx);
      const signatures = await signWithdrawal(ctx, w, ctx.signers);
      const queuedAt = await pinNextTimestamp(time);
      await expect(ctx.vault.connect(relayer).queueWithdrawal(w, 0n, signatures))
        .to.emit(ctx.vault, "WithdrawalQueued")
        .withArgs(withdrawalId(ctx, w), ETH, recipient.address, ONE_ETH, 0, 0n, queuedAt + DAY);
    });

    it("a relayer cannot queue with signatures made for another chain id", async function () {
      const ctx = await loadFixture(deployVault);
      const { alice, bob, relayer } = roles(ctx);
      const w = await ethWithdrawal(ctx);
      const otherChain = vaultDomain(BigInt(ctx.domain.chainId!) + 1n, ctx.vaultAddress);
      const signatures = await signAll(withdrawalTypedData(otherChain, w), [alice, bob]);
      await expect(ctx.vault.connect(relayer).queueWithdrawal(w, 0n, signatures))
        .to.be.revertedWithCustomError(ctx.vault, "SignatureNotFromSigner")
        .withArgs(0, recoveredFor(ctx, w, nth(signatures, 0)));
    });

    it("a relayer cannot queue with signatures made for another vault", async function () {
      const { ctx, other } = await loadFixture(deployTwoVaults);
      const { alice, bob, relayer } = roles(ctx);
      const w = await ethWithdrawal(ctx);
      const signatures = await signWithdrawal(other, w, [alice, bob]);
      // The other vault accepts them: they are a genuine quorum, only for the wrong verifying contract.
      expect(await other.vault.connect(relayer).queueWithdrawal.staticCall(w, 0n, signatures)).to.equal(
        withdrawalId(other, w),
      );
      await expect(ctx.vault.connect(relayer).queueWithdrawal(w, 0n, signatures))
        .to.be.revertedWithCustomError(ctx.vault, "SignatureNotFromSigner")
        .withArgs(0, recoveredFor(ctx, w, nth(signatures, 0)));
    });

    it("a relayer cannot queue a signer's signature together with a non-signer's", async function () {
      const ctx = await loadFixture(deployVault);
      const { alice, bob, relayer, stranger } = roles(ctx);
      const w = await ethWithdrawal(ctx);
      const data = withdrawalTypedData(ctx.domain, w);
      const signed = await Promise.all([alice, bob, stranger].map((s) => signTypedData(s, data)));
      signed.sort((a, b) => compareAddresses(a.signer, b.signer));
      const strangerIndex = signed.findIndex((s) => s.signer === stranger.address);
      // alice and bob alone would meet the threshold: one bad signature still rejects the whole set.
      await expect(ctx.vault.connect(relayer).queueWithdrawal(w, 0n, concat(signed.map((s) => s.signature))))
        .to.be.revertedWithCustomError(ctx.vault, "SignatureNotFromSigner")
        .withArgs(strangerIndex, stranger.address);
    });

    it("a relayer cannot count one signer's signature twice", async function () {
      const ctx = await loadFixture(deployVault);
      const { alice, relayer } = roles(ctx);
      const w = await ethWithdrawal(ctx);
      const single = await signWithdrawal(ctx, w, [alice]);
      await expect(ctx.vault.connect(relayer).queueWithdrawal(w, 0n, concat([single, single])))
        .to.be.revertedWithCustomError(ctx.vault, "SignatureDuplicated")
        .withArgs(1, alice.address);
    });

    it("a relayer cannot submit signatures out of ascending signer order", async function () {
      const ctx = await loadFixture(deployVault);
      const { alice, bob, relayer } = roles(ctx);
      const w = await ethWithdrawal(ctx);
      const ascending = await signWithdrawal(ctx, w, [alice, bob]);
      const descending = concat([nth(ascending, 1), nth(ascending, 0)]);
      await expect(ctx.vault.connect(relayer).queueWithdrawal(w, 0n, descending))
        .to.be.revertedWithCustomError(ctx.vault, "SignaturesNotAscending")
        .withArgs(1, alice.address, bob.address);
    });

    it("a relayer cannot submit the high-s twin of a valid signature", async function () {
      const ctx = await loadFixture(deployVault);
      const { alice, bob, relayer } = roles(ctx);
      const w = await ethWithdrawal(ctx);
      const signatures = await signWithdrawal(ctx, w, [alice, bob]);
      const bobs = Signature.from(nth(signatures, 1));
      const twinS = toBeHex(N - BigInt(bobs.s), 32);
      const twinV = bobs.v === 27 ? 28 : 27;
      // The twin is a genuine signature by bob for the bare ecrecover precompile ...
      const ecrecover = await ethers.provider.call({
        to: "0x0000000000000000000000000000000000000001",
        data: concat([withdrawalId(ctx, w), zeroPadValue(toBeHex(twinV), 32), bobs.r, twinS]),
      });
      expect(getAddress(dataSlice(ecrecover, 12))).to.equal(bob.address);
      // ... and the vault rejects it as malleable.
      const twin = concat([bobs.r, twinS, toBeHex(twinV, 1)]);
      await expect(ctx.vault.connect(relayer).queueWithdrawal(w, 0n, concat([nth(signatures, 0), twin])))
        .to.be.revertedWithCustomError(ctx.vault, "SignatureInvalid")
        .withArgs(1);
    });

    it("a relayer cannot submit a signature with v = 0 instead of 27", async function () {
      const ctx = await loadFixture(deployVault);
      const { alice, relayer } = roles(ctx);
      const w = await ethWithdrawal(ctx);
      const sig = Signature.from(await signWithdrawal(ctx, w, [alice]));
      const unnormalized = concat([sig.r, sig.s, toBeHex(sig.v - 27, 1)]);
      await expect(ctx.vault.connect(relayer).queueWithdrawal(w, 0n, unnormalized))
        .to.be.revertedWithCustomError(ctx.vault, "SignatureInvalid")
        .withArgs(0);
    });

    it("a relayer cannot submit a truncated 64-byte signature", async function () {
      const ctx = await loadFixture(deployVault);
      const w = await ethWithdrawal(ctx);
      const signature = await signWithdrawal(ctx, w, [roles(ctx).alice]);
      await expect(ctx.vault.connect(roles(ctx).relayer).queueWithdrawal(w, 0n, dataSlice(signature, 0, 64)))
        .to.be.revertedWithCustomError(ctx.vault, "SignaturesLengthInvalid")
        .withArgs(64);
    });

    it("a relayer cannot submit a quorum's signatures followed by a stray byte", async function () {
      const ctx = await loadFixture(deployVault);
      const w = await ethWithdrawal(ctx);
      const signatures = await signWithdrawal(ctx, w, ctx.signers.slice(0, 2));
      await expect(ctx.vault.connect(roles(ctx).relayer).queueWithdrawal(w, 0n, concat([signatures, "0x00"])))
        .to.be.revertedWithCustomError(ctx.vault, "SignaturesLengthInvalid")
        .withArgs(2 * SIGNATURE_BYTES + 1);
    });

    it("a relayer cannot submit 65 zero bytes as a signature", async function () {
      const ctx = await loadFixture(deployVault);
      const w = await ethWithdrawal(ctx);
      await expect(ctx.vault.connect(roles(ctx).relayer).queueWithdrawal(w, 0n, new Uint8Array(SIGNATURE_BYTES)))
        .to.be.revertedWithCustomError(ctx.vault, "SignatureInvalid")
        .withArgs(0);
    });

    it("a relayer cannot submit 65 bytes of 0xff as a signature", async function () {
      const ctx = await loadFixture(deployVault);
      const w = await ethWithdrawal(ctx);
      const garbage = new Uint8Array(SIGNATURE_BYTES).fill(0xff);
      await expect(ctx.vault.connect(roles(ctx).relayer).queueWithdrawal(w, 0n, garbage))
        .to.be.revertedWithCustomError(ctx.vault, "SignatureInvalid")
        .withArgs(0);
    });

    it("a relayer cannot queue with one signature short of the threshold", async function () {
      const ctx = await loadFixture(deployVault);
      const w = await ethWithdrawal(ctx);
      await expect(
        ctx.vault.connect(roles(ctx).relayer).queueWithdrawal(w, 0n, await signWithdrawal(ctx, w, [roles(ctx).alice])),
      )
        .to.be.revertedWithCustomError(ctx.vault, "ThresholdNotMet")
        .withArgs(2, 1);
    });

    it("a relayer cannot queue with two signatures when the threshold is three", async function () {
      const ctx = await loadFixture(deployVaultThreeOfFour);
      const { alice, bob, relayer } = roles(ctx);
      const w = await ethWithdrawal(ctx);
      await expect(ctx.vault.connect(relayer).queueWithdrawal(w, 0n, await signWithdrawal(ctx, w, [alice, bob])))
        .to.be.revertedWithCustomError(ctx.vault, "ThresholdNotMet")
        .withArgs(3, 2);
    });

    it("a relayer cannot queue an unproposed withdrawal with no signatures", async function () {
      const ctx = await loadFixture(deployVault);
      const w = await ethWithdrawal(ctx);
      await expect(ctx.vault.connect(roles(ctx).relayer).queueWithdrawal(w, 0n, "0x"))
        .to.be.revertedWithCustomError(ctx.vault, "ThresholdNotMet")
        .withArgs(2, 0);
    });

    it("a relayer cannot replay a quorum's signatures after the withdrawal executed", async function () {
      const ctx = await loadFixture(deployVault);
      const { alice, bob, relayer } = roles(ctx);
      const w = await ethWithdrawal(ctx);
      const signatures = await signWithdrawal(ctx, w, [alice, bob]);
      await ctx.vault.connect(relayer).queueWithdrawal(w, 0n, signatures);
      await time.increaseTo((await ctx.vault.queueSlot(0n)).eta);
      await ctx.vault.connect(relayer).executeWithdrawal(w, 0n);
      await expect(ctx.vault.connect(relayer).queueWithdrawal(w, 1n, signatures))
        .to.be.revertedWithCustomError(ctx.vault, "NonceMismatch")
        .withArgs(0, 1);
    });

    it("a relayer cannot use a quorum's signatures for a different amount", async function () {
      const ctx = await loadFixture(deployVault);
      const w = await ethWithdrawal(ctx);
      const signatures = await signWithdrawal(ctx, w, ctx.signers.slice(0, 2));
      const larger = { ...w, amount: 50n * ONE_ETH };
      await expect(ctx.vault.connect(roles(ctx).relayer).queueWithdrawal(larger, 0n, signatures))
        .to.be.revertedWithCustomError(ctx.vault, "SignatureNotFromSigner")
        .withArgs(0, recoveredFor(ctx, larger, nth(signatures, 0)));
    });

    it("a relayer cannot use a quorum's signatures for a different recipient", async function () {
      const ctx = await loadFixture(deployVault);
      const { relayer, stranger } = roles(ctx);
      const w = await ethWithdrawal(ctx);
      const signatures = await signWithdrawal(ctx, w, ctx.signers.slice(0, 2));
      const redirected = { ...w, to: stranger.address };
      await expect(ctx.vault.connect(relayer).queueWithdrawal(redirected, 0n, signatures))
        .to.be.revertedWithCustomError(ctx.vault, "SignatureNotFromSigner")
        .withArgs(0, recoveredFor(ctx, redirected, nth(signatures, 0)));
    });
  });

  describe("signatures across an epoch change", function () {
    it("the signatures of the new signer set count in the new epoch", async function () {
      const { ctx, newSigner } = await loadFixture(deployVaultAtEpochTwo);
      const { alice, relayer, recipient } = roles(ctx);
      const w = await ethWithdrawal(ctx);
      expect(w.epoch).to.equal(2);
      const signatures = await signWithdrawal(ctx, w, [alice, newSigner]);
      const queuedAt = await pinNextTimestamp(time);
      await expect(ctx.vault.connect(relayer).queueWithdrawal(w, 1n, signatures))
        .to.emit(ctx.vault, "WithdrawalQueued")
        .withArgs(withdrawalId(ctx, w), ETH, recipient.address, ONE_ETH, 1, 1n, queuedAt + DAY);
    });

    it("a relayer cannot queue a withdrawal signed for an old epoch", async function () {
      const { ctx, signedBefore, signedBeforeSignatures } = await loadFixture(deployVaultAtEpochTwo);
      await expect(ctx.vault.connect(roles(ctx).relayer).queueWithdrawal(signedBefore, 1n, signedBeforeSignatures))
        .to.be.revertedWithCustomError(ctx.vault, "EpochMismatch")
        .withArgs(1, 2);
    });

    it("a relayer cannot use old-epoch signatures for the same withdrawal in the new epoch", async function () {
      const { ctx, signedBefore, signedBeforeSignatures } = await loadFixture(deployVaultAtEpochTwo);
      const current = { ...signedBefore, epoch: 2 };
      await expect(ctx.vault.connect(roles(ctx).relayer).queueWithdrawal(current, 1n, signedBeforeSignatures))
        .to.be.revertedWithCustomError(ctx.vault, "SignatureNotFromSigner")
        .withArgs(0, recoveredFor(ctx, current, nth(signedBeforeSignatures, 0)));
    });

    it("a relayer cannot execute a withdrawal queued in an old epoch", async function () {
      const { ctx, queuedBefore } = await loadFixture(deployVaultAtEpochTwo);
      expect(await ctx.vault.operationState(queuedBefore.id, queuedBefore.slot)).to.equal(OperationState.Ready);
      await expect(ctx.vault.connect(roles(ctx).relayer).executeWithdrawal(queuedBefore.w, queuedBefore.slot))
        .to.be.revertedWithCustomError(ctx.vault, "EpochMismatch")
        .withArgs(1, 2);
    });

    it("a relayer cannot cancel with cancellation signatures made for an old epoch", async function () {
      const { ctx, queuedBefore } = await loadFixture(deployVaultAtEpochTwo);
      const { alice, bob, relayer } = roles(ctx);
      const signatures = await signCancellation(ctx, queuedBefore.id, 1, [alice, bob]);
      const recovered = recoverSigner(cancellationTypedData(ctx.domain, queuedBefore.id, 2), nth(signatures, 0));
      await expect(ctx.vault.connect(relayer).cancel(queuedBefore.id, queuedBefore.slot, signatures))
        .to.be.revertedWithCustomError(ctx.vault, "SignatureNotFromSigner")
        .withArgs(0, recovered);
    });
  });

  describe("cancellation signatures", function () {
    it("a relayer cannot cancel a withdrawal with the quorum's signatures over the withdrawal itself", async function () {
      const ctx = await loadFixture(deployVault);
      const { alice, bob, relayer } = roles(ctx);
      const q = await queueSignedWithdrawal(ctx, { asset: ETH, to: roles(ctx).recipient.address, amount: ONE_ETH });
      const withdrawalSignatures = await signWithdrawal(ctx, q.w, [alice, bob]);
      const recovered = recoverSigner(cancellationTypedData(ctx.domain, q.id, 1), nth(withdrawalSignatures, 0));
      await expect(ctx.vault.connect(relayer).cancel(q.id, q.slot, withdrawalSignatures))
        .to.be.revertedWithCustomError(ctx.vault, "SignatureNotFromSigner")
        .withArgs(0, recovered);
    });
  });
});
