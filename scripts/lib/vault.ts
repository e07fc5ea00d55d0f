/**
 * Reading a vault's state and building operations against it. Views only: nothing here sends a
 * transaction, so the CLI's `status`, the demo and the tests can all use it freely.
 */
import type { TypedDataDomain } from "ethers";

import type { GuardianModule, ReserveVault } from "../../types/ethers-contracts/index.js";
import {
  configChange,
  DELAY_REASON_TEXT,
  DelayReason,
  OperationState,
  withdrawal,
  type ConfigChange,
  type Withdrawal,
} from "./operations.js";

export interface VaultConfiguration {
  epoch: number;
  threshold: number;
  signers: string[];
  withdrawalDelay: bigint;
  configDelay: bigint;
  executionWindow: bigint;
  configNonce: number;
}

/** The configuration the vault enforces now. */
export async function readConfiguration(vault: ReserveVault): Promise<VaultConfiguration> {
  const [c, signers] = await Promise.all([vault.configuration(), vault.signers()]);
  return {
    epoch: Number(c.epoch),
    threshold: Number(c.threshold),
    signers: [...signers],
    withdrawalDelay: c.withdrawalDelay,
    configDelay: c.configDelay,
    executionWindow: c.executionWindow,
    configNonce: Number(c.configNonce),
  };
}

/**
 * A contract's EIP-712 domain as it reports it (ERC-5267), so signatures match the chain: the vault
 * ("ReserveVault") or its guardian module ("ReserveVaultGuardians").
 */
export async function readDomain(contract: Pick<ReserveVault, "eip712Domain">): Promise<TypedDataDomain> {
  const d = await contract.eip712Domain();
  return { name: d.name, version: d.version, chainId: d.chainId, verifyingContract: d.verifyingContract };
}

/** A withdrawal for the vault's current epoch and the asset's next nonce. */
export async function nextWithdrawal(
  vault: ReserveVault,
  fields: { asset: string; to: string; amount: bigint },
): Promise<Withdrawal> {
  const [config, nonce] = await Promise.all([vault.configuration(), vault.withdrawalNonce(fields.asset)]);
  return withdrawal({ ...fields, nonce: Number(nonce), epoch: Number(config.epoch) });
}

/** A configuration change for the vault's current epoch and next configuration nonce. */
export async function nextConfigChange(
  vault: ReserveVault,
  fields: Omit<Parameters<typeof configChange>[0], "nonce" | "epoch">,
): Promise<ConfigChange> {
  const config = await vault.configuration();
  return configChange({ ...fields, nonce: Number(config.configNonce), epoch: Number(config.epoch) });
}

/**
 * A tightening for the guardian quorum (GuardianModule.tighten): the vault's current epoch and the
 * module's next tightening nonce (the guardians' own lane, not the vault's configuration nonce).
 * Guardians sign it with `configChangeTypedData(<module's domain>, change)`.
 */
export async function nextGuardianTightening(
  vault: ReserveVault,
  module: Pick<GuardianModule, "tighteningNonce">,
  fields: Omit<Parameters<typeof configChange>[0], "nonce" | "epoch">,
): Promise<ConfigChange> {
  const [config, nonce] = await Promise.all([vault.configuration(), module.tighteningNonce()]);
  return configChange({ ...fields, nonce: Number(nonce), epoch: Number(config.epoch) });
}

/** Largest number of queue slots `findFreeSlot` inspects before giving up. */
export const MAX_SLOT_SCAN = 1024n;

/**
 * The lowest free queue slot at or above `from`, skipping `taken`. Reusing a low slot keeps queueing
 * cheap (a warm slot costs ~5,000 gas, a never-used one ~22,100).
 */
export async function findFreeSlot(
  vault: ReserveVault,
  options: { from?: bigint; taken?: ReadonlySet<bigint> } = {},
): Promise<bigint> {
  const from = options.from ?? 0n;
  for (let slot = from; slot < from + MAX_SLOT_SCAN; slot++) {
    if (options.taken?.has(slot)) continue;
    const { free } = await vault.queueSlot(slot);
    if (free) return slot;
  }
  throw new Error(
    `no free queue slot in [${from}, ${from + MAX_SLOT_SCAN}): cancel or execute queued operations, or pass a higher --slot`,
  );
}

