/**
 * Risk-scaled withdrawal delays (contracts/base/WithdrawalPolicy.sol): per-asset outflow limits per
 * period, the destination allowlist, the recovery cool-off, giving back the share of a withdrawal
 * that can no longer execute (`reclaimOutflow`), how the policy changes (loosening waits the
 * configuration delay, tightening applies at once, by the signer quorum or the guardian quorum),
 * the validation of every policy action, and the drain bound under a compromised signer quorum.
 *
 * Fixtures: 2-of-3 signers, 2-of-3 guardians, scripts/lib DEFAULT_TIMINGS (withdrawal delay D = 1 d,
 * configuration delay 2 d, execution window 7 d, long delay LD = 3 d, cool-off 7 d, recovery 3 d),
 * outflow period P = 1 d, ETH limited to L = 10 ETH and the token to 1,000 tokens per period, and
 * an allowlist holding one payee (off unless the fixture says otherwise). Every fixture leaves the
 * clock so that a withdrawal queued in the next second has its eta one hour into an outflow period.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { getAddress, ZeroAddress, ZeroHash } from "ethers";
import { network } from "hardhat";

import {
  compareAddresses,
  ConfigAction,
  configChangeTypedData,
  DEFAULT_TIMINGS,
  DelayReason,
  digest,
  ETH,
  nextConfigChange,
  nextGuardianTightening,
  nextWithdrawal,
  OperationState,
  prefixOf,
  readDelay,
  readPolicy,
  recoveryTypedData,
  UNLIMITED,
  type ConfigChange,
  type Recovery,
  type Withdrawal,
} from "../../scripts/lib/index.js";
import {
  DAY,
  HOUR,
  makeVaultFixture,
  signAll,
  signCancellation,
  signConfigChange,
  signWithdrawal,
  withdrawalId,
  type VaultContext,
} from "../helpers/vault.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;

// =============================================================================================
// Constants and accounts
// =============================================================================================

const T = DEFAULT_TIMINGS;
/** Withdrawal delay, configuration delay, long delay, execution window. */
const D = T.withdrawalDelay;
const CD = T.configDelay;
const LD = T.longDelay;
/** What a loosening change waits: max(configDelay, longDelay) (SPEC §4.1). */
const LOOSEN = CD > LD ? CD : LD;
const WINDOW = T.executionWindow;
/** The outflow period of the default fixtures, and the long one of the give-back-after-expiry tests. */
const P = DAY;
const LONG_P = 14n * DAY;
/** Where, in its outflow period, the eta of a withdrawal queued right after a fixture falls. */
const ETA_OFFSET = HOUR;

const ETH_1 = ethers.parseEther("1");
/** ETH's outflow limit per period. */
const L = 10n * ETH_1;
/** The fixture token's limit per period (6 decimals). */
const TOKEN_UNIT = 10n ** 6n;
const L_TOKEN = 1_000n * TOKEN_UNIT;

/**
 * makeVaultFixture makes account 0 the funder, accounts 1-3 the signers and 4-6 the guardians; the
 * accounts below have no role in any fixture (checked by `checked`).
 */
const accounts = await ethers.getSigners();
const relayer = accounts[13]!;
/** The one allowlisted destination. */
const payee = accounts[14]!;
/** A destination that is not on the allowlist. */
const stranger = accounts[15]!;
/** The receiving address of a compromised signer quorum. */
const attacker = accounts[16]!;
/** The signers a guardian recovery installs. */
const recoveredSigners = [...accounts.slice(10, 13)].sort((a, b) => compareAddresses(a.address, b.address));
/** An account that becomes a signer (to advance the epoch). */
const newcomer = accounts[17]!;

/** 64 distinct non-zero addresses: a full allowlist. */
const FULL_ALLOWLIST = Array.from({ length: 64 }, (_, i) =>
  getAddress(`0x${(0x1000 + i).toString(16).padStart(40, "0")}`),
);

// =============================================================================================
// Fixtures (module level, so loadFixture snapshots each once)
// =============================================================================================

const LIMITS = [
  { asset: ETH, limit: L },
  { asset: "token", limit: L_TOKEN },
];
const POLICY = { ...T, outflowPeriod: P, outflowLimits: LIMITS, allowlist: [payee.address] };

/** Allowlist off: only the limits decide. */
const deployVault = aligned(makeVaultFixture(ethers, POLICY));
/** Allowlist on, holding `payee`. */
const deployAllowlistVault = aligned(makeVaultFixture(ethers, { ...POLICY, allowlistEnabled: true }));
/** Outflow period of 14 days, longer than the withdrawal delay plus the execution window. */
const deployLongPeriodVault = aligned(makeVaultFixture(ethers, { ...POLICY, outflowPeriod: LONG_P }), LONG_P);
/** The helper's default policy: ETH and the token UNLIMITED, no allowlist. */
const deployUnlimitedVault = aligned(makeVaultFixture(ethers, { ...T, outflowPeriod: P }));
/** ETH limited, the token not configured (limit 0). */
const deployNoTokenLimitVault = aligned(
  makeVaultFixture(ethers, { ...T, outflowPeriod: P, outflowLimits: [{ asset: ETH, limit: L }] }),
);
/** An allowlist of the maximum 64 entries. */
const deployFullAllowlistVault = aligned(makeVaultFixture(ethers, { ...POLICY, allowlist: FULL_ALLOWLIST }));

/**
 * `fixture`, checked against the account layout above, then with the clock moved so that a
 * withdrawal queued in the next second has its eta ETA_OFFSET into an outflow period of `period`.
 */
function aligned(fixture: () => Promise<VaultContext>, period = P): () => Promise<VaultContext> {
  return async function alignedFixture() {
    const ctx = await fixture();
    const roles = [...ctx.signers, ...ctx.guardians].map((a) => a.address);
    for (const a of [relayer, payee, stranger, attacker, newcomer, ...recoveredSigners]) {
      if (roles.includes(a.address)) throw new Error(`account ${a.address} has a role in the fixture`);
    }
    await moveToEtaOffset(ETA_OFFSET, period);
    return ctx;
  };
}

/** The vault of `deployAllowlistVault` after a guardian recovery: in its cool-off, with new signers. */
async function deployVaultInCoolOff() {
  const ctx = await deployAllowlistVault();
  const [guardianEpoch] = await ctx.guardianModule.guardianCounts();
  const r: Recovery = {
    signers: recoveredSigners.map((s) => s.address),
    threshold: 2n,
    nonce: 0,
    guardianEpoch: Number(guardianEpoch),
  };
  const signatures = await signAll(recoveryTypedData(ctx.guardianDomain, r), guardianQuorum(ctx));
  const queuedAt = await pinNextTimestamp();
  await ctx.guardianModule.connect(relayer).queueRecovery(r, signatures);
  const executedAt = queuedAt + T.recoveryDelay;
  await time.setNextBlockTimestamp(executedAt);
  await ctx.guardianModule.connect(relayer).executeRecovery(r);
  const newSigners = recoveredSigners.slice(0, 2);
  return { ctx, newSigners, coolOffUntil: executedAt + T.coolOff };
}

// =============================================================================================
// Helpers: time, withdrawals, configuration changes
// =============================================================================================

/** Pins the next block's timestamp to one second after the latest block and returns it. */
async function pinNextTimestamp(): Promise<bigint> {
  const next = BigInt(await time.latest()) + 1n;
  await time.setNextBlockTimestamp(next);
  return next;
}

/**
 * Moves the clock so that a withdrawal queued in the next second (the withdrawal delay being
 * `delay`) has its eta `offset` seconds into an outflow period of `period`; returns that second.
 */
async function moveToEtaOffset(offset: bigint, period = P, delay = D): Promise<bigint> {
  const earliest = BigInt(await time.latest()) + 1n;
  let eta = ((earliest + delay) / period) * period + offset;
  if (eta < earliest + delay) eta += period;
  const queueAt = eta - delay;
  if (queueAt - 1n > BigInt(await time.latest())) await time.increaseTo(queueAt - 1n);
  return queueAt;
}

/** The first M signers. */
function signerQuorum(ctx: VaultContext): HardhatEthersSigner[] {
  return ctx.signers.slice(0, ctx.threshold);
}

/** The first K guardians. */
function guardianQuorum(ctx: VaultContext): HardhatEthersSigner[] {
  return ctx.guardians.slice(0, ctx.guardianThreshold);
}

/** The lowest queue slot never used (a cancelled or expired slot is free, but reusing it would
 *  overwrite the record `reclaimOutflow` reads). */
async function unusedSlot(ctx: VaultContext): Promise<bigint> {
  for (let slot = 0n; ; slot++) {
    const { idPrefix } = await ctx.vault.queueSlot(slot);
    if (idPrefix === ZeroHash) return slot;
  }
}

interface Queued {
  w: Withdrawal;
  id: string;
  slot: bigint;
  /** The timestamp of the queueing block. */
  queuedAt: bigint;
  /** The eta the vault stored. */
  eta: bigint;
}

