/**
 * GuardianModule: every guardian, council and liveness power — who may use it, who may not, and how
 * it interacts with the freeze (which only ever blocks withdrawal execution) and with the vault's
 * epoch (which a recovery or a council change advances, killing everything approved before).
 * The fixture is the realistic one: 2-of-3 signers, 2-of-3 guardians, council 4 of 6, and
 * scripts/lib DEFAULT_TIMINGS (withdrawal 1 d, config 2 d, window 7 d, long delay 3 d, cool-off 7 d,
 * recovery 3 d, council 4 d, freeze 3 d with a 7 d cooldown, one veto level decays per 7 d).
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { expect } from "chai";
import { concat, getCreateAddress, ZeroAddress } from "ethers";
import { network } from "hardhat";

import {
  cancellationTypedData,
  compareAddresses,
  ConfigAction,
  configChangeTypedData,
  councilBounds,
  councilChangeTypedData,
  DEFAULT_TIMINGS,
  deployReserveVault,
  digest,
  ETH,
  freezeTypedData,
  heartbeatTypedData,
  initialConfig,
  nextConfigChange,
  nextWithdrawal,
  OperationState,
  packSignatures,
  readConfiguration,
  recoveryTypedData,
  signTypedData,
  unfreezeTypedData,
  vaultArguments,
  vetoTypedData,
  type ConfigChange,
  type CouncilChange,
  type Recovery,
  type TypedData,
  type Withdrawal,
} from "../../scripts/lib/index.js";
import {
  DAY,
  HOUR,
  makeVaultFixture,
  pinNextTimestamp,
  queueSignedWithdrawal,
  roles,
  signAll,
  signCancellation,
  signWithdrawal,
  withdrawalId,
  type QueuedWithdrawal,
  type VaultContext,
} from "../helpers/vault.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;

const T = DEFAULT_TIMINGS;
const ONE_ETH = ethers.parseEther("1");
/** The fixture's signer and guardian epochs before any membership change. */
const EPOCH = 1;
const GUARDIAN_EPOCH = 1;
/**
 * Council threshold of 2-of-3 signers with 2-of-3 guardians: the smallest strict majority of 6 keys,
 * and also the largest threshold the 4 keys outside either quorum reach (6 - max(2, 2)), so the only
 * valid one.
 */
const COUNCIL = 4n;
/** The council threshold bounds of 2-of-3 signers with 2-of-5 guardians: 5..6 (8 keys, 8 - max(2, 2) = 6). */
const WIDE = councilBounds(3, 2, 5, 2);

// =============================================================================================
// Fixtures (module level, so loadFixture snapshots each once)
// =============================================================================================

/** 2-of-3 signers, 2-of-3 guardians, council 4, DEFAULT_TIMINGS. */
const deployVault = makeVaultFixture(ethers, { ...T });
/** 2 guardians (2-of-2), so the council threshold is 3 of 5 and rises when a key joins. */
const deployTwoGuardianVault = makeVaultFixture(ethers, { ...T, guardianCount: 2, guardianThreshold: 2 });
/**
 * 2-of-3 signers, 2-of-5 guardians: 8 keys, so the council threshold has room to vary (5..6); it
 * starts at the smallest, 5.
 */
const deployFiveGuardianVault = makeVaultFixture(ethers, { ...T, guardianCount: 5 });
/** The five-guardian vault with the largest council threshold, 6 = N + G - max(M, K), so it falls when a key leaves. */
const deployMaxCouncilVault = makeVaultFixture(ethers, { ...T, guardianCount: 5, councilThreshold: WIDE.max });

/** Four ETH withdrawals queued by the signer quorum in slots 0..3 (nonces 0..3), a block apart. */
async function deployVaultWithQueue() {
  const ctx = await deployVault();
  const to = roles(ctx).recipient.address;
  const qs: QueuedWithdrawal[] = [];
  for (let slot = 0n; slot < 4n; slot++)
    qs.push(await queueSignedWithdrawal(ctx, { asset: ETH, to, amount: ONE_ETH }, slot));
  return { ctx, qs, q: qs[0]!, deadline: qs[0]!.eta + T.executionWindow };
}

/** The queue of `deployVaultWithQueue`, frozen by the guardian quorum at the withdrawals' eta. */
async function deployFrozenVault() {
  const { ctx, qs, q, deadline } = await deployVaultWithQueue();
  await time.increaseTo(q.eta);
  const frozenAt = await pinNextTimestamp(time);
  await ctx.guardianModule.connect(roles(ctx).relayer).freeze(await signFreeze(ctx, 0, guardianQuorum(ctx)));
  const until = frozenAt + T.maxFreeze;
  return { ctx, qs, q, deadline, frozenAt, until, nextFreezeAt: until + T.freezeCooldown };
}

/** Withdrawal `q` queued in slot 0, then a recovery (3 new signers, 2-of-3) queued by the guardian quorum. */
async function deployVaultWithRecovery() {
  const ctx = await deployVault();
  const q = await queueSignedWithdrawal(ctx, { asset: ETH, to: roles(ctx).recipient.address, amount: ONE_ETH }, 0n);
  const r = recovery(ctx);
  const queuedAt = await pinNextTimestamp(time);
  await ctx.guardianModule
    .connect(roles(ctx).relayer)
    .queueRecovery(r, await signRecovery(ctx, r, guardianQuorum(ctx)));
  const eta = queuedAt + T.recoveryDelay;
  return { ctx, q, r, id: recoveryId(ctx, r), queuedAt, eta, deadline: eta + T.executionWindow };
}

/** The recovery of `deployVaultWithRecovery`, executed at its eta. */
async function deployRecoveredVault() {
  const fixture = await deployVaultWithRecovery();
  const { ctx, r, eta } = fixture;
  await time.setNextBlockTimestamp(eta);
  await ctx.guardianModule.connect(roles(ctx).relayer).executeRecovery(r);
  return { ...fixture, recoveredAt: eta, coolOffUntil: eta + T.coolOff };
}

/** A council change (new guardians) queued with four council members' signatures. */
async function deployVaultWithCouncilChange() {
  const ctx = await deployVault();
  const c = councilChange(ctx);
  const queuedAt = await pinNextTimestamp(time);
  await ctx.guardianModule
    .connect(roles(ctx).relayer)
    .queueCouncilChange(c, await signCouncil(ctx, c, councilQuorum(ctx)));
  const eta = queuedAt + T.councilDelay;
  return { ctx, c, id: councilId(ctx, c), queuedAt, eta, deadline: eta + T.executionWindow };
}

// =============================================================================================
// Helpers: accounts, operations and signatures (all hashing through scripts/lib)
// =============================================================================================

function sortSigners(accounts: readonly HardhatEthersSigner[]): HardhatEthersSigner[] {
  return [...accounts].sort((a, b) => compareAddresses(a.address, b.address));
}

/** The first K guardians. */
function guardianQuorum(ctx: VaultContext): HardhatEthersSigner[] {
  return ctx.guardians.slice(0, ctx.guardianThreshold);
}

/** The first M signers. */
function signerQuorum(ctx: VaultContext): HardhatEthersSigner[] {
  return ctx.signers.slice(0, ctx.threshold);
}

/**
 * C council members: the first M signers and the first C - M guardians (in the default fixture, two
 * signers and two guardians).
 */
function councilQuorum(ctx: VaultContext): HardhatEthersSigner[] {
  const signers = signerQuorum(ctx);
  return [...signers, ...ctx.guardians.slice(0, ctx.councilThreshold - signers.length)];
}

/** Outsiders 4..6, sorted: the signers a recovery or a council change installs. */
function replacementSigners(ctx: VaultContext): HardhatEthersSigner[] {
  return sortSigners(ctx.outsiders.slice(4, 7));
}

/** Outsiders 7..9, sorted: the guardians a council change installs. */
function replacementGuardians(ctx: VaultContext): HardhatEthersSigner[] {
  return sortSigners(ctx.outsiders.slice(7, 10));
}

function addresses(accounts: readonly HardhatEthersSigner[]): string[] {
  return accounts.map((a) => a.address);
}

function recovery(ctx: VaultContext, fields: Partial<Recovery> = {}): Recovery {
  return {
    signers: addresses(replacementSigners(ctx)),
    threshold: 2n,
    nonce: 0,
    guardianEpoch: GUARDIAN_EPOCH,
    ...fields,
  };
}

function councilChange(ctx: VaultContext, fields: Partial<CouncilChange> = {}): CouncilChange {
  return {
    signers: [],
    threshold: 0n,
    guardians: addresses(replacementGuardians(ctx)),
    guardianThreshold: 2n,
    councilThreshold: COUNCIL,
    nonce: 0,
    ...fields,
  };
}

/** A council change that replaces the signers and keeps the guardians. */
function signerCouncilChange(ctx: VaultContext): CouncilChange {
  return councilChange(ctx, {
    signers: addresses(replacementSigners(ctx)),
    threshold: 2n,
    guardians: [],
    guardianThreshold: 0n,
  });
}

function recoveryId(ctx: VaultContext, r: Recovery): string {
  return digest(recoveryTypedData(ctx.guardianDomain, r));
}

function councilId(ctx: VaultContext, c: CouncilChange): string {
  return digest(councilChangeTypedData(ctx.guardianDomain, c));
}

function councilTuple(c: CouncilChange) {
  return [c.signers, c.threshold, c.guardians, c.guardianThreshold, c.councilThreshold, c.nonce];
}

function signVeto(
  ctx: VaultContext,
  operation: string,
  who: readonly HardhatEthersSigner[],
  guardianEpoch = GUARDIAN_EPOCH,
) {
  return signAll(vetoTypedData(ctx.guardianDomain, operation, guardianEpoch), who);
}

function signFreeze(
  ctx: VaultContext,
  nonce: number,
  who: readonly HardhatEthersSigner[],
  guardianEpoch = GUARDIAN_EPOCH,
) {
  return signAll(freezeTypedData(ctx.guardianDomain, nonce, guardianEpoch), who);
}

function signUnfreeze(ctx: VaultContext, nonce: number, who: readonly HardhatEthersSigner[], epoch = EPOCH) {
  return signAll(unfreezeTypedData(ctx.guardianDomain, nonce, epoch), who);
}

function signRecovery(ctx: VaultContext, r: Recovery, who: readonly HardhatEthersSigner[]) {
  return signAll(recoveryTypedData(ctx.guardianDomain, r), who);
}

/** Signers' cancellation of a recovery, in the module's domain. */
function signRecoveryCancellation(ctx: VaultContext, id: string, who: readonly HardhatEthersSigner[], epoch = EPOCH) {
  return signAll(cancellationTypedData(ctx.guardianDomain, id, epoch), who);
}

function signCouncil(ctx: VaultContext, c: CouncilChange, who: readonly HardhatEthersSigner[]) {
  return signAll(councilChangeTypedData(ctx.guardianDomain, c), who);
}

async function heartbeat(ctx: VaultContext, key: HardhatEthersSigner, at: bigint, data?: TypedData) {
  const { signature } = await signTypedData(key, data ?? heartbeatTypedData(ctx.guardianDomain, key.address, at));
  return { key: key.address, at, signature };
}

async function state(ctx: VaultContext, q: Pick<QueuedWithdrawal, "id" | "slot">): Promise<OperationState> {
  return Number(await ctx.vault.operationState(q.id, q.slot)) as OperationState;
}

async function ethWithdrawal(ctx: VaultContext): Promise<Withdrawal> {
  return nextWithdrawal(ctx.vault, { asset: ETH, to: roles(ctx).recipient.address, amount: ONE_ETH });
}

/** Queues the next configuration change with the signer quorum's signatures; returns it with its slot and eta. */
async function queueConfig(ctx: VaultContext, fields: Parameters<typeof nextConfigChange>[1], slot = 10n) {
  const c = await nextConfigChange(ctx.vault, fields);
  const signatures = await signAll(configChangeTypedData(ctx.domain, c), signerQuorum(ctx));
  const queuedAt = await pinNextTimestamp(time);
  await ctx.vault.queueConfigChange(c, slot, signatures);
  return { c, slot, id: await ctx.vault.configChangeId(c), eta: queuedAt + T.configDelay };
}

/** Queues the next configuration change, then sends its execution at its eta; returns that transaction. */
async function executeConfigAtEta(ctx: VaultContext, fields: Parameters<typeof nextConfigChange>[1]) {
  const { c, slot, eta } = await queueConfig(ctx, fields);
  await time.setNextBlockTimestamp(eta);
  return ctx.vault.executeConfigChange(c, slot);
}

/** Submits the next configuration change with the quorum's signatures (to see it rejected). */
async function submitConfig(ctx: VaultContext, fields: Parameters<typeof nextConfigChange>[1]) {
  const c: ConfigChange = await nextConfigChange(ctx.vault, fields);
  return ctx.vault.queueConfigChange(c, 10n, await signAll(configChangeTypedData(ctx.domain, c), signerQuorum(ctx)));
}

// =============================================================================================

