/**
 * Model-based fuzzing of ReserveVault and its GuardianModule (issue #9).
 *
 * `VaultModel` is a TypeScript model of the vault's observable state, written from docs/SPEC.md
 * §2-§6: queue slots and proposals (so every operation's state: Pending, Revoked, Queued, Ready,
 * Expired, Executed, Cancelled), per-lane nonces, epoch, signers and threshold, the withdrawal
 * delay, freeze, cool-off, veto level, the pending recovery, and the ETH balances of the vault and
 * the recipients. fast-check generates random sequences of every action a signer, guardian,
 * relayer or depositor can take, and of time jumps (small, across delays, onto boundaries); each
 * command runs on the in-process chain AND on the model. The transaction must succeed, or revert
 * with exactly the custom error the model predicts; then the model and the chain are compared
 * field by field (every known operation's `operationState` and approvals, every queue slot,
 * nonces, epoch, signers, delays, freeze, veto requirement, recovery, balances).
 *
 * Where several rules are broken at once, the SPEC does not always say which error wins (§4 "Every
 * state-changing entry point checks the epoch first, then the state, then the caller's rights");
 * the model then checks in the contract's order, commented `order:`.
 *
 * The policy is the default fixture's (ETH unlimited, no allowlist): every withdrawal waits the
 * withdrawal delay, or the long delay during a recovery cool-off. Outflow limits and the allowlist
 * are fuzzed by test/fuzz/OutflowLimits.t.sol; the council by test/invariant.
 *
 * Runs: MODEL_RUNS sequences (default 200) of up to MODEL_MAX_COMMANDS commands (default 30), seed
 * MODEL_SEED (default fixed, printed) — the CI mode. A failure prints the seed, the replay path
 * and the shrunk sequence of commands.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { getAddress, parseEther, ZeroAddress, ZeroHash, type TypedDataDomain } from "ethers";
import fc from "fast-check";
import { network } from "hardhat";

import {
  cancellationTypedData,
  compareAddresses,
  ConfigAction,
  configChange,
  configChangeTypedData,
  DAY,
  decodeVaultError,
  DEFAULT_TIMINGS,
  digest,
  ETH,
  freezeTypedData,
  HOUR,
  OperationState,
  packSignatures,
  prefixOf,
  recoveryTypedData,
  signTypedData,
  unfreezeTypedData,
  vetoTypedData,
  withdrawal,
  withdrawalTypedData,
  type ConfigChange,
  type Recovery,
  type TypedData,
  type Withdrawal,
} from "../../scripts/lib/index.js";
import { makeVaultFixture, type VaultContext } from "../helpers/vault.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;

// =============================================================================================
// Run parameters
// =============================================================================================

const DEFAULT_SEED = 90_210;
const SEED = envInteger("MODEL_SEED", DEFAULT_SEED);
const RUNS = envInteger("MODEL_RUNS", 200);
const MAX_COMMANDS = envInteger("MODEL_MAX_COMMANDS", 30);

function envInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new Error(`${name}=${raw} is not an integer`);
  return value;
}

/** Realistic delays (scripts/lib DEFAULT_TIMINGS): withdrawal 1 d, config 2 d, window 7 d, long 3 d, … */
const T = DEFAULT_TIMINGS;
/** Few queue slots, so that slots are reused (final and expired operations) and sometimes occupied. */
const SLOTS = 4;
const MIN_DELAY = HOUR;
const MAX_SIGNERS = 32;
const MAX_GUARDIANS = 32;

const deployVault = makeVaultFixture(ethers, { ...T });

// =============================================================================================
// Keys: every signer, guardian and candidate is a local account of the in-process chain
// =============================================================================================

const accountOf = new Map((await ethers.getSigners()).map((a) => [a.address, a]));

async function signPacked(addresses: readonly string[], data: TypedData): Promise<string> {
  return packSignatures(await Promise.all(addresses.map((a) => signTypedData(mustAccount(a), data))));
}

function mustAccount(address: string): HardhatEthersSigner {
  const account = accountOf.get(address);
  if (!account) throw new Error(`no local account ${address}`);
  return account;
}

// =============================================================================================
// The model
// =============================================================================================

/** A custom error the model predicts; the model's state is rolled back, as the chain's is. */
class Revert extends Error {
  constructor(readonly errorName: string) {
    super(errorName);
  }
}

function revert(name: string): never {
  throw new Revert(name);
}

/** Mirrors `ProposalStatus` and `ProposalKind` (contracts/base/VaultState.sol). */
enum PStatus {
  None,
  Pending,
  Queued,
  Cancelled,
  Revoked,
}
enum PKind {
  Withdrawal,
  ConfigChange,
  Cancellation,
}
enum RecordStatus {
  Queued = 0,
  Executed = 1,
  Cancelled = 2,
}
enum Effect {
  Neutral,
  Tightening,
  Loosening,
}

interface Proposal {
  /** Bit i: signer i of the sorted signer set approved. */
  approvals: number;
  /** Index + 1 of the proposer in the sorted signer set. */
  proposer: number;
  status: PStatus;
  kind: PKind;
  nonce: number;
}

/** A queue slot's record (QueueRecord), or the module's recovery record. */
interface QueueRecord {
  id: string;
  eta: bigint;
  window: bigint;
  status: RecordStatus;
}

type KnownOp =
  | { kind: "withdrawal"; w: Withdrawal; id: string; slot: number }
  | { kind: "config"; c: ConfigChange; id: string; slot: number };

interface KnownRecovery {
  r: Recovery;
  id: string;
}

/** Everything that a transaction can change: cloned before each one and restored if it reverts. */
interface State {
  /** Timestamp of the latest block. */
  now: bigint;
  // vault core
  epoch: number;
  threshold: number;
  signers: string[];
  withdrawalDelay: bigint;
  configNonce: number;
  ethNonce: number;
  frozenUntil: bigint;
  coolOffUntil: bigint;
  queue: Map<number, QueueRecord>;
  proposals: Map<string, Proposal>;
  // guardian module
  guardians: string[];
  guardianThreshold: number;
  guardianEpoch: number;
  council: number;
  vetoLevel: number;
  lastVetoAt: bigint;
  nextFreezeAt: bigint;
  freezeCount: number;
  recoveryNonce: number;
  recovery: QueueRecord | undefined;
  // ETH
  balances: Map<string, bigint>;
  // what the sequence has built so far (rolled back with the transaction that built it)
  ops: KnownOp[];
  recoveries: KnownRecovery[];
}

/** The delays this run never changes (the model changes only the withdrawal delay). */
const FIXED = {
  configDelay: T.configDelay,
  executionWindow: T.executionWindow,
  longDelay: T.longDelay,
  coolOff: T.coolOff,
  recoveryDelay: T.recoveryDelay,
  councilDelay: T.councilDelay,
  maxFreeze: T.maxFreeze,
  freezeCooldown: T.freezeCooldown,
  vetoQuietPeriod: T.vetoQuietPeriod,
};

function popcount(x: number): number {
  let n = 0;
  for (let v = x >>> 0; v !== 0; v &= v - 1) n++;
  return n;
}

function sortAddresses(xs: readonly string[]): string[] {
  return [...xs].sort(compareAddresses);
}

/** MembershipRules.councilBounds. */
function councilBounds(n: number, m: number, g: number, k: number): { min: number; max: number } {
  const quorum = Math.max(m, k);
  const min = Math.max(Math.floor((n + g) / 2) + 1, quorum + 1);
  const max = n + g > quorum ? n + g - quorum : 0;
  return { min, max };
}

/** MembershipRules.checkCounts. */
function checkCounts(n: number, m: number, g: number, k: number, council: number): void {
  if (n === 0 || n > MAX_SIGNERS) revert("SignerCountOutOfRange");
  if (m === 0 || m > n) revert("ThresholdOutOfRange");
  if (g === 0 || g > MAX_GUARDIANS) revert("GuardianCountOutOfRange");
  if (k === 0 || k > g) revert("GuardianThresholdOutOfRange");
  const { min, max } = councilBounds(n, m, g, k);
  if (council < min || council > max) revert("CouncilThresholdOutOfRange");
}

/** MembershipRules.adjustCouncil. */
function adjustCouncil(n: number, m: number, g: number, k: number, council: number): number {
  const { min, max } = councilBounds(n, m, g, k);
  if (council < min) return min;
  if (council > max) return max;
  return council;
}

