/**
 * EIP-712 domain, types and digests of the vault's operations: the off-chain twin of
 * contracts/libraries/OperationHashing.sol. An operation's id is its EIP-712 digest.
 */
import { TypedDataEncoder, type TypedDataDomain, type TypedDataField } from "ethers";

import {
  CONFIG_ACTION_NAMES,
  type ConfigChange,
  type CouncilChange,
  type Recovery,
  type Withdrawal,
} from "./operations.js";

export const DOMAIN_NAME = "ReserveVault";
export const DOMAIN_VERSION = "1";
/** The guardian module's EIP-712 domain name (veto, freeze, unfreeze, recovery, council, heartbeats). */
export const GUARDIAN_DOMAIN_NAME = "ReserveVaultGuardians";

export const WITHDRAWAL_TYPES: Record<string, TypedDataField[]> = {
  Withdrawal: [
    { name: "asset", type: "address" },
    { name: "to", type: "address" },
    { name: "amount", type: "uint256" },
    { name: "nonce", type: "uint32" },
    { name: "epoch", type: "uint32" },
  ],
};

export const CONFIG_CHANGE_TYPES: Record<string, TypedDataField[]> = {
  ConfigChange: [
    { name: "action", type: "string" },
    { name: "account", type: "address" },
    { name: "replacement", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint32" },
    { name: "epoch", type: "uint32" },
  ],
};

export const CANCELLATION_TYPES: Record<string, TypedDataField[]> = {
  Cancellation: [
    { name: "operation", type: "bytes32" },
    { name: "epoch", type: "uint32" },
  ],
};

export const VETO_TYPES: Record<string, TypedDataField[]> = {
  Veto: [
    { name: "operation", type: "bytes32" },
    { name: "guardianEpoch", type: "uint32" },
  ],
};

export const FREEZE_TYPES: Record<string, TypedDataField[]> = {
  Freeze: [
    { name: "nonce", type: "uint32" },
    { name: "guardianEpoch", type: "uint32" },
  ],
};

export const UNFREEZE_TYPES: Record<string, TypedDataField[]> = {
  Unfreeze: [
    { name: "nonce", type: "uint32" },
    { name: "epoch", type: "uint32" },
  ],
};

export const RECOVERY_TYPES: Record<string, TypedDataField[]> = {
  Recovery: [
    { name: "signers", type: "address[]" },
    { name: "threshold", type: "uint256" },
    { name: "nonce", type: "uint32" },
    { name: "guardianEpoch", type: "uint32" },
  ],
};

export const COUNCIL_CHANGE_TYPES: Record<string, TypedDataField[]> = {
  CouncilChange: [
    { name: "signers", type: "address[]" },
    { name: "threshold", type: "uint256" },
    { name: "guardians", type: "address[]" },
    { name: "guardianThreshold", type: "uint256" },
    { name: "councilThreshold", type: "uint256" },
    { name: "nonce", type: "uint32" },
  ],
};

export const HEARTBEAT_TYPES: Record<string, TypedDataField[]> = {
  Heartbeat: [
    { name: "key", type: "address" },
    { name: "at", type: "uint40" },
  ],
};

/** What a signer signs: domain, types and message, ready for `signTypedData` or `eth_signTypedData_v4`. */
export interface TypedData {
  domain: TypedDataDomain;
  types: Record<string, TypedDataField[]>;
  primaryType: string;
  message: Record<string, unknown>;
}

export function vaultDomain(chainId: bigint | number, vault: string): TypedDataDomain {
  return { name: DOMAIN_NAME, version: DOMAIN_VERSION, chainId: BigInt(chainId), verifyingContract: vault };
}

export function withdrawalTypedData(domain: TypedDataDomain, w: Withdrawal): TypedData {
  return {
    domain,
    types: WITHDRAWAL_TYPES,
    primaryType: "Withdrawal",
    message: { asset: w.asset, to: w.to, amount: w.amount, nonce: w.nonce, epoch: w.epoch },
  };
}

export function configChangeTypedData(domain: TypedDataDomain, c: ConfigChange): TypedData {
  return {
    domain,
    types: CONFIG_CHANGE_TYPES,
    primaryType: "ConfigChange",
    message: {
      action: CONFIG_ACTION_NAMES[c.action],
      account: c.account,
      replacement: c.replacement,
      value: c.value,
      nonce: c.nonce,
      epoch: c.epoch,
    },
  };
}

export function cancellationTypedData(domain: TypedDataDomain, operation: string, epoch: number): TypedData {
  return { domain, types: CANCELLATION_TYPES, primaryType: "Cancellation", message: { operation, epoch } };
}

/** A guardian veto of `operation` (module domain). */
export function vetoTypedData(domain: TypedDataDomain, operation: string, guardianEpoch: number): TypedData {
  return { domain, types: VETO_TYPES, primaryType: "Veto", message: { operation, guardianEpoch } };
}

/** Freeze number `nonce` (= freezes started so far), by guardians (module domain). */
export function freezeTypedData(domain: TypedDataDomain, nonce: number, guardianEpoch: number): TypedData {
  return { domain, types: FREEZE_TYPES, primaryType: "Freeze", message: { nonce, guardianEpoch } };
}

/** Lifting freeze number `nonce` (= freezes started so far - 1), by signers (module domain). */
export function unfreezeTypedData(domain: TypedDataDomain, nonce: number, epoch: number): TypedData {
  return { domain, types: UNFREEZE_TYPES, primaryType: "Unfreeze", message: { nonce, epoch } };
}

export function recoveryTypedData(domain: TypedDataDomain, r: Recovery): TypedData {
  return { domain, types: RECOVERY_TYPES, primaryType: "Recovery", message: { ...r } };
}

export function councilChangeTypedData(domain: TypedDataDomain, c: CouncilChange): TypedData {
  return { domain, types: COUNCIL_CHANGE_TYPES, primaryType: "CouncilChange", message: { ...c } };
}

export function heartbeatTypedData(domain: TypedDataDomain, key: string, at: bigint): TypedData {
  return { domain, types: HEARTBEAT_TYPES, primaryType: "Heartbeat", message: { key, at } };
}

/** The EIP-712 digest of typed data: the operation id the contract computes. */
export function digest(data: TypedData): string {
  return TypedDataEncoder.hash(data.domain, data.types, data.message);
}

/**
 * The JSON form `eth_signTypedData_v4` and hardware wallets take (EIP712Domain spelled out,
 * bigints as decimal strings).
 */
export function toSignTypedDataV4(data: TypedData): string {
  const payload = TypedDataEncoder.getPayload(data.domain, data.types, data.message);
  return JSON.stringify(payload, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value));
}