describe("GuardianModule", function () {
  describe("veto", function () {
    it("a guardian alone vetoes a queued withdrawal on-chain without signatures", async function () {
      const { ctx, q } = await loadFixture(deployVaultWithQueue);
      const tx = ctx.guardianModule.connect(ctx.guardians[0]!).veto(q.id, q.slot, "0x");
      await expect(tx).to.emit(ctx.guardianModule, "OperationVetoed").withArgs(q.id, q.slot, 1n, 1n);
      await expect(tx).to.emit(ctx.guardianModule, "VetoLevelChanged").withArgs(0n, 1n);
      await expect(tx).to.emit(ctx.vault, "OperationCancelled").withArgs(q.id, q.slot);
      expect(await state(ctx, q)).to.equal(OperationState.Cancelled);
    });

    it("an outsider relays one guardian's signature that vetoes a queued withdrawal", async function () {
      const { ctx, q } = await loadFixture(deployVaultWithQueue);
      const signatures = await signVeto(ctx, q.id, [ctx.guardians[1]!]);
      await expect(ctx.guardianModule.connect(roles(ctx).relayer).veto(q.id, q.slot, signatures))
        .to.emit(ctx.guardianModule, "OperationVetoed")
        .withArgs(q.id, q.slot, 1n, 1n);
    });

    it("a guardian vetoes a queued configuration change", async function () {
      const ctx = await loadFixture(deployVault);
      const { id, slot } = await queueConfig(ctx, { action: ConfigAction.SetWithdrawalDelay, value: 2n * HOUR });
      await expect(ctx.guardianModule.connect(ctx.guardians[0]!).veto(id, slot, "0x"))
        .to.emit(ctx.vault, "OperationCancelled")
        .withArgs(id, slot);
    });

    it("a guardian vetoes a ready withdrawal at the last second of its execution window", async function () {
      const { ctx, q, deadline } = await loadFixture(deployVaultWithQueue);
      await time.setNextBlockTimestamp(deadline);
      await expect(ctx.guardianModule.connect(ctx.guardians[0]!).veto(q.id, q.slot, "0x"))
        .to.emit(ctx.vault, "OperationCancelled")
        .withArgs(q.id, q.slot);
    });

    it("a guardian cannot veto a withdrawal one second after its execution window", async function () {
      const { ctx, q, deadline } = await loadFixture(deployVaultWithQueue);
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(ctx.guardianModule.connect(ctx.guardians[0]!).veto(q.id, q.slot, "0x"))
        .to.be.revertedWithCustomError(ctx.guardianModule, "NotVetoable")
        .withArgs(q.id, q.slot);
    });

    it("nobody can execute a vetoed withdrawal", async function () {
      const { ctx, q } = await loadFixture(deployVaultWithQueue);
      await ctx.guardianModule.connect(ctx.guardians[0]!).veto(q.id, q.slot, "0x");
      await time.increaseTo(q.eta);
      await expect(ctx.vault.executeWithdrawal(q.w, q.slot))
        .to.be.revertedWithCustomError(ctx.vault, "OperationNotQueued")
        .withArgs(q.id, q.slot);
    });

    it("an outsider cannot veto without guardian signatures", async function () {
      const { ctx, q } = await loadFixture(deployVaultWithQueue);
      await expect(ctx.guardianModule.connect(roles(ctx).stranger).veto(q.id, q.slot, "0x"))
        .to.be.revertedWithCustomError(ctx.guardianModule, "VetoThresholdNotMet")
        .withArgs(1n, 0n);
    });

    it("a signer cannot veto: the caller counts only if a guardian", async function () {
      const { ctx, q } = await loadFixture(deployVaultWithQueue);
      await expect(ctx.guardianModule.connect(ctx.signers[0]!).veto(q.id, q.slot, "0x"))
        .to.be.revertedWithCustomError(ctx.guardianModule, "VetoThresholdNotMet")
        .withArgs(1n, 0n);
    });

    it("a relayer cannot veto with a signer's signature", async function () {
      const { ctx, q } = await loadFixture(deployVaultWithQueue);
      const signer = ctx.signers[0]!;
      await expect(
        ctx.guardianModule.connect(roles(ctx).relayer).veto(q.id, q.slot, await signVeto(ctx, q.id, [signer])),
      )
        .to.be.revertedWithCustomError(ctx.guardianModule, "SignatureNotFromSigner")
        .withArgs(0n, signer.address);
    });

    it("a relayer cannot veto with a guardian's signature under another guardian epoch", async function () {
      const { ctx, q } = await loadFixture(deployVaultWithQueue);
      const signatures = await signVeto(ctx, q.id, [ctx.guardians[0]!], GUARDIAN_EPOCH + 1);
      await expect(ctx.guardianModule.connect(roles(ctx).relayer).veto(q.id, q.slot, signatures))
        .to.be.revertedWithCustomError(ctx.guardianModule, "SignatureNotFromSigner")
        .withArgs(0n, anyValue);
    });

    it("a guardian cannot veto an operation through a slot that does not hold it", async function () {
      const { ctx, q } = await loadFixture(deployVaultWithQueue);
      await expect(ctx.guardianModule.connect(ctx.guardians[0]!).veto(q.id, 9n, "0x"))
        .to.be.revertedWithCustomError(ctx.guardianModule, "NotVetoable")
        .withArgs(q.id, 9n);
    });

    it("a guardian cannot veto a proposal that is not queued yet", async function () {
      const ctx = await loadFixture(deployVault);
      const w = await ethWithdrawal(ctx);
      await ctx.vault.connect(ctx.signers[0]!).proposeWithdrawal(w);
      const id = withdrawalId(ctx, w);
      await expect(ctx.guardianModule.connect(ctx.guardians[0]!).veto(id, 0n, "0x"))
        .to.be.revertedWithCustomError(ctx.guardianModule, "NotVetoable")
        .withArgs(id, 0n);
    });

    it("a guardian cannot veto an executed withdrawal", async function () {
      const { ctx, q } = await loadFixture(deployVaultWithQueue);
      await time.increaseTo(q.eta);
      await ctx.vault.executeWithdrawal(q.w, q.slot);
      await expect(ctx.guardianModule.connect(ctx.guardians[0]!).veto(q.id, q.slot, "0x"))
        .to.be.revertedWithCustomError(ctx.guardianModule, "NotVetoable")
        .withArgs(q.id, q.slot);
    });

    it("a guardian cannot veto a withdrawal the signers already cancelled", async function () {
      const { ctx, q } = await loadFixture(deployVaultWithQueue);
      await ctx.vault.cancel(q.id, q.slot, await signCancellation(ctx, q.id, EPOCH, signerQuorum(ctx)));
      await expect(ctx.guardianModule.connect(ctx.guardians[0]!).veto(q.id, q.slot, "0x"))
        .to.be.revertedWithCustomError(ctx.guardianModule, "NotVetoable")
        .withArgs(q.id, q.slot);
    });

    it("a failed veto leaves the veto level unchanged", async function () {
      const { ctx, q } = await loadFixture(deployVaultWithQueue);
      await expect(ctx.guardianModule.connect(ctx.guardians[0]!).veto(q.id, 9n, "0x")).to.be.revertedWithCustomError(
        ctx.guardianModule,
        "NotVetoable",
      );
      expect([...(await ctx.guardianModule.vetoRequirement())]).to.deep.equal([0n, 1n]);
    });

    describe("rate limit", function () {
      it("a guardian alone cannot veto a second operation within the quiet period", async function () {
        const { ctx, qs } = await loadFixture(deployVaultWithQueue);
        const guardian = ctx.guardians[0]!;
        await ctx.guardianModule.connect(guardian).veto(qs[0]!.id, qs[0]!.slot, "0x");
        await expect(ctx.guardianModule.connect(guardian).veto(qs[1]!.id, qs[1]!.slot, "0x"))
          .to.be.revertedWithCustomError(ctx.guardianModule, "VetoThresholdNotMet")
          .withArgs(2n, 1n);
      });

      it("a second guardian alone cannot veto a second operation within the quiet period", async function () {
        const { ctx, qs } = await loadFixture(deployVaultWithQueue);
        await ctx.guardianModule.connect(ctx.guardians[0]!).veto(qs[0]!.id, qs[0]!.slot, "0x");
        await expect(ctx.guardianModule.connect(ctx.guardians[1]!).veto(qs[1]!.id, qs[1]!.slot, "0x"))
          .to.be.revertedWithCustomError(ctx.guardianModule, "VetoThresholdNotMet")
          .withArgs(2n, 1n);
      });

      it("two guardians veto a second operation within the quiet period", async function () {
        const { ctx, qs } = await loadFixture(deployVaultWithQueue);
        const [g0, g1] = [ctx.guardians[0]!, ctx.guardians[1]!];
        await ctx.guardianModule.connect(g0).veto(qs[0]!.id, qs[0]!.slot, "0x");
        const tx = ctx.guardianModule.connect(g0).veto(qs[1]!.id, qs[1]!.slot, await signVeto(ctx, qs[1]!.id, [g1]));
        await expect(tx).to.emit(ctx.guardianModule, "OperationVetoed").withArgs(qs[1]!.id, qs[1]!.slot, 2n, 2n);
        await expect(tx).to.emit(ctx.guardianModule, "VetoLevelChanged").withArgs(1n, 2n);
      });

      it("a guardian alone cannot veto again one second before the quiet period ends", async function () {
        const { ctx, qs } = await loadFixture(deployVaultWithQueue);
        const guardian = ctx.guardians[0]!;
        const vetoedAt = await pinNextTimestamp(time);
        await ctx.guardianModule.connect(guardian).veto(qs[0]!.id, qs[0]!.slot, "0x");
        await time.setNextBlockTimestamp(vetoedAt + T.vetoQuietPeriod - 1n);
        await expect(ctx.guardianModule.connect(guardian).veto(qs[1]!.id, qs[1]!.slot, "0x"))
          .to.be.revertedWithCustomError(ctx.guardianModule, "VetoThresholdNotMet")
          .withArgs(2n, 1n);
      });

      it("a guardian alone vetoes again once the quiet period has passed", async function () {
        const { ctx, qs } = await loadFixture(deployVaultWithQueue);
        const guardian = ctx.guardians[0]!;
        const vetoedAt = await pinNextTimestamp(time);
        await ctx.guardianModule.connect(guardian).veto(qs[0]!.id, qs[0]!.slot, "0x");
        await time.setNextBlockTimestamp(vetoedAt + T.vetoQuietPeriod);
        const tx = ctx.guardianModule.connect(guardian).veto(qs[1]!.id, qs[1]!.slot, "0x");
        await expect(tx).to.emit(ctx.guardianModule, "OperationVetoed").withArgs(qs[1]!.id, qs[1]!.slot, 1n, 1n);
        await expect(tx).to.emit(ctx.guardianModule, "VetoLevelChanged").withArgs(0n, 1n);
      });

      it("two guardians cannot veto a third operation within the quiet period", async function () {
        const { ctx, qs } = await loadFixture(deployVaultWithQueue);
        const [g0, g1] = [ctx.guardians[0]!, ctx.guardians[1]!];
        await ctx.guardianModule.connect(g0).veto(qs[0]!.id, qs[0]!.slot, "0x");
        await ctx.guardianModule.connect(g0).veto(qs[1]!.id, qs[1]!.slot, await signVeto(ctx, qs[1]!.id, [g1]));
        await expect(ctx.guardianModule.connect(g0).veto(qs[2]!.id, qs[2]!.slot, await signVeto(ctx, qs[2]!.id, [g1])))
          .to.be.revertedWithCustomError(ctx.guardianModule, "VetoThresholdNotMet")
          .withArgs(3n, 2n);
      });

      it("all guardians still veto once the requirement reaches G, and the level saturates at G", async function () {
        const { ctx, qs } = await loadFixture(deployVaultWithQueue);
        const [g0, g1, g2] = [ctx.guardians[0]!, ctx.guardians[1]!, ctx.guardians[2]!];
        await ctx.guardianModule.connect(g0).veto(qs[0]!.id, qs[0]!.slot, "0x");
        await ctx.guardianModule.connect(g0).veto(qs[1]!.id, qs[1]!.slot, await signVeto(ctx, qs[1]!.id, [g1]));
        await ctx.guardianModule.connect(g0).veto(qs[2]!.id, qs[2]!.slot, await signVeto(ctx, qs[2]!.id, [g1, g2]));
        const tx = ctx.guardianModule
          .connect(g0)
          .veto(qs[3]!.id, qs[3]!.slot, await signVeto(ctx, qs[3]!.id, [g1, g2]));
        await expect(tx).to.emit(ctx.guardianModule, "OperationVetoed").withArgs(qs[3]!.id, qs[3]!.slot, 3n, 3n);
        await expect(tx).to.emit(ctx.guardianModule, "VetoLevelChanged").withArgs(3n, 3n);
      });
    });
  });

  describe("vetoRequirement", function () {
    it("one guardian suffices before any veto", async function () {
      const ctx = await loadFixture(deployVault);
      expect([...(await ctx.guardianModule.vetoRequirement())]).to.deep.equal([0n, 1n]);
    });

    it("two guardians are required right after a veto", async function () {
      const { ctx, q } = await loadFixture(deployVaultWithQueue);
      await ctx.guardianModule.connect(ctx.guardians[0]!).veto(q.id, q.slot, "0x");
      expect([...(await ctx.guardianModule.vetoRequirement())]).to.deep.equal([1n, 2n]);
    });

    it("the level decays by one per quiet period, not before", async function () {
      const { ctx, qs } = await loadFixture(deployVaultWithQueue);
      const [g0, g1] = [ctx.guardians[0]!, ctx.guardians[1]!];
      await ctx.guardianModule.connect(g0).veto(qs[0]!.id, qs[0]!.slot, "0x");
      const vetoedAt = await pinNextTimestamp(time);
      await ctx.guardianModule.connect(g0).veto(qs[1]!.id, qs[1]!.slot, await signVeto(ctx, qs[1]!.id, [g1]));
      expect([...(await ctx.guardianModule.vetoRequirement())]).to.deep.equal([2n, 3n]);
      await time.increaseTo(vetoedAt + T.vetoQuietPeriod - 1n);
      expect([...(await ctx.guardianModule.vetoRequirement())]).to.deep.equal([2n, 3n]);
      await time.increaseTo(vetoedAt + T.vetoQuietPeriod);
      expect([...(await ctx.guardianModule.vetoRequirement())]).to.deep.equal([1n, 2n]);
      await time.increaseTo(vetoedAt + 2n * T.vetoQuietPeriod);
      expect([...(await ctx.guardianModule.vetoRequirement())]).to.deep.equal([0n, 1n]);
    });

    it("the requirement never exceeds the guardian count", async function () {
      const { ctx, qs } = await loadFixture(deployVaultWithQueue);
      const all = ctx.guardians;
      for (const q of qs)
        await ctx.guardianModule.connect(roles(ctx).relayer).veto(q.id, q.slot, await signVeto(ctx, q.id, all));
      expect([...(await ctx.guardianModule.vetoRequirement())]).to.deep.equal([3n, 3n]);
    });
  });

  describe("freeze", function () {
    it("the guardian quorum's signatures freeze withdrawals for maxFreeze", async function () {
      const ctx = await loadFixture(deployVault);
      const at = await pinNextTimestamp(time);
      const until = at + T.maxFreeze;
      const tx = ctx.guardianModule.connect(roles(ctx).relayer).freeze(await signFreeze(ctx, 0, guardianQuorum(ctx)));
      await expect(tx)
        .to.emit(ctx.guardianModule, "Frozen")
        .withArgs(until, until + T.freezeCooldown, 2n);
      await expect(tx).to.emit(ctx.vault, "FrozenUntilChanged").withArgs(0n, until);
      expect(await ctx.vault.frozenUntil()).to.equal(until);
      const status = await ctx.guardianModule.guardianStatus();
      expect([status.nextFreezeAt, status.freezeCount]).to.deep.equal([until + T.freezeCooldown, 1n]);
    });

    it("a guardian submitting one other guardian's signature freezes withdrawals", async function () {
      const ctx = await loadFixture(deployVault);
      const [g0, g1] = [ctx.guardians[0]!, ctx.guardians[1]!];
      await expect(ctx.guardianModule.connect(g1).freeze(await signFreeze(ctx, 0, [g0])))
        .to.emit(ctx.guardianModule, "Frozen")
        .withArgs(anyValue, anyValue, 2n);
    });

    it("a guardian alone cannot freeze withdrawals", async function () {
      const ctx = await loadFixture(deployVault);
      await expect(ctx.guardianModule.connect(ctx.guardians[0]!).freeze("0x"))
        .to.be.revertedWithCustomError(ctx.guardianModule, "ThresholdNotMet")
        .withArgs(2n, 1n);
    });

    it("a guardian cannot count twice by signing and submitting the freeze", async function () {
      const ctx = await loadFixture(deployVault);
      const guardian = ctx.guardians[0]!;
      await expect(ctx.guardianModule.connect(guardian).freeze(await signFreeze(ctx, 0, [guardian])))
        .to.be.revertedWithCustomError(ctx.guardianModule, "ThresholdNotMet")
        .withArgs(2n, 1n);
    });

    it("an outsider cannot freeze withdrawals without signatures", async function () {
      const ctx = await loadFixture(deployVault);
      await expect(ctx.guardianModule.connect(roles(ctx).stranger).freeze("0x"))
        .to.be.revertedWithCustomError(ctx.guardianModule, "ThresholdNotMet")
        .withArgs(2n, 0n);
    });

    it("a relayer cannot freeze withdrawals with a signer's signature", async function () {
      const ctx = await loadFixture(deployVault);
      const signer = ctx.signers[0]!;
      await expect(ctx.guardianModule.connect(roles(ctx).relayer).freeze(await signFreeze(ctx, 0, [signer])))
        .to.be.revertedWithCustomError(ctx.guardianModule, "SignatureNotFromSigner")
        .withArgs(0n, signer.address);
    });

    it("a relayer cannot freeze withdrawals with the guardians' signatures for a later freeze nonce", async function () {
      const ctx = await loadFixture(deployVault);
      await expect(ctx.guardianModule.connect(roles(ctx).relayer).freeze(await signFreeze(ctx, 1, guardianQuorum(ctx))))
        .to.be.revertedWithCustomError(ctx.guardianModule, "SignatureNotFromSigner")
        .withArgs(0n, anyValue);
    });

    it("nobody can execute a ready withdrawal while withdrawals are frozen", async function () {
      const { ctx, q, until } = await loadFixture(deployFrozenVault);
      await expect(ctx.vault.connect(roles(ctx).relayer).executeWithdrawal(q.w, q.slot))
        .to.be.revertedWithCustomError(ctx.vault, "WithdrawalsFrozen")
        .withArgs(until);
    });

    it("nobody can execute a withdrawal one second before the freeze ends", async function () {
      const { ctx, q, until } = await loadFixture(deployFrozenVault);
      await time.setNextBlockTimestamp(until - 1n);
      await expect(ctx.vault.executeWithdrawal(q.w, q.slot))
        .to.be.revertedWithCustomError(ctx.vault, "WithdrawalsFrozen")
        .withArgs(until);
    });

    it("a withdrawal that became ready during the freeze executes when the freeze expires by itself", async function () {
      const { ctx, q, until, deadline } = await loadFixture(deployFrozenVault);
      expect(until < deadline, "maxFreeze < executionWindow").to.equal(true);
      await time.setNextBlockTimestamp(until);
      await expect(ctx.vault.executeWithdrawal(q.w, q.slot)).to.emit(ctx.vault, "WithdrawalExecuted").withArgs(q.id);
    });

    it("the guardians cannot freeze again while frozen", async function () {
      const { ctx, nextFreezeAt } = await loadFixture(deployFrozenVault);
      await expect(ctx.guardianModule.connect(roles(ctx).relayer).freeze(await signFreeze(ctx, 1, guardianQuorum(ctx))))
        .to.be.revertedWithCustomError(ctx.guardianModule, "FreezeCoolingDown")
        .withArgs(nextFreezeAt);
    });

    it("the guardians cannot freeze again one second before the cooldown ends", async function () {
      const { ctx, nextFreezeAt } = await loadFixture(deployFrozenVault);
      const signatures = await signFreeze(ctx, 1, guardianQuorum(ctx));
      await time.setNextBlockTimestamp(nextFreezeAt - 1n);
      await expect(ctx.guardianModule.connect(roles(ctx).relayer).freeze(signatures))
        .to.be.revertedWithCustomError(ctx.guardianModule, "FreezeCoolingDown")
        .withArgs(nextFreezeAt);
    });

    it("the guardians freeze again when the cooldown ends, signing the next freeze nonce", async function () {
      const { ctx, nextFreezeAt, until } = await loadFixture(deployFrozenVault);
      const signatures = await signFreeze(ctx, 1, guardianQuorum(ctx));
      await time.setNextBlockTimestamp(nextFreezeAt);
      const newUntil = nextFreezeAt + T.maxFreeze;
      const tx = ctx.guardianModule.connect(roles(ctx).relayer).freeze(signatures);
      await expect(tx)
        .to.emit(ctx.guardianModule, "Frozen")
        .withArgs(newUntil, newUntil + T.freezeCooldown, 2n);
      await expect(tx).to.emit(ctx.vault, "FrozenUntilChanged").withArgs(until, newUntil);
    });

    it("a relayer cannot replay the first freeze's signatures after the cooldown", async function () {
      const { ctx, nextFreezeAt } = await loadFixture(deployFrozenVault);
      const replayed = await signFreeze(ctx, 0, guardianQuorum(ctx));
      await time.setNextBlockTimestamp(nextFreezeAt);
      await expect(ctx.guardianModule.connect(roles(ctx).relayer).freeze(replayed))
        .to.be.revertedWithCustomError(ctx.guardianModule, "SignatureNotFromSigner")
        .withArgs(0n, anyValue);
    });

    describe("what a freeze does not block", function () {
      it("signers queue a withdrawal while withdrawals are frozen", async function () {
        const { ctx } = await loadFixture(deployFrozenVault);
        const w = await ethWithdrawal(ctx);
        const at = await pinNextTimestamp(time);
        await expect(ctx.vault.queueWithdrawal(w, 5n, await signWithdrawal(ctx, w, signerQuorum(ctx))))
          .to.emit(ctx.vault, "WithdrawalQueued")
          .withArgs(withdrawalId(ctx, w), ETH, w.to, ONE_ETH, w.nonce, 5n, at + T.withdrawalDelay);
      });

      it("signers cancel a queued withdrawal while withdrawals are frozen", async function () {
        const { ctx, q } = await loadFixture(deployFrozenVault);
        await expect(ctx.vault.cancel(q.id, q.slot, await signCancellation(ctx, q.id, EPOCH, signerQuorum(ctx))))
          .to.emit(ctx.vault, "OperationCancelled")
          .withArgs(q.id, q.slot);
      });

      it("a guardian vetoes a queued withdrawal while withdrawals are frozen", async function () {
        const { ctx, q } = await loadFixture(deployFrozenVault);
        await expect(ctx.guardianModule.connect(ctx.guardians[0]!).veto(q.id, q.slot, "0x"))
          .to.emit(ctx.guardianModule, "OperationVetoed")
          .withArgs(q.id, q.slot, 1n, 1n);
      });

      it("signers execute a configuration change while withdrawals are frozen", async function () {
        const { ctx, until } = await loadFixture(deployFrozenVault);
        // A neutral change (a loosening would wait the long delay, SPEC §4.1).
        const { c, slot, id, eta } = await queueConfig(ctx, {
          action: ConfigAction.SetCoolOff,
          value: 2n * HOUR,
        });
        expect(eta < until).to.equal(true);
        await time.setNextBlockTimestamp(eta);
        await expect(ctx.vault.executeConfigChange(c, slot))
          .to.emit(ctx.vault, "ConfigChangeExecuted")
          .withArgs(id, ConfigAction.SetCoolOff);
      });

      it("guardians queue a recovery while withdrawals are frozen", async function () {
        const { ctx } = await loadFixture(deployFrozenVault);
        const r = recovery(ctx);
        await expect(ctx.guardianModule.queueRecovery(r, await signRecovery(ctx, r, guardianQuorum(ctx))))
          .to.emit(ctx.guardianModule, "RecoveryQueued")
          .withArgs(recoveryId(ctx, r), r.signers, r.threshold, anyValue);
      });

      it("anyone executes a recovery while withdrawals are frozen", async function () {
        const { ctx, r, id, queuedAt, eta } = await loadFixture(deployVaultWithRecovery);
        await time.setNextBlockTimestamp(queuedAt + DAY);
        await ctx.guardianModule.freeze(await signFreeze(ctx, 0, guardianQuorum(ctx)));
        expect(await ctx.vault.frozenUntil()).to.be.greaterThan(eta);
        await time.setNextBlockTimestamp(eta);
        await expect(ctx.guardianModule.executeRecovery(r))
          .to.emit(ctx.guardianModule, "RecoveryExecuted")
          .withArgs(id, eta + T.coolOff);
      });

      it("the council queues a change while withdrawals are frozen", async function () {
        const { ctx } = await loadFixture(deployFrozenVault);
        const c = councilChange(ctx);
        await expect(ctx.guardianModule.queueCouncilChange(c, await signCouncil(ctx, c, councilQuorum(ctx))))
          .to.emit(ctx.guardianModule, "CouncilChangeQueued")
          .withArgs(councilId(ctx, c), councilTuple(c), 4n, anyValue);
      });
    });
  });

  describe("unfreeze", function () {
    it("the signer quorum's signatures lift the freeze early", async function () {
      const { ctx, until } = await loadFixture(deployFrozenVault);
      const at = await pinNextTimestamp(time);
      const tx = ctx.guardianModule.connect(roles(ctx).relayer).unfreeze(await signUnfreeze(ctx, 0, signerQuorum(ctx)));
      await expect(tx).to.emit(ctx.guardianModule, "Unfrozen").withArgs(at);
      await expect(tx).to.emit(ctx.vault, "FrozenUntilChanged").withArgs(until, at);
      expect(await ctx.vault.frozenUntil()).to.equal(at);
    });

    it("a signer submitting one other signer's signature lifts the freeze", async function () {
      const { ctx } = await loadFixture(deployFrozenVault);
      const [s0, s1] = [ctx.signers[0]!, ctx.signers[1]!];
      await expect(ctx.guardianModule.connect(s1).unfreeze(await signUnfreeze(ctx, 0, [s0]))).to.emit(
        ctx.guardianModule,
        "Unfrozen",
      );
    });

    it("a withdrawal executes right after the signers lift the freeze", async function () {
      const { ctx, q } = await loadFixture(deployFrozenVault);
      await ctx.guardianModule.unfreeze(await signUnfreeze(ctx, 0, signerQuorum(ctx)));
      await expect(ctx.vault.executeWithdrawal(q.w, q.slot)).to.emit(ctx.vault, "WithdrawalExecuted").withArgs(q.id);
    });

    it("a signer alone cannot lift the freeze", async function () {
      const { ctx } = await loadFixture(deployFrozenVault);
      await expect(ctx.guardianModule.connect(ctx.signers[0]!).unfreeze("0x"))
        .to.be.revertedWithCustomError(ctx.guardianModule, "ThresholdNotMet")
        .withArgs(2n, 1n);
    });

    it("a guardian cannot lift the freeze: the caller counts only if a signer", async function () {
      const { ctx } = await loadFixture(deployFrozenVault);
      await expect(ctx.guardianModule.connect(ctx.guardians[0]!).unfreeze("0x"))
        .to.be.revertedWithCustomError(ctx.guardianModule, "ThresholdNotMet")
        .withArgs(2n, 0n);
    });

    it("a relayer cannot lift the freeze with a guardian's signature", async function () {
      const { ctx } = await loadFixture(deployFrozenVault);
      const guardian = ctx.guardians[0]!;
      await expect(ctx.guardianModule.unfreeze(await signUnfreeze(ctx, 0, [guardian])))
        .to.be.revertedWithCustomError(ctx.guardianModule, "SignatureNotFromSigner")
        .withArgs(0n, guardian.address);
    });

    it("a relayer cannot lift the freeze with the signers' signatures in the vault's domain", async function () {
      const { ctx } = await loadFixture(deployFrozenVault);
      const signatures = await signAll(unfreezeTypedData(ctx.domain, 0, EPOCH), signerQuorum(ctx));
      await expect(ctx.guardianModule.unfreeze(signatures))
        .to.be.revertedWithCustomError(ctx.guardianModule, "SignatureNotFromSigner")
        .withArgs(0n, anyValue);
    });

    it("nobody can unfreeze when withdrawals were never frozen", async function () {
      const ctx = await loadFixture(deployVault);
      await expect(
        ctx.guardianModule.unfreeze(await signUnfreeze(ctx, 0, signerQuorum(ctx))),
      ).to.be.revertedWithCustomError(ctx.guardianModule, "NotFrozen");
    });

    it("nobody can unfreeze once the freeze expired at frozenUntil", async function () {
      const { ctx, until } = await loadFixture(deployFrozenVault);
      const signatures = await signUnfreeze(ctx, 0, signerQuorum(ctx));
      await time.setNextBlockTimestamp(until);
      await expect(ctx.guardianModule.unfreeze(signatures)).to.be.revertedWithCustomError(
        ctx.guardianModule,
        "NotFrozen",
      );
    });

    it("the signers a recovery installed lift a freeze, signing for the new epoch", async function () {
      const { ctx } = await loadFixture(deployRecoveredVault);
      await ctx.guardianModule.freeze(await signFreeze(ctx, 0, guardianQuorum(ctx)));
      const fresh = replacementSigners(ctx).slice(0, 2);
      await expect(ctx.guardianModule.unfreeze(await signUnfreeze(ctx, 0, fresh, EPOCH + 1))).to.emit(
        ctx.guardianModule,
        "Unfrozen",
      );
    });

    it("the signers a recovery replaced cannot lift a freeze", async function () {
      const { ctx } = await loadFixture(deployRecoveredVault);
      await ctx.guardianModule.freeze(await signFreeze(ctx, 0, guardianQuorum(ctx)));
      const old = ctx.signers[0]!;
      await expect(ctx.guardianModule.unfreeze(await signUnfreeze(ctx, 0, [old], EPOCH + 1)))
        .to.be.revertedWithCustomError(ctx.guardianModule, "SignatureNotFromSigner")
        .withArgs(0n, old.address);
    });

    it("unfreezing restarts the cooldown: no freeze one second before it ends", async function () {
      const { ctx } = await loadFixture(deployFrozenVault);
      const at = await pinNextTimestamp(time);
      await ctx.guardianModule.unfreeze(await signUnfreeze(ctx, 0, signerQuorum(ctx)));
      expect((await ctx.guardianModule.guardianStatus()).nextFreezeAt).to.equal(at + T.freezeCooldown);
      const signatures = await signFreeze(ctx, 1, guardianQuorum(ctx));
      await time.setNextBlockTimestamp(at + T.freezeCooldown - 1n);
      await expect(ctx.guardianModule.freeze(signatures))
        .to.be.revertedWithCustomError(ctx.guardianModule, "FreezeCoolingDown")
        .withArgs(at + T.freezeCooldown);
    });

    it("unfreezing restarts the cooldown: the guardians freeze again when it ends", async function () {
      const { ctx } = await loadFixture(deployFrozenVault);
      const at = await pinNextTimestamp(time);
      await ctx.guardianModule.unfreeze(await signUnfreeze(ctx, 0, signerQuorum(ctx)));
      const signatures = await signFreeze(ctx, 1, guardianQuorum(ctx));
      await time.setNextBlockTimestamp(at + T.freezeCooldown);
      await expect(ctx.guardianModule.freeze(signatures)).to.emit(ctx.guardianModule, "Frozen");
    });

    it("a relayer cannot lift the second freeze with signatures over the first one", async function () {
      const { ctx, nextFreezeAt } = await loadFixture(deployFrozenVault);
      const old = await signUnfreeze(ctx, 0, signerQuorum(ctx));
      await ctx.guardianModule.unfreeze(old);
      await time.setNextBlockTimestamp(nextFreezeAt);
      await ctx.guardianModule.freeze(await signFreeze(ctx, 1, guardianQuorum(ctx)));
      await expect(ctx.guardianModule.unfreeze(old))
        .to.be.revertedWithCustomError(ctx.guardianModule, "SignatureNotFromSigner")
        .withArgs(0n, anyValue);
    });
  });

  describe("queueRecovery", function () {
    it("the guardian quorum's signatures, relayed by an outsider, queue a recovery", async function () {
      const ctx = await loadFixture(deployVault);
      const r = recovery(ctx);
      const id = recoveryId(ctx, r);
      const at = await pinNextTimestamp(time);
      await expect(
        ctx.guardianModule
          .connect(roles(ctx).relayer)
          .queueRecovery(r, await signRecovery(ctx, r, guardianQuorum(ctx))),
      )
        .to.emit(ctx.guardianModule, "RecoveryQueued")
        .withArgs(id, r.signers, r.threshold, at + T.recoveryDelay);
      const pending = await ctx.guardianModule.pending();
      expect([pending.recovery, pending.recoveryEta, pending.recoveryQueued]).to.deep.equal([
        id,
        at + T.recoveryDelay,
        true,
      ]);
      expect((await ctx.guardianModule.guardianStatus()).recoveryNonce).to.equal(1n);
    });

    it("the module's recoveryId equals the off-chain digest", async function () {
      const ctx = await loadFixture(deployVault);
      const r = recovery(ctx);
      expect(await ctx.guardianModule.recoveryId(r)).to.equal(recoveryId(ctx, r));
    });

    it("a guardian submitting one other guardian's signature queues a recovery", async function () {
      const ctx = await loadFixture(deployVault);
      const r = recovery(ctx);
      await expect(
        ctx.guardianModule.connect(ctx.guardians[2]!).queueRecovery(r, await signRecovery(ctx, r, [ctx.guardians[0]!])),
      )
        .to.emit(ctx.guardianModule, "RecoveryQueued")
        .withArgs(recoveryId(ctx, r), r.signers, r.threshold, anyValue);
    });

    it("a guardian alone cannot queue a recovery", async function () {
      const ctx = await loadFixture(deployVault);
      await expect(ctx.guardianModule.connect(ctx.guardians[0]!).queueRecovery(recovery(ctx), "0x"))
        .to.be.revertedWithCustomError(ctx.guardianModule, "ThresholdNotMet")
        .withArgs(2n, 1n);
    });

    it("the signers cannot queue a recovery", async function () {
      const ctx = await loadFixture(deployVault);
      const r = recovery(ctx);
      const signer = ctx.signers[0]!;
      await expect(ctx.guardianModule.connect(ctx.signers[1]!).queueRecovery(r, await signRecovery(ctx, r, [signer])))
        .to.be.revertedWithCustomError(ctx.guardianModule, "SignatureNotFromSigner")
        .withArgs(0n, signer.address);
    });

    it("a relayer cannot queue a recovery with an outsider's signature", async function () {
      const ctx = await loadFixture(deployVault);
      const r = recovery(ctx);
      const stranger = roles(ctx).stranger;
      await expect(
        ctx.guardianModule.connect(ctx.guardians[0]!).queueRecovery(r, await signRecovery(ctx, r, [stranger])),
      )
        .to.be.revertedWithCustomError(ctx.guardianModule, "SignatureNotFromSigner")
        .withArgs(0n, stranger.address);
    });

    it("the guardians cannot queue a recovery for another guardian epoch", async function () {
      const ctx = await loadFixture(deployVault);
      const r = recovery(ctx, { guardianEpoch: GUARDIAN_EPOCH + 1 });
      await expect(ctx.guardianModule.queueRecovery(r, await signRecovery(ctx, r, guardianQuorum(ctx))))
        .to.be.revertedWithCustomError(ctx.guardianModule, "GuardianEpochMismatch")
        .withArgs(GUARDIAN_EPOCH + 1, GUARDIAN_EPOCH);
    });

    it("the guardians cannot queue a recovery whose nonce is not the next", async function () {
      const ctx = await loadFixture(deployVault);
      const r = recovery(ctx, { nonce: 1 });
      await expect(ctx.guardianModule.queueRecovery(r, await signRecovery(ctx, r, guardianQuorum(ctx))))
        .to.be.revertedWithCustomError(ctx.guardianModule, "NonceMismatch")
        .withArgs(1n, 0n);
    });

    it("the guardians cannot queue a second recovery while one is pending", async function () {
      const { ctx, id } = await loadFixture(deployVaultWithRecovery);
      const r = recovery(ctx, { nonce: 1, threshold: 3n });
      await expect(ctx.guardianModule.queueRecovery(r, await signRecovery(ctx, r, guardianQuorum(ctx))))
        .to.be.revertedWithCustomError(ctx.guardianModule, "RecoveryAlreadyPending")
        .withArgs(id);
    });

    it("the guardians cannot queue a second recovery at the last second of the pending one's window", async function () {
      const { ctx, id, deadline } = await loadFixture(deployVaultWithRecovery);
      const r = recovery(ctx, { nonce: 1 });
      const signatures = await signRecovery(ctx, r, guardianQuorum(ctx));
      await time.setNextBlockTimestamp(deadline);
      await expect(ctx.guardianModule.queueRecovery(r, signatures))
        .to.be.revertedWithCustomError(ctx.guardianModule, "RecoveryAlreadyPending")
        .withArgs(id);
    });

    it("the guardians queue a new recovery once the pending one expired", async function () {
      const { ctx, deadline } = await loadFixture(deployVaultWithRecovery);
      const r = recovery(ctx, { nonce: 1 });
      const signatures = await signRecovery(ctx, r, guardianQuorum(ctx));
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(ctx.guardianModule.queueRecovery(r, signatures))
        .to.emit(ctx.guardianModule, "RecoveryQueued")
        .withArgs(recoveryId(ctx, r), r.signers, r.threshold, deadline + 1n + T.recoveryDelay);
    });

    it("the guardians queue a new recovery once the signers cancelled the pending one", async function () {
      const { ctx, id } = await loadFixture(deployVaultWithRecovery);
      await ctx.guardianModule.cancelRecovery(id, await signRecoveryCancellation(ctx, id, signerQuorum(ctx)));
      const r = recovery(ctx, { nonce: 1 });
      await expect(ctx.guardianModule.queueRecovery(r, await signRecovery(ctx, r, guardianQuorum(ctx)))).to.emit(
        ctx.guardianModule,
        "RecoveryQueued",
      );
    });

    it("the guardians cannot queue a recovery that makes a guardian a signer", async function () {
      const ctx = await loadFixture(deployVault);
      const guardian = ctx.guardians[0]!;
      const signers = sortSigners([guardian, ...replacementSigners(ctx).slice(0, 2)]);
      const r = recovery(ctx, { signers: addresses(signers) });
      await expect(ctx.guardianModule.queueRecovery(r, await signRecovery(ctx, r, guardianQuorum(ctx))))
        .to.be.revertedWithCustomError(ctx.guardianModule, "GuardianAlreadyMember")
        .withArgs(guardian.address);
    });

    it("the guardians cannot queue a recovery whose signers are not ascending", async function () {
      const ctx = await loadFixture(deployVault);
      const r = recovery(ctx, { signers: addresses(replacementSigners(ctx)).reverse() });
      await expect(ctx.guardianModule.queueRecovery(r, await signRecovery(ctx, r, guardianQuorum(ctx))))
        .to.be.revertedWithCustomError(ctx.guardianModule, "MembersNotAscending")
        .withArgs(1n);
    });

    it("the guardians cannot queue a recovery with the zero address as a signer", async function () {
      const ctx = await loadFixture(deployVault);
      const r = recovery(ctx, { signers: [ZeroAddress, ...addresses(replacementSigners(ctx))] });
      await expect(
        ctx.guardianModule.queueRecovery(r, await signRecovery(ctx, r, guardianQuorum(ctx))),
      ).to.be.revertedWithCustomError(ctx.guardianModule, "SignerIsZeroAddress");
    });

    it("the guardians cannot queue a recovery whose threshold exceeds its signers", async function () {
      const ctx = await loadFixture(deployVault);
      const r = recovery(ctx, { threshold: 4n });
      await expect(ctx.guardianModule.queueRecovery(r, await signRecovery(ctx, r, guardianQuorum(ctx))))
        .to.be.revertedWithCustomError(ctx.guardianModule, "ThresholdOutOfRange")
        .withArgs(4n, 3n);
    });

    it("the guardians cannot queue a recovery whose signer threshold no valid council threshold exceeds", async function () {
      const ctx = await loadFixture(deployVault);
      const signers = addresses(sortSigners(ctx.outsiders.slice(4, 8)));
      const r = recovery(ctx, { signers, threshold: 4n });
      // 4-of-4 signers reach the council threshold 4, which is raised to M + 1 = 5; but with 3
      // guardians the keys outside the signer quorum reach only N + G - M = 3.
      await expect(ctx.guardianModule.queueRecovery(r, await signRecovery(ctx, r, guardianQuorum(ctx))))
        .to.be.revertedWithCustomError(ctx.guardianModule, "CouncilThresholdOutOfRange")
        .withArgs(5n, 5n, 3n);
    });

    it("a guardian cannot veto a pending recovery", async function () {
      const { ctx, id } = await loadFixture(deployVaultWithRecovery);
      await expect(ctx.guardianModule.veto(id, 0n, await signVeto(ctx, id, ctx.guardians)))
        .to.be.revertedWithCustomError(ctx.guardianModule, "NotVetoable")
        .withArgs(id, 0n);
    });
  });

  describe("executeRecovery", function () {
    it("anyone executes a recovery at its eta: signers replaced, epoch advanced, cool-off started", async function () {
      const { ctx, r, id, eta } = await loadFixture(deployVaultWithRecovery);
      await time.setNextBlockTimestamp(eta);
      const tx = ctx.guardianModule.connect(roles(ctx).stranger).executeRecovery(r);
      await expect(tx)
        .to.emit(ctx.guardianModule, "RecoveryExecuted")
        .withArgs(id, eta + T.coolOff);
      for (const s of ctx.signers) await expect(tx).to.emit(ctx.vault, "SignerRemoved").withArgs(s.address);
      for (const s of r.signers) await expect(tx).to.emit(ctx.vault, "SignerAdded").withArgs(s);
      await expect(tx)
        .to.emit(ctx.vault, "EpochAdvanced")
        .withArgs(EPOCH, EPOCH + 1);
      await expect(tx)
        .to.emit(ctx.vault, "CoolOffStarted")
        .withArgs(eta + T.coolOff);
      await expect(tx).not.to.emit(ctx.vault, "ThresholdChanged");
      const config = await readConfiguration(ctx.vault);
      expect([config.signers, config.threshold, config.epoch]).to.deep.equal([r.signers, 2, EPOCH + 1]);
      expect((await ctx.vault.timings()).coolOffUntil).to.equal(eta + T.coolOff);
    });

    it("nobody can execute a recovery one second before its eta", async function () {
      const { ctx, r, id, eta } = await loadFixture(deployVaultWithRecovery);
      await time.setNextBlockTimestamp(eta - 1n);
      await expect(ctx.guardianModule.executeRecovery(r))
        .to.be.revertedWithCustomError(ctx.guardianModule, "OperationNotReady")
        .withArgs(id, eta, eta - 1n);
    });

    it("anyone executes a recovery at the last second of its window", async function () {
      const { ctx, r, id, deadline } = await loadFixture(deployVaultWithRecovery);
      await time.setNextBlockTimestamp(deadline);
      await expect(ctx.guardianModule.executeRecovery(r))
        .to.emit(ctx.guardianModule, "RecoveryExecuted")
        .withArgs(id, deadline + T.coolOff);
    });

    it("nobody can execute a recovery one second after its window", async function () {
      const { ctx, r, id, deadline } = await loadFixture(deployVaultWithRecovery);
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(ctx.guardianModule.executeRecovery(r))
        .to.be.revertedWithCustomError(ctx.guardianModule, "OperationExpired")
        .withArgs(id, deadline, deadline + 1n);
    });

    it("nobody can execute a recovery that was never queued", async function () {
      const { ctx, eta } = await loadFixture(deployVaultWithRecovery);
      const other = recovery(ctx, { threshold: 3n });
      await time.setNextBlockTimestamp(eta);
      await expect(ctx.guardianModule.executeRecovery(other))
        .to.be.revertedWithCustomError(ctx.guardianModule, "RecoveryNotQueued")
        .withArgs(recoveryId(ctx, other));
    });

    it("nobody can execute a recovery twice", async function () {
      const { ctx, r, id } = await loadFixture(deployRecoveredVault);
      await expect(ctx.guardianModule.executeRecovery(r))
        .to.be.revertedWithCustomError(ctx.guardianModule, "RecoveryNotQueued")
        .withArgs(id);
    });

    it("nobody can execute a recovery the signers cancelled", async function () {
      const { ctx, r, id, eta } = await loadFixture(deployVaultWithRecovery);
      await ctx.guardianModule.cancelRecovery(id, await signRecoveryCancellation(ctx, id, signerQuorum(ctx)));
      await time.setNextBlockTimestamp(eta);
      await expect(ctx.guardianModule.executeRecovery(r))
        .to.be.revertedWithCustomError(ctx.guardianModule, "RecoveryNotQueued")
        .withArgs(id);
    });

    it("nobody can execute a recovery after the guardian set changed", async function () {
      const { ctx, r, eta } = await loadFixture(deployVaultWithRecovery);
      const change = {
        action: ConfigAction.ReplaceGuardian,
        account: ctx.guardians[2]!.address,
        replacement: ctx.outsiders[7]!.address,
      };
      await (await executeConfigAtEta(ctx, change)).wait();
      await time.setNextBlockTimestamp(eta);
      await expect(ctx.guardianModule.executeRecovery(r))
        .to.be.revertedWithCustomError(ctx.guardianModule, "GuardianEpochMismatch")
        .withArgs(GUARDIAN_EPOCH, GUARDIAN_EPOCH + 1);
    });

    it("a recovery to more signers raises the council threshold to stay a strict majority", async function () {
      const ctx = await loadFixture(deployVault);
      const r = recovery(ctx, { signers: addresses(sortSigners(ctx.outsiders.slice(4, 9))), threshold: 3n });
      const at = await pinNextTimestamp(time);
      await ctx.guardianModule.queueRecovery(r, await signRecovery(ctx, r, guardianQuorum(ctx)));
      await time.setNextBlockTimestamp(at + T.recoveryDelay);
      const tx = ctx.guardianModule.executeRecovery(r);
      await expect(tx).to.emit(ctx.guardianModule, "CouncilThresholdChanged").withArgs(COUNCIL, 5n);
      await expect(tx).to.emit(ctx.vault, "ThresholdChanged").withArgs(2n, 3n);
      expect((await ctx.guardianModule.guardianCounts()).councilThreshold).to.equal(5n);
    });

    it("nobody can execute a withdrawal queued before the recovery, ever", async function () {
      const { ctx, q } = await loadFixture(deployRecoveredVault);
      await expect(ctx.vault.executeWithdrawal(q.w, q.slot))
        .to.be.revertedWithCustomError(ctx.vault, "EpochMismatch")
        .withArgs(EPOCH, EPOCH + 1);
    });

    it("the replaced signers cannot queue a withdrawal after the recovery", async function () {
      const { ctx } = await loadFixture(deployRecoveredVault);
      const w = await ethWithdrawal(ctx);
      const oldSigner = ctx.signers[0]!;
      await expect(ctx.vault.queueWithdrawal(w, 1n, await signWithdrawal(ctx, w, [oldSigner])))
        .to.be.revertedWithCustomError(ctx.vault, "SignatureNotFromSigner")
        .withArgs(0n, oldSigner.address);
    });

    describe("cool-off", function () {
      async function queueByNewSigners(ctx: VaultContext, at: bigint) {
        const w = await ethWithdrawal(ctx);
        const signatures = await signWithdrawal(ctx, w, replacementSigners(ctx).slice(0, 2));
        await time.setNextBlockTimestamp(at);
        return { w, tx: ctx.vault.queueWithdrawal(w, 1n, signatures) };
      }

      it("the new signers' withdrawal queued right after the recovery waits the long delay", async function () {
        const { ctx, recoveredAt } = await loadFixture(deployRecoveredVault);
        const at = recoveredAt + 1n;
        const { w, tx } = await queueByNewSigners(ctx, at);
        await expect(tx)
          .to.emit(ctx.vault, "WithdrawalQueued")
          .withArgs(withdrawalId(ctx, w), ETH, w.to, ONE_ETH, w.nonce, 1n, at + T.longDelay);
      });

      it("a withdrawal queued at the last second of the cool-off waits the long delay", async function () {
        const { ctx, coolOffUntil } = await loadFixture(deployRecoveredVault);
        const { w, tx } = await queueByNewSigners(ctx, coolOffUntil - 1n);
        await expect(tx)
          .to.emit(ctx.vault, "WithdrawalQueued")
          .withArgs(withdrawalId(ctx, w), ETH, w.to, ONE_ETH, w.nonce, 1n, coolOffUntil - 1n + T.longDelay);
      });

      it("a withdrawal queued when the cool-off ends waits the normal delay", async function () {
        const { ctx, coolOffUntil } = await loadFixture(deployRecoveredVault);
        const { w, tx } = await queueByNewSigners(ctx, coolOffUntil);
        await expect(tx)
          .to.emit(ctx.vault, "WithdrawalQueued")
          .withArgs(withdrawalId(ctx, w), ETH, w.to, ONE_ETH, w.nonce, 1n, coolOffUntil + T.withdrawalDelay);
      });

      it("nobody can execute a cool-off withdrawal after the normal delay", async function () {
        const { ctx, recoveredAt } = await loadFixture(deployRecoveredVault);
        const at = recoveredAt + 1n;
        const { w, tx } = await queueByNewSigners(ctx, at);
        await (await tx).wait();
        await time.setNextBlockTimestamp(at + T.withdrawalDelay);
        await expect(ctx.vault.executeWithdrawal(w, 1n))
          .to.be.revertedWithCustomError(ctx.vault, "OperationNotReady")
          .withArgs(withdrawalId(ctx, w), at + T.longDelay, at + T.withdrawalDelay);
      });
    });
  });

  describe("cancelRecovery", function () {
    it("the signer quorum's signatures in the module's domain cancel a pending recovery", async function () {
      const { ctx, id } = await loadFixture(deployVaultWithRecovery);
      await expect(
        ctx.guardianModule
          .connect(roles(ctx).relayer)
          .cancelRecovery(id, await signRecoveryCancellation(ctx, id, signerQuorum(ctx))),
      )
        .to.emit(ctx.guardianModule, "RecoveryCancelled")
        .withArgs(id);
      expect((await ctx.guardianModule.pending()).recoveryQueued).to.equal(false);
    });

    it("a signer submitting one other signer's signature cancels a pending recovery", async function () {
      const { ctx, id } = await loadFixture(deployVaultWithRecovery);
      const [s0, s1] = [ctx.signers[0]!, ctx.signers[1]!];
      await expect(ctx.guardianModule.connect(s0).cancelRecovery(id, await signRecoveryCancellation(ctx, id, [s1])))
        .to.emit(ctx.guardianModule, "RecoveryCancelled")
        .withArgs(id);
    });

    it("the module's cancellationId equals the off-chain digest", async function () {
      const { ctx, id } = await loadFixture(deployVaultWithRecovery);
      expect(await ctx.guardianModule.cancellationId(id)).to.equal(
        digest(cancellationTypedData(ctx.guardianDomain, id, EPOCH)),
      );
    });

    it("the signers cancel a recovery that is ready but not executed", async function () {
      const { ctx, id, eta } = await loadFixture(deployVaultWithRecovery);
      const signatures = await signRecoveryCancellation(ctx, id, signerQuorum(ctx));
      await time.setNextBlockTimestamp(eta);
      await expect(ctx.guardianModule.cancelRecovery(id, signatures))
        .to.emit(ctx.guardianModule, "RecoveryCancelled")
        .withArgs(id);
    });

    it("the signers cancel a recovery while withdrawals are frozen", async function () {
      const { ctx, id } = await loadFixture(deployVaultWithRecovery);
      await ctx.guardianModule.freeze(await signFreeze(ctx, 0, guardianQuorum(ctx)));
      await expect(ctx.guardianModule.cancelRecovery(id, await signRecoveryCancellation(ctx, id, signerQuorum(ctx))))
        .to.emit(ctx.guardianModule, "RecoveryCancelled")
        .withArgs(id);
    });

    it("a signer alone cannot cancel a recovery", async function () {
      const { ctx, id } = await loadFixture(deployVaultWithRecovery);
      await expect(ctx.guardianModule.connect(ctx.signers[0]!).cancelRecovery(id, "0x"))
        .to.be.revertedWithCustomError(ctx.guardianModule, "ThresholdNotMet")
        .withArgs(2n, 1n);
    });

    it("the guardians cannot cancel a recovery", async function () {
      const { ctx, id } = await loadFixture(deployVaultWithRecovery);
      const guardian = ctx.guardians[0]!;
      await expect(
        ctx.guardianModule
          .connect(ctx.guardians[1]!)
          .cancelRecovery(id, await signRecoveryCancellation(ctx, id, [guardian])),
      )
        .to.be.revertedWithCustomError(ctx.guardianModule, "SignatureNotFromSigner")
        .withArgs(0n, guardian.address);
    });

    it("a relayer cannot cancel a recovery with the signers' cancellation in the vault's domain", async function () {
      const { ctx, id } = await loadFixture(deployVaultWithRecovery);
      await expect(ctx.guardianModule.cancelRecovery(id, await signCancellation(ctx, id, EPOCH, signerQuorum(ctx))))
        .to.be.revertedWithCustomError(ctx.guardianModule, "SignatureNotFromSigner")
        .withArgs(0n, anyValue);
    });

    it("the signers cannot cancel a recovery through the vault's cancel", async function () {
      const { ctx, id } = await loadFixture(deployVaultWithRecovery);
      await expect(ctx.vault.cancel(id, 1n, await signCancellation(ctx, id, EPOCH, signerQuorum(ctx))))
        .to.be.revertedWithCustomError(ctx.vault, "NothingToCancel")
        .withArgs(id, 1n);
    });

    it("nobody can cancel a recovery that was never queued", async function () {
      const ctx = await loadFixture(deployVault);
      const id = recoveryId(ctx, recovery(ctx));
      await expect(ctx.guardianModule.cancelRecovery(id, await signRecoveryCancellation(ctx, id, signerQuorum(ctx))))
        .to.be.revertedWithCustomError(ctx.guardianModule, "RecoveryNotQueued")
        .withArgs(id);
    });

    it("nobody can cancel a recovery twice", async function () {
      const { ctx, id } = await loadFixture(deployVaultWithRecovery);
      const signatures = await signRecoveryCancellation(ctx, id, signerQuorum(ctx));
      await ctx.guardianModule.cancelRecovery(id, signatures);
      await expect(ctx.guardianModule.cancelRecovery(id, signatures))
        .to.be.revertedWithCustomError(ctx.guardianModule, "RecoveryNotQueued")
        .withArgs(id);
    });

    it("the replaced signers cannot cancel an executed recovery", async function () {
      const { ctx, id } = await loadFixture(deployRecoveredVault);
      await expect(ctx.guardianModule.cancelRecovery(id, await signRecoveryCancellation(ctx, id, signerQuorum(ctx))))
        .to.be.revertedWithCustomError(ctx.guardianModule, "RecoveryNotQueued")
        .withArgs(id);
    });
  });

  describe("queueCouncilChange", function () {
    it("four council members' signatures, relayed by an outsider, queue a council change", async function () {
      const ctx = await loadFixture(deployVault);
      const c = councilChange(ctx);
      const id = councilId(ctx, c);
      const at = await pinNextTimestamp(time);
      await expect(
        ctx.guardianModule
          .connect(roles(ctx).relayer)
          .queueCouncilChange(c, await signCouncil(ctx, c, councilQuorum(ctx))),
      )
        .to.emit(ctx.guardianModule, "CouncilChangeQueued")
        .withArgs(id, councilTuple(c), 4n, at + T.councilDelay);
      const pending = await ctx.guardianModule.pending();
      expect([pending.councilChange, pending.councilEta, pending.councilQueued]).to.deep.equal([
        id,
        at + T.councilDelay,
        true,
      ]);
      expect(await ctx.guardianModule.councilChangeId(c)).to.equal(id);
    });

    it("a guardian submitting three members' signatures queues a council change", async function () {
      const ctx = await loadFixture(deployVault);
      const c = councilChange(ctx);
      const others = [ctx.signers[0]!, ctx.signers[1]!, ctx.guardians[0]!];
      await expect(
        ctx.guardianModule.connect(ctx.guardians[2]!).queueCouncilChange(c, await signCouncil(ctx, c, others)),
      )
        .to.emit(ctx.guardianModule, "CouncilChangeQueued")
        .withArgs(councilId(ctx, c), councilTuple(c), 4n, anyValue);
    });

    it("a signer submitting three members' signatures queues a council change", async function () {
      const ctx = await loadFixture(deployVault);
      const c = councilChange(ctx);
      const others = [ctx.signers[0]!, ctx.guardians[0]!, ctx.guardians[1]!];
      await expect(ctx.guardianModule.connect(ctx.signers[2]!).queueCouncilChange(c, await signCouncil(ctx, c, others)))
        .to.emit(ctx.guardianModule, "CouncilChangeQueued")
        .withArgs(councilId(ctx, c), councilTuple(c), 4n, anyValue);
    });

    it("three council members cannot queue a council change", async function () {
      const ctx = await loadFixture(deployVault);
      const c = councilChange(ctx);
      await expect(ctx.guardianModule.queueCouncilChange(c, await signCouncil(ctx, c, councilQuorum(ctx).slice(1))))
        .to.be.revertedWithCustomError(ctx.guardianModule, "ThresholdNotMet")
        .withArgs(4n, 3n);
    });

    it("all signers alone cannot queue a council change", async function () {
      const ctx = await loadFixture(deployVault);
      const c = signerCouncilChange(ctx);
      await expect(ctx.guardianModule.queueCouncilChange(c, await signCouncil(ctx, c, ctx.signers)))
        .to.be.revertedWithCustomError(ctx.guardianModule, "ThresholdNotMet")
        .withArgs(4n, 3n);
    });

    it("all guardians alone cannot queue a council change", async function () {
      const ctx = await loadFixture(deployVault);
      const c = councilChange(ctx);
      await expect(ctx.guardianModule.queueCouncilChange(c, await signCouncil(ctx, c, ctx.guardians)))
        .to.be.revertedWithCustomError(ctx.guardianModule, "ThresholdNotMet")
        .withArgs(4n, 3n);
    });

    it("a relayer cannot queue a council change with an outsider's signature", async function () {
      const ctx = await loadFixture(deployVault);
      const c = councilChange(ctx);
      const stranger = roles(ctx).stranger;
      await expect(ctx.guardianModule.queueCouncilChange(c, await signCouncil(ctx, c, [stranger])))
        .to.be.revertedWithCustomError(ctx.guardianModule, "SignatureNotFromSigner")
        .withArgs(0n, stranger.address);
    });

    it("a relayer cannot queue a council change with signatures out of ascending order across the union", async function () {
      const ctx = await loadFixture(deployVault);
      const c = councilChange(ctx);
      const data = councilChangeTypedData(ctx.guardianDomain, c);
      const sigs = await Promise.all(councilQuorum(ctx).map((m) => signTypedData(m, data)));
      const ordered = packSignatures(sigs);
      const sorted = sigs.sort((a, b) => compareAddresses(a.signer, b.signer));
      const [low, high] = [sorted[0]!, sorted[1]!];
      const swapped = concat([high.signature, low.signature, ...sorted.slice(2).map((s) => s.signature)]);
      expect(swapped).to.not.equal(ordered);
      await expect(ctx.guardianModule.queueCouncilChange(c, swapped))
        .to.be.revertedWithCustomError(ctx.guardianModule, "SignaturesNotAscending")
        .withArgs(1n, low.signer, high.signer);
    });

    it("the council cannot queue a change whose nonce is not the next", async function () {
      const ctx = await loadFixture(deployVault);
      const c = councilChange(ctx, { nonce: 1 });
      await expect(ctx.guardianModule.queueCouncilChange(c, await signCouncil(ctx, c, councilQuorum(ctx))))
        .to.be.revertedWithCustomError(ctx.guardianModule, "NonceMismatch")
        .withArgs(1n, 0n);
    });

    it("the council cannot queue a change that replaces neither group", async function () {
      const ctx = await loadFixture(deployVault);
      const c = councilChange(ctx, { guardians: [], guardianThreshold: 0n });
      await expect(
        ctx.guardianModule.queueCouncilChange(c, await signCouncil(ctx, c, councilQuorum(ctx))),
      ).to.be.revertedWithCustomError(ctx.guardianModule, "CouncilChangeEmpty");
    });

    it("the council cannot queue a change with a threshold for a group it keeps", async function () {
      const ctx = await loadFixture(deployVault);
      const c = councilChange(ctx, { threshold: 2n });
      await expect(
        ctx.guardianModule.queueCouncilChange(c, await signCouncil(ctx, c, councilQuorum(ctx))),
      ).to.be.revertedWithCustomError(ctx.guardianModule, "UnusedCouncilField");
    });

    it("the council cannot queue a change with a council threshold below a strict majority", async function () {
      const ctx = await loadFixture(deployVault);
      const c = councilChange(ctx, { councilThreshold: 3n });
      await expect(ctx.guardianModule.queueCouncilChange(c, await signCouncil(ctx, c, councilQuorum(ctx))))
        .to.be.revertedWithCustomError(ctx.guardianModule, "CouncilThresholdOutOfRange")
        .withArgs(3n, 4n, 4n);
    });

    it("the council cannot queue a change with a council threshold above N + G - max(M, K)", async function () {
      const ctx = await loadFixture(deployVault);
      // 5 <= N + G = 6 keys, but above 6 - max(2, 2) = 4.
      const c = councilChange(ctx, { councilThreshold: 5n });
      await expect(ctx.guardianModule.queueCouncilChange(c, await signCouncil(ctx, c, councilQuorum(ctx))))
        .to.be.revertedWithCustomError(ctx.guardianModule, "CouncilThresholdOutOfRange")
        .withArgs(5n, 4n, 4n);
    });

    it("the council cannot queue a change whose guardians are not ascending", async function () {
      const ctx = await loadFixture(deployVault);
      const c = councilChange(ctx, { guardians: addresses(replacementGuardians(ctx)).reverse() });
      await expect(ctx.guardianModule.queueCouncilChange(c, await signCouncil(ctx, c, councilQuorum(ctx))))
        .to.be.revertedWithCustomError(ctx.guardianModule, "MembersNotAscending")
        .withArgs(1n);
    });

    it("the council cannot queue a change that makes a kept signer a guardian", async function () {
      const ctx = await loadFixture(deployVault);
      const signer = ctx.signers[0]!;
      const c = councilChange(ctx, {
        guardians: addresses(sortSigners([signer, ...replacementGuardians(ctx).slice(0, 2)])),
      });
      await expect(ctx.guardianModule.queueCouncilChange(c, await signCouncil(ctx, c, councilQuorum(ctx))))
        .to.be.revertedWithCustomError(ctx.guardianModule, "GuardianIsSigner")
        .withArgs(signer.address);
    });

    it("the council cannot queue a change that makes a kept guardian a signer", async function () {
      const ctx = await loadFixture(deployVault);
      const guardian = ctx.guardians[0]!;
      const c = councilChange(ctx, {
        signers: addresses(sortSigners([guardian, ...replacementSigners(ctx).slice(0, 2)])),
        threshold: 2n,
        guardians: [],
        guardianThreshold: 0n,
      });
      await expect(ctx.guardianModule.queueCouncilChange(c, await signCouncil(ctx, c, councilQuorum(ctx))))
        .to.be.revertedWithCustomError(ctx.guardianModule, "GuardianAlreadyMember")
        .withArgs(guardian.address);
    });

    it("the council cannot queue a change whose new signers include its new guardians", async function () {
      const ctx = await loadFixture(deployVault);
      const shared = replacementSigners(ctx)[0]!;
      const c = councilChange(ctx, {
        signers: addresses(replacementSigners(ctx)),
        threshold: 2n,
        guardians: addresses(sortSigners([shared, ...replacementGuardians(ctx).slice(0, 2)])),
      });
      await expect(ctx.guardianModule.queueCouncilChange(c, await signCouncil(ctx, c, councilQuorum(ctx))))
        .to.be.revertedWithCustomError(ctx.guardianModule, "GuardianAlreadyMember")
        .withArgs(shared.address);
    });

    it("a newer council change supersedes the pending one", async function () {
      const { ctx, id } = await loadFixture(deployVaultWithCouncilChange);
      const next: CouncilChange = { ...signerCouncilChange(ctx), nonce: 1 };
      const tx = ctx.guardianModule.queueCouncilChange(next, await signCouncil(ctx, next, councilQuorum(ctx)));
      await expect(tx).to.emit(ctx.guardianModule, "CouncilChangeSuperseded").withArgs(id);
      await expect(tx)
        .to.emit(ctx.guardianModule, "CouncilChangeQueued")
        .withArgs(councilId(ctx, next), councilTuple(next), 4n, anyValue);
    });

    it("nobody can execute a superseded council change", async function () {
      const { ctx, c, id, eta } = await loadFixture(deployVaultWithCouncilChange);
      const next: CouncilChange = { ...signerCouncilChange(ctx), nonce: 1 };
      await ctx.guardianModule.queueCouncilChange(next, await signCouncil(ctx, next, councilQuorum(ctx)));
      await time.setNextBlockTimestamp(eta);
      await expect(ctx.guardianModule.executeCouncilChange(c))
        .to.be.revertedWithCustomError(ctx.guardianModule, "CouncilChangeNotQueued")
        .withArgs(id);
    });

    it("the signer quorum cannot cancel a council change through the vault's cancel", async function () {
      const { ctx, id } = await loadFixture(deployVaultWithCouncilChange);
      await expect(ctx.vault.cancel(id, 0n, await signCancellation(ctx, id, EPOCH, signerQuorum(ctx))))
        .to.be.revertedWithCustomError(ctx.vault, "NothingToCancel")
        .withArgs(id, 0n);
    });

    it("the signer quorum cannot cancel a council change through cancelRecovery", async function () {
      const { ctx, id } = await loadFixture(deployVaultWithCouncilChange);
      await expect(ctx.guardianModule.cancelRecovery(id, await signRecoveryCancellation(ctx, id, signerQuorum(ctx))))
        .to.be.revertedWithCustomError(ctx.guardianModule, "RecoveryNotQueued")
        .withArgs(id);
    });

    it("all guardians cannot veto a council change", async function () {
      const { ctx, id } = await loadFixture(deployVaultWithCouncilChange);
      await expect(ctx.guardianModule.veto(id, 0n, await signVeto(ctx, id, ctx.guardians)))
        .to.be.revertedWithCustomError(ctx.guardianModule, "NotVetoable")
        .withArgs(id, 0n);
    });
  });

  describe("executeCouncilChange", function () {
    it("anyone executes a council change at its eta: the guardians are replaced", async function () {
      const { ctx, c, id, eta } = await loadFixture(deployVaultWithCouncilChange);
      await time.setNextBlockTimestamp(eta);
      const tx = ctx.guardianModule.connect(roles(ctx).stranger).executeCouncilChange(c);
      await expect(tx).to.emit(ctx.guardianModule, "CouncilChangeExecuted").withArgs(id);
      for (const g of ctx.guardians)
        await expect(tx).to.emit(ctx.guardianModule, "GuardianRemoved").withArgs(g.address);
      for (const g of c.guardians) await expect(tx).to.emit(ctx.guardianModule, "GuardianAdded").withArgs(g);
      await expect(tx)
        .to.emit(ctx.guardianModule, "GuardianEpochAdvanced")
        .withArgs(GUARDIAN_EPOCH, GUARDIAN_EPOCH + 1);
      await expect(tx).not.to.emit(ctx.guardianModule, "CouncilThresholdChanged");
      await expect(tx).not.to.emit(ctx.vault, "EpochAdvanced");
      expect([...(await ctx.guardianModule.guardians())]).to.deep.equal(c.guardians);
    });

    it("nobody can execute a council change one second before its eta", async function () {
      const { ctx, c, id, eta } = await loadFixture(deployVaultWithCouncilChange);
      await time.setNextBlockTimestamp(eta - 1n);
      await expect(ctx.guardianModule.executeCouncilChange(c))
        .to.be.revertedWithCustomError(ctx.guardianModule, "OperationNotReady")
        .withArgs(id, eta, eta - 1n);
    });

    it("anyone executes a council change at the last second of its window", async function () {
      const { ctx, c, id, deadline } = await loadFixture(deployVaultWithCouncilChange);
      await time.setNextBlockTimestamp(deadline);
      await expect(ctx.guardianModule.executeCouncilChange(c))
        .to.emit(ctx.guardianModule, "CouncilChangeExecuted")
        .withArgs(id);
    });

    it("nobody can execute a council change one second after its window", async function () {
      const { ctx, c, id, deadline } = await loadFixture(deployVaultWithCouncilChange);
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(ctx.guardianModule.executeCouncilChange(c))
        .to.be.revertedWithCustomError(ctx.guardianModule, "OperationExpired")
        .withArgs(id, deadline, deadline + 1n);
    });

    it("nobody can execute a council change that was never queued", async function () {
      const { ctx, eta } = await loadFixture(deployVaultWithCouncilChange);
      const other = councilChange(ctx, { councilThreshold: 5n });
      await time.setNextBlockTimestamp(eta);
      await expect(ctx.guardianModule.executeCouncilChange(other))
        .to.be.revertedWithCustomError(ctx.guardianModule, "CouncilChangeNotQueued")
        .withArgs(councilId(ctx, other));
    });

    it("nobody can execute a council change twice", async function () {
      const { ctx, c, id, eta } = await loadFixture(deployVaultWithCouncilChange);
      await time.setNextBlockTimestamp(eta);
      await ctx.guardianModule.executeCouncilChange(c);
      await expect(ctx.guardianModule.executeCouncilChange(c))
        .to.be.revertedWithCustomError(ctx.guardianModule, "CouncilChangeNotQueued")
        .withArgs(id);
    });

    it("a council change sets the council threshold it names", async function () {
      const ctx = await loadFixture(deployFiveGuardianVault);
      // New signers, same counts: 8 keys, so the threshold may move from 5 to 6.
      const c = councilChange(ctx, { ...signerCouncilChange(ctx), councilThreshold: BigInt(WIDE.max) });
      const at = await pinNextTimestamp(time);
      await ctx.guardianModule.queueCouncilChange(c, await signCouncil(ctx, c, councilQuorum(ctx)));
      await time.setNextBlockTimestamp(at + T.councilDelay);
      await expect(ctx.guardianModule.executeCouncilChange(c))
        .to.emit(ctx.guardianModule, "CouncilThresholdChanged")
        .withArgs(WIDE.min, WIDE.max);
      expect((await ctx.guardianModule.guardianCounts()).councilThreshold).to.equal(BigInt(WIDE.max));
    });

    it("a council change that replaces the signers advances the epoch without a cool-off", async function () {
      const ctx = await loadFixture(deployVault);
      const c = signerCouncilChange(ctx);
      const at = await pinNextTimestamp(time);
      await ctx.guardianModule.queueCouncilChange(c, await signCouncil(ctx, c, councilQuorum(ctx)));
      await time.setNextBlockTimestamp(at + T.councilDelay);
      const tx = ctx.guardianModule.executeCouncilChange(c);
      await expect(tx)
        .to.emit(ctx.vault, "EpochAdvanced")
        .withArgs(EPOCH, EPOCH + 1);
      await expect(tx).not.to.emit(ctx.vault, "CoolOffStarted");
      await expect(tx).not.to.emit(ctx.guardianModule, "GuardianEpochAdvanced");
      expect([...(await ctx.vault.signers())]).to.deep.equal(c.signers);
      expect((await ctx.vault.timings()).coolOffUntil).to.equal(0n);
    });

    it("nobody can execute a withdrawal queued before a council change replaced the signers", async function () {
      const { ctx, q } = await loadFixture(deployVaultWithQueue);
      const c = signerCouncilChange(ctx);
      const at = await pinNextTimestamp(time);
      await ctx.guardianModule.queueCouncilChange(c, await signCouncil(ctx, c, councilQuorum(ctx)));
      await time.setNextBlockTimestamp(at + T.councilDelay);
      await ctx.guardianModule.executeCouncilChange(c);
      await expect(ctx.vault.executeWithdrawal(q.w, q.slot))
        .to.be.revertedWithCustomError(ctx.vault, "EpochMismatch")
        .withArgs(EPOCH, EPOCH + 1);
    });

    it("a council change lifts a freeze", async function () {
      const { ctx, c, queuedAt, eta } = await loadFixture(deployVaultWithCouncilChange);
      await time.setNextBlockTimestamp(queuedAt + 2n * DAY);
      await ctx.guardianModule.freeze(await signFreeze(ctx, 0, guardianQuorum(ctx)));
      const until = queuedAt + 2n * DAY + T.maxFreeze;
      expect(until > eta).to.equal(true);
      await time.setNextBlockTimestamp(eta);
      const tx = ctx.guardianModule.executeCouncilChange(c);
      await expect(tx).to.emit(ctx.guardianModule, "Unfrozen").withArgs(eta);
      await expect(tx).to.emit(ctx.vault, "FrozenUntilChanged").withArgs(until, eta);
      expect(await ctx.vault.frozenUntil()).to.equal(eta);
    });

    it("a council change without a freeze to lift does not touch the freeze", async function () {
      const { ctx, c, eta } = await loadFixture(deployVaultWithCouncilChange);
      await time.setNextBlockTimestamp(eta);
      const tx = ctx.guardianModule.executeCouncilChange(c);
      await expect(tx).not.to.emit(ctx.guardianModule, "Unfrozen");
      await expect(tx).not.to.emit(ctx.vault, "FrozenUntilChanged");
    });

    it("a council change cancels a pending recovery", async function () {
      const { ctx, c, eta } = await loadFixture(deployVaultWithCouncilChange);
      const r = recovery(ctx);
      await ctx.guardianModule.queueRecovery(r, await signRecovery(ctx, r, guardianQuorum(ctx)));
      await time.setNextBlockTimestamp(eta);
      await expect(ctx.guardianModule.executeCouncilChange(c))
        .to.emit(ctx.guardianModule, "RecoveryCancelled")
        .withArgs(recoveryId(ctx, r));
      expect((await ctx.guardianModule.pending()).recoveryQueued).to.equal(false);
    });

    it("nobody can execute a recovery the council change cancelled", async function () {
      const { ctx, c, eta } = await loadFixture(deployVaultWithCouncilChange);
      const r = recovery(ctx);
      const at = await pinNextTimestamp(time);
      await ctx.guardianModule.queueRecovery(r, await signRecovery(ctx, r, guardianQuorum(ctx)));
      await time.setNextBlockTimestamp(eta);
      await ctx.guardianModule.executeCouncilChange(c);
      expect(at + T.recoveryDelay < eta, "the recovery's eta has passed").to.equal(true);
      await expect(ctx.guardianModule.executeRecovery(r))
        .to.be.revertedWithCustomError(ctx.guardianModule, "RecoveryNotQueued")
        .withArgs(recoveryId(ctx, r));
    });
  });

  describe("heartbeat", function () {
    it("a key was never seen before its first heartbeat", async function () {
      const ctx = await loadFixture(deployVault);
      expect(await ctx.guardianModule.lastSeen(ctx.signers[0]!.address)).to.equal(0n);
    });

    it("a signer proves it holds its key", async function () {
      const ctx = await loadFixture(deployVault);
      const signer = ctx.signers[0]!;
      const at = await pinNextTimestamp(time);
      await expect(ctx.guardianModule.connect(signer).heartbeat())
        .to.emit(ctx.guardianModule, "KeySeen")
        .withArgs(signer.address, at);
      expect(await ctx.guardianModule.lastSeen(signer.address)).to.equal(at);
    });

    it("a guardian proves it holds its key", async function () {
      const ctx = await loadFixture(deployVault);
      const guardian = ctx.guardians[2]!;
      const at = await pinNextTimestamp(time);
      await expect(ctx.guardianModule.connect(guardian).heartbeat())
        .to.emit(ctx.guardianModule, "KeySeen")
        .withArgs(guardian.address, at);
    });

    it("a guardian proves it holds its key while withdrawals are frozen", async function () {
      const { ctx } = await loadFixture(deployFrozenVault);
      await expect(ctx.guardianModule.connect(ctx.guardians[0]!).heartbeat()).to.emit(ctx.guardianModule, "KeySeen");
    });

    it("an outsider cannot send a heartbeat", async function () {
      const ctx = await loadFixture(deployVault);
      const stranger = roles(ctx).stranger;
      await expect(ctx.guardianModule.connect(stranger).heartbeat())
        .to.be.revertedWithCustomError(ctx.guardianModule, "CallerNotKeyHolder")
        .withArgs(stranger.address);
    });

    it("a signer replaced by a recovery cannot send a heartbeat", async function () {
      const { ctx } = await loadFixture(deployRecoveredVault);
      const old = ctx.signers[0]!;
      await expect(ctx.guardianModule.connect(old).heartbeat())
        .to.be.revertedWithCustomError(ctx.guardianModule, "CallerNotKeyHolder")
        .withArgs(old.address);
    });

    it("a signer installed by a recovery sends a heartbeat", async function () {
      const { ctx } = await loadFixture(deployRecoveredVault);
      const fresh = replacementSigners(ctx)[0]!;
      await expect(ctx.guardianModule.connect(fresh).heartbeat()).to.emit(ctx.guardianModule, "KeySeen");
    });
  });

  describe("recordHeartbeats", function () {
    it("an outsider records the signed heartbeats of a signer and a guardian", async function () {
      const ctx = await loadFixture(deployVault);
      const [signer, guardian] = [ctx.signers[1]!, ctx.guardians[1]!];
      const at = BigInt(await time.latest()) - 100n;
      const beats = [await heartbeat(ctx, signer, at), await heartbeat(ctx, guardian, at + 1n)];
      const tx = ctx.guardianModule.connect(roles(ctx).relayer).recordHeartbeats(beats);
      await expect(tx).to.emit(ctx.guardianModule, "KeySeen").withArgs(signer.address, at);
      await expect(tx)
        .to.emit(ctx.guardianModule, "KeySeen")
        .withArgs(guardian.address, at + 1n);
      expect(await ctx.guardianModule.lastSeen(guardian.address)).to.equal(at + 1n);
    });

    it("a heartbeat dated the block's own timestamp is recorded", async function () {
      const ctx = await loadFixture(deployVault);
      const signer = ctx.signers[0]!;
      const at = BigInt(await time.latest()) + 5n;
      const beat = await heartbeat(ctx, signer, at);
      await time.setNextBlockTimestamp(at);
      await expect(ctx.guardianModule.recordHeartbeats([beat]))
        .to.emit(ctx.guardianModule, "KeySeen")
        .withArgs(signer.address, at);
    });

    it("an older heartbeat than the recorded one changes nothing", async function () {
      const ctx = await loadFixture(deployVault);
      const signer = ctx.signers[0]!;
      const seenAt = await pinNextTimestamp(time);
      await ctx.guardianModule.connect(signer).heartbeat();
      const older = await heartbeat(ctx, signer, seenAt - 10n);
      await expect(ctx.guardianModule.recordHeartbeats([older])).not.to.emit(ctx.guardianModule, "KeySeen");
      expect(await ctx.guardianModule.lastSeen(signer.address)).to.equal(seenAt);
    });

    it("a replayed heartbeat changes nothing", async function () {
      const ctx = await loadFixture(deployVault);
      const beat = await heartbeat(ctx, ctx.guardians[0]!, BigInt(await time.latest()));
      await ctx.guardianModule.recordHeartbeats([beat]);
      await expect(ctx.guardianModule.recordHeartbeats([beat])).not.to.emit(ctx.guardianModule, "KeySeen");
    });

    it("nobody can record a heartbeat dated in the future", async function () {
      const ctx = await loadFixture(deployVault);
      const signer = ctx.signers[0]!;
      const at = BigInt(await time.latest()) + 5n;
      const beat = await heartbeat(ctx, signer, at + 1n);
      await time.setNextBlockTimestamp(at);
      await expect(ctx.guardianModule.recordHeartbeats([beat]))
        .to.be.revertedWithCustomError(ctx.guardianModule, "HeartbeatInFuture")
        .withArgs(signer.address, at + 1n);
    });

    it("nobody can record a heartbeat signed by another key", async function () {
      const ctx = await loadFixture(deployVault);
      const at = BigInt(await time.latest());
      const good = await heartbeat(ctx, ctx.signers[0]!, at);
      const forged = {
        ...(await heartbeat(
          ctx,
          ctx.guardians[0]!,
          at,
          heartbeatTypedData(ctx.guardianDomain, ctx.signers[1]!.address, at),
        )),
        key: ctx.signers[1]!.address,
      };
      await expect(ctx.guardianModule.recordHeartbeats([good, forged]))
        .to.be.revertedWithCustomError(ctx.guardianModule, "HeartbeatSignatureInvalid")
        .withArgs(1n);
    });

    it("nobody can record a heartbeat signed in the vault's domain", async function () {
      const ctx = await loadFixture(deployVault);
      const signer = ctx.signers[0]!;
      const at = BigInt(await time.latest());
      const beat = await heartbeat(ctx, signer, at, heartbeatTypedData(ctx.domain, signer.address, at));
      await expect(ctx.guardianModule.recordHeartbeats([beat]))
        .to.be.revertedWithCustomError(ctx.guardianModule, "HeartbeatSignatureInvalid")
        .withArgs(0n);
    });

    it("nobody can record a heartbeat with a malformed signature", async function () {
      const ctx = await loadFixture(deployVault);
      const signer = ctx.signers[0]!;
      const beat = { key: signer.address, at: BigInt(await time.latest()), signature: "0x1234" };
      await expect(ctx.guardianModule.recordHeartbeats([beat]))
        .to.be.revertedWithCustomError(ctx.guardianModule, "HeartbeatSignatureInvalid")
        .withArgs(0n);
    });

    it("nobody can record an outsider's own signed heartbeat", async function () {
      const ctx = await loadFixture(deployVault);
      const stranger = roles(ctx).stranger;
      const beat = await heartbeat(ctx, stranger, BigInt(await time.latest()));
      await expect(ctx.guardianModule.recordHeartbeats([beat]))
        .to.be.revertedWithCustomError(ctx.guardianModule, "CallerNotKeyHolder")
        .withArgs(stranger.address);
    });
  });

  describe("guardian configuration changes", function () {
    it("the signers add a guardian after the config delay", async function () {
      const ctx = await loadFixture(deployVault);
      const newcomer = ctx.outsiders[7]!;
      const tx = executeConfigAtEta(ctx, { action: ConfigAction.AddGuardian, account: newcomer.address, value: 3n });
      await expect(tx).to.emit(ctx.vault, "ConfigChangeExecuted").withArgs(anyValue, ConfigAction.AddGuardian);
      await expect(tx).to.emit(ctx.guardianModule, "GuardianAdded").withArgs(newcomer.address);
      await expect(tx).to.emit(ctx.guardianModule, "GuardianThresholdChanged").withArgs(2n, 3n);
      await expect(tx)
        .to.emit(ctx.guardianModule, "GuardianEpochAdvanced")
        .withArgs(GUARDIAN_EPOCH, GUARDIAN_EPOCH + 1);
      await expect(tx).not.to.emit(ctx.guardianModule, "CouncilThresholdChanged");
      expect([...(await ctx.guardianModule.guardians())]).to.deep.equal(
        addresses(sortSigners([...ctx.guardians, newcomer])),
      );
      expect([...(await ctx.guardianModule.guardianCounts())]).to.deep.equal(
        [GUARDIAN_EPOCH + 1, 4n, 3n, COUNCIL].map(BigInt),
      );
    });

    it("the signers remove a guardian", async function () {
      const ctx = await loadFixture(deployVault);
      const leaving = ctx.guardians[2]!;
      const tx = executeConfigAtEta(ctx, { action: ConfigAction.RemoveGuardian, account: leaving.address, value: 2n });
      await expect(tx).to.emit(ctx.guardianModule, "GuardianRemoved").withArgs(leaving.address);
      await expect(tx)
        .to.emit(ctx.guardianModule, "GuardianEpochAdvanced")
        .withArgs(GUARDIAN_EPOCH, GUARDIAN_EPOCH + 1);
      await expect(tx).not.to.emit(ctx.guardianModule, "GuardianThresholdChanged");
      expect([...(await ctx.guardianModule.guardians())]).to.deep.equal(addresses(ctx.guardians.slice(0, 2)));
    });

    it("the signers replace a guardian, keeping the guardian threshold", async function () {
      const ctx = await loadFixture(deployVault);
      const [leaving, newcomer] = [ctx.guardians[0]!, ctx.outsiders[7]!];
      const tx = executeConfigAtEta(ctx, {
        action: ConfigAction.ReplaceGuardian,
        account: leaving.address,
        replacement: newcomer.address,
      });
      await expect(tx).to.emit(ctx.guardianModule, "GuardianRemoved").withArgs(leaving.address);
      await expect(tx).to.emit(ctx.guardianModule, "GuardianAdded").withArgs(newcomer.address);
      await expect(tx).not.to.emit(ctx.guardianModule, "GuardianThresholdChanged");
      expect([...(await ctx.guardianModule.guardians())]).to.deep.equal(
        addresses(sortSigners([newcomer, ...ctx.guardians.slice(1)])),
      );
    });

    it("the signers set the guardian threshold, which advances the guardian epoch", async function () {
      // K = 3 of 5 guardians keeps the council threshold 5 valid (5 <= 8 - 3).
      const ctx = await loadFixture(deployFiveGuardianVault);
      const tx = executeConfigAtEta(ctx, { action: ConfigAction.SetGuardianThreshold, value: 3n });
      await expect(tx).to.emit(ctx.guardianModule, "GuardianThresholdChanged").withArgs(2n, 3n);
      await expect(tx)
        .to.emit(ctx.guardianModule, "GuardianEpochAdvanced")
        .withArgs(GUARDIAN_EPOCH, GUARDIAN_EPOCH + 1);
    });

    it("the signers set the council threshold without advancing the guardian epoch", async function () {
      const ctx = await loadFixture(deployFiveGuardianVault);
      const tx = executeConfigAtEta(ctx, { action: ConfigAction.SetCouncilThreshold, value: BigInt(WIDE.max) });
      await expect(tx).to.emit(ctx.guardianModule, "CouncilThresholdChanged").withArgs(WIDE.min, WIDE.max);
      await expect(tx).not.to.emit(ctx.guardianModule, "GuardianEpochAdvanced");
      expect((await ctx.guardianModule.guardianCounts()).councilThreshold).to.equal(BigInt(WIDE.max));
    });

    it("adding a guardian raises the council threshold to stay a strict majority", async function () {
      const ctx = await loadFixture(deployTwoGuardianVault);
      const tx = executeConfigAtEta(ctx, {
        action: ConfigAction.AddGuardian,
        account: ctx.outsiders[7]!.address,
        value: 2n,
      });
      await expect(tx).to.emit(ctx.guardianModule, "CouncilThresholdChanged").withArgs(3n, 4n);
    });

    it("removing a guardian lowers the largest council threshold to N + G - max(M, K) of the remaining keys", async function () {
      const ctx = await loadFixture(deployMaxCouncilVault);
      const tx = executeConfigAtEta(ctx, {
        action: ConfigAction.RemoveGuardian,
        account: ctx.guardians[0]!.address,
        value: 2n,
      });
      // 3 signers + 4 guardians - max(2, 2) = 5.
      await expect(tx).to.emit(ctx.guardianModule, "CouncilThresholdChanged").withArgs(6n, 5n);
      expect((await ctx.guardianModule.guardianCounts()).councilThreshold).to.equal(5n);
    });

    it("removing a signer lowers the largest council threshold to N + G - max(M, K) through the vault", async function () {
      const ctx = await loadFixture(deployMaxCouncilVault);
      const tx = executeConfigAtEta(ctx, {
        action: ConfigAction.RemoveSigner,
        account: ctx.signers[0]!.address,
        value: 2n,
      });
      // 2 signers + 5 guardians - max(2, 2) = 5.
      await expect(tx).to.emit(ctx.guardianModule, "CouncilThresholdChanged").withArgs(6n, 5n);
      expect((await ctx.guardianModule.guardianCounts()).councilThreshold).to.equal(5n);
    });

    it("a guardian cannot propose a guardian change", async function () {
      const ctx = await loadFixture(deployVault);
      const guardian = ctx.guardians[0]!;
      const c = await nextConfigChange(ctx.vault, { action: ConfigAction.SetGuardianThreshold, value: 1n });
      await expect(ctx.vault.connect(guardian).proposeConfigChange(c))
        .to.be.revertedWithCustomError(ctx.vault, "CallerNotSigner")
        .withArgs(guardian.address);
    });

    it("the signers cannot add a current guardian", async function () {
      const ctx = await loadFixture(deployVault);
      const guardian = ctx.guardians[0]!;
      await expect(submitConfig(ctx, { action: ConfigAction.AddGuardian, account: guardian.address, value: 2n }))
        .to.be.revertedWithCustomError(ctx.vault, "GuardianAlreadyMember")
        .withArgs(guardian.address);
    });

    it("the signers cannot add a signer as a guardian", async function () {
      const ctx = await loadFixture(deployVault);
      const signer = ctx.signers[0]!;
      await expect(submitConfig(ctx, { action: ConfigAction.AddGuardian, account: signer.address, value: 2n }))
        .to.be.revertedWithCustomError(ctx.vault, "SignerAlreadyMember")
        .withArgs(signer.address);
    });

    it("the signers cannot remove an account that is not a guardian", async function () {
      const ctx = await loadFixture(deployVault);
      const stranger = roles(ctx).stranger;
      await expect(submitConfig(ctx, { action: ConfigAction.RemoveGuardian, account: stranger.address, value: 2n }))
        .to.be.revertedWithCustomError(ctx.vault, "GuardianNotMember")
        .withArgs(stranger.address);
    });

    it("the signers cannot set a guardian threshold above the guardian count", async function () {
      const ctx = await loadFixture(deployVault);
      await expect(submitConfig(ctx, { action: ConfigAction.SetGuardianThreshold, value: 4n }))
        .to.be.revertedWithCustomError(ctx.vault, "GuardianThresholdOutOfRange")
        .withArgs(4n, 3n);
    });

    it("the signers cannot set a council threshold below a strict majority", async function () {
      const ctx = await loadFixture(deployVault);
      await expect(submitConfig(ctx, { action: ConfigAction.SetCouncilThreshold, value: 3n }))
        .to.be.revertedWithCustomError(ctx.vault, "CouncilThresholdOutOfRange")
        .withArgs(3n, 4n, 4n);
    });

    it("the signers cannot set a council threshold above N + G - max(M, K): the keys outside a compromised quorum could not reach it", async function () {
      const ctx = await loadFixture(deployFiveGuardianVault);
      // A compromised guardian quorum (K = 2 of 5) withholds its signatures; the 3 signers and the
      // other 3 guardians are honest: 6 = N + G - max(M, K) keys.
      const compromised = guardianQuorum(ctx);
      const honest = [...ctx.signers, ...ctx.guardians.slice(ctx.guardianThreshold)];
      expect(honest.length).to.equal(WIDE.max);
      expect(honest.some((key) => compromised.includes(key))).to.equal(false);
      // One more than the honest keys is rejected, though it is still below all 8 keys.
      await expect(submitConfig(ctx, { action: ConfigAction.SetCouncilThreshold, value: BigInt(WIDE.max + 1) }))
        .to.be.revertedWithCustomError(ctx.vault, "CouncilThresholdOutOfRange")
        .withArgs(BigInt(WIDE.max + 1), BigInt(WIDE.min), BigInt(WIDE.max));
      // At the bound, the honest keys alone still form the council and replace the compromised guardians.
      await (
        await executeConfigAtEta(ctx, { action: ConfigAction.SetCouncilThreshold, value: BigInt(WIDE.max) })
      ).wait();
      const guardians = sortSigners([...ctx.guardians.slice(ctx.guardianThreshold), ...ctx.outsiders.slice(4, 6)]);
      const c = councilChange(ctx, { guardians: addresses(guardians), councilThreshold: BigInt(WIDE.max) });
      const signatures = await signCouncil(ctx, c, honest);
      await expect(ctx.guardianModule.connect(roles(ctx).relayer).queueCouncilChange(c, signatures))
        .to.emit(ctx.guardianModule, "CouncilChangeQueued")
        .withArgs(councilId(ctx, c), councilTuple(c), BigInt(WIDE.max), anyValue);
    });

    it("a guardian vetoes a queued guardian change, which then cannot execute", async function () {
      const ctx = await loadFixture(deployVault);
      const { c, slot, id, eta } = await queueConfig(ctx, {
        action: ConfigAction.RemoveGuardian,
        account: ctx.guardians[0]!.address,
        value: 2n,
      });
      await ctx.guardianModule.connect(ctx.guardians[0]!).veto(id, slot, "0x");
      await time.setNextBlockTimestamp(eta);
      await expect(ctx.vault.executeConfigChange(c, slot))
        .to.be.revertedWithCustomError(ctx.vault, "OperationNotQueued")
        .withArgs(id, slot);
    });

    it("the guardians cannot freeze with signatures from before a guardian change", async function () {
      const ctx = await loadFixture(deployVault);
      const old = await signFreeze(ctx, 0, guardianQuorum(ctx));
      await (await executeConfigAtEta(ctx, { action: ConfigAction.SetGuardianThreshold, value: 2n })).wait();
      await expect(ctx.guardianModule.freeze(old))
        .to.be.revertedWithCustomError(ctx.guardianModule, "SignatureNotFromSigner")
        .withArgs(0n, anyValue);
    });

    it("a removed guardian cannot veto", async function () {
      const { ctx, q } = await loadFixture(deployVaultWithQueue);
      const leaving = ctx.guardians[2]!;
      await (
        await executeConfigAtEta(ctx, { action: ConfigAction.RemoveGuardian, account: leaving.address, value: 2n })
      ).wait();
      await expect(ctx.guardianModule.connect(leaving).veto(q.id, q.slot, "0x"))
        .to.be.revertedWithCustomError(ctx.guardianModule, "VetoThresholdNotMet")
        .withArgs(1n, 0n);
    });
  });

  describe("constructor", function () {
    const MAX_GUARDIANS = 32n;
    /** Three accounts that are not signers of any fixture here, sorted ascending. */
    async function threeGuardians(): Promise<string[]> {
      return (await ethers.getSigners())
        .slice(7, 10)
        .map((a) => a.address)
        .sort(compareAddresses);
    }

    it("nobody can deploy a module with no guardians", async function () {
      const factory = await ethers.getContractFactory("GuardianModule");
      await expect(factory.deploy([], 1n, 4n))
        .to.be.revertedWithCustomError(factory, "GuardianCountOutOfRange")
        .withArgs(0n, MAX_GUARDIANS);
    });

    it("nobody can deploy a module with more than 32 guardians", async function () {
      const factory = await ethers.getContractFactory("GuardianModule");
      const many = Array.from({ length: 33 }, (_, i) => ethers.zeroPadValue(ethers.toBeHex(i + 1), 20));
      await expect(factory.deploy(many, 2n, 4n))
        .to.be.revertedWithCustomError(factory, "GuardianCountOutOfRange")
        .withArgs(33n, MAX_GUARDIANS);
    });

    it("nobody can deploy a module with the zero address as a guardian", async function () {
      const factory = await ethers.getContractFactory("GuardianModule");
      const [first, second] = await threeGuardians();
      await expect(factory.deploy([ZeroAddress, first!, second!], 2n, 4n)).to.be.revertedWithCustomError(
        factory,
        "GuardianIsZeroAddress",
      );
    });

    it("nobody can deploy a module with guardian threshold 0", async function () {
      const factory = await ethers.getContractFactory("GuardianModule");
      await expect(factory.deploy(await threeGuardians(), 0n, 4n))
        .to.be.revertedWithCustomError(factory, "GuardianThresholdOutOfRange")
        .withArgs(0n, 3n);
    });

    it("nobody can deploy a module with a guardian threshold above the guardian count", async function () {
      const factory = await ethers.getContractFactory("GuardianModule");
      await expect(factory.deploy(await threeGuardians(), 4n, 4n))
        .to.be.revertedWithCustomError(factory, "GuardianThresholdOutOfRange")
        .withArgs(4n, 3n);
    });

    it("nobody can deploy a module with a council threshold that does not fit in 8 bits", async function () {
      const factory = await ethers.getContractFactory("GuardianModule");
      await expect(factory.deploy(await threeGuardians(), 2n, 256n))
        .to.be.revertedWithCustomError(factory, "CouncilThresholdOutOfRange")
        .withArgs(256n, 0n, 255n);
    });
  });

  describe("hooks and binding", function () {
    it("the module is bound to its vault and the vault to its module", async function () {
      const ctx = await loadFixture(deployVault);
      expect(await ctx.guardianModule.VAULT()).to.equal(ctx.vaultAddress);
      expect(await ctx.vault.GUARDIANS()).to.equal(await ctx.guardianModule.getAddress());
    });

    it("a guardian cannot call the vault's veto hook directly", async function () {
      const { ctx, q } = await loadFixture(deployVaultWithQueue);
      const guardian = ctx.guardians[0]!;
      await expect(ctx.vault.connect(guardian).guardianVeto(q.id, q.slot))
        .to.be.revertedWithCustomError(ctx.vault, "CallerNotGuardianModule")
        .withArgs(guardian.address);
    });

    it("a signer cannot call the vault's freeze hook directly", async function () {
      const ctx = await loadFixture(deployVault);
      const signer = ctx.signers[0]!;
      await expect(ctx.vault.connect(signer).guardianSetFrozenUntil(0n))
        .to.be.revertedWithCustomError(ctx.vault, "CallerNotGuardianModule")
        .withArgs(signer.address);
    });

    it("an outsider cannot call the vault's signer-replacement hook directly", async function () {
      const ctx = await loadFixture(deployVault);
      const stranger = roles(ctx).stranger;
      await expect(ctx.vault.connect(stranger).guardianReplaceSigners([stranger.address], 1n, 0n))
        .to.be.revertedWithCustomError(ctx.vault, "CallerNotGuardianModule")
        .withArgs(stranger.address);
    });

    it("a signer cannot apply a guardian change on the module directly", async function () {
      const ctx = await loadFixture(deployVault);
      const signer = ctx.signers[0]!;
      const c = await nextConfigChange(ctx.vault, { action: ConfigAction.SetGuardianThreshold, value: 1n });
      await expect(ctx.guardianModule.connect(signer).applyGuardianChange(c))
        .to.be.revertedWithCustomError(ctx.guardianModule, "CallerNotVault")
        .withArgs(signer.address);
    });

    it("a guardian cannot set the council threshold on the module directly", async function () {
      const ctx = await loadFixture(deployVault);
      const guardian = ctx.guardians[0]!;
      await expect(ctx.guardianModule.connect(guardian).setCouncilThreshold(1n))
        .to.be.revertedWithCustomError(ctx.guardianModule, "CallerNotVault")
        .withArgs(guardian.address);
    });

    it("an outsider cannot rebind a bound module", async function () {
      const ctx = await loadFixture(deployVault);
      const stranger = roles(ctx).stranger;
      await expect(ctx.guardianModule.connect(stranger).bindVault())
        .to.be.revertedWithCustomError(ctx.guardianModule, "CallerNotVault")
        .withArgs(stranger.address);
    });

    it("nobody can deploy a second vault on an already bound module", async function () {
      const ctx = await loadFixture(deployVault);
      const [deployer] = await ethers.getSigners();
      const config = initialConfig({
        ...T,
        signers: addresses(replacementSigners(ctx)),
        threshold: 2,
        guardians: addresses(ctx.guardians),
        guardianThreshold: 2,
      });
      const rules = await ethers.deployContract("ConfigRules");
      const nonce = await ethers.provider.getTransactionCount(deployer!.address);
      const predicted = getCreateAddress({ from: deployer!.address, nonce });
      await expect(
        ethers.deployContract("ReserveVault", [
          ...vaultArguments(config),
          await ctx.guardianModule.getAddress(),
          await rules.getAddress(),
        ]),
      )
        .to.be.revertedWithCustomError(ctx.guardianModule, "CallerNotVault")
        .withArgs(predicted);
    });

    it("nobody can deploy a vault whose signers include a guardian", async function () {
      const ctx = await loadFixture(deployVault);
      const shared = ctx.guardians[0]!;
      const config = initialConfig({
        ...T,
        signers: [shared.address, ...addresses(replacementSigners(ctx).slice(0, 2))],
        threshold: 2,
        guardians: addresses(ctx.guardians),
        guardianThreshold: 2,
      });
      await expect(deployReserveVault(ethers, config))
        .to.be.revertedWithCustomError(ctx.vault, "GuardianIsSigner")
        .withArgs(shared.address);
    });
  });
});