/** The fixture's accounts in their roles, fixed for the vault's life. */
interface Cast {
  vault: string;
  domain: TypedDataDomain;
  guardianDomain: TypedDataDomain;
  funder: string;
  relayer: string;
  /** Receive withdrawals; never send a transaction (so their balances are exact). */
  recipients: string[];
  /** Outsiders who may become signers (replaceSigner, recovery). */
  candidates: string[];
}

class VaultModel {
  s: State;

  constructor(
    readonly cast: Cast,
    initial: State,
  ) {
    this.s = initial;
  }

  // ---- ids --------------------------------------------------------------------------------

  idOf(op: { kind: "withdrawal"; w: Withdrawal } | { kind: "config"; c: ConfigChange }): string {
    return op.kind === "withdrawal"
      ? digest(withdrawalTypedData(this.cast.domain, op.w))
      : digest(configChangeTypedData(this.cast.domain, op.c));
  }

  cancellationId(id: string, epoch: number): string {
    return digest(cancellationTypedData(this.cast.domain, id, epoch));
  }

  // ---- views (docs/SPEC.md §4 state machine, §8 views) -------------------------------------

  /** OperationQueue.operationState at time `now`. */
  operationState(id: string, slot: number, now = this.s.now): OperationState {
    const record = this.s.queue.get(slot);
    if (record && record.id === id) {
      if (record.status === RecordStatus.Executed) return OperationState.Executed;
      if (record.status === RecordStatus.Cancelled) return OperationState.Cancelled;
      if (now < record.eta) return OperationState.Queued;
      if (now <= record.eta + record.window) return OperationState.Ready;
      return OperationState.Expired;
    }
    const p = this.s.proposals.get(id);
    if (p?.status === PStatus.Pending && this.canStillQueue(p)) return OperationState.Pending;
    if (p?.status === PStatus.Cancelled) return OperationState.Cancelled;
    if (p?.status === PStatus.Revoked && this.canStillQueue(p)) return OperationState.Revoked;
    return OperationState.Unknown;
  }

  /** Whether a pending proposal's nonce is still unused (a cancellation proposal never is). */
  canStillQueue(p: Proposal): boolean {
    if (p.kind === PKind.Withdrawal) return p.nonce >= this.s.ethNonce;
    if (p.kind === PKind.ConfigChange) return p.nonce >= this.s.configNonce;
    return false;
  }

  isFree(slot: number, now = this.s.now): boolean {
    const r = this.s.queue.get(slot);
    return r === undefined || r.status !== RecordStatus.Queued || now > r.eta + r.window;
  }

  lowestFreeSlot(): number | undefined {
    for (let slot = 0; slot < SLOTS; slot++) if (this.isFree(slot)) return slot;
    return undefined;
  }

  vetoRequirement(now = this.s.now): { level: number; required: number } {
    const decayed = Number((now - this.s.lastVetoAt) / FIXED.vetoQuietPeriod);
    const level = this.s.vetoLevel > decayed ? this.s.vetoLevel - decayed : 0;
    return { level, required: Math.min(1 + level, this.s.guardians.length) };
  }

  proposerOf(index: number): string {
    if (index === 0) return ZeroAddress;
    return index <= this.s.signers.length ? this.s.signers[index - 1]! : ZeroAddress;
  }

  // ---- approvals (SPEC §3) -----------------------------------------------------------------

  /** SignatureSet.count: signatures are packed ascending and distinct, so only a non-member fails. */
  countSignatures(signed: readonly string[], members: readonly string[]): number {
    let bitmap = 0;
    for (const signer of sortAddresses(signed)) {
      const index = members.indexOf(signer);
      if (index < 0) revert("SignatureNotFromSigner");
      bitmap |= 1 << index;
    }
    return bitmap;
  }

  /** SignerApprovals._requireQuorum: signatures, plus a pending proposal's approvals if short. */
  requireQuorum(id: string, signed: readonly string[]): boolean {
    const bitmap = this.countSignatures(signed, this.s.signers);
    let valid = popcount(bitmap);
    let usedProposal = false;
    if (valid < this.s.threshold) {
      const p = this.s.proposals.get(id);
      if (p?.status === PStatus.Pending) {
        valid = popcount(bitmap | p.approvals);
        usedProposal = true;
      }
      if (valid < this.s.threshold) revert("ThresholdNotMet");
    }
    return usedProposal;
  }

  signerIndex(account: string): number {
    const index = this.s.signers.indexOf(account);
    if (index < 0) revert("CallerNotSigner");
    return index;
  }

  propose(id: string, kind: PKind, nonce: number, sender: string): number {
    const existing = this.s.proposals.get(id);
    if (existing && existing.status !== PStatus.None) revert("ProposalAlreadyExists");
    const index = this.signerIndex(sender);
    this.s.proposals.set(id, { approvals: 1 << index, proposer: index + 1, status: PStatus.Pending, kind, nonce });
    return 1;
  }

  approve(id: string, sender: string): number {
    // order: the caller is checked before the proposal.
    const index = this.signerIndex(sender);
    const p = this.s.proposals.get(id);
    if (!p || p.status !== PStatus.Pending) revert("ProposalNotPending");
    const bit = 1 << index;
    if ((p.approvals & bit) !== 0) revert("AlreadyApproved");
    p.approvals |= bit;
    return popcount(p.approvals);
  }

  // ---- the timelock (SPEC §4) --------------------------------------------------------------

  enqueue(id: string, slot: number, delay: bigint): void {
    if (!this.isFree(slot)) revert("QueueSlotOccupied");
    this.s.queue.set(slot, { id, eta: this.s.now + delay, window: FIXED.executionWindow, status: RecordStatus.Queued });
  }

  markExecuted(id: string, slot: number): void {
    const r = this.s.queue.get(slot);
    if (!r || r.id !== id || r.status !== RecordStatus.Queued) revert("OperationNotQueued");
    if (this.s.now < r.eta) revert("OperationNotReady");
    if (this.s.now > r.eta + r.window) revert("OperationExpired");
    r.status = RecordStatus.Executed;
  }

  cancelInSlot(id: string, slot: number): void {
    const r = this.s.queue.get(slot);
    if (r && r.id === id && r.status === RecordStatus.Queued) {
      r.status = RecordStatus.Cancelled;
      return;
    }
    const p = this.s.proposals.get(id);
    if (!p || p.status !== PStatus.Pending || !this.canStillQueue(p)) revert("NothingToCancel");
    p.status = PStatus.Cancelled;
    // Cancelling a pending proposal consumes its nonce, which must be the next of its lane.
    if (p.kind === PKind.Withdrawal) {
      if (p.nonce !== this.s.ethNonce) revert("NonceNotNext");
      this.s.ethNonce++;
    } else {
      if (p.nonce !== this.s.configNonce) revert("NonceNotNext");
      this.s.configNonce++;
    }
  }

  // ---- withdrawals -------------------------------------------------------------------------

  checkWithdrawal(w: Withdrawal, exactNonce: boolean): void {
    if (w.epoch !== this.s.epoch) revert("EpochMismatch");
    if (w.to === ZeroAddress) revert("WithdrawalToZeroAddress");
    if (w.amount === 0n) revert("WithdrawalAmountZero");
    if (!exactNonce && w.nonce < this.s.ethNonce) revert("NonceMismatch");
  }

  /** Uses the nonce, picks the delay (§4.1: ETH is unlimited, so only the cool-off matters), queues. */
  queueWithdrawalInSlot(id: string, w: Withdrawal, slot: number): void {
    if (w.nonce !== this.s.ethNonce) revert("NonceMismatch");
    const delay = this.s.now < this.s.coolOffUntil ? FIXED.longDelay : this.s.withdrawalDelay;
    this.s.ethNonce++;
    this.enqueue(id, slot, delay);
  }

  // ---- configuration changes (SPEC §2, §5) -------------------------------------------------