export interface OperationStatus {
  id: string;
  slot: bigint;
  state: OperationState;
  stateName: string;
  eta: bigint;
  deadline: bigint;
}

/** State, eta and execution deadline of operation `id` in `slot`. */
export async function readOperation(vault: ReserveVault, id: string, slot: bigint): Promise<OperationStatus> {
  const [state, record] = await Promise.all([vault.operationState(id, slot), vault.queueSlot(slot)]);
  const s = Number(state) as OperationState;
  const holdsIt = record.idPrefix === prefixOf(id);
  return {
    id,
    slot,
    state: s,
    stateName: OperationState[s],
    eta: holdsIt ? record.eta : 0n,
    deadline: holdsIt ? record.deadline : 0n,
  };
}

/** The top 184 bits of an id, as a queue slot stores it. */
export function prefixOf(id: string): string {
  return `${id.slice(0, 48)}${"0".repeat(18)}`;
}

export interface WithdrawalStatus extends OperationStatus {
  /** Why the withdrawal can never execute although its state alone does not say so, if it can't. */
  stale: string | undefined;
}

/**
 * The status of withdrawal `w` in `slot`, adding what `operationState` cannot see from an id and a
 * slot alone: an older epoch (a queued withdrawal that can never execute) and a nonce already used
 * (an operation that can never be queued again: it was queued in another slot, or superseded).
 */
export async function readWithdrawal(vault: ReserveVault, w: Withdrawal, slot: bigint): Promise<WithdrawalStatus> {
  const [id, config, nextNonce] = await Promise.all([
    vault.withdrawalId(w),
    vault.configuration(),
    vault.withdrawalNonce(w.asset),
  ]);
  const status = await readOperation(vault, id, slot);
  let stale: string | undefined;
  const waiting = [OperationState.Pending, OperationState.Queued, OperationState.Ready].includes(status.state);
  if (waiting && Number(config.epoch) !== w.epoch) {
    stale = `approved under epoch ${w.epoch} but the vault is at epoch ${config.epoch}: it can never execute`;
  } else if ([OperationState.Unknown, OperationState.Revoked].includes(status.state) && w.nonce < Number(nextNonce)) {
    stale = `nonce ${w.nonce} of this asset is used (next is ${nextNonce}): queued in another slot, or superseded`;
  }
  return { ...status, stale };
}

export interface DelayVerdict {
  delay: bigint;
  reason: DelayReason;
  /** The reason in words, for a signer to read before signing. */
  explanation: string;
}

/**
 * The delay a withdrawal of `amount` of `asset` to `to` would get if queued now, and why: the
 * vault's own rule (`delayFor`), so what the CLI shows is what the contract will do.
 */
export async function readDelay(
  vault: ReserveVault,
  fields: { asset: string; to: string; amount: bigint },
): Promise<DelayVerdict> {
  const [delay, reasonRaw] = await vault.delayFor(fields.asset, fields.to, fields.amount);
  const reason = Number(reasonRaw) as DelayReason;
  return { delay, reason, explanation: DELAY_REASON_TEXT[reason] };
}

export interface VaultPolicy {
  /** The ConfigRules contract the vault consults. */
  rules: string;
  outflowPeriod: bigint;
  allowlistEnabled: boolean;
  allowlist: string[];
  /** Per asset asked for: its limit, the amount counted in the period a withdrawal queued now falls in, and when that period ends for new withdrawals. */
  outflow: Map<string, { limit: bigint; used: bigint; resetsAt: bigint }>;
}

/** The withdrawal policy (docs/SPEC.md §4): allowlist, and outflow state of `assets`. */
export async function readPolicy(vault: ReserveVault, assets: readonly string[]): Promise<VaultPolicy> {
  const [[rules, period, allowlistEnabled, allowlist], outflows] = await Promise.all([
    vault.withdrawalPolicy(),
    Promise.all(assets.map((a) => vault.outflow(a))),
  ]);
  return {
    rules,
    outflowPeriod: period,
    allowlistEnabled,
    allowlist: [...allowlist],
    outflow: new Map(
      assets.map((a, i) => [
        a,
        { limit: outflows[i]!.limit, used: outflows[i]!.used, resetsAt: outflows[i]!.resetsAt },
      ]),
    ),
  };
}
