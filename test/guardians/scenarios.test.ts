/**
 * Trust scenarios, end to end with time travel, on realistic delays (scripts/lib DEFAULT_TIMINGS:
 * withdrawal 1 day, configuration 2, window 7, long delay 3, cool-off 7, recovery 3, council 4,
 * freeze at most 3 days every 10, one veto level decays per 7 days).
 *
 * Each scenario states what the vault promises when keys are lost or stolen, and asserts it on the
 * balances, the operation states, the etas and the bound the promise names.
 */
import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { Wallet, type Signer } from "ethers";
import { network } from "hardhat";

import {
  cancellationTypedData,
  compareAddresses,
  ConfigAction,
  configChangeTypedData,
  councilChangeTypedData,
  DEFAULT_TIMINGS,
  digest,
  ETH,
  findFreeSlot,
  freezeTypedData,
  nextConfigChange,
  nextWithdrawal,
  OperationState,
  packSignatures,
  readOperation,
  recoveryTypedData,
  signTypedData,
  unfreezeTypedData,
  vetoTypedData,
  withdrawalTypedData,
  type ConfigChange,
  type CouncilChange,
  type Recovery,
  type TypedData,
  type Withdrawal,
} from "../../scripts/lib/index.js";
import { DAY, HOUR, makeVaultFixture, roles, type VaultContext } from "../helpers/vault.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;

const T = DEFAULT_TIMINGS;
const ONE_ETH = ethers.parseEther("1");
/** What makeVaultFixture deposits. */
const VAULT_ETH = ethers.parseEther("100");

/** 2-of-3 signers, 2-of-3 guardians, council 4 of 6. */
const deploy2of3 = makeVaultFixture(ethers, { ...DEFAULT_TIMINGS });
/** 3-of-5 signers, 2-of-3 guardians, council 5 of 8. */
const deploy3of5 = makeVaultFixture(ethers, { ...DEFAULT_TIMINGS, signerCount: 5, threshold: 3 });
/**
 * 5-of-6 signers, 3-of-5 guardians, council 6 of 11: the smallest shape of the kind in which the
 * council outlives the loss of K guardians *and* N − M + 1 signers. That needs
 * (M − 1) + (G − K) >= C > max(M, K, (N + G) / 2); with 2-of-3 / 2-of-3 it leaves 2 keys of C = 4.
 */
const deploy5of6 = makeVaultFixture(ethers, {
  ...DEFAULT_TIMINGS,
  signerCount: 6,
  threshold: 5,
  guardianCount: 5,
  guardianThreshold: 3,
});

// =============================================================================================
// Helpers: typed data from scripts/lib, signed by any keys, submitted by an outsider
// =============================================================================================

/** `n` deterministic fresh keys (never a fixture account), sorted by address. */
function freshKeys(label: string, n: number): Wallet[] {
  return Array.from({ length: n }, (_, i) => new Wallet(ethers.id(`trust scenario ${label} ${i}`))).sort((a, b) =>
    compareAddresses(a.address, b.address),
  );
}

function sorted(addresses: readonly string[]): string[] {
  return [...addresses].sort(compareAddresses);
}

/** Signatures of `keys` over `data`, packed ascending (across signers and guardians alike). */
async function sign(data: TypedData, keys: readonly Signer[]): Promise<string> {
  return packSignatures(await Promise.all(keys.map((k) => signTypedData(k, data))));
}

async function now(): Promise<bigint> {
  return BigInt(await time.latest());
}

/** The next block (the next transaction) happens at `t`. */
async function at(t: bigint): Promise<void> {
  await time.setNextBlockTimestamp(t);
}

/**
 * The next transaction happens at `t - 1`. A transaction that reverts is never mined (its gas
 * estimate, run in the pending block at `t - 1`, reverts first), so the pin stays until `at`.
 */
async function justBefore(t: bigint): Promise<void> {
  await time.setNextBlockTimestamp(t - 1n);
}

async function balanceOf(address: string): Promise<bigint> {
  return ethers.provider.getBalance(address);
}

async function signerEpoch(ctx: VaultContext): Promise<number> {
  return Number((await ctx.vault.configuration()).epoch);
}

async function guardianEpoch(ctx: VaultContext): Promise<number> {
  return Number((await ctx.guardianModule.guardianCounts()).guardianEpoch);
}

function relayerOf(ctx: VaultContext): HardhatEthersSigner {
  return roles(ctx).relayer;
}

interface Queued {
  w: Withdrawal;
  id: string;
  slot: bigint;
  eta: bigint;
}

/** Queues an ETH withdrawal of the next nonce signed by `keys`, submitted by the relayer (at `when`). */
async function queueEth(ctx: VaultContext, keys: readonly Signer[], to: string, amount: bigint, when?: bigint) {
  const w = await nextWithdrawal(ctx.vault, { asset: ETH, to, amount });
  const slot = await findFreeSlot(ctx.vault);
  const signatures = await sign(withdrawalTypedData(ctx.domain, w), keys);
  if (when !== undefined) await at(when);
  await ctx.vault.connect(relayerOf(ctx)).queueWithdrawal(w, slot, signatures);
  const { eta } = await ctx.vault.queueSlot(slot);
  return { w, id: digest(withdrawalTypedData(ctx.domain, w)), slot, eta } satisfies Queued;
}

/** Queues configuration change `c` signed by `keys` in a free slot; returns the slot and eta. */
async function queueConfig(ctx: VaultContext, c: ConfigChange, keys: readonly Signer[], when?: bigint) {
  const slot = await findFreeSlot(ctx.vault);
  const signatures = await sign(configChangeTypedData(ctx.domain, c), keys);
  if (when !== undefined) await at(when);
  await ctx.vault.connect(relayerOf(ctx)).queueConfigChange(c, slot, signatures);
  const { eta } = await ctx.vault.queueSlot(slot);
  return { id: digest(configChangeTypedData(ctx.domain, c)), slot, eta };
}

/** The guardians' veto of `op`, signed by `guardians`, submitted by the relayer. */
async function veto(ctx: VaultContext, op: { id: string; slot: bigint }, guardians: readonly Signer[]) {
  const signatures = await sign(vetoTypedData(ctx.guardianDomain, op.id, await guardianEpoch(ctx)), guardians);
  return ctx.guardianModule.connect(relayerOf(ctx)).veto(op.id, op.slot, signatures);
}

/** The next freeze, signed by `guardians`. */
async function freeze(ctx: VaultContext, guardians: readonly Signer[]) {
  const { freezeCount } = await ctx.guardianModule.guardianStatus();
  const data = freezeTypedData(ctx.guardianDomain, Number(freezeCount), await guardianEpoch(ctx));
  return ctx.guardianModule.connect(relayerOf(ctx)).freeze(await sign(data, guardians));
}

