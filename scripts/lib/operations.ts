/**
 * The vault's operations as TypeScript values, mirroring contracts/interfaces/IReserveVault.sol.
 * Everything that builds, hashes, signs or reads an operation goes through this library.
 */
import { getAddress, ZeroAddress } from "ethers";

/** Mirrors `enum ConfigAction`; the EIP-712 `action` string is `CONFIG_ACTION_NAMES[action]`. */
export enum ConfigAction {
  AddSigner = 0,
  RemoveSigner = 1,
  ReplaceSigner = 2,
  SetThreshold = 3,
  SetWithdrawalDelay = 4,
  SetConfigDelay = 5,
  SetExecutionWindow = 6,
  AddGuardian = 7,
  RemoveGuardian = 8,
  ReplaceGuardian = 9,
  SetGuardianThreshold = 10,
  SetCouncilThreshold = 11,
  SetLongDelay = 12,
  SetCoolOff = 13,
  SetRecoveryDelay = 14,
  SetCouncilDelay = 15,
  SetMaxFreeze = 16,
  SetFreezeCooldown = 17,
  SetVetoQuietPeriod = 18,
  SetOutflowLimit = 19,
  AllowDestination = 20,
  DisallowDestination = 21,
  SetAllowlistEnabled = 22,
}

export const CONFIG_ACTION_NAMES: Record<ConfigAction, string> = {
  [ConfigAction.AddSigner]: "addSigner",
  [ConfigAction.RemoveSigner]: "removeSigner",
  [ConfigAction.ReplaceSigner]: "replaceSigner",
  [ConfigAction.SetThreshold]: "setThreshold",
  [ConfigAction.SetWithdrawalDelay]: "setWithdrawalDelay",
  [ConfigAction.SetConfigDelay]: "setConfigDelay",
  [ConfigAction.SetExecutionWindow]: "setExecutionWindow",
  [ConfigAction.AddGuardian]: "addGuardian",
  [ConfigAction.RemoveGuardian]: "removeGuardian",
  [ConfigAction.ReplaceGuardian]: "replaceGuardian",
  [ConfigAction.SetGuardianThreshold]: "setGuardianThreshold",
  [ConfigAction.SetCouncilThreshold]: "setCouncilThreshold",
  [ConfigAction.SetLongDelay]: "setLongDelay",
  [ConfigAction.SetCoolOff]: "setCoolOff",
  [ConfigAction.SetRecoveryDelay]: "setRecoveryDelay",
  [ConfigAction.SetCouncilDelay]: "setCouncilDelay",
  [ConfigAction.SetMaxFreeze]: "setMaxFreeze",
  [ConfigAction.SetFreezeCooldown]: "setFreezeCooldown",
  [ConfigAction.SetVetoQuietPeriod]: "setVetoQuietPeriod",
  [ConfigAction.SetOutflowLimit]: "setOutflowLimit",
  [ConfigAction.AllowDestination]: "allowDestination",
  [ConfigAction.DisallowDestination]: "disallowDestination",
  [ConfigAction.SetAllowlistEnabled]: "setAllowlistEnabled",
};

/** Mirrors `enum DelayReason`: why a withdrawal gets its delay (the first rule that applies). */
export enum DelayReason {
  WithinLimit = 0,
  OverLimit = 1,
  UnknownDestination = 2,
  RecoveryCoolOff = 3,
}

/** What each DelayReason means, in words a signer reads before signing. */
export const DELAY_REASON_TEXT: Record<DelayReason, string> = {
  [DelayReason.WithinLimit]: "within the asset's outflow limit, to an allowed destination: normal withdrawal delay",
  [DelayReason.OverLimit]: "over the asset's outflow limit for its period (or no limit set): long delay",
  [DelayReason.UnknownDestination]: "destination not on the allowlist: long delay",
  [DelayReason.RecoveryCoolOff]: "queued during the cool-off after a recovery: long delay",
};

/** Mirrors `enum OperationState`. */
export enum OperationState {
  Unknown = 0,
  Pending = 1,
  Queued = 2,
  Ready = 3,
  Expired = 4,
  Executed = 5,
  Cancelled = 6,
  Revoked = 7,
}

/** ETH is withdrawn as asset address(0). */
export const ETH = ZeroAddress;

export interface Withdrawal {
  asset: string;
  to: string;
  amount: bigint;
  nonce: number;
  epoch: number;
}

/** Guardians propose a new signer set after key loss (GuardianModule.queueRecovery). */
export interface Recovery {
  signers: string[];
  threshold: bigint;
  nonce: number;
  guardianEpoch: number;
}

/** The council replaces signers and/or guardians (an empty array keeps that group, its threshold 0). */
export interface CouncilChange {
  signers: string[];
  threshold: bigint;
  guardians: string[];
  guardianThreshold: bigint;
  councilThreshold: bigint;
  nonce: number;
}

export interface ConfigChange {
  action: ConfigAction;
  account: string;
  replacement: string;
  value: bigint;
  nonce: number;
  epoch: number;
}

/** A withdrawal with checksummed addresses. */
export function withdrawal(fields: Withdrawal): Withdrawal {
  return { ...fields, asset: getAddress(fields.asset), to: getAddress(fields.to) };
}

/** A configuration change; fields the action does not use default to zero, as the contract requires. */
export function configChange(
  fields: Pick<ConfigChange, "action" | "nonce" | "epoch"> & Partial<ConfigChange>,
): ConfigChange {
  return {
    action: fields.action,
    account: getAddress(fields.account ?? ZeroAddress),
    replacement: getAddress(fields.replacement ?? ZeroAddress),
    value: fields.value ?? 0n,
    nonce: fields.nonce,
    epoch: fields.epoch,
  };
}