  /** ConfigRules.checkChangeAgainst for the three actions the sequences use. */
  validate(c: ConfigChange): Effect {
    const n = this.s.signers.length;
    const g = this.s.guardians.length;
    const k = this.s.guardianThreshold;
    if (c.action === ConfigAction.SetThreshold) {
      checkCounts(n, Number(c.value), g, k, this.s.council);
      return Effect.Neutral;
    }
    if (c.action === ConfigAction.ReplaceSigner) {
      if (!this.s.signers.includes(c.account)) revert("SignerNotMember");
      if (c.replacement === ZeroAddress) revert("SignerIsZeroAddress");
      if (this.s.signers.includes(c.replacement)) revert("SignerAlreadyMember");
      if (this.s.guardians.includes(c.replacement)) revert("GuardianAlreadyMember");
      checkCounts(n, this.s.threshold, g, k, adjustCouncil(n, this.s.threshold, g, k, this.s.council));
      return Effect.Neutral;
    }
    if (c.action === ConfigAction.SetWithdrawalDelay) {
      const max = FIXED.configDelay < FIXED.longDelay ? FIXED.configDelay : FIXED.longDelay;
      if (c.value < MIN_DELAY || c.value > max) revert("DelayOutOfRange");
      // Shortening the withdrawal delay lets funds out sooner: a loosening (§4.1).
      return c.value < this.s.withdrawalDelay ? Effect.Loosening : Effect.Neutral;
    }
    throw new Error(`the model does not know action ${ConfigAction[c.action]}`);
  }

  checkConfigChange(c: ConfigChange, exactNonce: boolean): Effect {
    if (c.epoch !== this.s.epoch) revert("EpochMismatch");
    if (!exactNonce && c.nonce < this.s.configNonce) revert("NonceMismatch");
    return this.validate(c);
  }

  queueConfigChangeInSlot(id: string, c: ConfigChange, slot: number, effect: Effect): void {
    if (c.nonce !== this.s.configNonce) revert("NonceMismatch");
    this.s.configNonce++;
    let delay = FIXED.configDelay;
    // A loosening waits max(configuration delay, long delay) (§4.1).
    if (effect === Effect.Loosening && FIXED.longDelay > delay) delay = FIXED.longDelay;
    this.enqueue(id, slot, delay);
  }

  applyConfigChange(c: ConfigChange): void {
    this.validate(c);
    if (c.action === ConfigAction.SetWithdrawalDelay) {
      this.s.withdrawalDelay = c.value;
      return;
    }
    let members = this.s.signers;
    let threshold = Number(c.value);
    if (c.action === ConfigAction.ReplaceSigner) {
      members = sortAddresses([...members.filter((a) => a !== c.account), c.replacement]);
      threshold = this.s.threshold;
    }
    this.writeSigners(members, threshold);
    this.s.council = adjustCouncil(
      members.length,
      threshold,
      this.s.guardians.length,
      this.s.guardianThreshold,
      this.s.council,
    );
  }

  /** A new signer set or threshold: the epoch advances, every older operation dies (§2). */
  writeSigners(sorted: string[], threshold: number): void {
    this.s.signers = sorted;
    this.s.threshold = threshold;
    this.s.epoch++;
  }

  // ---- entry points: each mutates the state or throws Revert ------------------------------

  proposeOp(op: KnownOp, sender: string): void {
    if (op.kind === "withdrawal") {
      this.checkWithdrawal(op.w, false);
      this.propose(op.id, PKind.Withdrawal, op.w.nonce, sender);
    } else {
      this.checkConfigChange(op.c, false);
      this.propose(op.id, PKind.ConfigChange, op.c.nonce, sender);
    }
    this.remember(op);
  }

  approveOp(op: KnownOp, sender: string, slot: number): void {
    if (op.kind === "withdrawal") {
      this.checkWithdrawal(op.w, false);
      if (this.approve(op.id, sender) >= this.s.threshold) {
        this.s.proposals.get(op.id)!.status = PStatus.Queued;
        this.queueWithdrawalInSlot(op.id, op.w, slot);
        this.queuedIn(op, slot);
      }
    } else {
      // order: the change is validated before the approval is counted.
      const effect = this.checkConfigChange(op.c, false);
      if (this.approve(op.id, sender) >= this.s.threshold) {
        this.s.proposals.get(op.id)!.status = PStatus.Queued;
        this.queueConfigChangeInSlot(op.id, op.c, slot, effect);
        this.queuedIn(op, slot);
      }
    }
  }

  queueOp(op: KnownOp, signed: readonly string[], slot: number): void {
    if (op.kind === "withdrawal") {
      this.checkWithdrawal(op.w, true);
      if (this.requireQuorum(op.id, signed)) this.s.proposals.get(op.id)!.status = PStatus.Queued;
      this.queueWithdrawalInSlot(op.id, op.w, slot);
    } else {
      const effect = this.checkConfigChange(op.c, true);
      if (this.requireQuorum(op.id, signed)) this.s.proposals.get(op.id)!.status = PStatus.Queued;
      this.queueConfigChangeInSlot(op.id, op.c, slot, effect);
    }
    this.remember(op);
    this.queuedIn(op, slot);
  }

  executeOp(op: KnownOp, slot: number): void {
    if (op.kind === "withdrawal") {
      // order: the freeze is checked first, then the epoch, then the queue record.
      if (this.s.now < this.s.frozenUntil) revert("WithdrawalsFrozen");
      if (op.w.epoch !== this.s.epoch) revert("EpochMismatch");
      this.markExecuted(op.id, slot);
      const vaultBalance = this.s.balances.get(this.cast.vault)!;
      if (vaultBalance < op.w.amount) revert("EthTransferFailed");
      this.s.balances.set(this.cast.vault, vaultBalance - op.w.amount);
      this.s.balances.set(op.w.to, (this.s.balances.get(op.w.to) ?? 0n) + op.w.amount);
    } else {
      if (op.c.epoch !== this.s.epoch) revert("EpochMismatch");
      this.markExecuted(op.id, slot);
      this.applyConfigChange(op.c);
    }
  }

  cancelOp(op: KnownOp, signed: readonly string[], slot: number): void {
    const cancellation = this.cancellationId(op.id, this.s.epoch);
    if (this.requireQuorum(cancellation, signed)) this.s.proposals.get(cancellation)!.status = PStatus.Queued;
    this.cancelInSlot(op.id, slot);
  }

  approveCancellationOf(op: KnownOp, sender: string, slot: number): void {
    const cancellation = this.cancellationId(op.id, this.s.epoch);
    const p = this.s.proposals.get(cancellation);
    const count =
      p === undefined || p.status === PStatus.None
        ? this.propose(cancellation, PKind.Cancellation, 0, sender)
        : this.approve(cancellation, sender);
    if (count >= this.s.threshold) {
      this.s.proposals.get(cancellation)!.status = PStatus.Queued;
      this.cancelInSlot(op.id, slot);
    }
  }

  revokeOp(op: KnownOp, sender: string): void {
    const p = this.s.proposals.get(op.id);
    if (!p || p.status !== PStatus.Pending || !this.canStillQueue(p)) revert("ProposalNotPending");
    if (sender !== this.proposerOf(p.proposer)) revert("CallerNotProposer");
    p.status = PStatus.Revoked;
  }

  // ---- guardians (SPEC §6) -----------------------------------------------------------------

  veto(op: KnownOp, signed: readonly string[], slot: number): void {
    const approvals = popcount(this.countSignatures(signed, this.s.guardians));
    const { level, required } = this.vetoRequirement();
    if (approvals < required) revert("VetoThresholdNotMet");
    this.s.vetoLevel = level < this.s.guardians.length ? level + 1 : level;
    this.s.lastVetoAt = this.s.now;
    const r = this.s.queue.get(slot);
    if (!r || r.id !== op.id || r.status !== RecordStatus.Queued || this.s.now > r.eta + r.window)
      revert("NotVetoable");
    r.status = RecordStatus.Cancelled;
  }

  freeze(signed: readonly string[]): void {
    if (this.s.now < this.s.nextFreezeAt) revert("FreezeCoolingDown");
    const approvals = popcount(this.countSignatures(signed, this.s.guardians));
    if (approvals < this.s.guardianThreshold) revert("ThresholdNotMet");
    const until = this.s.now + FIXED.maxFreeze;
    this.s.nextFreezeAt = until + FIXED.freezeCooldown;
    this.s.freezeCount++;
    this.s.frozenUntil = until;
  }

  unfreeze(signed: readonly string[]): void {
    if (this.s.now >= this.s.frozenUntil) revert("NotFrozen");
    const approvals = popcount(this.countSignatures(signed, this.s.signers));
    if (approvals < this.s.threshold) revert("ThresholdNotMet");
    this.s.nextFreezeAt = this.s.now + FIXED.freezeCooldown;
    this.s.frozenUntil = this.s.now;
  }