interface QueueOptions {
  /** Who signs (default: the first M signers). */
  signers?: readonly HardhatEthersSigner[];
  /** The queueing block's timestamp (default: one second after the latest block). */
  at?: bigint;
  slot?: bigint;
}

/** Queues a withdrawal of the asset's next nonce, submitted by the relayer; returns it with its eta. */
async function queueWithdrawal(
  ctx: VaultContext,
  fields: { asset: string; to: string; amount: bigint },
  options: QueueOptions = {},
): Promise<Queued> {
  const w = await nextWithdrawal(ctx.vault, fields);
  const slot = options.slot ?? (await unusedSlot(ctx));
  const signatures = await signWithdrawal(ctx, w, options.signers ?? signerQuorum(ctx));
  const queuedAt = options.at ?? BigInt(await time.latest()) + 1n;
  await time.setNextBlockTimestamp(queuedAt);
  await (await ctx.vault.connect(relayer).queueWithdrawal(w, slot, signatures)).wait();
  const { eta } = await ctx.vault.queueSlot(slot);
  return { w, id: withdrawalId(ctx, w), slot, queuedAt, eta };
}

function queueEth(ctx: VaultContext, to: HardhatEthersSigner, amount: bigint, options: QueueOptions = {}) {
  return queueWithdrawal(ctx, { asset: ETH, to: to.address, amount }, options);
}

function queueToken(ctx: VaultContext, to: HardhatEthersSigner, amount: bigint, options: QueueOptions = {}) {
  return queueWithdrawal(ctx, { asset: ctx.tokenAddress, to: to.address, amount }, options);
}

/** Executes `q` at its eta (or now, if later), by the relayer. */
async function executeAtEta(ctx: VaultContext, q: Queued) {
  const latest = BigInt(await time.latest());
  await time.setNextBlockTimestamp(q.eta > latest ? q.eta : latest + 1n);
  return ctx.vault.connect(relayer).executeWithdrawal(q.w, q.slot);
}

async function used(ctx: VaultContext, asset: string): Promise<bigint> {
  return (await ctx.vault.outflow(asset)).used;
}

async function cancelBySigners(ctx: VaultContext, q: Queued) {
  const [epoch] = await ctx.vault.configuration();
  const signatures = await signCancellation(ctx, q.id, Number(epoch), signerQuorum(ctx));
  await (await ctx.vault.connect(relayer).cancel(q.id, q.slot, signatures)).wait();
}

type ChangeFields = Parameters<typeof nextConfigChange>[1];

function asTuple(c: ConfigChange) {
  return [c.action, c.account, c.replacement, c.value, c.nonce, c.epoch];
}

/** The next configuration change with the signer quorum's signatures, and its id. */
async function signedChange(ctx: VaultContext, fields: ChangeFields) {
  const c = await nextConfigChange(ctx.vault, fields);
  return { c, id: await ctx.vault.configChangeId(c), signatures: await signConfigChange(ctx, c, signerQuorum(ctx)) };
}

/** Submits the next change with the signer quorum's signatures (queueConfigChange); returns the transaction. */
async function submitChange(ctx: VaultContext, fields: ChangeFields, slot = 0n) {
  const { c, signatures } = await signedChange(ctx, fields);
  return ctx.vault.connect(relayer).queueConfigChange(c, slot, signatures);
}

/** Queues a loosening change by signatures, one second after the latest block; returns it with its eta. */
async function queueChange(ctx: VaultContext, fields: ChangeFields) {
  const { c, id, signatures } = await signedChange(ctx, fields);
  const slot = await unusedSlot(ctx);
  const queuedAt = await pinNextTimestamp();
  await (await ctx.vault.connect(relayer).queueConfigChange(c, slot, signatures)).wait();
  return { c, id, slot, queuedAt, eta: queuedAt + LOOSEN };
}

/** Queues a loosening change and executes it at its eta. */
async function applyLoosening(ctx: VaultContext, fields: ChangeFields) {
  const q = await queueChange(ctx, fields);
  await time.setNextBlockTimestamp(q.eta);
  await (await ctx.vault.executeConfigChange(q.c, q.slot)).wait();
  return q;
}

/**
 * The next guardian tightening (the module's tightening nonce, the vault's epoch) signed by the
 * guardian quorum in the module's domain, its id there, and the `tighten` call.
 */
async function guardianTighten(ctx: VaultContext, fields: ChangeFields) {
  const c = await nextGuardianTightening(ctx.vault, ctx.guardianModule, fields);
  const data = configChangeTypedData(ctx.guardianDomain, c);
  const signatures = await signAll(data, guardianQuorum(ctx));
  return { c, id: digest(data), tx: () => ctx.guardianModule.connect(relayer).tighten(c, signatures) };
}

