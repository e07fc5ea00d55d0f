/**
 * Building proposals from the chain's current state: the next nonce and epoch, a free queue slot,
 * the quorum that must sign, and the proposer's notes (token symbol and decimals, the delay the
 * vault quotes). Reads only; nothing here sends a transaction.
 */
import { Contract, getAddress, type Provider } from "ethers";

import type { GuardianModule, ReserveVault } from "../../types/ethers-contracts/index.js";
import { ETH_INFO, isEth, type AssetInfo } from "./amounts.js";
import { ConfigAction, type ConfigChange } from "./operations.js";
import type { Operation, Proposal } from "./proposal.js";
import { compareAddresses } from "./signatures.js";
import { cancellationTypedData, type TypedData } from "./typed-data.js";
import { findFreeSlot, nextConfigChange, nextWithdrawal, readDelay, readDomain } from "./vault.js";

const METADATA_ABI = ["function symbol() view returns (string)", "function decimals() view returns (uint8)"];

/** Symbol and decimals of `asset` (ETH for address(0)); an address without code is an error. */
export async function readAssetInfo(provider: Provider, asset: string): Promise<AssetInfo> {
  if (isEth(asset)) return ETH_INFO;
  if ((await provider.getCode(asset)) === "0x") {
    throw new Error(
      `asset ${asset} has no contract on this chain: not a token address (mistyped, or another chain's?)`,
    );
  }
  const token = new Contract(asset, METADATA_ABI, provider);
  try {
    const [symbol, decimals] = await Promise.all([token.getFunction("symbol")(), token.getFunction("decimals")()]);
    return { symbol: String(symbol), decimals: Number(decimals) };
  } catch {
    throw new Error(
      `asset ${asset} does not report symbol() and decimals(): not an ERC-20 token this tool can size amounts for`,
    );
  }
}

async function chainOf(vault: ReserveVault): Promise<{ chainId: bigint; vault: string }> {
  const d = await vault.eip712Domain();
  return { chainId: d.chainId, vault: getAddress(d.verifyingContract) };
}

async function signerQuorum(vault: ReserveVault): Promise<Proposal["quorum"]> {
  const [signers, config] = await Promise.all([vault.signers(), vault.configuration()]);
  return { keys: [...signers], threshold: Number(config.threshold) };
}

async function guardianQuorum(module: GuardianModule, threshold?: number): Promise<Proposal["quorum"]> {
  const [guardians, counts] = await Promise.all([module.guardians(), module.guardianCounts()]);
  return { keys: [...guardians], threshold: threshold ?? Number(counts.guardianThreshold) };
}

function proposal(
  base: { chainId: bigint; vault: string },
  verifyingContract: string,
  operation: Operation,
  quorum: Proposal["quorum"],
  extra: Partial<Pick<Proposal, "slot" | "notes">> = {},
): Proposal {
  return {
    ...base,
    verifyingContract: getAddress(verifyingContract),
    operation,
    slot: extra.slot,
    quorum,
    notes: { ...extra.notes, createdAt: new Date().toISOString() },
    signatures: [],
  };
}

/** A withdrawal of `amount` base units: next nonce, current epoch, a free slot, the delay the vault quotes. */
export async function withdrawalProposal(
  vault: ReserveVault,
  fields: { asset: string; to: string; amount: bigint },
  options: { slot?: bigint; asset?: AssetInfo } = {},
): Promise<Proposal> {
  const [base, w, quorum, delay, slot] = await Promise.all([
    chainOf(vault),
    nextWithdrawal(vault, fields),
    signerQuorum(vault),
    readDelay(vault, fields),
    options.slot ?? findFreeSlot(vault),
  ]);
  return proposal(base, base.vault, { kind: "withdrawal", withdrawal: w }, quorum, {
    slot,
    notes: {
      ...(options.asset ? { asset: options.asset } : {}),
      delay: { seconds: delay.delay, reason: delay.explanation },
    },
  });
}

/** A configuration change: next configuration nonce, current epoch, a free slot. */
export async function configChangeProposal(
  vault: ReserveVault,
  fields: Pick<ConfigChange, "action"> & Partial<Pick<ConfigChange, "account" | "replacement" | "value">>,
  options: { slot?: bigint } = {},
): Promise<Proposal> {
  const [base, change, quorum, slot] = await Promise.all([
    chainOf(vault),
    nextConfigChange(vault, fields),
    signerQuorum(vault),
    options.slot ?? findFreeSlot(vault),
  ]);
  return proposal(base, base.vault, { kind: "configChange", change }, quorum, { slot });
}

/** The signers' cancellation of operation `id` queued (or pending) in `slot`. */
export async function cancellationProposal(vault: ReserveVault, id: string, slot: bigint): Promise<Proposal> {
  const [base, config, quorum] = await Promise.all([chainOf(vault), vault.configuration(), signerQuorum(vault)]);
  return proposal(base, base.vault, { kind: "cancellation", operation: id, epoch: Number(config.epoch) }, quorum, {
    slot,
  });
}