/** Lifting the current freeze, signed by `signers`. */
async function unfreeze(ctx: VaultContext, signers: readonly Signer[]) {
  const { freezeCount } = await ctx.guardianModule.guardianStatus();
  const data = unfreezeTypedData(ctx.guardianDomain, Number(freezeCount) - 1, await signerEpoch(ctx));
  return ctx.guardianModule.connect(relayerOf(ctx)).unfreeze(await sign(data, signers));
}

/** A recovery to `signers` (any order) and `threshold`, for the module's next nonce and epoch. */
async function recoveryTo(ctx: VaultContext, signers: readonly string[], threshold: bigint): Promise<Recovery> {
  const { recoveryNonce } = await ctx.guardianModule.guardianStatus();
  return { signers: sorted(signers), threshold, nonce: Number(recoveryNonce), guardianEpoch: await guardianEpoch(ctx) };
}

function recoveryId(ctx: VaultContext, r: Recovery): string {
  return digest(recoveryTypedData(ctx.guardianDomain, r));
}

async function queueRecovery(ctx: VaultContext, r: Recovery, guardians: readonly Signer[]) {
  const signatures = await sign(recoveryTypedData(ctx.guardianDomain, r), guardians);
  return ctx.guardianModule.connect(relayerOf(ctx)).queueRecovery(r, signatures);
}

/** The signer quorum's cancellation of recovery `id` (module domain), signed by `signers`. */
async function cancelRecovery(ctx: VaultContext, id: string, signers: readonly Signer[]) {
  const data = cancellationTypedData(ctx.guardianDomain, id, await signerEpoch(ctx));
  return ctx.guardianModule.connect(relayerOf(ctx)).cancelRecovery(id, await sign(data, signers));
}

/** A council change for the module's next council nonce; an omitted group is kept. */
async function councilChange(
  ctx: VaultContext,
  fields: {
    signers?: string[];
    threshold?: bigint;
    guardians?: string[];
    guardianThreshold?: bigint;
    councilThreshold: bigint;
  },
): Promise<CouncilChange> {
  const { councilNonce } = await ctx.guardianModule.guardianStatus();
  return {
    signers: sorted(fields.signers ?? []),
    threshold: fields.threshold ?? 0n,
    guardians: sorted(fields.guardians ?? []),
    guardianThreshold: fields.guardianThreshold ?? 0n,
    councilThreshold: fields.councilThreshold,
    nonce: Number(councilNonce),
  };
}

function councilId(ctx: VaultContext, c: CouncilChange): string {
  return digest(councilChangeTypedData(ctx.guardianDomain, c));
}

async function queueCouncil(ctx: VaultContext, c: CouncilChange, keys: readonly Signer[]) {
  const signatures = await sign(councilChangeTypedData(ctx.guardianDomain, c), keys);
  return ctx.guardianModule.connect(relayerOf(ctx)).queueCouncilChange(c, signatures);
}

/** All subsets of `items` of size `k`. */
function subsets<X>(items: readonly X[], k: number): X[][] {
  if (k === 0) return [[]];
  if (items.length < k) return [];
  const [head, ...tail] = items;
  return [...subsets(tail, k - 1).map((s) => [head!, ...s]), ...subsets(tail, k)];
}

// =============================================================================================
// Scenarios
// =============================================================================================

