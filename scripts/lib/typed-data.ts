/**
 * EIP-712 domain, types and digests of the vault's operations: the off-chain twin of
 * contracts/libraries/OperationHashing.sol. An operation's id is its EIP-712 digest.
 */
import { TypedDataEncoder, type TypedDataDomain, type TypedDataField } from "ethers";

import { CONFIG_ACTION_NAMES, type ConfigChange, type Withdrawal } from "./operations.js";

export const DOMAIN_NAME = "ReserveVault";
export const DOMAIN_VERSION = "1";

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