  /** GuardianModule._checkRecovery: returns the adjusted council threshold. */
  checkRecovery(r: Recovery): number {
    r.signers.forEach((a, i) => {
      if (a === ZeroAddress) revert("SignerIsZeroAddress");
      if (i > 0 && compareAddresses(a, r.signers[i - 1]!) <= 0) revert("MembersNotAscending");
      if (this.s.guardians.includes(a)) revert("GuardianAlreadyMember");
    });
    const n = r.signers.length;
    const m = Number(r.threshold);
    const g = this.s.guardians.length;
    const k = this.s.guardianThreshold;
    const council = adjustCouncil(n, m, g, k, this.s.council);
    checkCounts(n, m, g, k, council);
    return council;
  }

  queueRecovery(known: KnownRecovery, signed: readonly string[]): void {
    const { r, id } = known;
    if (r.guardianEpoch !== this.s.guardianEpoch) revert("GuardianEpochMismatch");
    if (r.nonce !== this.s.recoveryNonce) revert("NonceMismatch");
    const pending = this.s.recovery;
    if (pending && pending.status === RecordStatus.Queued && this.s.now <= pending.eta + pending.window) {
      revert("RecoveryAlreadyPending");
    }
    this.checkRecovery(r);
    const approvals = popcount(this.countSignatures(signed, this.s.guardians));
    if (approvals < this.s.guardianThreshold) revert("ThresholdNotMet");
    this.s.recoveryNonce++;
    this.s.recovery = {
      id,
      eta: this.s.now + FIXED.recoveryDelay,
      window: FIXED.executionWindow,
      status: RecordStatus.Queued,
    };
    if (!this.s.recoveries.some((x) => x.id === id)) this.s.recoveries.push(known);
  }

  executeRecovery(known: KnownRecovery): void {
    const { r, id } = known;
    const record = this.s.recovery;
    if (!record || record.id !== id || record.status !== RecordStatus.Queued) revert("RecoveryNotQueued");
    if (this.s.now < record.eta) revert("OperationNotReady");
    if (this.s.now > record.eta + record.window) revert("OperationExpired");
    if (r.guardianEpoch !== this.s.guardianEpoch) revert("GuardianEpochMismatch");
    const council = this.checkRecovery(r);
    record.status = RecordStatus.Executed;
    this.s.council = council;
    const coolOffUntil = this.s.now + FIXED.coolOff;
    this.writeSigners([...r.signers], Number(r.threshold));
    if (coolOffUntil > this.s.coolOffUntil) this.s.coolOffUntil = coolOffUntil;
  }

  cancelRecovery(known: KnownRecovery, signed: readonly string[]): void {
    const record = this.s.recovery;
    if (!record || record.id !== known.id || record.status !== RecordStatus.Queued) revert("RecoveryNotQueued");
    const approvals = popcount(this.countSignatures(signed, this.s.signers));
    if (approvals < this.s.threshold) revert("ThresholdNotMet");
    record.status = RecordStatus.Cancelled;
  }

  deposit(amount: bigint): void {
    this.s.balances.set(this.cast.vault, this.s.balances.get(this.cast.vault)! + amount);
  }

  // ---- bookkeeping -------------------------------------------------------------------------

  remember(op: KnownOp): void {
    if (!this.s.ops.some((o) => o.id === op.id)) this.s.ops.push(op);
  }

  queuedIn(op: KnownOp, slot: number): void {
    const known = this.s.ops.find((o) => o.id === op.id);
    if (known) known.slot = slot;
  }
}

// =============================================================================================
// The chain, and running one step on both
// =============================================================================================

interface Real {
  ctx: VaultContext;
}

/** Counters over the whole run, printed at the end (what the random walk actually reached). */
const stats = {
  sequences: 0,
  steps: 0,
  outcomes: new Map<string, number>(),
};

function count(label: string): void {
  stats.outcomes.set(label, (stats.outcomes.get(label) ?? 0) + 1);
}

/**
 * Runs one transaction on the model (at the next second) and on the chain (pinned to the same
 * timestamp); both must succeed, or revert with the same custom error. A reverted transaction is
 * not mined, and the model's state is rolled back: the clock does not move.
 */
async function transact(
  m: VaultModel,
  action: string,
  onModel: () => void,
  onChain: () => Promise<{ wait(): Promise<{ blockNumber: number } | null> }>,
): Promise<void> {
  const before = structuredClone(m.s);
  const at = before.now + 1n;
  let predicted = "success";
  try {
    m.s.now = at;
    onModel();
  } catch (error) {
    if (!(error instanceof Revert)) throw error;
    predicted = error.errorName;
    m.s = before;
  }
  await time.setNextBlockTimestamp(at);
  let actual = "success";
  try {
    const tx = await onChain();
    const receipt = await tx.wait();
    const block = await ethers.provider.getBlock(receipt!.blockNumber);
    expect(BigInt(block!.timestamp), `${action}: mined at the pinned time`).to.equal(at);
  } catch (error) {
    actual = decodeVaultError(error)?.name ?? `undecoded failure: ${(error as Error).message}`;
  }
  expect(actual, `${action} at t=${at}: the chain's outcome vs the model's`).to.equal(predicted);
  count(`${action}: ${actual}`);
}

/** Moves the chain's clock to `to` (mining a block there) and the model's with it. */
async function warpTo(m: VaultModel, to: bigint): Promise<void> {
  if (to <= m.s.now) return;
  await time.increaseTo(to);
  m.s.now = to;
}

type Observation = Record<string, unknown>;

/** Everything the chain shows about the vault now. */
async function observeChain(m: VaultModel, r: Real): Promise<Observation> {
  const { vault, guardianModule } = r.ctx;
  const ops = m.s.ops;
  const [
    latest,
    configuration,
    signers,
    ethNonce,
    frozenUntil,
    timings,
    counts,
    status,
    requirement,
    pending,
    slots,
    states,
    approvals,
    balances,
  ] = await Promise.all([
    time.latest(),
    vault.configuration(),
    vault.signers(),
    vault.withdrawalNonce(ETH),
    vault.frozenUntil(),
    vault.timings(),
    guardianModule.guardianCounts(),
    guardianModule.guardianStatus(),
    guardianModule.vetoRequirement(),
    guardianModule.pending(),
    Promise.all(Array.from({ length: SLOTS }, (_, slot) => vault.queueSlot(slot))),
    Promise.all(ops.map((o) => vault.operationState(o.id, o.slot))),
    Promise.all(ops.map((o) => vault.approvals(o.id))),
    Promise.all([m.cast.vault, ...m.cast.recipients].map((a) => ethers.provider.getBalance(a))),
  ]);
  return {
    time: BigInt(latest),
    epoch: Number(configuration.epoch),
    threshold: Number(configuration.threshold),
    signerCount: Number(configuration.signerCount),
    signers: [...signers],
    withdrawalDelay: configuration.withdrawalDelay,
    configDelay: configuration.configDelay,
    executionWindow: configuration.executionWindow,
    configNonce: Number(configuration.configNonce),
    ethNonce: Number(ethNonce),
    frozenUntil,
    coolOffUntil: timings.coolOffUntil,
    longDelay: timings.delays.longDelay,
    guardianEpoch: Number(counts.guardianEpoch),
    guardianCount: Number(counts.guardianCount),
    guardianThreshold: Number(counts.guardianThreshold),
    council: Number(counts.councilThreshold),
    vetoLevel: Number(status.vetoLevel),
    lastVetoAt: status.lastVetoAt,
    nextFreezeAt: status.nextFreezeAt,
    freezeCount: Number(status.freezeCount),
    recoveryNonce: Number(status.recoveryNonce),
    vetoRequirement: { level: Number(requirement.level), required: Number(requirement.required) },
    recovery: {
      id: pending.recovery,
      eta: pending.recoveryEta,
      deadline: pending.recoveryDeadline,
      queued: pending.recoveryQueued,
    },
    slots: slots.map((s) => ({ idPrefix: s.idPrefix, eta: s.eta, deadline: s.deadline, free: s.free })),
    operations: ops.map((o, i) => ({
      op: describeOp(o),
      state: OperationState[Number(states[i])],
      approvals: Number(approvals[i]!.bitmap),
      approvalCount: Number(approvals[i]!.count),
      proposer: approvals[i]!.proposer,
    })),
    balances: balances,
  };
}