describe("Trust scenarios (realistic delays)", function () {
  describe("at most N − M signer keys lost", function () {
    it("the remaining 2 of a 2-of-3 keep withdrawing unchanged and replace the lost key by replaceSigner", async function () {
      const ctx = await loadFixture(deploy2of3);
      const { alice: lost, bob, carol, recipient } = roles(ctx);
      const remaining = [bob, carol];

      const t0 = (await now()) + 1n;
      const q = await queueEth(ctx, remaining, recipient.address, ONE_ETH, t0);
      expect(q.eta).to.equal(t0 + T.withdrawalDelay);
      await at(q.eta);
      await expect(ctx.vault.executeWithdrawal(q.w, q.slot)).to.changeEtherBalances(
        ethers,
        [ctx.vault, recipient],
        [-ONE_ETH, ONE_ETH],
      );

      const [replacement] = freshKeys("replacement", 1) as [Wallet];
      const c = await nextConfigChange(ctx.vault, {
        action: ConfigAction.ReplaceSigner,
        account: lost.address,
        replacement: replacement.address,
      });
      const t1 = (await now()) + 1n;
      const change = await queueConfig(ctx, c, remaining, t1);
      expect(change.eta).to.equal(t1 + T.configDelay);
      await at(change.eta);
      await expect(ctx.vault.executeConfigChange(c, change.slot))
        .to.emit(ctx.vault, "SignerRemoved")
        .withArgs(lost.address)
        .and.to.emit(ctx.vault, "SignerAdded")
        .withArgs(replacement.address);
      expect(await ctx.vault.signers()).to.deep.equal(sorted([bob.address, carol.address, replacement.address]));
      const config = await ctx.vault.configuration();
      expect([config.epoch, config.threshold, config.signerCount]).to.deep.equal([2n, 2n, 3n]);

      // The lost key, if it turns up in a thief's hands, signs for nobody now.
      const stale = await nextWithdrawal(ctx.vault, { asset: ETH, to: recipient.address, amount: ONE_ETH });
      await expect(
        ctx.vault.queueWithdrawal(stale, 0n, await sign(withdrawalTypedData(ctx.domain, stale), [lost, bob])),
      )
        .to.be.revertedWithCustomError(ctx.vault, "SignatureNotFromSigner")
        .withArgs(anyValue, lost.address);

      // The replacement signs with an old signer; no cool-off: the ordinary withdrawal delay.
      const t2 = (await now()) + 1n;
      const next = await queueEth(ctx, [replacement, carol], recipient.address, ONE_ETH, t2);
      expect(next.eta).to.equal(t2 + T.withdrawalDelay);
      await at(next.eta);
      await ctx.vault.executeWithdrawal(next.w, next.slot);
      expect(await balanceOf(ctx.vaultAddress)).to.equal(VAULT_ETH - 2n * ONE_ETH);
    });

    it("the remaining 3 of a 3-of-5 that lost two keys keep withdrawing and replace both, one change after the other", async function () {
      const ctx = await loadFixture(deploy3of5);
      const { recipient } = roles(ctx);
      const lost = ctx.signers.slice(0, 2);
      const remaining = ctx.signers.slice(2);

      const q = await queueEth(ctx, remaining, recipient.address, ONE_ETH);
      await at(q.eta);
      await expect(ctx.vault.executeWithdrawal(q.w, q.slot)).to.changeEtherBalance(ethers, recipient, ONE_ETH);

      const replacements = freshKeys("3-of-5 replacement", 2);
      for (const [i, key] of lost.entries()) {
        const c = await nextConfigChange(ctx.vault, {
          action: ConfigAction.ReplaceSigner,
          account: key.address,
          replacement: replacements[i]!.address,
        });
        const tq = (await now()) + 1n;
        const change = await queueConfig(ctx, c, remaining, tq);
        expect(change.eta).to.equal(tq + T.configDelay);
        await at(change.eta);
        await ctx.vault.executeConfigChange(c, change.slot);
      }
      expect(await ctx.vault.signers()).to.deep.equal(
        sorted([...remaining.map((s) => s.address), ...replacements.map((k) => k.address)]),
      );
      expect((await ctx.vault.configuration()).threshold).to.equal(3n);

      const mixed = [replacements[0]!, replacements[1]!, remaining[0]!];
      const next = await queueEth(ctx, mixed, recipient.address, ONE_ETH);
      await at(next.eta);
      await ctx.vault.executeWithdrawal(next.w, next.slot);
      expect(await balanceOf(ctx.vaultAddress)).to.equal(VAULT_ETH - 2n * ONE_ETH);
    });
  });

  describe("more than N − M signer keys lost", function () {
    /** Guardians notice the loss and queue the recovery 50 minutes later … */
    const GUARDIAN_REACTION = 50n * 60n;
    /** … and the new signers queue their first withdrawal 10 minutes after it executes. */
    const SIGNER_REACTION = 10n * 60n;
    const REACTION = GUARDIAN_REACTION + SIGNER_REACTION;

    it("guardians recover a 2-of-3 that lost two keys: the first new withdrawal executes within recoveryDelay + longDelay + reaction", async function () {
      const ctx = await loadFixture(deploy2of3);
      const { carol, recipient, relayer } = roles(ctx);
      const [g0, g1] = ctx.guardians as [HardhatEthersSigner, HardhatEthersSigner];
      const tLoss = await now(); // alice's and bob's keys are gone from here on

      // Carol alone is below the threshold: nothing can be queued, and she cannot cancel alone.
      const stuck = await nextWithdrawal(ctx.vault, { asset: ETH, to: recipient.address, amount: ONE_ETH });
      await expect(ctx.vault.queueWithdrawal(stuck, 0n, await sign(withdrawalTypedData(ctx.domain, stuck), [carol])))
        .to.be.revertedWithCustomError(ctx.vault, "ThresholdNotMet")
        .withArgs(2, 1);

      const newKeys = freshKeys("recovered signer", 2);
      const r = await recoveryTo(ctx, [carol.address, ...newKeys.map((k) => k.address)], 2n);
      const id = recoveryId(ctx, r);
      expect(await ctx.guardianModule.recoveryId(r)).to.equal(id);
      const tQueued = tLoss + GUARDIAN_REACTION;
      const eta = tQueued + T.recoveryDelay;
      await at(tQueued);
      await expect(queueRecovery(ctx, r, [g0, g1]))
        .to.emit(ctx.guardianModule, "RecoveryQueued")
        .withArgs(id, r.signers, r.threshold, eta);
      await expect(cancelRecovery(ctx, id, [carol]))
        .to.be.revertedWithCustomError(ctx.guardianModule, "ThresholdNotMet")
        .withArgs(2, 1);

      await justBefore(eta);
      await expect(ctx.guardianModule.executeRecovery(r))
        .to.be.revertedWithCustomError(ctx.guardianModule, "OperationNotReady")
        .withArgs(id, eta, anyValue);
      await at(eta);
      await expect(ctx.guardianModule.connect(relayer).executeRecovery(r))
        .to.emit(ctx.guardianModule, "RecoveryExecuted")
        .withArgs(id, eta + T.coolOff);
      expect(await ctx.vault.signers()).to.deep.equal(r.signers);
      expect((await ctx.vault.configuration()).epoch).to.equal(2n);

      // During the cool-off a new withdrawal waits the long delay, not the withdrawal delay.
      const tFirst = eta + SIGNER_REACTION;
      const first = await queueEth(ctx, newKeys, recipient.address, ONE_ETH, tFirst);
      expect(first.eta).to.equal(tFirst + T.longDelay);
      await justBefore(first.eta);
      await expect(ctx.vault.executeWithdrawal(first.w, first.slot)).to.be.revertedWithCustomError(
        ctx.vault,
        "OperationNotReady",
      );
      await at(first.eta);
      await expect(ctx.vault.executeWithdrawal(first.w, first.slot)).to.changeEtherBalance(ethers, recipient, ONE_ETH);

      const downtime = (await now()) - tLoss;
      expect(downtime).to.equal(T.recoveryDelay + T.longDelay + REACTION);
      expect(downtime).to.be.at.most(T.recoveryDelay + T.longDelay + REACTION);

      // After the cool-off, withdrawals wait the ordinary delay again.
      const tAfter = eta + T.coolOff;
      const later = await queueEth(ctx, [carol, newKeys[0]!], recipient.address, ONE_ETH, tAfter);
      expect(later.eta).to.equal(tAfter + T.withdrawalDelay);
    });
  });

  describe("signers and guardians partly lost: the council", function () {
    it("any 4 of the 6 keys of a 2-of-3 / 2-of-3 vault (C = 4) can queue a council change, no 3 of them can", async function () {
      const ctx = await loadFixture(deploy2of3);
      const keys = [...ctx.signers, ...ctx.guardians];
      const c = await councilChange(ctx, {
        signers: freshKeys("council signer", 3).map((k) => k.address),
        threshold: 2n,
        councilThreshold: 4n,
      });
      const id = councilId(ctx, c);
      expect(await ctx.guardianModule.councilChangeId(c)).to.equal(id);
      const data = councilChangeTypedData(ctx.guardianDomain, c);
      const module = ctx.guardianModule.connect(relayerOf(ctx));
      for (const remaining of subsets(keys, 4)) {
        expect(await module.queueCouncilChange.staticCall(c, await sign(data, remaining))).to.equal(id);
      }
      for (const remaining of subsets(keys, 3)) {
        await expect(module.queueCouncilChange(c, await sign(data, remaining)))
          .to.be.revertedWithCustomError(ctx.guardianModule, "ThresholdNotMet")
          .withArgs(4, 3);
      }
      // A member who submits and also signs counts once, never twice: C − 1 keys stay C − 1.
      const [g0] = ctx.guardians as [HardhatEthersSigner];
      await expect(
        ctx.guardianModule.connect(g0).queueCouncilChange(c, await sign(data, [g0, ...ctx.signers.slice(0, 2)])),
      )
        .to.be.revertedWithCustomError(ctx.guardianModule, "ThresholdNotMet")
        .withArgs(4, 3);
    });

    it("one signer and one guardian lost: the 4 remaining keys replace both after the council delay", async function () {
      const ctx = await loadFixture(deploy2of3);
      const { alice: lostSigner, bob, carol, recipient } = roles(ctx);
      const [lostGuardian, g1, g2] = ctx.guardians as [HardhatEthersSigner, HardhatEthersSigner, HardhatEthersSigner];
      const [newSigner] = freshKeys("council new signer", 1) as [Wallet];
      const [newGuardian] = freshKeys("council new guardian", 1) as [Wallet];
      const c = await councilChange(ctx, {
        signers: [bob.address, carol.address, newSigner.address],
        threshold: 2n,
        guardians: [g1.address, g2.address, newGuardian.address],
        guardianThreshold: 2n,
        councilThreshold: 4n,
      });
      const id = councilId(ctx, c);
      const tq = (await now()) + 1n;
      await at(tq);
      await expect(queueCouncil(ctx, c, [bob, carol, g1, g2]))
        .to.emit(ctx.guardianModule, "CouncilChangeQueued")
        .withArgs(id, anyValue, 4, tq + T.councilDelay);

      await justBefore(tq + T.councilDelay);
      await expect(ctx.guardianModule.executeCouncilChange(c))
        .to.be.revertedWithCustomError(ctx.guardianModule, "OperationNotReady")
        .withArgs(id, tq + T.councilDelay, anyValue);
      await at(tq + T.councilDelay);
      await expect(ctx.guardianModule.executeCouncilChange(c))
        .to.emit(ctx.guardianModule, "CouncilChangeExecuted")
        .withArgs(id)
        .and.to.emit(ctx.vault, "SignerRemoved")
        .withArgs(lostSigner.address)
        .and.to.emit(ctx.guardianModule, "GuardianRemoved")
        .withArgs(lostGuardian.address);
      expect(await ctx.vault.signers()).to.deep.equal(c.signers);
      expect(await ctx.guardianModule.guardians()).to.deep.equal(c.guardians);
      const counts = await ctx.guardianModule.guardianCounts();
      expect([
        counts.guardianEpoch,
        counts.guardianCount,
        counts.guardianThreshold,
        counts.councilThreshold,
      ]).to.deep.equal([2n, 3n, 2n, 4n]);

      // No cool-off after a council change: the ordinary withdrawal delay.
      const t1 = (await now()) + 1n;
      const q = await queueEth(ctx, [newSigner, bob], recipient.address, ONE_ETH, t1);
      expect(q.eta).to.equal(t1 + T.withdrawalDelay);
      await at(q.eta);
      await expect(ctx.vault.executeWithdrawal(q.w, q.slot)).to.changeEtherBalance(ethers, recipient, ONE_ETH);
    });

    it("a newer council change supersedes a pending one, which can then never execute", async function () {
      const ctx = await loadFixture(deploy2of3);
      const keys = [...ctx.signers.slice(0, 2), ...ctx.guardians.slice(0, 2)];
      const first = await councilChange(ctx, {
        signers: freshKeys("first council", 3).map((k) => k.address),
        threshold: 2n,
        councilThreshold: 4n,
      });
      await queueCouncil(ctx, first, keys);
      const second = await councilChange(ctx, {
        signers: freshKeys("second council", 3).map((k) => k.address),
        threshold: 2n,
        councilThreshold: 4n,
      });
      expect(second.nonce).to.equal(first.nonce + 1);
      const tq = (await now()) + 1n;
      await at(tq);
      await expect(queueCouncil(ctx, second, keys))
        .to.emit(ctx.guardianModule, "CouncilChangeSuperseded")
        .withArgs(councilId(ctx, first));
      await at(tq + T.councilDelay);
      await expect(ctx.guardianModule.executeCouncilChange(first))
        .to.be.revertedWithCustomError(ctx.guardianModule, "CouncilChangeNotQueued")
        .withArgs(councilId(ctx, first));
      await ctx.guardianModule.executeCouncilChange(second);
      expect(await ctx.vault.signers()).to.deep.equal(second.signers);
    });

    it("5-of-6 / 3-of-5 (C = 6): with K guardians and N − M + 1 signers lost neither group can act, the 6 remaining keys can, 5 cannot", async function () {
      const ctx = await loadFixture(deploy5of6);
      const { recipient } = roles(ctx);
      const remainingSigners = ctx.signers.slice(2); // 2 > N − M = 1 lost
      const remainingGuardians = ctx.guardians.slice(3); // K = 3 lost
      expect(ctx.councilThreshold).to.equal(6);

      const w = await nextWithdrawal(ctx.vault, { asset: ETH, to: recipient.address, amount: ONE_ETH });
      await expect(ctx.vault.queueWithdrawal(w, 0n, await sign(withdrawalTypedData(ctx.domain, w), remainingSigners)))
        .to.be.revertedWithCustomError(ctx.vault, "ThresholdNotMet")
        .withArgs(5, 4);
      const r = await recoveryTo(
        ctx,
        freshKeys("5-of-6 recovery", 5).map((k) => k.address),
        3n,
      );
      await expect(queueRecovery(ctx, r, remainingGuardians))
        .to.be.revertedWithCustomError(ctx.guardianModule, "ThresholdNotMet")
        .withArgs(3, 2);

      const newSigners = freshKeys("5-of-6 new signer", 2);
      const newGuardians = freshKeys("5-of-6 new guardian", 3);
      const c = await councilChange(ctx, {
        signers: [...remainingSigners.map((s) => s.address), ...newSigners.map((k) => k.address)],
        threshold: 5n,
        guardians: [...remainingGuardians.map((g) => g.address), ...newGuardians.map((k) => k.address)],
        guardianThreshold: 3n,
        councilThreshold: 6n,
      });
      const remaining = [...remainingSigners, ...remainingGuardians];
      await expect(queueCouncil(ctx, c, remaining.slice(1)))
        .to.be.revertedWithCustomError(ctx.guardianModule, "ThresholdNotMet")
        .withArgs(6, 5);

      const tq = (await now()) + 1n;
      await at(tq);
      await expect(queueCouncil(ctx, c, remaining))
        .to.emit(ctx.guardianModule, "CouncilChangeQueued")
        .withArgs(councilId(ctx, c), anyValue, 6, tq + T.councilDelay);
      await at(tq + T.councilDelay);
      await ctx.guardianModule.executeCouncilChange(c);
      expect(await ctx.vault.signers()).to.deep.equal(c.signers);
      expect(await ctx.guardianModule.guardians()).to.deep.equal(c.guardians);

      const q = await queueEth(ctx, [...newSigners, ...remainingSigners.slice(0, 3)], recipient.address, ONE_ETH);
      await at(q.eta);
      await expect(ctx.vault.executeWithdrawal(q.w, q.slot)).to.changeEtherBalance(ethers, recipient, ONE_ETH);
    });
  });

  describe("compromised signer quorum (alice and bob stolen; carol and the guardians honest)", function () {
    /** The thieves queue a withdrawal of everything to themselves. */
    async function drainQueued() {
      const ctx = await deploy2of3();
      const { alice, bob, stranger: thief } = roles(ctx);
      const attackers = [alice, bob];
      const drain = await queueEth(ctx, attackers, thief.address, VAULT_ETH);
      return { ctx, attackers, thief, drain, thiefBalance: await balanceOf(thief.address) };
    }

    /** A guardian vetoed the drain, the guardians' recovery was cancelled by the thieves, the council queued. */
    async function councilQueued() {
      const s = await drainQueued();
      const { ctx, attackers, drain } = s;
      const { carol } = roles(ctx);
      await veto(ctx, drain, ctx.guardians.slice(0, 1));
      const newKeys = freshKeys("honest signer", 2);
      const newSigners = [carol.address, ...newKeys.map((k) => k.address)];
      const r = await recoveryTo(ctx, newSigners, 2n);
      await queueRecovery(ctx, r, ctx.guardians.slice(0, 2));
      await cancelRecovery(ctx, recoveryId(ctx, r), attackers);
      const c = await councilChange(ctx, { signers: newSigners, threshold: 2n, councilThreshold: 4n });
      const tCouncil = (await now()) + 1n;
      await at(tCouncil);
      await queueCouncil(ctx, c, [carol, ...ctx.guardians]);
      return { ...s, newKeys, c, id: councilId(ctx, c), eta: tCouncil + T.councilDelay };
    }

    it("a single guardian vetoes the drain, which then never executes", async function () {
      const { ctx, drain, thief, thiefBalance } = await loadFixture(drainQueued);
      const [g0] = ctx.guardians as [HardhatEthersSigner];
      expect(await ctx.guardianModule.vetoRequirement()).to.deep.equal([0n, 1n]);
      await expect(ctx.guardianModule.connect(g0).veto(drain.id, drain.slot, "0x"))
        .to.emit(ctx.guardianModule, "OperationVetoed")
        .withArgs(drain.id, drain.slot, 1, 1)
        .and.to.emit(ctx.vault, "OperationCancelled")
        .withArgs(drain.id, drain.slot);
      expect((await readOperation(ctx.vault, drain.id, drain.slot)).state).to.equal(OperationState.Cancelled);
      await at(drain.eta);
      await expect(ctx.vault.executeWithdrawal(drain.w, drain.slot))
        .to.be.revertedWithCustomError(ctx.vault, "OperationNotQueued")
        .withArgs(drain.id, drain.slot);
      expect(await balanceOf(ctx.vaultAddress)).to.equal(VAULT_ETH);
      expect(await balanceOf(thief.address)).to.equal(thiefBalance);
    });

    it("the thieves cancel the guardians' recovery: a signer quorum may cancel any recovery", async function () {
      const { ctx, attackers } = await loadFixture(drainQueued);
      const { carol } = roles(ctx);
      const r = await recoveryTo(ctx, [carol.address, ...freshKeys("honest signer", 2).map((k) => k.address)], 2n);
      const id = recoveryId(ctx, r);
      const tq = (await now()) + 1n;
      await at(tq);
      await queueRecovery(ctx, r, ctx.guardians.slice(0, 2));
      await expect(cancelRecovery(ctx, id, attackers))
        .to.emit(ctx.guardianModule, "RecoveryCancelled")
        .withArgs(id);
      await at(tq + T.recoveryDelay);
      await expect(ctx.guardianModule.executeRecovery(r))
        .to.be.revertedWithCustomError(ctx.guardianModule, "RecoveryNotQueued")
        .withArgs(id);
    });

    it("the thieves cannot cancel, veto or supersede the council change that replaces them", async function () {
      const { ctx, attackers, c, id } = await loadFixture(councilQueued);
      const [alice, bob] = attackers as [HardhatEthersSigner, HardhatEthersSigner];
      const epoch = await signerEpoch(ctx);
      // Not a vault operation: the vault's quorum cancellation finds nothing in any slot.
      await expect(ctx.vault.cancel(id, 0n, await sign(cancellationTypedData(ctx.domain, id, epoch), attackers)))
        .to.be.revertedWithCustomError(ctx.vault, "NothingToCancel")
        .withArgs(id, 0n);
      // Not a recovery: the module's quorum cancellation refuses it.
      await expect(cancelRecovery(ctx, id, attackers))
        .to.be.revertedWithCustomError(ctx.guardianModule, "RecoveryNotQueued")
        .withArgs(id);
      // Signers are no guardians; and even the guardians could not veto it (not in the vault's queue).
      const [, required] = await ctx.guardianModule.vetoRequirement();
      await expect(ctx.guardianModule.connect(alice).veto(id, 0n, "0x"))
        .to.be.revertedWithCustomError(ctx.guardianModule, "VetoThresholdNotMet")
        .withArgs(required, 0);
      await expect(veto(ctx, { id, slot: 0n }, ctx.guardians))
        .to.be.revertedWithCustomError(ctx.guardianModule, "NotVetoable")
        .withArgs(id, 0n);
      // Two keys of six cannot supersede it with a council change of their own.
      const theirs = await councilChange(ctx, {
        signers: [alice.address, bob.address, roles(ctx).stranger.address],
        threshold: 2n,
        councilThreshold: 4n,
      });
      await expect(
        ctx.guardianModule
          .connect(alice)
          .queueCouncilChange(theirs, await sign(councilChangeTypedData(ctx.guardianDomain, theirs), [bob])),
      )
        .to.be.revertedWithCustomError(ctx.guardianModule, "ThresholdNotMet")
        .withArgs(4, 2);
      expect((await ctx.guardianModule.pending()).councilQueued).to.equal(true);
      expect((await ctx.guardianModule.guardianStatus()).councilNonce).to.equal(BigInt(c.nonce + 1));
    });

    it("end to end: every further attack is vetoed, the council replaces the signers, and no funds leave", async function () {
      const { ctx, attackers, thief, thiefBalance, c, id, eta, newKeys } = await loadFixture(councilQueued);
      const [g0, g1, g2] = ctx.guardians as [HardhatEthersSigner, HardhatEthersSigner, HardhatEthersSigner];
      const { carol, recipient } = roles(ctx);

      // The veto requirement climbs 2, 3, then stays at G = 3: three honest guardians veto without limit.
      const drain2 = await queueEth(ctx, attackers, thief.address, VAULT_ETH);
      expect((await ctx.guardianModule.vetoRequirement()).required).to.equal(2n);
      await expect(veto(ctx, drain2, [g0]))
        .to.be.revertedWithCustomError(ctx.guardianModule, "VetoThresholdNotMet")
        .withArgs(2, 1);
      await expect(veto(ctx, drain2, [g0, g1]))
        .to.emit(ctx.guardianModule, "OperationVetoed")
        .withArgs(drain2.id, drain2.slot, 2, 2);
      for (const n of [1, 2, 3]) {
        const drain = await queueEth(ctx, attackers, thief.address, VAULT_ETH / BigInt(n + 1));
        await expect(veto(ctx, drain, ctx.guardians))
          .to.emit(ctx.guardianModule, "OperationVetoed")
          .withArgs(drain.id, drain.slot, 3, 3);
      }
      // Nor can they weaken the guardians: a removeGuardian change is vetoed like any operation.
      const weaken = await nextConfigChange(ctx.vault, {
        action: ConfigAction.RemoveGuardian,
        account: g2.address,
        value: 2n,
      });
      const queuedWeaken = await queueConfig(ctx, weaken, attackers);
      await veto(ctx, queuedWeaken, ctx.guardians);
      // A freeze is no defence against the signer quorum (it may lift one); the veto is.
      await freeze(ctx, [g0, g1]);
      await expect(unfreeze(ctx, attackers)).to.emit(ctx.guardianModule, "Unfrozen");

      // A drain queued just before the council executes, left alone: the new epoch kills it.
      const late = await queueEth(ctx, attackers, thief.address, VAULT_ETH, eta - HOUR);
      await at(eta);
      await expect(ctx.guardianModule.connect(relayerOf(ctx)).executeCouncilChange(c))
        .to.emit(ctx.guardianModule, "CouncilChangeExecuted")
        .withArgs(id);
      expect(await ctx.vault.signers()).to.deep.equal(c.signers);
      expect((await ctx.vault.configuration()).epoch).to.equal(2n);
      await at(late.eta);
      await expect(ctx.vault.executeWithdrawal(late.w, late.slot))
        .to.be.revertedWithCustomError(ctx.vault, "EpochMismatch")
        .withArgs(1, 2);
      // The thieves' keys sign for nobody now.
      const w = await nextWithdrawal(ctx.vault, { asset: ETH, to: thief.address, amount: VAULT_ETH });
      await expect(
        ctx.vault.queueWithdrawal(w, 0n, await sign(withdrawalTypedData(ctx.domain, w), attackers)),
      ).to.be.revertedWithCustomError(ctx.vault, "SignatureNotFromSigner");

      expect(await balanceOf(ctx.vaultAddress)).to.equal(VAULT_ETH);
      expect(await balanceOf(thief.address)).to.equal(thiefBalance);

      // The honest signers withdraw with the ordinary delay (a council change starts no cool-off).
      const t1 = (await now()) + 1n;
      const q = await queueEth(ctx, [carol, newKeys[0]!], recipient.address, ONE_ETH, t1);
      expect(q.eta).to.equal(t1 + T.withdrawalDelay);
      await at(q.eta);
      await expect(ctx.vault.executeWithdrawal(q.w, q.slot)).to.changeEtherBalance(ethers, recipient, ONE_ETH);
    });
  });

  describe("compromised guardian quorum (two of three guardians stolen; the signers and one guardian honest)", function () {
    function split(ctx: VaultContext) {
      const [g0, g1, honest] = ctx.guardians as [HardhatEthersSigner, HardhatEthersSigner, HardhatEthersSigner];
      return { attackers: [g0, g1], honest };
    }

    it("its recoveries are cancelled by the signers, one after the other", async function () {
      const ctx = await loadFixture(deploy2of3);
      const { attackers } = split(ctx);
      const { alice, bob } = roles(ctx);
      const before = await ctx.vault.signers();
      for (const round of [0, 1, 2]) {
        const r = await recoveryTo(
          ctx,
          freshKeys(`thief signer ${round}`, 2).map((k) => k.address),
          1n,
        );
        const id = recoveryId(ctx, r);
        const tq = (await now()) + 1n;
        await at(tq);
        await queueRecovery(ctx, r, attackers);
        await expect(cancelRecovery(ctx, id, [alice, bob]))
          .to.emit(ctx.guardianModule, "RecoveryCancelled")
          .withArgs(id);
        await at(tq + T.recoveryDelay);
        await expect(ctx.guardianModule.executeRecovery(r))
          .to.be.revertedWithCustomError(ctx.guardianModule, "RecoveryNotQueued")
          .withArgs(id);
      }
      expect(await ctx.vault.signers()).to.deep.equal(before);
      expect((await ctx.vault.configuration()).epoch).to.equal(1n);
    });

    it("its freezes are bounded: each lasts maxFreeze, the next waits freezeCooldown, at most maxFreeze of every maxFreeze + freezeCooldown", async function () {
      const ctx = await loadFixture(deploy2of3);
      const { attackers } = split(ctx);
      const { alice, bob, recipient } = roles(ctx);

      const t0 = (await now()) + 1n;
      const q = await queueEth(ctx, [alice, bob], recipient.address, ONE_ETH, t0);
      const tFreeze1 = t0 + 1n;
      const until1 = tFreeze1 + T.maxFreeze;
      await at(tFreeze1);
      await expect(freeze(ctx, attackers))
        .to.emit(ctx.guardianModule, "Frozen")
        .withArgs(until1, until1 + T.freezeCooldown, 2);
      expect(await ctx.vault.frozenUntil()).to.equal(until1);

      await at(q.eta);
      await expect(ctx.vault.executeWithdrawal(q.w, q.slot))
        .to.be.revertedWithCustomError(ctx.vault, "WithdrawalsFrozen")
        .withArgs(until1);
      await expect(freeze(ctx, attackers))
        .to.be.revertedWithCustomError(ctx.guardianModule, "FreezeCoolingDown")
        .withArgs(until1 + T.freezeCooldown);
      // The freeze ends by itself; the window (7 days) outlasts it, so the withdrawal still executes.
      await at(until1);
      await expect(ctx.vault.executeWithdrawal(q.w, q.slot)).to.changeEtherBalance(ethers, recipient, ONE_ETH);

      await justBefore(until1 + T.freezeCooldown);
      await expect(freeze(ctx, attackers)).to.be.revertedWithCustomError(ctx.guardianModule, "FreezeCoolingDown");
      const tFreeze2 = until1 + T.freezeCooldown;
      await at(tFreeze2);
      await freeze(ctx, attackers);
      // Over the cycle between two freezes, withdrawals were frozen exactly maxFreeze / (maxFreeze + cooldown).
      expect(until1 - tFreeze1).to.equal(T.maxFreeze);
      expect(tFreeze2 - tFreeze1).to.equal(T.maxFreeze + T.freezeCooldown);

      // The signers may lift it at once; the cooldown then counts from the lifting.
      const tLift = tFreeze2 + HOUR;
      await at(tLift);
      await expect(unfreeze(ctx, [alice, bob]))
        .to.emit(ctx.guardianModule, "Unfrozen")
        .withArgs(tLift);
      expect(await ctx.vault.frozenUntil()).to.equal(tLift);
      expect((await ctx.guardianModule.guardianStatus()).nextFreezeAt).to.equal(tLift + T.freezeCooldown);
    });

    it("its vetoes are rate-limited: its two keys veto twice back to back, then once per vetoQuietPeriod", async function () {
      const ctx = await loadFixture(deploy2of3);
      const { attackers } = split(ctx);
      const { alice, bob, recipient } = roles(ctx);
      const quorum = [alice, bob];

      // Exact boundaries first: 2 vetoes, the third needs G = 3 keys.
      const w1 = await queueEth(ctx, quorum, recipient.address, ONE_ETH);
      await expect(veto(ctx, w1, attackers))
        .to.emit(ctx.guardianModule, "OperationVetoed")
        .withArgs(w1.id, w1.slot, 2, 1);
      const w1Veto = await now();
      const w2 = await queueEth(ctx, quorum, recipient.address, ONE_ETH);
      await expect(veto(ctx, w2, attackers))
        .to.emit(ctx.guardianModule, "OperationVetoed")
        .withArgs(w2.id, w2.slot, 2, 2);
      const lastVeto = await now();
      const w3 = await queueEth(ctx, quorum, recipient.address, ONE_ETH);
      await expect(veto(ctx, w3, attackers))
        .to.be.revertedWithCustomError(ctx.guardianModule, "VetoThresholdNotMet")
        .withArgs(3, 2);
      await at(w3.eta);
      await expect(ctx.vault.executeWithdrawal(w3.w, w3.slot)).to.changeEtherBalance(ethers, recipient, ONE_ETH);
      const w4 = await queueEth(ctx, quorum, recipient.address, ONE_ETH);
      await justBefore(lastVeto + T.vetoQuietPeriod);
      await expect(veto(ctx, w4, attackers))
        .to.be.revertedWithCustomError(ctx.guardianModule, "VetoThresholdNotMet")
        .withArgs(3, 2);
      await at(lastVeto + T.vetoQuietPeriod);
      await expect(veto(ctx, w4, attackers))
        .to.emit(ctx.guardianModule, "OperationVetoed")
        .withArgs(w4.id, w4.slot, 2, 2);

      // Then four weeks of one payment every two days, each attacked at once and re-queued when vetoed.
      const vetoTimes = [w1Veto, lastVeto, lastVeto + T.vetoQuietPeriod];
      let paid = 0n;
      const PAYMENTS = 14n;
      const EVERY = 2n * DAY;
      for (let i = 1n; i <= PAYMENTS; i++) {
        let t = vetoTimes[2]! + i * EVERY;
        let q = await queueEth(ctx, quorum, recipient.address, ONE_ETH, t);
        for (;;) {
          t += 1n;
          await at(t);
          const refused = await veto(ctx, q, attackers).then(
            () => undefined,
            (e: Error) => e,
          );
          if (refused !== undefined) {
            expect(refused.message).to.contain("VetoThresholdNotMet(3, 2)");
            break;
          }
          vetoTimes.push(t);
          t += 1n;
          q = await queueEth(ctx, quorum, recipient.address, ONE_ETH, t);
        }
        await at(q.eta);
        await ctx.vault.executeWithdrawal(q.w, q.slot);
        paid += ONE_ETH;
      }
      // k = 2 keys veto at most k times in any vetoQuietPeriod, and once per period in the long run.
      const maxInWindow = Math.max(
        ...vetoTimes.map((start) => vetoTimes.filter((v) => v >= start && v < start + T.vetoQuietPeriod).length),
      );
      expect(maxInWindow).to.equal(attackers.length);
      const span = (await now()) - vetoTimes[0]!;
      expect(vetoTimes.length).to.be.at.most(attackers.length + Number(span / T.vetoQuietPeriod));
      expect(vetoTimes.length).to.equal(6); // w1, w2, w4, then 8, 16 and 24 days after w4
      expect(paid).to.equal(PAYMENTS * ONE_ETH);
      expect(await balanceOf(ctx.vaultAddress)).to.equal(VAULT_ETH - (PAYMENTS + 1n) * ONE_ETH);
    });

    it("the council (three signers and the honest guardian) replaces the guardians; the thieves cannot stop it", async function () {
      const ctx = await loadFixture(deploy2of3);
      const { attackers, honest } = split(ctx);
      const [g0, g1] = attackers as [HardhatEthersSigner, HardhatEthersSigner];
      const newGuardians = freshKeys("new guardian", 2);
      const c = await councilChange(ctx, {
        guardians: [honest.address, ...newGuardians.map((k) => k.address)],
        guardianThreshold: 2n,
        councilThreshold: 4n,
      });
      const id = councilId(ctx, c);
      const tq = (await now()) + 1n;
      await at(tq);
      await queueCouncil(ctx, c, [...ctx.signers, honest]);
      const eta = tq + T.councilDelay;

      // Two days before it executes, the thieves queue a recovery that would execute a day after
      // it, freeze withdrawals past it, and try to veto it.
      const r = await recoveryTo(
        ctx,
        freshKeys("thief signer", 2).map((k) => k.address),
        1n,
      );
      await at(eta - 2n * DAY);
      await queueRecovery(ctx, r, attackers);
      await freeze(ctx, attackers);
      expect(await ctx.vault.frozenUntil()).to.be.greaterThan(eta);
      await expect(veto(ctx, { id, slot: 0n }, attackers))
        .to.be.revertedWithCustomError(ctx.guardianModule, "NotVetoable")
        .withArgs(id, 0n);
      const theirs = await councilChange(ctx, {
        guardians: [g0.address, g1.address, roles(ctx).stranger.address],
        guardianThreshold: 2n,
        councilThreshold: 4n,
      });
      await expect(queueCouncil(ctx, theirs, attackers))
        .to.be.revertedWithCustomError(ctx.guardianModule, "ThresholdNotMet")
        .withArgs(4, 2);

      await at(eta);
      const rId = recoveryId(ctx, r);
      await expect(ctx.guardianModule.executeCouncilChange(c))
        .to.emit(ctx.guardianModule, "CouncilChangeExecuted")
        .withArgs(id)
        .and.to.emit(ctx.guardianModule, "RecoveryCancelled")
        .and.to.emit(ctx.guardianModule, "Unfrozen")
        .withArgs(eta);
      expect(await ctx.guardianModule.guardians()).to.deep.equal(c.guardians);
      expect(await ctx.vault.frozenUntil()).to.equal(eta);
      expect((await ctx.guardianModule.pending()).recoveryQueued).to.equal(false);
      await at(eta + T.recoveryDelay);
      await expect(ctx.guardianModule.executeRecovery(r))
        .to.be.revertedWithCustomError(ctx.guardianModule, "RecoveryNotQueued")
        .withArgs(rId);

      // The old keys count for nothing: their veto of a new withdrawal is from non-guardians.
      const q = await queueEth(ctx, ctx.signers.slice(0, 2), roles(ctx).recipient.address, ONE_ETH);
      await expect(veto(ctx, q, attackers)).to.be.revertedWithCustomError(ctx.guardianModule, "SignatureNotFromSigner");
      await at(q.eta);
      await expect(ctx.vault.executeWithdrawal(q.w, q.slot)).to.changeEtherBalance(
        ethers,
        roles(ctx).recipient,
        ONE_ETH,
      );
    });
  });

  describe("a single rogue key", function () {
    /** How long the signers take to re-sign and re-queue a vetoed withdrawal. */
    const REQUEUE = HOUR;

    it("a rogue guardian cannot freeze withdrawals or start a recovery (K = 2)", async function () {
      const ctx = await loadFixture(deploy2of3);
      const [rogue] = ctx.guardians as [HardhatEthersSigner];
      await expect(freeze(ctx, [rogue]))
        .to.be.revertedWithCustomError(ctx.guardianModule, "ThresholdNotMet")
        .withArgs(2, 1);
      await expect(ctx.guardianModule.connect(rogue).freeze("0x"))
        .to.be.revertedWithCustomError(ctx.guardianModule, "ThresholdNotMet")
        .withArgs(2, 1);
      const r = await recoveryTo(
        ctx,
        freshKeys("rogue signer", 2).map((k) => k.address),
        1n,
      );
      await expect(queueRecovery(ctx, r, [rogue]))
        .to.be.revertedWithCustomError(ctx.guardianModule, "ThresholdNotMet")
        .withArgs(2, 1);
    });

    it("a rogue guardian vetoes one withdrawal, not the re-queued one: the delay it causes is at most withdrawalDelay + re-queue time", async function () {
      const ctx = await loadFixture(deploy2of3);
      const [rogue] = ctx.guardians as [HardhatEthersSigner];
      const { alice, bob, recipient } = roles(ctx);
      const quorum = [alice, bob];

      const first = await queueEth(ctx, quorum, recipient.address, ONE_ETH);
      // Worst case: the veto lands at the eta, just before the execution would have.
      await at(first.eta);
      await expect(ctx.guardianModule.connect(rogue).veto(first.id, first.slot, "0x"))
        .to.emit(ctx.guardianModule, "OperationVetoed")
        .withArgs(first.id, first.slot, 1, 1);
      const vetoedAt = first.eta;

      const again = await queueEth(ctx, quorum, recipient.address, ONE_ETH, vetoedAt + REQUEUE);
      expect(again.eta).to.equal(vetoedAt + REQUEUE + T.withdrawalDelay);
      await justBefore(again.eta);
      await expect(ctx.guardianModule.connect(rogue).veto(again.id, again.slot, "0x"))
        .to.be.revertedWithCustomError(ctx.guardianModule, "VetoThresholdNotMet")
        .withArgs(2, 1);
      await at(again.eta);
      await expect(ctx.vault.executeWithdrawal(again.w, again.slot)).to.changeEtherBalance(ethers, recipient, ONE_ETH);

      const delay = (await now()) - first.eta;
      expect(delay).to.equal(T.withdrawalDelay + REQUEUE);
      expect(delay).to.be.at.most(T.withdrawalDelay + REQUEUE);

      // It may veto again only a full quiet period after its last veto: one delay per quiet period.
      const third = await queueEth(ctx, quorum, recipient.address, ONE_ETH);
      await expect(ctx.guardianModule.connect(rogue).veto(third.id, third.slot, "0x"))
        .to.be.revertedWithCustomError(ctx.guardianModule, "VetoThresholdNotMet")
        .withArgs(2, 1);
      await at(third.eta);
      await ctx.vault.executeWithdrawal(third.w, third.slot);
      const fourth = await queueEth(ctx, quorum, recipient.address, ONE_ETH, vetoedAt + T.vetoQuietPeriod - 2n);
      await justBefore(vetoedAt + T.vetoQuietPeriod);
      await expect(ctx.guardianModule.connect(rogue).veto(fourth.id, fourth.slot, "0x"))
        .to.be.revertedWithCustomError(ctx.guardianModule, "VetoThresholdNotMet")
        .withArgs(2, 1);
      await at(vetoedAt + T.vetoQuietPeriod);
      await expect(ctx.guardianModule.connect(rogue).veto(fourth.id, fourth.slot, "0x")).to.emit(
        ctx.guardianModule,
        "OperationVetoed",
      );
    });

    it("a rogue signer cannot cancel or revoke another signer's operation, a recovery or a freeze", async function () {
      const ctx = await loadFixture(deploy2of3);
      const { alice, bob, carol: rogue, recipient } = roles(ctx);
      const [g0, g1] = ctx.guardians as [HardhatEthersSigner, HardhatEthersSigner];
      const epoch = await signerEpoch(ctx);

      // A pending proposal of alice's: only alice may revoke it.
      const proposed = await nextWithdrawal(ctx.vault, { asset: ETH, to: recipient.address, amount: ONE_ETH });
      await ctx.vault.connect(alice).proposeWithdrawal(proposed);
      const proposedId = digest(withdrawalTypedData(ctx.domain, proposed));
      await expect(ctx.vault.connect(rogue).revokeProposal(proposedId))
        .to.be.revertedWithCustomError(ctx.vault, "CallerNotProposer")
        .withArgs(rogue.address, alice.address);

      // A queued withdrawal: one signature is not a cancellation; one on-chain approval cancels nothing.
      const q = await queueEth(ctx, [alice, bob], recipient.address, ONE_ETH);
      await expect(ctx.vault.cancel(q.id, q.slot, await sign(cancellationTypedData(ctx.domain, q.id, epoch), [rogue])))
        .to.be.revertedWithCustomError(ctx.vault, "ThresholdNotMet")
        .withArgs(2, 1);
      expect(await ctx.vault.connect(rogue).approveCancellation.staticCall(q.id, q.slot)).to.equal(false);
      await ctx.vault.connect(rogue).approveCancellation(q.id, q.slot);
      expect((await readOperation(ctx.vault, q.id, q.slot)).state).to.equal(OperationState.Queued);

      // A recovery and a freeze by the guardians: the rogue alone lifts neither.
      const r = await recoveryTo(ctx, [alice.address, bob.address, freshKeys("spare", 1)[0]!.address], 2n);
      await queueRecovery(ctx, r, [g0, g1]);
      await expect(ctx.guardianModule.connect(rogue).cancelRecovery(recoveryId(ctx, r), "0x"))
        .to.be.revertedWithCustomError(ctx.guardianModule, "ThresholdNotMet")
        .withArgs(2, 1);
      await freeze(ctx, [g0, g1]);
      await expect(unfreeze(ctx, [rogue]))
        .to.be.revertedWithCustomError(ctx.guardianModule, "ThresholdNotMet")
        .withArgs(2, 1);

      // The freeze ends by itself and the withdrawal the rogue wanted cancelled executes.
      await at(await ctx.vault.frozenUntil());
      await expect(ctx.vault.executeWithdrawal(q.w, q.slot)).to.changeEtherBalance(ethers, recipient, ONE_ETH);
    });
  });
});
