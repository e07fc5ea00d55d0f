/**
 * The transaction each proposal turns into: which contract function takes a signed proposal
 * (`submitCall`) and which executes it after its timelock (`executeCall`), as calls that can be
 * simulated first. The CLI and the scenarios send proposals through these, so both do the same.
 */
import type { ContractTransactionResponse } from "ethers";

import type { GuardianModule, ReserveVault } from "../../types/ethers-contracts/index.js";
import type { Proposal } from "./proposal.js";
import { packSignatures } from "./signatures.js";

/** A contract call, named, that can be simulated (`staticCall`) and sent. */
export interface ContractCall {
  name: string;
  staticCall(): Promise<unknown>;
  send(): Promise<ContractTransactionResponse>;
}

/** A TypeChain method with its arguments (the method's own runner sends it). */
interface Method<Args extends unknown[]> {
  staticCall(...args: Args): Promise<unknown>;
  (...args: Args): Promise<ContractTransactionResponse>;
}

export function callOf<Args extends unknown[]>(name: string, method: Method<Args>, ...args: Args): ContractCall {
  return { name, staticCall: () => method.staticCall(...args), send: () => method(...args) };
}

/**
 * The call that uses a proposal's signatures: queue a withdrawal or configuration change, cancel,
 * veto, freeze, unfreeze, queue a recovery or council change. `vault` and `module` are connected to
 * the sender.
 */
export function submitCall(p: Proposal, vault: ReserveVault, module: GuardianModule): ContractCall {
  const signatures = packSignatures(p.signatures);
  const slot = p.slot ?? 0n;
  const o = p.operation;
  switch (o.kind) {
    case "withdrawal":
      return callOf("queueWithdrawal", vault.queueWithdrawal, o.withdrawal, slot, signatures);
    case "configChange":
      return callOf("queueConfigChange", vault.queueConfigChange, o.change, slot, signatures);
    case "cancellation":
      return callOf("cancel", vault.cancel, o.operation, slot, signatures);
    case "veto":
      return callOf("veto", module.veto, o.operation, slot, signatures);
    case "freeze":
      return callOf("freeze", module.freeze, signatures);
    case "unfreeze":
      return callOf("unfreeze", module.unfreeze, signatures);
    case "recovery":
      return callOf("queueRecovery", module.queueRecovery, o.recovery, signatures);
    case "councilChange":
      return callOf("queueCouncilChange", module.queueCouncilChange, o.change, signatures);
  }
}

/** The call that executes a queued proposal after its timelock, or undefined for kinds that take effect when submitted. */
export function executeCall(p: Proposal, vault: ReserveVault, module: GuardianModule): ContractCall | undefined {
  const slot = p.slot ?? 0n;
  const o = p.operation;
  switch (o.kind) {
    case "withdrawal":
      return callOf("executeWithdrawal", vault.executeWithdrawal, o.withdrawal, slot);
    case "configChange":
      return callOf("executeConfigChange", vault.executeConfigChange, o.change, slot);
    case "recovery":
      return callOf("executeRecovery", module.executeRecovery, o.recovery);
    case "councilChange":
      return callOf("executeCouncilChange", module.executeCouncilChange, o.change);
    default:
      return undefined;
  }
}