/** The same, as the model predicts it. */
function observeModel(m: VaultModel): Observation {
  const s = m.s;
  const { level, required } = m.vetoRequirement();
  const recordTimes = (r: QueueRecord | undefined) =>
    r && r.status === RecordStatus.Queued ? { eta: r.eta, deadline: r.eta + r.window } : { eta: 0n, deadline: 0n };
  return {
    time: s.now,
    epoch: s.epoch,
    threshold: s.threshold,
    signerCount: s.signers.length,
    signers: s.signers,
    withdrawalDelay: s.withdrawalDelay,
    configDelay: FIXED.configDelay,
    executionWindow: FIXED.executionWindow,
    configNonce: s.configNonce,
    ethNonce: s.ethNonce,
    frozenUntil: s.frozenUntil,
    coolOffUntil: s.coolOffUntil,
    longDelay: FIXED.longDelay,
    guardianEpoch: s.guardianEpoch,
    guardianCount: s.guardians.length,
    guardianThreshold: s.guardianThreshold,
    council: s.council,
    vetoLevel: s.vetoLevel,
    lastVetoAt: s.lastVetoAt,
    nextFreezeAt: s.nextFreezeAt,
    freezeCount: s.freezeCount,
    recoveryNonce: s.recoveryNonce,
    vetoRequirement: { level, required },
    recovery: {
      id: s.recovery?.id ?? ZeroHash,
      ...recordTimes(s.recovery),
      queued: s.recovery?.status === RecordStatus.Queued,
    },
    slots: Array.from({ length: SLOTS }, (_, slot) => {
      const r = s.queue.get(slot);
      return { idPrefix: r ? prefixOf(r.id) : ZeroHash, ...recordTimes(r), free: m.isFree(slot) };
    }),
    operations: s.ops.map((o) => {
      const p = s.proposals.get(o.id);
      return {
        op: describeOp(o),
        state: OperationState[m.operationState(o.id, o.slot)],
        approvals: p?.approvals ?? 0,
        approvalCount: popcount(p?.approvals ?? 0),
        proposer: m.proposerOf(p?.proposer ?? 0),
      };
    }),
    balances: [m.cast.vault, ...m.cast.recipients].map((a) => s.balances.get(a) ?? 0n),
  };
}

async function compareState(m: VaultModel, r: Real, after: string): Promise<void> {
  stats.steps++;
  expect(await observeChain(m, r), `state after ${after}`).to.deep.equal(observeModel(m));
}

function describeOp(op: KnownOp): string {
  if (op.kind === "withdrawal") {
    return `withdraw ${op.w.amount} wei to ${op.w.to.slice(0, 8)} nonce ${op.w.nonce} epoch ${op.w.epoch} slot ${op.slot}`;
  }
  const what =
    op.c.action === ConfigAction.ReplaceSigner
      ? `${op.c.account.slice(0, 8)}→${op.c.replacement.slice(0, 8)}`
      : String(op.c.value);
  return `${ConfigAction[op.c.action]}(${what}) nonce ${op.c.nonce} epoch ${op.c.epoch} slot ${op.slot}`;
}

// =============================================================================================
// Choosing keys, operations and slots from the commands' seeds (model only)
// =============================================================================================

/** `k` distinct members of `from` chosen by `seed`, sorted ascending (the contracts' order). */
function choose(from: readonly string[], k: number, seed: number): string[] {
  const pool = [...from];
  const out: string[] = [];
  let x = seed >>> 0;
  while (out.length < Math.min(k, from.length)) {
    x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0;
    out.push(pool.splice(x % pool.length, 1)[0]!);
  }
  return sortAddresses(out);
}

function at<X>(xs: readonly X[], index: number): X {
  const x = xs[index % xs.length];
  if (x === undefined) throw new Error("empty list");
  return x;
}

/** Accounts that are neither signers nor guardians nor recipients: candidates not signing now. */
function nonSigners(m: VaultModel): string[] {
  return [...m.cast.candidates, ...m.s.guardians].filter((a) => !m.s.signers.includes(a));
}

/** Signatures: 0-1 a quorum of M signers; 2: M − 1; 3: M − 1 and one non-signer. */
function signersFor(m: VaultModel, mode: number, seed: number): { signed: string[]; label: string } {
  const quorum = mode <= 1;
  const chosen = choose(m.s.signers, quorum ? m.s.threshold : m.s.threshold - 1, seed);
  if (mode === 3)
    return { signed: sortAddresses([...chosen, at(nonSigners(m), seed >>> 3)]), label: "M-1 + a non-signer" };
  return { signed: chosen, label: quorum ? "M" : "M-1" };
}

/** Guardian signatures for veto, freeze, recovery: `count` guardians, sometimes plus a signer. */
function guardiansFor(m: VaultModel, count: number, seed: number, intruder: boolean): string[] {
  const chosen = choose(m.s.guardians, 1 + (count % m.s.guardians.length), seed);
  return intruder ? sortAddresses([...chosen, at(m.s.signers, seed >>> 5)]) : chosen;
}

/** A slot: usually the lowest free one (as the tooling picks), sometimes any (maybe occupied). */
function slotFor(m: VaultModel, seed: number, home?: number): number {
  if (seed % 4 === 0) return (seed >>> 2) % SLOTS;
  return m.lowestFreeSlot() ?? home ?? (seed >>> 2) % SLOTS;
}

/** States in which the signers can still cancel an operation. */
const LIVE = [OperationState.Pending, OperationState.Queued, OperationState.Ready, OperationState.Expired];

/**
 * A known operation: for three seeds in four, the first from a seeded position on whose state is in
 * the first preferred list (then the next list), as VaultHandler._pickOp does; otherwise, or if none
 * is, the one at the seeded position. The choice reads the model only; the chain alone decides.
 */
function pickOp(m: VaultModel, index: number, ...preferred: OperationState[][]): KnownOp {
  const ops = m.s.ops;
  if (index % 4 !== 0) {
    for (const states of preferred) {
      for (let i = 0; i < ops.length; i++) {
        const op = ops[(index + i) % ops.length]!;
        if (states.includes(m.operationState(op.id, op.slot))) return op;
      }
    }
  }
  return at(ops, index);
}

/** Which operation a command acts on: a known one, or a fresh one built from `variant`. */
interface Target {
  known: boolean;
  index: number;
  config: boolean;
  variant: number;
}

const targetArb: fc.Arbitrary<Target> = fc.record({
  known: fc.boolean(),
  index: fc.nat(),
  config: fc.integer({ min: 0, max: 2 }).map((x) => x === 0),
  variant: fc.nat(),
});

const knownTargetArb: fc.Arbitrary<Target> = targetArb.map((t) => ({ ...t, known: true }));

function resolve(m: VaultModel, t: Target): KnownOp {
  if (t.known && m.s.ops.length > 0) return pickOp(m, t.index, [OperationState.Pending]);
  return t.config ? freshConfigChange(m, t.variant) : freshWithdrawal(m, t.variant);
}

/** An ETH withdrawal for the current epoch: usually the next nonce, sometimes the one after. */
function freshWithdrawal(m: VaultModel, v: number): KnownOp {
  const malformed = (v >>> 10) % 24;
  const w = withdrawal({
    asset: ETH,
    to: malformed === 0 ? ZeroAddress : at(m.cast.recipients, v),
    amount: malformed === 1 ? 0n : parseEther(String(1 + ((v >>> 2) % 5))),
    nonce: m.s.ethNonce + ((v >>> 5) % 6 === 0 ? 1 : 0),
    epoch: m.s.epoch,
  });
  const op: KnownOp = { kind: "withdrawal", w, id: "", slot: 0 };
  op.id = m.idOf(op);
  return op;
}

const WITHDRAWAL_DELAYS = [HOUR, 12n * HOUR, DAY, 2n * DAY, 3n * DAY];

/** setThreshold(0..4), replaceSigner (usually valid), or setWithdrawalDelay (1 h .. 3 d). */
function freshConfigChange(m: VaultModel, v: number): KnownOp {
  const nonce = m.s.configNonce + ((v >>> 8) % 6 === 0 ? 1 : 0);
  const epoch = m.s.epoch;
  let c: ConfigChange;
  switch (v % 3) {
    case 0:
      c = configChange({ action: ConfigAction.SetThreshold, value: BigInt((v >>> 2) % 5), nonce, epoch });
      break;
    case 1: {
      const who = (v >>> 2) % 6;
      const account = who === 5 ? at(nonSigners(m), v >>> 4) : at(m.s.signers, who);
      const which = (v >>> 5) % 8;
      const replacement =
        which === 6
          ? at(m.s.signers, v >>> 9)
          : which === 7
            ? at(m.s.guardians, v >>> 9)
            : at(
                nonSigners(m).filter((a) => !m.s.guardians.includes(a)),
                v >>> 9,
              );
      c = configChange({ action: ConfigAction.ReplaceSigner, account, replacement, nonce, epoch });
      break;
    }
    default:
      c = configChange({
        action: ConfigAction.SetWithdrawalDelay,
        value: at(WITHDRAWAL_DELAYS, v >>> 2),
        nonce,
        epoch,
      });
  }
  const op: KnownOp = { kind: "config", c, id: "", slot: 0 };
  op.id = m.idOf(op);
  return op;
}

