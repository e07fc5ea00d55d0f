/**
 * Turning a reverted call into words: decodes the vault's custom errors (and OpenZeppelin's that it
 * can bubble up) from an ethers error, so tools say which rule was broken instead of a stack trace.
 */
import { Interface, isCallException } from "ethers";

import { GuardianModule__factory, ReserveVault__factory } from "../../types/ethers-contracts/index.js";

/** Every custom error the vault or its guardian module can revert with (each declared once). */
const VAULT_INTERFACE = new Interface([
  ...ReserveVault__factory.abi,
  ...GuardianModule__factory.abi.filter(
    (f) => f.type === "error" && !ReserveVault__factory.abi.some((v) => v.type === "error" && v.name === f.name),
  ),
]);

export interface DecodedRevert {
  name: string;
  args: readonly unknown[];
  /** e.g. `OperationNotReady(0xab…, 1700000000, 1699999999)` */
  text: string;
}

/** The vault's or module's custom error carried by `error`, or undefined if it is not a decodable revert. */
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

function when(seconds: unknown): string {
  return new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");
}

/** Words for the reverts a user meets most, keyed by error name; the rest are shown by name. */
const EXPLANATIONS: Record<string, (args: readonly unknown[]) => string> = {
  CallerNotSigner: ([a]) => `${String(a)} is not a signer of this vault`,
  CallerNotKeyHolder: ([a]) => `${String(a)} is neither a signer nor a guardian of this vault`,
  AlreadyApproved: ([, s]) => `${String(s)} has already approved this operation`,
  ThresholdNotMet: ([need, got]) => `${String(got)} valid approvals, ${String(need)} needed`,
  VetoThresholdNotMet: ([need, got]) =>
    `${String(got)} guardian signatures, ${String(need)} needed at the current veto level`,
  SignatureNotFromSigner: ([i, who]) => `signature ${String(i)} recovers to ${String(who)}, not a key of the quorum`,
  SignatureDuplicated: ([i, who]) => `signature ${String(i)} is a second one from ${String(who)}`,
  EpochMismatch: ([given, now]) =>
    `the operation is for epoch ${String(given)} but the vault is at epoch ${String(now)} (its signer set changed): propose it again`,
  GuardianEpochMismatch: ([given, now]) =>
    `signed for guardian epoch ${String(given)} but the guardians are at epoch ${String(now)}: sign again`,
  NonceMismatch: ([given, want]) =>
    `nonce ${String(given)} is not the expected ${String(want)}: another operation used it; propose again`,
  NonceNotNext: ([given, next]) =>
    `nonce ${String(given)} is not the next one (${String(next)}): another operation used it; propose again`,
  ProposalAlreadyExists: () => "this operation was already proposed on-chain: approve it instead",
  ProposalNotPending: () => "this operation is not pending on-chain (never proposed, already queued, or revoked)",
  QueueSlotOccupied: ([slot]) =>
    `queue slot ${String(slot)} holds another live operation: propose again (a free slot is chosen)`,
  OperationNotQueued: ([, slot]) => `the operation is not queued in slot ${String(slot)}`,
  OperationNotReady: ([, eta]) => `the timelock has not passed: executable from ${when(eta)}`,
  OperationExpired: ([, deadline]) =>
    `the execution window closed at ${when(deadline)}: the operation expired; propose it again`,
  WithdrawalsFrozen: ([until]) => `withdrawals are frozen by the guardians until ${when(until)}`,
  FreezeCoolingDown: ([at]) => `the guardians froze recently: the next freeze is possible from ${when(at)}`,
  NotFrozen: () => "the vault is not frozen",
  NotVetoable: () => "the operation is not queued (nothing to veto)",
  NothingToCancel: () => "the operation is neither pending nor queued: nothing to cancel",
  RecoveryAlreadyPending: () => "a recovery is already queued: execute or cancel it first",
  RecoveryNotQueued: () => "no such recovery is queued",
  CouncilChangeNotQueued: () => "no such council change is queued",
  EthTransferFailed: ([to]) => `the recipient ${String(to)} rejected the ETH transfer`,
};

/** The revert in words: an explanation where one is known, and always the error itself. */
export function explainRevert(revert: DecodedRevert): string {
  const explain = EXPLANATIONS[revert.name];
  return explain ? `${explain(revert.args)} (${revert.text})` : revert.text;
}