async function expectDelay(
  ctx: VaultContext,
  fields: { asset: string; to: HardhatEthersSigner; amount: bigint },
  delay: bigint,
  reason: DelayReason,
) {
  const verdict = await readDelay(ctx.vault, { asset: fields.asset, to: fields.to.address, amount: fields.amount });
  expect([verdict.delay, verdict.reason]).to.deep.equal([delay, reason]);
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

// =============================================================================================

describe("ReserveVault withdrawal policy", function () {
  describe("outflow limits", function () {
    it("a withdrawal within the limit waits the normal delay and counts against the limit", async function () {
      const ctx = await loadFixture(deployVault);
      const w = await nextWithdrawal(ctx.vault, { asset: ETH, to: payee.address, amount: 4n * ETH_1 });
      const slot = await unusedSlot(ctx);
      const signatures = await signWithdrawal(ctx, w, signerQuorum(ctx));
      const queuedAt = await pinNextTimestamp();
      await expect(ctx.vault.connect(relayer).queueWithdrawal(w, slot, signatures))
        .to.emit(ctx.vault, "WithdrawalQueued")
        .withArgs(withdrawalId(ctx, w), ETH, payee.address, 4n * ETH_1, 0, slot, queuedAt + D);
      const { limit, used: counted, resetsAt } = await ctx.vault.outflow(ETH);
      expect([limit, counted]).to.deep.equal([L, 4n * ETH_1]);
      // The period of the eta ends ETA_OFFSET before P later; resetsAt is that end minus D.
      expect(resetsAt).to.equal(queuedAt + P - ETA_OFFSET);
      const q = await queueEth(ctx, payee, 3n * ETH_1);
      expect(q.eta).to.equal(q.queuedAt + D);
      expect(await used(ctx, ETH)).to.equal(7n * ETH_1);
    });

    it("a withdrawal that exactly reaches the limit is within the limit", async function () {
      const ctx = await loadFixture(deployVault);
      await queueEth(ctx, payee, 6n * ETH_1);
      await expectDelay(ctx, { asset: ETH, to: payee, amount: 4n * ETH_1 }, D, DelayReason.WithinLimit);
      const q = await queueEth(ctx, payee, 4n * ETH_1);
      expect(q.eta).to.equal(q.queuedAt + D);
      expect(await used(ctx, ETH)).to.equal(L);
    });

    it("the withdrawal that crosses the limit waits the long delay and is not counted", async function () {
      const ctx = await loadFixture(deployVault);
      await queueEth(ctx, payee, 6n * ETH_1);
      await expectDelay(ctx, { asset: ETH, to: payee, amount: 5n * ETH_1 }, LD, DelayReason.OverLimit);
      const over = await queueEth(ctx, payee, 5n * ETH_1);
      expect(over.eta).to.equal(over.queuedAt + LD);
      expect(await used(ctx, ETH)).to.equal(6n * ETH_1);
      // Not counted: what is left of the limit still fits at the normal delay.
      const rest = await queueEth(ctx, payee, 4n * ETH_1);
      expect(rest.eta).to.equal(rest.queuedAt + D);
      expect(await used(ctx, ETH)).to.equal(L);
    });

    it("a withdrawal larger than the limit on its own waits the long delay", async function () {
      const ctx = await loadFixture(deployVault);
      const q = await queueEth(ctx, payee, L + 1n);
      expect(q.eta).to.equal(q.queuedAt + LD);
      expect(await used(ctx, ETH)).to.equal(0n);
    });

    it("splitting a large amount into small withdrawals: every piece after the limit is reached waits the long delay", async function () {
      const ctx = await loadFixture(deployVault);
      const piece = 3n * ETH_1;
      const pieces: Queued[] = [];
      for (let i = 0; i < 8; i++) pieces.push(await queueEth(ctx, payee, piece));
      const delays = pieces.map((q) => q.eta - q.queuedAt);
      // 3 + 3 + 3 = 9 <= 10; the fourth would make 12.
      expect(delays).to.deep.equal([D, D, D, LD, LD, LD, LD, LD]);
      const atNormalDelay = pieces.filter((q) => q.eta - q.queuedAt === D).reduce((s, q) => s + q.w.amount, 0n);
      expect(atNormalDelay).to.equal(9n * ETH_1);
      expect(atNormalDelay <= L).to.equal(true);
      expect(await used(ctx, ETH)).to.equal(9n * ETH_1);
      // A 1 ETH piece still fits; then nothing does.
      const last = await queueEth(ctx, payee, ETH_1);
      expect(last.eta).to.equal(last.queuedAt + D);
      await expectDelay(ctx, { asset: ETH, to: payee, amount: 1n }, LD, DelayReason.OverLimit);
    });

    it("period rollover: once new etas fall in the next period, a withdrawal within the limit waits the normal delay again", async function () {
      const ctx = await loadFixture(deployVault);
      await queueEth(ctx, payee, L);
      const { resetsAt } = await ctx.vault.outflow(ETH);
      // The last second whose eta is still in the full period.
      const late = await queueEth(ctx, payee, ETH_1, { at: resetsAt - 1n });
      expect(late.eta).to.equal(resetsAt - 1n + LD);
      // The first second whose eta is in the next period.
      const fresh = await queueEth(ctx, payee, ETH_1, { at: resetsAt });
      expect(fresh.eta).to.equal(resetsAt + D);
      expect(fresh.eta % P).to.equal(0n);
      const outflow = await ctx.vault.outflow(ETH);
      expect([outflow.used, outflow.resetsAt]).to.deep.equal([ETH_1, resetsAt + P]);
    });

    it("an asset with no configured limit (limit 0) always waits the long delay, reason OverLimit", async function () {
      const ctx = await loadFixture(deployNoTokenLimitVault);
      const { limit } = await ctx.vault.outflow(ctx.tokenAddress);
      expect(limit).to.equal(0n);
      await expectDelay(ctx, { asset: ctx.tokenAddress, to: payee, amount: 1n }, LD, DelayReason.OverLimit);
      const q = await queueToken(ctx, payee, 1n);
      expect(q.eta).to.equal(q.queuedAt + LD);
      expect(await used(ctx, ctx.tokenAddress)).to.equal(0n);
    });

    it("an UNLIMITED asset is never counted", async function () {
      const ctx = await loadFixture(deployUnlimitedVault);
      expect((await ctx.vault.outflow(ETH)).limit).to.equal(UNLIMITED);
      for (const amount of [40n * ETH_1, 40n * ETH_1, 20n * ETH_1]) {
        const q = await queueEth(ctx, payee, amount);
        expect(q.eta).to.equal(q.queuedAt + D);
      }
      expect(await used(ctx, ETH)).to.equal(0n);
      await expectDelay(ctx, { asset: ETH, to: payee, amount: UNLIMITED }, D, DelayReason.WithinLimit);
    });

    it("a second asset's limit is independent of the first's", async function () {
      const ctx = await loadFixture(deployVault);
      await queueEth(ctx, payee, L);
      await expectDelay(ctx, { asset: ETH, to: payee, amount: 1n }, LD, DelayReason.OverLimit);
      const token = await queueToken(ctx, payee, L_TOKEN);
      expect(token.eta).to.equal(token.queuedAt + D);
      expect(await used(ctx, ctx.tokenAddress)).to.equal(L_TOKEN);
      expect(await used(ctx, ETH)).to.equal(L);
      // The token's limit is now full too, independently.
      const overToken = await queueToken(ctx, payee, 1n);
      expect(overToken.eta).to.equal(overToken.queuedAt + LD);
    });
  });

  describe("giving back the share of a withdrawal that can no longer execute (reclaimOutflow)", function () {
    it("a withdrawal cancelled by the signer quorum gives its share back, and a new withdrawal within the limit fits", async function () {
      const ctx = await loadFixture(deployVault);
      const q = await queueEth(ctx, payee, 6n * ETH_1);
      await expectDelay(ctx, { asset: ETH, to: payee, amount: 6n * ETH_1 }, LD, DelayReason.OverLimit);
      await cancelBySigners(ctx, q);
      // Cancelling alone does not give the share back.
      expect(await used(ctx, ETH)).to.equal(6n * ETH_1);
      await expect(ctx.vault.connect(stranger).reclaimOutflow(q.w, q.slot))
        .to.emit(ctx.vault, "OutflowReleased")
        .withArgs(q.id, ETH, 6n * ETH_1);
      expect(await used(ctx, ETH)).to.equal(0n);
      const again = await queueEth(ctx, payee, 6n * ETH_1);
      expect(again.eta).to.equal(again.queuedAt + D);
    });

    it("a withdrawal vetoed by a guardian gives its share back", async function () {
      const ctx = await loadFixture(deployVault);
      const q = await queueEth(ctx, payee, L);
      await expect(ctx.guardianModule.connect(ctx.guardians[0]!).veto(q.id, q.slot, "0x"))
        .to.emit(ctx.vault, "OperationCancelled")
        .withArgs(q.id, q.slot);
      await expect(ctx.vault.connect(stranger).reclaimOutflow(q.w, q.slot))
        .to.emit(ctx.vault, "OutflowReleased")
        .withArgs(q.id, ETH, L);
      expect(await used(ctx, ETH)).to.equal(0n);
      const again = await queueEth(ctx, payee, L);
      expect(again.eta).to.equal(again.queuedAt + D);
    });

    it("an expired withdrawal gives its share back (a period longer than delay plus window)", async function () {
      const ctx = await loadFixture(deployLongPeriodVault);
      const q = await queueEth(ctx, payee, 6n * ETH_1);
      const deadline = q.eta + WINDOW;
      // At its deadline it can still execute: nothing to give back.
      await time.setNextBlockTimestamp(deadline);
      await expect(ctx.vault.connect(stranger).reclaimOutflow(q.w, q.slot))
        .to.be.revertedWithCustomError(ctx.vault, "NothingToRelease")
        .withArgs(q.id, q.slot);
      // A second later it has expired; new etas still fall in the same 14-day period.
      await time.increaseTo(deadline + 1n);
      expect(await ctx.vault.operationState(q.id, q.slot)).to.equal(OperationState.Expired);
      await expectDelay(ctx, { asset: ETH, to: payee, amount: 6n * ETH_1 }, LD, DelayReason.OverLimit);
      await expect(ctx.vault.connect(stranger).reclaimOutflow(q.w, q.slot))
        .to.emit(ctx.vault, "OutflowReleased")
        .withArgs(q.id, ETH, 6n * ETH_1);
      const again = await queueEth(ctx, payee, 6n * ETH_1);
      expect(again.eta).to.equal(again.queuedAt + D);
      expect(again.eta / LONG_P).to.equal(q.eta / LONG_P);
    });

    it("a withdrawal of an old epoch gives its share back", async function () {
      const ctx = await loadFixture(deployLongPeriodVault);
      const q = await queueEth(ctx, payee, 6n * ETH_1);
      // Adding a signer advances the epoch: q is still queued but can never execute.
      await applyLoosening(ctx, { action: ConfigAction.AddSigner, account: newcomer.address, value: 2n });
      await expect(executeAtEta(ctx, q)).to.be.revertedWithCustomError(ctx.vault, "EpochMismatch").withArgs(1, 2);
      await expect(ctx.vault.connect(stranger).reclaimOutflow(q.w, q.slot))
        .to.emit(ctx.vault, "OutflowReleased")
        .withArgs(q.id, ETH, 6n * ETH_1);
      expect(await used(ctx, ETH)).to.equal(0n);
    });

    it("reclaiming twice reverts NothingToRelease", async function () {
      const ctx = await loadFixture(deployVault);
      const q = await queueEth(ctx, payee, 6n * ETH_1);
      await cancelBySigners(ctx, q);
      await ctx.vault.reclaimOutflow(q.w, q.slot);
      await expect(ctx.vault.reclaimOutflow(q.w, q.slot))
        .to.be.revertedWithCustomError(ctx.vault, "NothingToRelease")
        .withArgs(q.id, q.slot);
      expect(await used(ctx, ETH)).to.equal(0n);
    });

    it("reclaiming an executed withdrawal reverts NothingToRelease", async function () {
      const ctx = await loadFixture(deployVault);
      const q = await queueEth(ctx, payee, 6n * ETH_1);
      await expect(executeAtEta(ctx, q)).to.emit(ctx.vault, "WithdrawalExecuted").withArgs(q.id);
      await expect(ctx.vault.reclaimOutflow(q.w, q.slot))
        .to.be.revertedWithCustomError(ctx.vault, "NothingToRelease")
        .withArgs(q.id, q.slot);
    });

    it("reclaiming a withdrawal that is still queued, or ready to execute, reverts NothingToRelease", async function () {
      const ctx = await loadFixture(deployVault);
      const q = await queueEth(ctx, payee, 6n * ETH_1);
      await expect(ctx.vault.reclaimOutflow(q.w, q.slot))
        .to.be.revertedWithCustomError(ctx.vault, "NothingToRelease")
        .withArgs(q.id, q.slot);
      await time.increaseTo(q.eta);
      expect(await ctx.vault.operationState(q.id, q.slot)).to.equal(OperationState.Ready);
      await expect(ctx.vault.reclaimOutflow(q.w, q.slot))
        .to.be.revertedWithCustomError(ctx.vault, "NothingToRelease")
        .withArgs(q.id, q.slot);
      expect(await ctx.vault.operationState(q.id, q.slot)).to.equal(OperationState.Ready);
    });

    it("reclaiming an uncounted (over-limit) withdrawal reverts NothingToRelease, even once cancelled", async function () {
      const ctx = await loadFixture(deployVault);
      await queueEth(ctx, payee, 8n * ETH_1);
      const over = await queueEth(ctx, payee, 5n * ETH_1);
      expect(over.eta).to.equal(over.queuedAt + LD);
      await cancelBySigners(ctx, over);
      await expect(ctx.vault.reclaimOutflow(over.w, over.slot))
        .to.be.revertedWithCustomError(ctx.vault, "NothingToRelease")
        .withArgs(over.id, over.slot);
      expect(await used(ctx, ETH)).to.equal(8n * ETH_1);
    });

    it("reclaiming through the wrong slot reverts NothingToRelease", async function () {
      const ctx = await loadFixture(deployVault);
      const q = await queueEth(ctx, payee, 6n * ETH_1);
      await cancelBySigners(ctx, q);
      await expect(ctx.vault.reclaimOutflow(q.w, q.slot + 1n))
        .to.be.revertedWithCustomError(ctx.vault, "NothingToRelease")
        .withArgs(q.id, q.slot + 1n);
    });

    it("a share reclaimed after its period ended (a later period counted since) returns 0 and changes nothing", async function () {
      const ctx = await loadFixture(deployVault);
      const q = await queueEth(ctx, payee, 6n * ETH_1);
      await cancelBySigners(ctx, q);
      const { resetsAt } = await ctx.vault.outflow(ETH);
      const next = await queueEth(ctx, payee, 3n * ETH_1, { at: resetsAt });
      expect(next.eta).to.equal(resetsAt + D);
      expect(await used(ctx, ETH)).to.equal(3n * ETH_1);
      await expect(ctx.vault.reclaimOutflow(q.w, q.slot)).to.emit(ctx.vault, "OutflowReleased").withArgs(q.id, ETH, 0n);
      expect(await used(ctx, ETH)).to.equal(3n * ETH_1);
      // The record is no longer counted.
      await expect(ctx.vault.reclaimOutflow(q.w, q.slot))
        .to.be.revertedWithCustomError(ctx.vault, "NothingToRelease")
        .withArgs(q.id, q.slot);
    });
  });

  describe("destination allowlist", function () {
    it("with the allowlist on, a withdrawal to an allowlisted destination waits the normal delay", async function () {
      const ctx = await loadFixture(deployAllowlistVault);
      const policy = await readPolicy(ctx.vault, [ETH]);
      expect([policy.allowlistEnabled, policy.allowlist]).to.deep.equal([true, [payee.address]]);
      await expectDelay(ctx, { asset: ETH, to: payee, amount: ETH_1 }, D, DelayReason.WithinLimit);
      const q = await queueEth(ctx, payee, ETH_1);
      expect(q.eta).to.equal(q.queuedAt + D);
      expect(await used(ctx, ETH)).to.equal(ETH_1);
    });

    it("with the allowlist on, a withdrawal to an unknown destination waits the long delay (UnknownDestination) and is not counted", async function () {
      const ctx = await loadFixture(deployAllowlistVault);
      await expectDelay(ctx, { asset: ETH, to: stranger, amount: ETH_1 }, LD, DelayReason.UnknownDestination);
      const q = await queueEth(ctx, stranger, ETH_1);
      expect(q.eta).to.equal(q.queuedAt + LD);
      expect(await used(ctx, ETH)).to.equal(0n);
    });

    it("with the allowlist off, any destination waits the normal delay", async function () {
      const ctx = await loadFixture(deployVault);
      const q = await queueEth(ctx, stranger, ETH_1);
      expect(q.eta).to.equal(q.queuedAt + D);
    });

    it("removing an entry by the signer quorum's signatures applies at once, without a queue slot", async function () {
      const ctx = await loadFixture(deployAllowlistVault);
      // Slot 0 holds a queued withdrawal: the tightening neither needs nor touches it.
      const held = await queueEth(ctx, payee, ETH_1, { slot: 0n });
      const { c, id, signatures } = await signedChange(ctx, {
        action: ConfigAction.DisallowDestination,
        account: payee.address,
      });
      const tx = ctx.vault.connect(relayer).queueConfigChange(c, 0n, signatures);
      await expect(tx).to.emit(ctx.vault, "Tightened").withArgs(id, ConfigAction.DisallowDestination, false);
      await expect(tx).to.emit(ctx.vault, "AllowlistEntryChanged").withArgs(payee.address, true, false);
      await expect(tx).not.to.emit(ctx.vault, "ConfigChangeQueued");
      expect((await ctx.vault.queueSlot(0n)).idPrefix).to.equal(prefixOf(held.id));
      expect((await ctx.vault.configuration()).configNonce).to.equal(BigInt(c.nonce + 1));
      expect((await readPolicy(ctx.vault, [])).allowlist).to.deep.equal([]);
      await expectDelay(ctx, { asset: ETH, to: payee, amount: ETH_1 }, LD, DelayReason.UnknownDestination);
      const next = await queueEth(ctx, payee, ETH_1);
      expect(next.eta).to.equal(next.queuedAt + LD);
    });

    it("removing an entry by on-chain proposal and approval applies at the approval that reaches the threshold", async function () {
      const ctx = await loadFixture(deployAllowlistVault);
      const [alice, bob] = signerQuorum(ctx);
      const c = await nextConfigChange(ctx.vault, { action: ConfigAction.DisallowDestination, account: payee.address });
      const id = await ctx.vault.configChangeId(c);
      await expect(ctx.vault.connect(alice!).proposeConfigChange(c)).not.to.emit(ctx.vault, "AllowlistEntryChanged");
      await expectDelay(ctx, { asset: ETH, to: payee, amount: ETH_1 }, D, DelayReason.WithinLimit);
      const tx = ctx.vault.connect(bob!).approveConfigChange(c, 0n);
      await expect(tx).to.emit(ctx.vault, "Tightened").withArgs(id, ConfigAction.DisallowDestination, false);
      await expect(tx).to.emit(ctx.vault, "AllowlistEntryChanged").withArgs(payee.address, true, false);
      await expect(tx).not.to.emit(ctx.vault, "ConfigChangeQueued");
      await expectDelay(ctx, { asset: ETH, to: payee, amount: ETH_1 }, LD, DelayReason.UnknownDestination);
    });

    it("removing an entry by the guardian quorum (GuardianModule.tighten) applies at once", async function () {
      const ctx = await loadFixture(deployAllowlistVault);
      const { id, c, tx } = await guardianTighten(ctx, {
        action: ConfigAction.DisallowDestination,
        account: payee.address,
      });
      expect(await ctx.guardianModule.tighteningId(c)).to.equal(id);
      const sent = tx();
      await expect(sent).to.emit(ctx.vault, "Tightened").withArgs(id, ConfigAction.DisallowDestination, true);
      await expect(sent).to.emit(ctx.vault, "AllowlistEntryChanged").withArgs(payee.address, true, false);
      await expect(sent).not.to.emit(ctx.vault, "ConfigChangeQueued");
      const q = await queueEth(ctx, payee, ETH_1);
      expect(q.eta).to.equal(q.queuedAt + LD);
    });

    it("adding an entry waits max(configuration delay, long delay): not effective before its execution, effective after", async function () {
      const ctx = await loadFixture(deployAllowlistVault);
      const { c, id, signatures } = await signedChange(ctx, {
        action: ConfigAction.AllowDestination,
        account: stranger.address,
      });
      const slot = await unusedSlot(ctx);
      const queuedAt = await pinNextTimestamp();
      const tx = ctx.vault.connect(relayer).queueConfigChange(c, slot, signatures);
      await expect(tx)
        .to.emit(ctx.vault, "ConfigChangeQueued")
        .withArgs(id, asTuple(c), slot, queuedAt + LOOSEN);
      await expect(tx).not.to.emit(ctx.vault, "AllowlistEntryChanged");
      await expect(tx).not.to.emit(ctx.vault, "Tightened");
      // Not effective before its execution, even at its eta.
      await time.increaseTo(queuedAt + LOOSEN);
      await expectDelay(ctx, { asset: ETH, to: stranger, amount: ETH_1 }, LD, DelayReason.UnknownDestination);
      const before = await queueEth(ctx, stranger, ETH_1);
      expect(before.eta).to.equal(before.queuedAt + LD);
      await expect(ctx.vault.executeConfigChange(c, slot))
        .to.emit(ctx.vault, "AllowlistEntryChanged")
        .withArgs(stranger.address, false, true);
      expect((await readPolicy(ctx.vault, [])).allowlist).to.have.members([payee.address, stranger.address]);
      const after = await queueEth(ctx, stranger, ETH_1);
      expect(after.eta).to.equal(after.queuedAt + D);
    });

    it("an addition cannot execute one second before its eta", async function () {
      const ctx = await loadFixture(deployAllowlistVault);
      const q = await queueChange(ctx, { action: ConfigAction.AllowDestination, account: stranger.address });
      await time.setNextBlockTimestamp(q.eta - 1n);
      await expect(ctx.vault.executeConfigChange(q.c, q.slot))
        .to.be.revertedWithCustomError(ctx.vault, "OperationNotReady")
        .withArgs(q.id, q.eta, q.eta - 1n);
    });

    it("an addition vetoed by a guardian never takes effect", async function () {
      const ctx = await loadFixture(deployAllowlistVault);
      const q = await queueChange(ctx, { action: ConfigAction.AllowDestination, account: stranger.address });
      await expect(ctx.guardianModule.connect(ctx.guardians[1]!).veto(q.id, q.slot, "0x"))
        .to.emit(ctx.vault, "OperationCancelled")
        .withArgs(q.id, q.slot);
      await time.setNextBlockTimestamp(q.eta);
      await expect(ctx.vault.executeConfigChange(q.c, q.slot))
        .to.be.revertedWithCustomError(ctx.vault, "OperationNotQueued")
        .withArgs(q.id, q.slot);
      expect((await readPolicy(ctx.vault, [])).allowlist).to.deep.equal([payee.address]);
      const w = await queueEth(ctx, stranger, ETH_1);
      expect(w.eta).to.equal(w.queuedAt + LD);
    });

    it("turning the allowlist on applies at once", async function () {
      const ctx = await loadFixture(deployVault);
      const { c, id, signatures } = await signedChange(ctx, { action: ConfigAction.SetAllowlistEnabled, value: 1n });
      const tx = ctx.vault.connect(relayer).queueConfigChange(c, 0n, signatures);
      await expect(tx).to.emit(ctx.vault, "Tightened").withArgs(id, ConfigAction.SetAllowlistEnabled, false);
      await expect(tx).to.emit(ctx.vault, "AllowlistEnabledChanged").withArgs(false, true);
      await expect(tx).not.to.emit(ctx.vault, "ConfigChangeQueued");
      expect((await readPolicy(ctx.vault, [])).allowlistEnabled).to.equal(true);
      const q = await queueEth(ctx, stranger, ETH_1);
      expect(q.eta).to.equal(q.queuedAt + LD);
    });

    it("turning the allowlist off waits max(configuration delay, long delay)", async function () {
      const ctx = await loadFixture(deployAllowlistVault);
      const q = await queueChange(ctx, { action: ConfigAction.SetAllowlistEnabled, value: 0n });
      await time.increaseTo(q.eta - 1n);
      await expectDelay(ctx, { asset: ETH, to: stranger, amount: ETH_1 }, LD, DelayReason.UnknownDestination);
      await time.setNextBlockTimestamp(q.eta);
      await expect(ctx.vault.executeConfigChange(q.c, q.slot))
        .to.emit(ctx.vault, "AllowlistEnabledChanged")
        .withArgs(true, false);
      const w = await queueEth(ctx, stranger, ETH_1);
      expect(w.eta).to.equal(w.queuedAt + D);
    });

    it("raising a limit waits max(configuration delay, long delay)", async function () {
      const ctx = await loadFixture(deployVault);
      const { c, id, signatures } = await signedChange(ctx, {
        action: ConfigAction.SetOutflowLimit,
        account: ETH,
        value: 2n * L,
      });
      const slot = await unusedSlot(ctx);
      const queuedAt = await pinNextTimestamp();
      const tx = ctx.vault.connect(relayer).queueConfigChange(c, slot, signatures);
      await expect(tx)
        .to.emit(ctx.vault, "ConfigChangeQueued")
        .withArgs(id, asTuple(c), slot, queuedAt + LOOSEN);
      await expect(tx).not.to.emit(ctx.vault, "OutflowLimitChanged");
      await time.increaseTo(queuedAt + LOOSEN - 1n);
      expect((await ctx.vault.outflow(ETH)).limit).to.equal(L);
      await expectDelay(ctx, { asset: ETH, to: payee, amount: 15n * ETH_1 }, LD, DelayReason.OverLimit);
      await time.setNextBlockTimestamp(queuedAt + LOOSEN);
      await expect(ctx.vault.executeConfigChange(c, slot))
        .to.emit(ctx.vault, "OutflowLimitChanged")
        .withArgs(ETH, L, 2n * L);
      const q = await queueEth(ctx, payee, 15n * ETH_1);
      expect(q.eta).to.equal(q.queuedAt + D);
    });

    it("lowering a limit by the signer quorum applies at once", async function () {
      const ctx = await loadFixture(deployVault);
      const { c, id, signatures } = await signedChange(ctx, {
        action: ConfigAction.SetOutflowLimit,
        account: ETH,
        value: 5n * ETH_1,
      });
      const tx = ctx.vault.connect(relayer).queueConfigChange(c, 0n, signatures);
      await expect(tx).to.emit(ctx.vault, "Tightened").withArgs(id, ConfigAction.SetOutflowLimit, false);
      await expect(tx)
        .to.emit(ctx.vault, "OutflowLimitChanged")
        .withArgs(ETH, L, 5n * ETH_1);
      await expect(tx).not.to.emit(ctx.vault, "ConfigChangeQueued");
      await expectDelay(ctx, { asset: ETH, to: payee, amount: 6n * ETH_1 }, LD, DelayReason.OverLimit);
      const q = await queueEth(ctx, payee, 5n * ETH_1);
      expect(q.eta).to.equal(q.queuedAt + D);
    });

    it("lowering a limit below what the period already counted stops every further withdrawal of the period", async function () {
      const ctx = await loadFixture(deployVault);
      await queueEth(ctx, payee, 8n * ETH_1);
      await (await submitChange(ctx, { action: ConfigAction.SetOutflowLimit, account: ETH, value: 5n * ETH_1 })).wait();
      const outflow = await ctx.vault.outflow(ETH);
      expect([outflow.limit, outflow.used]).to.deep.equal([5n * ETH_1, 8n * ETH_1]);
      const q = await queueEth(ctx, payee, 1n);
      expect(q.eta).to.equal(q.queuedAt + LD);
    });

    it("lowering a limit by the guardian quorum applies at once", async function () {
      const ctx = await loadFixture(deployVault);
      const { id, tx } = await guardianTighten(ctx, { action: ConfigAction.SetOutflowLimit, account: ETH, value: 0n });
      const sent = tx();
      await expect(sent).to.emit(ctx.vault, "Tightened").withArgs(id, ConfigAction.SetOutflowLimit, true);
      await expect(sent).to.emit(ctx.vault, "OutflowLimitChanged").withArgs(ETH, L, 0n);
      const q = await queueEth(ctx, payee, 1n);
      expect(q.eta).to.equal(q.queuedAt + LD);
    });

    it("turning the allowlist on by the guardian quorum applies at once", async function () {
      const ctx = await loadFixture(deployVault);
      const { id, tx } = await guardianTighten(ctx, { action: ConfigAction.SetAllowlistEnabled, value: 1n });
      const sent = tx();
      await expect(sent).to.emit(ctx.vault, "Tightened").withArgs(id, ConfigAction.SetAllowlistEnabled, true);
      await expect(sent).to.emit(ctx.vault, "AllowlistEnabledChanged").withArgs(false, true);
      await expectDelay(ctx, { asset: ETH, to: stranger, amount: ETH_1 }, LD, DelayReason.UnknownDestination);
    });

    for (const { name, fixture, fields } of [
      {
        name: "add an allowlist entry",
        fixture: deployAllowlistVault,
        fields: (): ChangeFields => ({ action: ConfigAction.AllowDestination, account: stranger.address }),
      },
      {
        name: "raise a limit",
        fixture: deployVault,
        fields: (): ChangeFields => ({ action: ConfigAction.SetOutflowLimit, account: ETH, value: 2n * L }),
      },
      {
        name: "turn the allowlist off",
        fixture: deployAllowlistVault,
        fields: (): ChangeFields => ({ action: ConfigAction.SetAllowlistEnabled, value: 0n }),
      },
    ]) {
      it(`the guardians cannot loosen: they cannot ${name} (NotATightening)`, async function () {
        const ctx = await loadFixture(fixture);
        const { c, tx } = await guardianTighten(ctx, fields());
        await expect(tx()).to.be.revertedWithCustomError(ctx.vault, "NotATightening").withArgs(c.action);
      });
    }

    it("a guardian tightening uses the module's own nonce: the signers' signed change keeps its configuration nonce", async function () {
      const ctx = await loadFixture(deployAllowlistVault);
      const signed = await signedChange(ctx, { action: ConfigAction.SetOutflowLimit, account: ETH, value: 2n * L });
      const first = await guardianTighten(ctx, { action: ConfigAction.DisallowDestination, account: payee.address });
      expect(first.c.nonce).to.equal(0);
      await (await first.tx()).wait();
      expect(await ctx.guardianModule.tighteningNonce()).to.equal(1n);
      expect((await ctx.vault.configuration()).configNonce).to.equal(BigInt(signed.c.nonce));
      // Replaying the same tightening fails on the module's nonce.
      await expect(first.tx()).to.be.revertedWithCustomError(ctx.guardianModule, "NonceMismatch").withArgs(0, 1);
      const slot = await unusedSlot(ctx);
      await expect(ctx.vault.connect(relayer).queueConfigChange(signed.c, slot, signed.signatures)).to.emit(
        ctx.vault,
        "ConfigChangeQueued",
      );
    });

    it("the guardians cannot tighten without their quorum", async function () {
      const ctx = await loadFixture(deployAllowlistVault);
      const c = await nextGuardianTightening(ctx.vault, ctx.guardianModule, {
        action: ConfigAction.DisallowDestination,
        account: payee.address,
      });
      const one = await signAll(configChangeTypedData(ctx.guardianDomain, c), [ctx.guardians[0]!]);
      await expect(ctx.guardianModule.connect(relayer).tighten(c, one))
        .to.be.revertedWithCustomError(ctx.guardianModule, "ThresholdNotMet")
        .withArgs(2n, 1n);
    });
  });

  describe("a loosening never shortens the eta of a queued withdrawal", function () {
    it("a withdrawal queued over the limit keeps its long-delay eta after the limit is raised", async function () {
      const ctx = await loadFixture(deployVault);
      // The raise is queued first (a loosening waits LD too), the withdrawal one second later.
      const change = await queueChange(ctx, { action: ConfigAction.SetOutflowLimit, account: ETH, value: 2n * L });
      await time.increase(60);
      const q = await queueEth(ctx, payee, 12n * ETH_1);
      expect(q.eta).to.equal(q.queuedAt + LD);
      expect(change.eta < q.eta).to.equal(true);
      if (BigInt(await time.latest()) < change.eta) await time.increaseTo(change.eta);
      await ctx.vault.executeConfigChange(change.c, change.slot);
      expect((await ctx.vault.queueSlot(q.slot)).eta).to.equal(q.queuedAt + LD);
      // The same withdrawal queued now would wait only D, yet the queued one still waits LD.
      await expectDelay(ctx, { asset: ETH, to: payee, amount: 12n * ETH_1 }, D, DelayReason.WithinLimit);
      await time.setNextBlockTimestamp(q.eta - 1n);
      await expect(ctx.vault.executeWithdrawal(q.w, q.slot))
        .to.be.revertedWithCustomError(ctx.vault, "OperationNotReady")
        .withArgs(q.id, q.eta, q.eta - 1n);
      await expect(executeAtEta(ctx, q)).to.emit(ctx.vault, "WithdrawalExecuted").withArgs(q.id);
    });

    it("a withdrawal queued to an unknown destination keeps its long-delay eta after the destination is allowed", async function () {
      const ctx = await loadFixture(deployAllowlistVault);
      const change = await queueChange(ctx, { action: ConfigAction.AllowDestination, account: stranger.address });
      await time.increase(60);
      const q = await queueEth(ctx, stranger, ETH_1);
      expect(q.eta).to.equal(q.queuedAt + LD);
      if (BigInt(await time.latest()) < change.eta) await time.increaseTo(change.eta);
      await ctx.vault.executeConfigChange(change.c, change.slot);
      expect((await ctx.vault.queueSlot(q.slot)).eta).to.equal(q.queuedAt + LD);
      await time.setNextBlockTimestamp(q.eta - 1n);
      await expect(ctx.vault.executeWithdrawal(q.w, q.slot))
        .to.be.revertedWithCustomError(ctx.vault, "OperationNotReady")
        .withArgs(q.id, q.eta, q.eta - 1n);
    });
  });

  describe("delayFor reports the rule that applies and matches the eta given at queue time", function () {
    it("WithinLimit: the normal delay", async function () {
      const ctx = await loadFixture(deployVault);
      await expectDelay(ctx, { asset: ETH, to: payee, amount: L }, D, DelayReason.WithinLimit);
      const q = await queueEth(ctx, payee, L);
      expect(q.eta - q.queuedAt).to.equal(D);
    });

    it("OverLimit: the long delay", async function () {
      const ctx = await loadFixture(deployVault);
      await expectDelay(ctx, { asset: ETH, to: payee, amount: L + 1n }, LD, DelayReason.OverLimit);
      const q = await queueEth(ctx, payee, L + 1n);
      expect(q.eta - q.queuedAt).to.equal(LD);
    });

    it("UnknownDestination: the long delay, and it takes precedence over the limit", async function () {
      const ctx = await loadFixture(deployAllowlistVault);
      await expectDelay(ctx, { asset: ETH, to: stranger, amount: ETH_1 }, LD, DelayReason.UnknownDestination);
      await expectDelay(ctx, { asset: ETH, to: stranger, amount: L + 1n }, LD, DelayReason.UnknownDestination);
      await expectDelay(ctx, { asset: ctx.tokenAddress, to: stranger, amount: 1n }, LD, DelayReason.UnknownDestination);
      const q = await queueEth(ctx, stranger, L + 1n);
      expect(q.eta - q.queuedAt).to.equal(LD);
    });

    it("RecoveryCoolOff: the long delay for every withdrawal queued in the cool-off after a recovery, before any other rule", async function () {
      const { ctx, newSigners, coolOffUntil } = await loadFixture(deployVaultInCoolOff);
      expect((await ctx.vault.timings()).coolOffUntil).to.equal(coolOffUntil);
      await expectDelay(ctx, { asset: ETH, to: payee, amount: ETH_1 }, LD, DelayReason.RecoveryCoolOff);
      await expectDelay(ctx, { asset: ETH, to: stranger, amount: L + 1n }, LD, DelayReason.RecoveryCoolOff);
      const q = await queueEth(ctx, payee, ETH_1, { signers: newSigners });
      expect(q.eta - q.queuedAt).to.equal(LD);
      expect(await used(ctx, ETH)).to.equal(0n);
      // The last second of the cool-off, then the first after it.
      const last = await queueEth(ctx, payee, ETH_1, { signers: newSigners, at: coolOffUntil - 1n });
      expect(last.eta - last.queuedAt).to.equal(LD);
      const first = await queueEth(ctx, payee, ETH_1, { signers: newSigners, at: coolOffUntil });
      expect(first.eta - first.queuedAt).to.equal(D);
      await expectDelay(ctx, { asset: ETH, to: payee, amount: ETH_1 }, D, DelayReason.WithinLimit);
    });

    it("after a sequence of withdrawals, each eta equals queue time plus the delay delayFor reported just before", async function () {
      const ctx = await loadFixture(deployAllowlistVault);
      const steps: [HardhatEthersSigner, bigint][] = [
        [payee, 4n * ETH_1],
        [stranger, 4n * ETH_1],
        [payee, 7n * ETH_1],
        [payee, 6n * ETH_1],
        [stranger, 20n * ETH_1],
      ];
      const reasons: DelayReason[] = [];
      for (const [to, amount] of steps) {
        const verdict = await readDelay(ctx.vault, { asset: ETH, to: to.address, amount });
        const q = await queueEth(ctx, to, amount);
        expect(q.eta - q.queuedAt).to.equal(verdict.delay);
        reasons.push(verdict.reason);
      }
      expect(reasons).to.deep.equal([
        DelayReason.WithinLimit,
        DelayReason.UnknownDestination,
        DelayReason.OverLimit,
        DelayReason.WithinLimit,
        DelayReason.UnknownDestination,
      ]);
    });
  });

  describe("drain bound under a compromised signer quorum (guardians never react)", function () {
    /**
     * The attacker holds every signer key from t0 and only queues and executes withdrawals to itself.
     * A withdrawal executes no earlier than its eta; a counted one has eta = queue time + D >= t0 + D;
     * per period of etas the counted ones total at most L; everything else waits LD. So before
     * t0 + LD only counted withdrawals with eta in [t0 + D, t0 + LD) can execute, and that interval
     * (LD - D long) meets at most ceil((LD - D) / P) + 1 periods:
     *   executed before t0 + LD  <=  L * (ceil((LD - D) / P) + 1)  = 10 ETH * 3 = 30 ETH here.
     * t0 is chosen so that the first eta falls mid-period, where the bound is reached.
     * Loosening the configuration does not help the attacker: raising a limit, allowing a
     * destination or shortening the withdrawal delay waits max(configDelay, longDelay) (the last
     * test below plays it).
     */
    const BOUND = L * (ceilDiv(LD - D, P) + 1n);
    const PIECE = (L * 2n) / 5n; // 4 ETH: two fit in a period, the third is over the limit
    const PIECES_PER_ROUND = 5;

    /** Queues PIECES_PER_ROUND pieces to the attacker at t0, then again whenever new etas enter a new period, until t0 + LD - D. */
    async function attack(ctx: VaultContext, t0: bigint): Promise<Queued[]> {
      const queued: Queued[] = [];
      let roundAt = t0;
      while (roundAt + D < t0 + LD) {
        for (let i = 0; i < PIECES_PER_ROUND; i++) {
          queued.push(
            await queueEth(ctx, attacker, PIECE, { signers: ctx.signers, at: i === 0 ? roundAt : undefined }),
          );
        }
        roundAt = (await ctx.vault.outflow(ETH)).resetsAt;
      }
      return queued;
    }

    it(`with the allowlist off, at most L per eta period (${BOUND / ETH_1} ETH) reaches the attacker before t0 + longDelay; the rest waits the long delay`, async function () {
      const ctx = await loadFixture(deployVault);
      const t0 = await moveToEtaOffset(P / 2n);
      const end = t0 + LD;
      const queued = await attack(ctx, t0);
      // Three rounds (etas in three periods), five pieces each.
      expect(queued.length).to.equal(3 * PIECES_PER_ROUND);

      const balanceBefore = await ethers.provider.getBalance(attacker.address);
      const early = queued.filter((q) => q.eta < end).sort((a, b) => Number(a.eta - b.eta));
      let executed = 0n;
      for (const q of early) {
        await (await executeAtEta(ctx, q)).wait();
        expect(BigInt(await time.latest()) < end).to.equal(true);
        executed += q.w.amount;
      }
      // Everything that could execute before t0 + LD did; nothing else can before then.
      const late = queued.filter((q) => q.eta >= end);
      for (const q of late) expect(q.eta).to.equal(q.queuedAt + LD);
      await time.setNextBlockTimestamp(end - 1n);
      await expect(ctx.vault.executeWithdrawal(late[0]!.w, late[0]!.slot))
        .to.be.revertedWithCustomError(ctx.vault, "OperationNotReady")
        .withArgs(late[0]!.id, late[0]!.eta, end - 1n);

      expect(executed <= BOUND).to.equal(true);
      // The bound is tight here: two 4 ETH pieces per period, in three periods.
      expect(executed).to.equal(3n * 2n * PIECE);
      expect((await ethers.provider.getBalance(attacker.address)) - balanceBefore).to.equal(executed);
      // Per period of etas, what executes before t0 + LD stays within L.
      const perPeriod = new Map<bigint, bigint>();
      for (const q of early) perPeriod.set(q.eta / P, (perPeriod.get(q.eta / P) ?? 0n) + q.w.amount);
      expect(perPeriod.size).to.equal(3);
      for (const total of perPeriod.values()) expect(total <= L).to.equal(true);
    });

    it("with the allowlist on and the attacker not on it, nothing reaches the attacker before t0 + longDelay", async function () {
      const ctx = await loadFixture(deployAllowlistVault);
      const t0 = await moveToEtaOffset(P / 2n);
      const end = t0 + LD;
      const balanceBefore = await ethers.provider.getBalance(attacker.address);
      const queued = await attack(ctx, t0);
      for (const q of queued) expect(q.eta).to.equal(q.queuedAt + LD);
      expect(queued.every((q) => q.eta >= end)).to.equal(true);
      expect(await used(ctx, ETH)).to.equal(0n);
      await time.setNextBlockTimestamp(end - 1n);
      await expect(ctx.vault.executeWithdrawal(queued[0]!.w, queued[0]!.slot))
        .to.be.revertedWithCustomError(ctx.vault, "OperationNotReady")
        .withArgs(queued[0]!.id, queued[0]!.eta, end - 1n);
      expect(await ethers.provider.getBalance(attacker.address)).to.equal(balanceBefore);
    });
  });

  describe("validation of policy changes", function () {
    it("SetOutflowLimit above UNLIMITED reverts OutflowLimitTooLarge", async function () {
      const ctx = await loadFixture(deployVault);
      await expect(submitChange(ctx, { action: ConfigAction.SetOutflowLimit, account: ETH, value: UNLIMITED + 1n }))
        .to.be.revertedWithCustomError(ctx.vault, "OutflowLimitTooLarge")
        .withArgs(UNLIMITED + 1n, UNLIMITED);
    });

    it("AllowDestination of the zero address reverts DestinationIsZeroAddress", async function () {
      const ctx = await loadFixture(deployVault);
      await expect(
        submitChange(ctx, { action: ConfigAction.AllowDestination, account: ZeroAddress }),
      ).to.be.revertedWithCustomError(ctx.vault, "DestinationIsZeroAddress");
    });

    it("AllowDestination of an allowlisted destination reverts DestinationAlreadyAllowed", async function () {
      const ctx = await loadFixture(deployVault);
      await expect(submitChange(ctx, { action: ConfigAction.AllowDestination, account: payee.address }))
        .to.be.revertedWithCustomError(ctx.vault, "DestinationAlreadyAllowed")
        .withArgs(payee.address);
    });

    it("DisallowDestination of a destination not on the allowlist reverts DestinationNotAllowed (signers and guardians)", async function () {
      const ctx = await loadFixture(deployVault);
      await expect(submitChange(ctx, { action: ConfigAction.DisallowDestination, account: stranger.address }))
        .to.be.revertedWithCustomError(ctx.vault, "DestinationNotAllowed")
        .withArgs(stranger.address);
      const { tx } = await guardianTighten(ctx, {
        action: ConfigAction.DisallowDestination,
        account: stranger.address,
      });
      await expect(tx()).to.be.revertedWithCustomError(ctx.vault, "DestinationNotAllowed").withArgs(stranger.address);
    });

    it("AllowDestination on a full allowlist (64 entries) reverts AllowlistFull", async function () {
      const ctx = await loadFixture(deployFullAllowlistVault);
      expect((await readPolicy(ctx.vault, [])).allowlist.length).to.equal(64);
      await expect(submitChange(ctx, { action: ConfigAction.AllowDestination, account: stranger.address }))
        .to.be.revertedWithCustomError(ctx.vault, "AllowlistFull")
        .withArgs(64n);
      // Removing one (a tightening) makes room again.
      await (await submitChange(ctx, { action: ConfigAction.DisallowDestination, account: FULL_ALLOWLIST[0]! })).wait();
      await expect(submitChange(ctx, { action: ConfigAction.AllowDestination, account: stranger.address })).to.emit(
        ctx.vault,
        "ConfigChangeQueued",
      );
    });

    it("a vault cannot be deployed with 65 allowlist entries (AllowlistFull)", async function () {
      const ctx = await loadFixture(deployVault);
      const tooMany = [...FULL_ALLOWLIST, getAddress(`0x${"2".padStart(40, "0")}`)];
      await expect(makeVaultFixture(ethers, { ...POLICY, allowlist: tooMany })())
        .to.be.revertedWithCustomError(ctx.vault, "AllowlistFull")
        .withArgs(64n);
    });

    it("a vault cannot be deployed with an outflow limit above UNLIMITED (OutflowLimitTooLarge)", async function () {
      const ctx = await loadFixture(deployVault);
      const limits = [{ asset: ETH, limit: UNLIMITED + 1n }];
      await expect(makeVaultFixture(ethers, { ...POLICY, outflowLimits: limits })())
        .to.be.revertedWithCustomError(ctx.vault, "OutflowLimitTooLarge")
        .withArgs(UNLIMITED + 1n, UNLIMITED);
    });

    it("a vault cannot be deployed with the same allowlist entry twice (DestinationAlreadyAllowed)", async function () {
      const ctx = await loadFixture(deployVault);
      await expect(
        makeVaultFixture(ethers, { ...POLICY, allowlist: [payee.address, stranger.address, payee.address] })(),
      )
        .to.be.revertedWithCustomError(ctx.vault, "DestinationAlreadyAllowed")
        .withArgs(payee.address);
    });

    it("SetOutflowLimit to the current limit is neutral: queued with the configuration delay, not applied at once", async function () {
      const ctx = await loadFixture(deployVault);
      const { c, id, signatures } = await signedChange(ctx, {
        action: ConfigAction.SetOutflowLimit,
        account: ETH,
        value: L,
      });
      const slot = await unusedSlot(ctx);
      const queuedAt = await pinNextTimestamp();
      const tx = ctx.vault.connect(relayer).queueConfigChange(c, slot, signatures);
      await expect(tx)
        .to.emit(ctx.vault, "ConfigChangeQueued")
        .withArgs(id, asTuple(c), slot, queuedAt + CD);
      await expect(tx).not.to.emit(ctx.vault, "Tightened");
      expect(CD).to.not.equal(LOOSEN);
    });

    it("SetAllowlistEnabled with a value other than 0 or 1 reverts AllowlistFlagInvalid", async function () {
      const ctx = await loadFixture(deployVault);
      await expect(submitChange(ctx, { action: ConfigAction.SetAllowlistEnabled, value: 2n }))
        .to.be.revertedWithCustomError(ctx.vault, "AllowlistFlagInvalid")
        .withArgs(2n);
    });

    it("SetAllowlistEnabled to the current state reverts AllowlistUnchanged", async function () {
      const off = await loadFixture(deployVault);
      await expect(submitChange(off, { action: ConfigAction.SetAllowlistEnabled, value: 0n }))
        .to.be.revertedWithCustomError(off.vault, "AllowlistUnchanged")
        .withArgs(false);
      const on = await loadFixture(deployAllowlistVault);
      await expect(submitChange(on, { action: ConfigAction.SetAllowlistEnabled, value: 1n }))
        .to.be.revertedWithCustomError(on.vault, "AllowlistUnchanged")
        .withArgs(true);
    });

    for (const { action, fields } of [
      {
        action: ConfigAction.SetOutflowLimit,
        fields: { action: ConfigAction.SetOutflowLimit, account: ETH, replacement: payee.address, value: L },
      },
      {
        action: ConfigAction.AllowDestination,
        fields: { action: ConfigAction.AllowDestination, account: stranger.address, value: 1n },
      },
      {
        action: ConfigAction.DisallowDestination,
        fields: { action: ConfigAction.DisallowDestination, account: payee.address, replacement: stranger.address },
      },
      {
        action: ConfigAction.SetAllowlistEnabled,
        fields: { action: ConfigAction.SetAllowlistEnabled, account: stranger.address, value: 1n },
      },
    ]) {
      it(`${ConfigAction[action]} with a field it does not use set reverts UnusedFieldNotZero`, async function () {
        const ctx = await loadFixture(deployVault);
        await expect(submitChange(ctx, fields))
          .to.be.revertedWithCustomError(ctx.vault, "UnusedFieldNotZero")
          .withArgs(action);
      });
    }
  });

  describe("policy events", function () {
    it("the constructor emits the initial limits, allowlist entries and allowlist state", async function () {
      const ctx = await loadFixture(deployAllowlistVault);
      const deployment = ctx.vault.deploymentTransaction()!;
      await expect(deployment).to.emit(ctx.vault, "OutflowLimitChanged").withArgs(ETH, 0n, L);
      await expect(deployment).to.emit(ctx.vault, "OutflowLimitChanged").withArgs(ctx.tokenAddress, 0n, L_TOKEN);
      await expect(deployment).to.emit(ctx.vault, "AllowlistEntryChanged").withArgs(payee.address, false, true);
      await expect(deployment).to.emit(ctx.vault, "AllowlistEnabledChanged").withArgs(false, true);
      const policy = await readPolicy(ctx.vault, [ETH, ctx.tokenAddress]);
      expect(policy.outflowPeriod).to.equal(P);
      expect(policy.outflow.get(ETH)!.limit).to.equal(L);
      expect(policy.outflow.get(ctx.tokenAddress)!.limit).to.equal(L_TOKEN);
    });

    it("OutflowLimitChanged carries the old and new limit, for a raise and for a lowering", async function () {
      const ctx = await loadFixture(deployVault);
      const q = await queueChange(ctx, {
        action: ConfigAction.SetOutflowLimit,
        account: ctx.tokenAddress,
        value: UNLIMITED,
      });
      await time.setNextBlockTimestamp(q.eta);
      await expect(ctx.vault.executeConfigChange(q.c, q.slot))
        .to.emit(ctx.vault, "OutflowLimitChanged")
        .withArgs(ctx.tokenAddress, L_TOKEN, UNLIMITED);
      await expect(submitChange(ctx, { action: ConfigAction.SetOutflowLimit, account: ctx.tokenAddress, value: 1n }))
        .to.emit(ctx.vault, "OutflowLimitChanged")
        .withArgs(ctx.tokenAddress, UNLIMITED, 1n);
    });

    it("AllowlistEntryChanged and AllowlistEnabledChanged carry the old and new state", async function () {
      const ctx = await loadFixture(deployVault);
      const add = await queueChange(ctx, { action: ConfigAction.AllowDestination, account: stranger.address });
      await time.setNextBlockTimestamp(add.eta);
      await expect(ctx.vault.executeConfigChange(add.c, add.slot))
        .to.emit(ctx.vault, "AllowlistEntryChanged")
        .withArgs(stranger.address, false, true);
      await expect(submitChange(ctx, { action: ConfigAction.DisallowDestination, account: stranger.address }))
        .to.emit(ctx.vault, "AllowlistEntryChanged")
        .withArgs(stranger.address, true, false);
      await expect(submitChange(ctx, { action: ConfigAction.SetAllowlistEnabled, value: 1n }))
        .to.emit(ctx.vault, "AllowlistEnabledChanged")
        .withArgs(false, true);
      const off = await queueChange(ctx, { action: ConfigAction.SetAllowlistEnabled, value: 0n });
      await time.setNextBlockTimestamp(off.eta);
      await expect(ctx.vault.executeConfigChange(off.c, off.slot))
        .to.emit(ctx.vault, "AllowlistEnabledChanged")
        .withArgs(true, false);
    });
  });
});

describe("ReserveVault withdrawal policy: loosening cannot shortcut the long delay", function () {
  it("drain bound: raising the limit and cutting the withdrawal delay together still get nothing out before t0 + longDelay beyond the bound", async function () {
    const ctx = await loadFixture(deployVault);
    const t0 = await moveToEtaOffset(P / 2n);
    const balanceBefore = await ethers.provider.getBalance(attacker.address);
    // With every signer key, at t0: two loosenings; each waits max(configDelay, longDelay) = LD.
    const limit = await queueChange(ctx, { action: ConfigAction.SetOutflowLimit, account: ETH, value: UNLIMITED });
    const delay = await queueChange(ctx, { action: ConfigAction.SetWithdrawalDelay, value: HOUR });
    expect(limit.eta).to.be.gte(t0 + LD);
    expect(delay.eta).to.be.gte(t0 + LD);
    await time.setNextBlockTimestamp(delay.eta);
    await ctx.vault.executeConfigChange(limit.c, limit.slot);
    await ctx.vault.executeConfigChange(delay.c, delay.slot);
    const drain = await queueEth(ctx, attacker, 90n * ETH_1, { signers: ctx.signers });
    // The drain becomes executable only after t0 + LD: before that the attacker got nothing.
    expect(drain.eta).to.be.gt(t0 + LD);
    expect((await ethers.provider.getBalance(attacker.address)) - balanceBefore).to.equal(0n);
  });

  it("drain bound: allowing its own address and cutting the withdrawal delay get an attacker nothing before t0 + longDelay", async function () {
    const ctx = await loadFixture(deployAllowlistVault);
    const t0 = await moveToEtaOffset(P / 2n);
    const allow = await queueChange(ctx, { action: ConfigAction.AllowDestination, account: attacker.address });
    const delay = await queueChange(ctx, { action: ConfigAction.SetWithdrawalDelay, value: HOUR });
    await time.setNextBlockTimestamp(delay.eta);
    await ctx.vault.executeConfigChange(allow.c, allow.slot);
    await ctx.vault.executeConfigChange(delay.c, delay.slot);
    const w = await queueEth(ctx, attacker, L, { signers: ctx.signers });
    expect(w.eta).to.be.gte(t0 + LD);
  });

  it("shortening the withdrawal delay or the long delay waits max(configuration delay, long delay); lengthening waits the configuration delay", async function () {
    const ctx = await loadFixture(deployVault);
    // queueChange's own eta assumes a loosening: read the one the vault fixed.
    const etaOf = async (q: { slot: bigint }) => (await ctx.vault.queueSlot(q.slot)).eta;
    const shorter = await queueChange(ctx, { action: ConfigAction.SetWithdrawalDelay, value: HOUR });
    expect(await etaOf(shorter)).to.equal(shorter.queuedAt + LOOSEN);
    const shorterLong = await queueChange(ctx, { action: ConfigAction.SetLongDelay, value: LD - HOUR });
    expect(await etaOf(shorterLong)).to.equal(shorterLong.queuedAt + LOOSEN);
    const longer = await queueChange(ctx, { action: ConfigAction.SetLongDelay, value: LD + HOUR });
    expect(await etaOf(longer)).to.equal(longer.queuedAt + CD);
  });

  it("a share reclaimed after its period can no longer receive withdrawals gives back 0", async function () {
    const ctx = await loadFixture(deployVault);
    const q = await queueEth(ctx, payee, 6n * ETH_1, { slot: await unusedSlot(ctx) });
    await cancelBySigners(ctx, q);
    // Two periods later, with nothing counted since: the withdrawal's period is over for new ones.
    await time.increase(2n * P);
    await expect(ctx.vault.reclaimOutflow(q.w, q.slot)).to.emit(ctx.vault, "OutflowReleased").withArgs(q.id, ETH, 0n);
  });
});