// =============================================================================================
// Commands
// =============================================================================================

type Cmd = fc.AsyncCommand<VaultModel, Real>;

abstract class Step implements Cmd {
  abstract check(m: Readonly<VaultModel>): boolean;
  abstract act(m: VaultModel, r: Real): Promise<string>;
  abstract toString(): string;

  async run(m: VaultModel, r: Real): Promise<void> {
    const label = await this.act(m, r);
    await compareState(m, r, label);
  }
}

/** A signer (or, one time in eight, a non-signer) proposes a withdrawal or change on-chain. */
class Propose extends Step {
  constructor(
    readonly target: Target,
    readonly who: number,
    readonly outsider: boolean,
  ) {
    super();
  }
  check(): boolean {
    return true;
  }
  async act(m: VaultModel, r: Real): Promise<string> {
    const op = resolve(m, this.target);
    const sender = this.outsider ? at(nonSigners(m), this.who) : at(m.s.signers, this.who);
    const label = `propose ${describeOp(op)} by ${sender.slice(0, 8)}`;
    await transact(
      m,
      `propose ${op.kind}`,
      () => m.proposeOp(op, sender),
      () => {
        const vault = r.ctx.vault.connect(mustAccount(sender));
        return op.kind === "withdrawal" ? vault.proposeWithdrawal(op.w) : vault.proposeConfigChange(op.c);
      },
    );
    return label;
  }
  toString(): string {
    return `Propose(${JSON.stringify(this.target)}, who=${this.who}${this.outsider ? ", outsider" : ""})`;
  }
}

/** A signer (or a non-signer) approves a known operation on-chain; the M-th approval queues it. */
class Approve extends Step {
  constructor(
    readonly target: Target,
    readonly who: number,
    readonly slotSeed: number,
    readonly outsider: boolean,
  ) {
    super();
  }
  check(m: Readonly<VaultModel>): boolean {
    return m.s.ops.length > 0;
  }
  async act(m: VaultModel, r: Real): Promise<string> {
    const op = resolve(m, this.target);
    const sender = this.outsider ? at(nonSigners(m), this.who) : at(m.s.signers, this.who);
    const slot = slotFor(m, this.slotSeed, op.slot);
    await transact(
      m,
      `approve ${op.kind}`,
      () => m.approveOp(op, sender, slot),
      () => {
        const vault = r.ctx.vault.connect(mustAccount(sender));
        return op.kind === "withdrawal" ? vault.approveWithdrawal(op.w, slot) : vault.approveConfigChange(op.c, slot);
      },
    );
    return `approve ${describeOp(op)} by ${sender.slice(0, 8)} into slot ${slot}`;
  }
  toString(): string {
    return `Approve(${JSON.stringify(this.target)}, who=${this.who}, slot=${this.slotSeed}${this.outsider ? ", outsider" : ""})`;
  }
}

/** A relayer queues an operation with signatures: a quorum, one too few, or one too few plus a non-signer. */
class QueueWithSignatures extends Step {
  constructor(
    readonly target: Target,
    readonly mode: number,
    readonly seed: number,
    readonly slotSeed: number,
  ) {
    super();
  }
  check(): boolean {
    return true;
  }
  async act(m: VaultModel, r: Real): Promise<string> {
    const op = resolve(m, this.target);
    const { signed, label } = signersFor(m, this.mode, this.seed);
    const slot = slotFor(m, this.slotSeed, op.slot);
    const data =
      op.kind === "withdrawal" ? withdrawalTypedData(m.cast.domain, op.w) : configChangeTypedData(m.cast.domain, op.c);
    const signatures = await signPacked(signed, data);
    await transact(
      m,
      `queue ${op.kind} (${label})`,
      () => m.queueOp(op, signed, slot),
      () => {
        const vault = r.ctx.vault.connect(mustAccount(m.cast.relayer));
        return op.kind === "withdrawal"
          ? vault.queueWithdrawal(op.w, slot, signatures)
          : vault.queueConfigChange(op.c, slot, signatures);
      },
    );
    return `queue ${describeOp(op)} with ${label} signatures into slot ${slot}`;
  }
  toString(): string {
    return `QueueWithSignatures(${JSON.stringify(this.target)}, mode=${this.mode}, seed=${this.seed}, slot=${this.slotSeed})`;
  }
}

/** A relayer executes a known operation (in its slot, or one time in eight in another). */
class Execute extends Step {
  constructor(
    readonly index: number,
    readonly slotSeed: number,
  ) {
    super();
  }
  check(m: Readonly<VaultModel>): boolean {
    return m.s.ops.length > 0;
  }
  async act(m: VaultModel, r: Real): Promise<string> {
    const op = pickOp(m, this.index, [OperationState.Ready], [OperationState.Queued]);
    const slot = this.slotSeed % 8 === 0 ? (this.slotSeed >>> 3) % SLOTS : op.slot;
    await transact(
      m,
      `execute ${op.kind}`,
      () => m.executeOp(op, slot),
      () => {
        const vault = r.ctx.vault.connect(mustAccount(m.cast.relayer));
        return op.kind === "withdrawal" ? vault.executeWithdrawal(op.w, slot) : vault.executeConfigChange(op.c, slot);
      },
    );
    return `execute ${describeOp(op)} in slot ${slot}`;
  }
  toString(): string {
    return `Execute(op=${this.index}, slot=${this.slotSeed})`;
  }
}

/** The signer quorum (or one signer too few) cancels a known operation with signatures. */
class Cancel extends Step {
  constructor(
    readonly index: number,
    readonly mode: number,
    readonly seed: number,
  ) {
    super();
  }
  check(m: Readonly<VaultModel>): boolean {
    return m.s.ops.length > 0;
  }
  async act(m: VaultModel, r: Real): Promise<string> {
    const op = pickOp(m, this.index, LIVE);
    const { signed, label } = signersFor(m, this.mode, this.seed);
    const signatures = await signPacked(signed, cancellationTypedData(m.cast.domain, op.id, m.s.epoch));
    await transact(
      m,
      `cancel (${label})`,
      () => m.cancelOp(op, signed, op.slot),
      () => r.ctx.vault.connect(mustAccount(m.cast.relayer)).cancel(op.id, op.slot, signatures),
    );
    return `cancel ${describeOp(op)} with ${label} signatures`;
  }
  toString(): string {
    return `Cancel(op=${this.index}, mode=${this.mode}, seed=${this.seed})`;
  }
}

/** A signer (or a non-signer) approves the cancellation of a known operation on-chain. */
class ApproveCancellation extends Step {
  constructor(
    readonly index: number,
    readonly who: number,
    readonly outsider: boolean,
  ) {
    super();
  }
  check(m: Readonly<VaultModel>): boolean {
    return m.s.ops.length > 0;
  }
  async act(m: VaultModel, r: Real): Promise<string> {
    const op = pickOp(m, this.index, LIVE);
    const sender = this.outsider ? at(nonSigners(m), this.who) : at(m.s.signers, this.who);
    await transact(
      m,
      "approveCancellation",
      () => m.approveCancellationOf(op, sender, op.slot),
      () => r.ctx.vault.connect(mustAccount(sender)).approveCancellation(op.id, op.slot),
    );
    return `approve the cancellation of ${describeOp(op)} by ${sender.slice(0, 8)}`;
  }
  toString(): string {
    return `ApproveCancellation(op=${this.index}, who=${this.who}${this.outsider ? ", outsider" : ""})`;
  }
}

