/**
 * Turning a reverted call into words: decodes the vault's custom errors (and OpenZeppelin's that it
 * can bubble up) from an ethers error, so tools say which rule was broken instead of a stack trace.
 */
import { Interface, isCallException } from "ethers";

import { ReserveVault__factory } from "../../types/ethers-contracts/index.js";

const VAULT_INTERFACE = new Interface(ReserveVault__factory.abi);

export interface DecodedRevert {
  name: string;
  args: readonly unknown[];
  /** e.g. `OperationNotReady(0xab…, 1700000000, 1699999999)` */
  text: string;
}

/** The vault custom error carried by `error`, or undefined if it is not a decodable revert. */
export function decodeVaultError(error: unknown): DecodedRevert | undefined {
  const data = revertData(error);
  if (data === undefined) return undefined;
  const parsed = VAULT_INTERFACE.parseError(data);
  if (parsed === null) return undefined;
  const args = [...parsed.args];
  return { name: parsed.name, args, text: `${parsed.name}(${args.map(String).join(", ")})` };
}

function revertData(error: unknown): string | undefined {
  if (isCallException(error) && typeof error.data === "string") return error.data;
  const nested = (error as { data?: unknown; error?: { data?: unknown } } | undefined) ?? {};
  if (typeof nested.data === "string") return nested.data;
  if (typeof nested.error?.data === "string") return nested.error.data;
  return undefined;
}