/** The guardians' veto of operation `id` in `slot`, needing the current veto requirement. */
export async function vetoProposal(
  vault: ReserveVault,
  module: GuardianModule,
  id: string,
  slot: bigint,
): Promise<Proposal> {
  const [base, counts, requirement] = await Promise.all([
    chainOf(vault),
    module.guardianCounts(),
    module.vetoRequirement(),
  ]);
  const quorum = await guardianQuorum(module, Number(requirement.required));
  const operation: Operation = { kind: "veto", operation: id, guardianEpoch: Number(counts.guardianEpoch) };
  return proposal(base, await module.getAddress(), operation, quorum, { slot });
}

/** The guardians' next freeze. */
export async function freezeProposal(vault: ReserveVault, module: GuardianModule): Promise<Proposal> {
  const [base, counts, status, quorum] = await Promise.all([
    chainOf(vault),
    module.guardianCounts(),
    module.guardianStatus(),
    guardianQuorum(module),
  ]);
  const operation: Operation = {
    kind: "freeze",
    nonce: Number(status.freezeCount),
    guardianEpoch: Number(counts.guardianEpoch),
  };
  return proposal(base, await module.getAddress(), operation, quorum);
}

/** The signers' lifting of the current freeze. */
export async function unfreezeProposal(vault: ReserveVault, module: GuardianModule): Promise<Proposal> {
  const [base, config, status, quorum] = await Promise.all([
    chainOf(vault),
    vault.configuration(),
    module.guardianStatus(),
    signerQuorum(vault),
  ]);
  if (status.freezeCount === 0n)
    throw new Error("the guardians have never frozen this vault: there is nothing to lift");
  const operation: Operation = { kind: "unfreeze", nonce: Number(status.freezeCount) - 1, epoch: Number(config.epoch) };
  return proposal(base, await module.getAddress(), operation, quorum);
}

/**
 * What the signer quorum signs to cancel the guardians' queued recovery `id` (SPEC §6.3):
 * `Cancellation(id, epoch)` in the module's domain, for the current signer epoch; M signatures
 * over it go to `module.cancelRecovery(id, signatures)`. (A proposal file's "cancellation" is the
 * vault's, verified in the vault's domain: it cannot carry this one.)
 */
export async function recoveryCancellationTypedData(
  vault: ReserveVault,
  module: GuardianModule,
  id: string,
): Promise<TypedData> {
  const [domain, config] = await Promise.all([readDomain(module), vault.configuration()]);
  return cancellationTypedData(domain, id, Number(config.epoch));
}

/** The guardians' recovery: a new signer set (sorted here) and threshold. */
export async function recoveryProposal(
  vault: ReserveVault,
  module: GuardianModule,
  signers: readonly string[],
  threshold: bigint,
): Promise<Proposal> {
  const [base, counts, status, quorum] = await Promise.all([
    chainOf(vault),
    module.guardianCounts(),
    module.guardianStatus(),
    guardianQuorum(module),
  ]);
  const operation: Operation = {
    kind: "recovery",
    recovery: {
      signers: signers.map((s) => getAddress(s)).sort(compareAddresses),
      threshold,
      nonce: Number(status.recoveryNonce),
      guardianEpoch: Number(counts.guardianEpoch),
    },
  };
  return proposal(base, await module.getAddress(), operation, quorum);
}

/** The council's change of signers and/or guardians (an empty list keeps that group). */
export async function councilProposal(
  vault: ReserveVault,
  module: GuardianModule,
  fields: {
    signers: readonly string[];
    threshold: bigint;
    guardians: readonly string[];
    guardianThreshold: bigint;
    councilThreshold: bigint;
  },
): Promise<Proposal> {
  const [base, counts, status, signers, guardians] = await Promise.all([
    chainOf(vault),
    module.guardianCounts(),
    module.guardianStatus(),
    vault.signers(),
    module.guardians(),
  ]);
  const sort = (xs: readonly string[]) => xs.map((x) => getAddress(x)).sort(compareAddresses);
  const operation: Operation = {
    kind: "councilChange",
    change: {
      ...fields,
      signers: sort(fields.signers),
      guardians: sort(fields.guardians),
      nonce: Number(status.councilNonce),
    },
  };
  const quorum = {
    keys: [...signers, ...guardians].sort(compareAddresses),
    threshold: Number(counts.councilThreshold),
  };
  return proposal(base, await module.getAddress(), operation, quorum);
}

export { ConfigAction };

/** The keys that must sign an operation of `kind` now, and how many (the veto requirement for vetoes). */
export async function currentQuorum(
  vault: ReserveVault,
  module: GuardianModule,
  kind: Operation["kind"],
): Promise<Proposal["quorum"]> {
  switch (kind) {
    case "withdrawal":
    case "configChange":
    case "cancellation":
    case "unfreeze":
      return signerQuorum(vault);
    case "veto":
      return guardianQuorum(module, Number((await module.vetoRequirement()).required));
    case "freeze":
    case "recovery":
      return guardianQuorum(module);
    case "councilChange": {
      const [signers, guardians, counts] = await Promise.all([
        vault.signers(),
        module.guardians(),
        module.guardianCounts(),
      ]);
      return { keys: [...signers, ...guardians].sort(compareAddresses), threshold: Number(counts.councilThreshold) };
    }
  }
}