/** A signer revokes a known proposal (its own, or someone else's). */
class Revoke extends Step {
  constructor(
    readonly index: number,
    readonly who: number,
  ) {
    super();
  }
  check(m: Readonly<VaultModel>): boolean {
    return m.s.ops.length > 0;
  }
  async act(m: VaultModel, r: Real): Promise<string> {
    const op = pickOp(m, this.index, [OperationState.Pending]);
    const p = m.s.proposals.get(op.id);
    // Half the time the proposer itself (when it is still a signer), else any signer.
    const proposer = p ? m.proposerOf(p.proposer) : ZeroAddress;
    const sender = this.who % 2 === 0 && m.s.signers.includes(proposer) ? proposer : at(m.s.signers, this.who >>> 1);
    await transact(
      m,
      "revokeProposal",
      () => m.revokeOp(op, sender),
      () => r.ctx.vault.connect(mustAccount(sender)).revokeProposal(op.id),
    );
    return `revoke ${describeOp(op)} by ${sender.slice(0, 8)}`;
  }
  toString(): string {
    return `Revoke(op=${this.index}, who=${this.who})`;
  }
}

/** 1..G guardians (sometimes with a signer's signature mixed in) veto a known operation. */
class Veto extends Step {
  constructor(
    readonly index: number,
    readonly count: number,
    readonly seed: number,
    readonly intruder: boolean,
  ) {
    super();
  }
  check(m: Readonly<VaultModel>): boolean {
    return m.s.ops.length > 0;
  }
  async act(m: VaultModel, r: Real): Promise<string> {
    const op = pickOp(m, this.index, [OperationState.Queued, OperationState.Ready]);
    const signed = guardiansFor(m, this.count, this.seed, this.intruder);
    const signatures = await signPacked(signed, vetoTypedData(m.cast.guardianDomain, op.id, m.s.guardianEpoch));
    await transact(
      m,
      `veto${this.intruder ? " (with a non-guardian)" : ""}`,
      () => m.veto(op, signed, op.slot),
      () => r.ctx.guardianModule.connect(mustAccount(m.cast.relayer)).veto(op.id, op.slot, signatures),
    );
    return `veto ${describeOp(op)} by ${signed.length} keys`;
  }
  toString(): string {
    return `Veto(op=${this.index}, count=${this.count}, seed=${this.seed}${this.intruder ? ", intruder" : ""})`;
  }
}

/** 1..G guardians freeze withdrawals. */
class Freeze extends Step {
  constructor(
    readonly count: number,
    readonly seed: number,
    readonly intruder: boolean,
  ) {
    super();
  }
  check(): boolean {
    return true;
  }
  async act(m: VaultModel, r: Real): Promise<string> {
    const signed = guardiansFor(m, this.count, this.seed, this.intruder);
    const signatures = await signPacked(
      signed,
      freezeTypedData(m.cast.guardianDomain, m.s.freezeCount, m.s.guardianEpoch),
    );
    await transact(
      m,
      `freeze${this.intruder ? " (with a non-guardian)" : ""}`,
      () => m.freeze(signed),
      () => r.ctx.guardianModule.connect(mustAccount(m.cast.relayer)).freeze(signatures),
    );
    return `freeze by ${signed.length} keys`;
  }
  toString(): string {
    return `Freeze(count=${this.count}, seed=${this.seed}${this.intruder ? ", intruder" : ""})`;
  }
}

/** The signer quorum (or one too few) lifts the freeze; applies once a freeze has happened. */
class Unfreeze extends Step {
  constructor(
    readonly mode: number,
    readonly seed: number,
  ) {
    super();
  }
  check(m: Readonly<VaultModel>): boolean {
    return m.s.freezeCount > 0;
  }
  async act(m: VaultModel, r: Real): Promise<string> {
    const { signed, label } = signersFor(m, this.mode, this.seed);
    const signatures = await signPacked(
      signed,
      unfreezeTypedData(m.cast.guardianDomain, m.s.freezeCount - 1, m.s.epoch),
    );
    await transact(
      m,
      `unfreeze (${label})`,
      () => m.unfreeze(signed),
      () => r.ctx.guardianModule.connect(mustAccount(m.cast.relayer)).unfreeze(signatures),
    );
    return `unfreeze with ${label} signatures`;
  }
  toString(): string {
    return `Unfreeze(mode=${this.mode}, seed=${this.seed})`;
  }
}

/** 1..G guardians queue a recovery to 1-4 keys (signers and candidates; rarely a guardian). */
class QueueRecovery extends Step {
  constructor(
    readonly setSeed: number,
    readonly size: number,
    readonly thresholdSeed: number,
    readonly count: number,
    readonly seed: number,
  ) {
    super();
  }
  check(): boolean {
    return true;
  }
  async act(m: VaultModel, r: Real): Promise<string> {
    const pool = [...new Set([...m.s.signers, ...m.cast.candidates])];
    let members = choose(pool, this.size, this.setSeed);
    if (this.setSeed % 16 === 0) members = sortAddresses([...members.slice(1), at(m.s.guardians, this.setSeed >>> 4)]);
    const recovery: Recovery = {
      signers: members,
      threshold: BigInt(1 + (this.thresholdSeed % members.length)),
      nonce: m.s.recoveryNonce,
      guardianEpoch: m.s.guardianEpoch,
    };
    const known: KnownRecovery = { r: recovery, id: digest(recoveryTypedData(m.cast.guardianDomain, recovery)) };
    const signed = guardiansFor(m, this.count, this.seed, false);
    const signatures = await signPacked(signed, recoveryTypedData(m.cast.guardianDomain, recovery));
    await transact(
      m,
      "queueRecovery",
      () => m.queueRecovery(known, signed),
      () => r.ctx.guardianModule.connect(mustAccount(m.cast.relayer)).queueRecovery(recovery, signatures),
    );
    return `queue a recovery to ${members.length} signers (threshold ${recovery.threshold}) by ${signed.length} guardians`;
  }
  toString(): string {
    return `QueueRecovery(set=${this.setSeed}, size=${this.size}, threshold=${this.thresholdSeed}, count=${this.count}, seed=${this.seed})`;
  }
}

/** A relayer executes a known recovery. */
class ExecuteRecovery extends Step {
  constructor(readonly index: number) {
    super();
  }
  check(m: Readonly<VaultModel>): boolean {
    return m.s.recoveries.length > 0;
  }
  async act(m: VaultModel, r: Real): Promise<string> {
    const known = at(m.s.recoveries, this.index);
    await transact(
      m,
      "executeRecovery",
      () => m.executeRecovery(known),
      () => r.ctx.guardianModule.connect(mustAccount(m.cast.relayer)).executeRecovery(known.r),
    );
    return `execute recovery ${known.id.slice(0, 10)}`;
  }
  toString(): string {
    return `ExecuteRecovery(${this.index})`;
  }
}

/** The signer quorum (or one too few) cancels a known recovery. */
class CancelRecovery extends Step {
  constructor(
    readonly index: number,
    readonly mode: number,
    readonly seed: number,
  ) {
    super();
  }
  check(m: Readonly<VaultModel>): boolean {
    return m.s.recoveries.length > 0;
  }
  async act(m: VaultModel, r: Real): Promise<string> {
    const known = at(m.s.recoveries, this.index);
    const { signed, label } = signersFor(m, this.mode, this.seed);
    const signatures = await signPacked(signed, cancellationTypedData(m.cast.guardianDomain, known.id, m.s.epoch));
    await transact(
      m,
      `cancelRecovery (${label})`,
      () => m.cancelRecovery(known, signed),
      () => r.ctx.guardianModule.connect(mustAccount(m.cast.relayer)).cancelRecovery(known.id, signatures),
    );
    return `cancel recovery ${known.id.slice(0, 10)} with ${label} signatures`;
  }
  toString(): string {
    return `CancelRecovery(${this.index}, mode=${this.mode}, seed=${this.seed})`;
  }
}

/** Anyone deposits ETH. */
class Deposit extends Step {
  constructor(readonly ether: number) {
    super();
  }
  check(): boolean {
    return true;
  }
  async act(m: VaultModel): Promise<string> {
    const value = parseEther(String(this.ether));
    await transact(
      m,
      "deposit",
      () => m.deposit(value),
      () => mustAccount(m.cast.funder).sendTransaction({ to: m.cast.vault, value }),
    );
    return `deposit ${this.ether} ETH`;
  }
  toString(): string {
    return `Deposit(${this.ether} ETH)`;
  }
}

/** Time passes: seconds to days. */
class Warp extends Step {
  constructor(readonly seconds: bigint) {
    super();
  }
  check(): boolean {
    return true;
  }
  async act(m: VaultModel): Promise<string> {
    await warpTo(m, m.s.now + this.seconds);
    return `warp ${this.seconds} s`;
  }
  toString(): string {
    return `Warp(${this.seconds} s)`;
  }
}

/**
 * Time passes up to just before a boundary, so that the next transaction lands one second before,
 * at, or one second after it: a queued operation's eta or deadline, the recovery's eta or
 * deadline, the end of the freeze or of its cooldown, the end of the cool-off.
 */
class WarpToBoundary extends Step {
  constructor(
    readonly which: number,
    readonly index: number,
    readonly offset: number,
  ) {
    super();
  }
  target(m: Readonly<VaultModel>): bigint | undefined {
    const s = m.s;
    const queued = [...s.queue.values()].filter((r) => r.status === RecordStatus.Queued);
    const rec = s.recovery?.status === RecordStatus.Queued ? s.recovery : undefined;
    const candidates: (bigint | undefined)[] = [
      queued.length > 0 ? at(queued, this.index).eta : undefined,
      queued.length > 0 ? at(queued, this.index).eta + at(queued, this.index).window : undefined,
      rec?.eta,
      rec ? rec.eta + rec.window : undefined,
      s.frozenUntil,
      s.nextFreezeAt,
      s.coolOffUntil,
    ];
    // The first boundary still ahead, from the seeded one on. The next transaction is mined one
    // second after the warp: offset 0, 1, 2 puts it one second before, at, one second after.
    for (let i = 0; i < candidates.length; i++) {
      const t = candidates[(this.which + i) % candidates.length];
      if (t !== undefined && t - 2n + BigInt(this.offset) > s.now) return t - 2n + BigInt(this.offset);
    }
    return undefined;
  }
  check(m: Readonly<VaultModel>): boolean {
    const t = this.target(m);
    return t !== undefined && t > m.s.now;
  }
  async act(m: VaultModel): Promise<string> {
    const t = this.target(m)!;
    await warpTo(m, t);
    return `warp to ${t} (boundary ${this.which}, offset ${this.offset - 1})`;
  }
  toString(): string {
    return `WarpToBoundary(which=${this.which}, op=${this.index}, offset=${this.offset - 1})`;
  }
}

const signerMode = fc.integer({ min: 0, max: 3 });
const seed = fc.nat();
const who = fc.nat({ max: 63 });
const rarely = fc.integer({ min: 0, max: 7 }).map((x) => x === 0);

/** Every action; the common ones appear more than once, for weight. */
const commandArbs: fc.Arbitrary<Cmd>[] = [
  fc.tuple(targetArb, who, rarely).map(([t, w, o]) => new Propose(t, w, o)),
  fc.tuple(knownTargetArb, who, seed, rarely).map(([t, w, s, o]) => new Approve(t, w, s, o)),
  fc.tuple(knownTargetArb, who, seed, rarely).map(([t, w, s, o]) => new Approve(t, w, s, o)),
  fc.tuple(targetArb, signerMode, seed, seed).map(([t, mode, s, slot]) => new QueueWithSignatures(t, mode, s, slot)),
  fc.tuple(targetArb, signerMode, seed, seed).map(([t, mode, s, slot]) => new QueueWithSignatures(t, mode, s, slot)),
  fc.tuple(fc.nat(), seed).map(([i, s]) => new Execute(i, s)),
  fc.tuple(fc.nat(), seed).map(([i, s]) => new Execute(i, s)),
  fc.tuple(fc.nat(), seed).map(([i, s]) => new Execute(i, s)),
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 2 }), seed).map(([i, mode, s]) => new Cancel(i, mode, s)),
  fc.tuple(fc.nat(), who, rarely).map(([i, w, o]) => new ApproveCancellation(i, w, o)),
  fc.tuple(fc.nat(), who).map(([i, w]) => new Revoke(i, w)),
  fc.tuple(fc.nat(), fc.nat({ max: 7 }), seed, rarely).map(([i, c, s, x]) => new Veto(i, c, s, x)),
  fc.tuple(fc.nat({ max: 7 }), seed, rarely).map(([c, s, x]) => new Freeze(c, s, x)),
  fc.tuple(fc.integer({ min: 0, max: 2 }), seed).map(([mode, s]) => new Unfreeze(mode, s)),
  fc
    .tuple(seed, fc.integer({ min: 1, max: 4 }), fc.nat(), fc.nat({ max: 7 }), seed)
    .map(([set, size, th, c, s]) => new QueueRecovery(set, size, th, c, s)),
  fc.nat().map((i) => new ExecuteRecovery(i)),
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 2 }), seed).map(([i, mode, s]) => new CancelRecovery(i, mode, s)),
  fc.integer({ min: 1, max: 20 }).map((e) => new Deposit(e)),
  fc.bigInt({ min: 1n, max: 2n * HOUR }).map((s) => new Warp(s)),
  fc.bigInt({ min: 2n * HOUR, max: 3n * DAY }).map((s) => new Warp(s)),
  fc.bigInt({ min: 3n * DAY, max: 9n * DAY }).map((s) => new Warp(s)),
  fc
    .tuple(fc.nat({ max: 6 }), fc.nat(), fc.integer({ min: 0, max: 2 }))
    .map(([w, i, o]) => new WarpToBoundary(w, i, o)),
  fc
    .tuple(fc.nat({ max: 6 }), fc.nat(), fc.integer({ min: 0, max: 2 }))
    .map(([w, i, o]) => new WarpToBoundary(w, i, o)),
];

// =============================================================================================
// Setup and the property
// =============================================================================================

async function setup(): Promise<{ model: VaultModel; real: Real }> {
  const ctx = await loadFixture(deployVault);
  const [outsider0, relayer, r1, r2, r3, ...rest] = ctx.outsiders;
  const cast: Cast = {
    vault: ctx.vaultAddress,
    domain: ctx.domain,
    guardianDomain: ctx.guardianDomain,
    funder: outsider0!.address,
    relayer: relayer!.address,
    recipients: [r1!.address, r2!.address, r3!.address],
    candidates: rest.slice(0, 5).map((a) => a.address),
  };
  const [now, vaultBalance, recipientBalances] = await Promise.all([
    time.latest(),
    ethers.provider.getBalance(ctx.vaultAddress),
    Promise.all(cast.recipients.map((a) => ethers.provider.getBalance(a))),
  ]);
  const balances = new Map<string, bigint>([[cast.vault, vaultBalance]]);
  cast.recipients.forEach((a, i) => balances.set(a, recipientBalances[i]!));
  const model = new VaultModel(cast, {
    now: BigInt(now),
    epoch: 1,
    threshold: ctx.threshold,
    signers: ctx.signers.map((s) => getAddress(s.address)),
    withdrawalDelay: T.withdrawalDelay,
    configNonce: 0,
    ethNonce: 0,
    frozenUntil: 0n,
    coolOffUntil: 0n,
    queue: new Map(),
    proposals: new Map(),
    guardians: ctx.guardians.map((g) => getAddress(g.address)),
    guardianThreshold: ctx.guardianThreshold,
    guardianEpoch: 1,
    council: ctx.councilThreshold,
    vetoLevel: 0,
    lastVetoAt: 0n,
    nextFreezeAt: 0n,
    freezeCount: 0,
    recoveryNonce: 0,
    recovery: undefined,
    balances,
    ops: [],
    recoveries: [],
  });
  stats.sequences++;
  return { model, real: { ctx } };
}

describe("ReserveVault model", function () {
  it(`agrees with the model over ${RUNS} random sequences of up to ${MAX_COMMANDS} actions`, async function () {
    this.timeout(0);
    const started = Date.now();
    console.log(
      `      model-based fuzzing: seed ${SEED} (MODEL_SEED), ${RUNS} sequences (MODEL_RUNS), up to ${MAX_COMMANDS} commands`,
    );
    // The fixture's initial state is the model's starting point: check it once.
    const first = await setup();
    await compareState(first.model, first.real, "deployment");
    stats.sequences = 0;
    stats.steps = 0;
    await fc.assert(
      fc.asyncProperty(fc.commands(commandArbs, { maxCommands: MAX_COMMANDS, size: "max" }), (cmds) =>
        fc.asyncModelRun(setup, cmds),
      ),
      { numRuns: RUNS, seed: SEED, verbose: fc.VerbosityLevel.Verbose },
    );
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`      ${stats.sequences} sequences, ${stats.steps} steps compared, ${seconds} s`);
    const outcomes = [...stats.outcomes.entries()].sort(([a], [b]) => a.localeCompare(b));
    for (const [outcome, n] of outcomes) console.log(`        ${String(n).padStart(5)}  ${outcome}`);
  });
});
