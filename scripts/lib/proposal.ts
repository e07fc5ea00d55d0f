/**
 * Proposal files: an operation that needs a quorum's signatures, carried between machines as JSON
 * (chain id, vault, the operation's fields, its digest and EIP-712 typed data, collected
 * signatures) so signers can sign offline, with this CLI or any EIP-712 wallet.
 *
 * Nothing in a file is trusted: the typed data is rebuilt from the operation's fields with this
 * library's builders (the file's digest and typed data must equal it), every signature must recover to the key
 * it claims and that key must be one of the quorum's keys the file names. What the file says
 * beyond the signed fields (token symbol and decimals, the delay the vault quoted) is shown as
 * the proposer's note, never as signed fact.
 */
import { getAddress, isHexString, type TypedDataDomain } from "ethers";
import { z } from "zod";

import { chainText, ETH_INFO, formatAmount, isEth, type AssetInfo } from "./amounts.js";
import {
  CONFIG_ACTION_NAMES,
  ConfigAction,
  configChange,
  withdrawal,
  type ConfigChange,
  type CouncilChange,
  type Recovery,
  type Withdrawal,
} from "./operations.js";
import { compareAddresses, recoverSigner, type SignerSignature } from "./signatures.js";
import {
  cancellationTypedData,
  configChangeTypedData,
  councilChangeTypedData,
  digest,
  DOMAIN_NAME,
  DOMAIN_VERSION,
  freezeTypedData,
  GUARDIAN_DOMAIN_NAME,
  recoveryTypedData,
  toSignTypedDataV4,
  unfreezeTypedData,
  vetoTypedData,
  withdrawalTypedData,
  type TypedData,
} from "./typed-data.js";
import { formatDuration } from "./vault-config.js";

export const PROPOSAL_FORMAT = "reserve-vault-proposal/1";

/** The operations a quorum signs, by kind. */
export type Operation =
  | { kind: "withdrawal"; withdrawal: Withdrawal }
  | { kind: "configChange"; change: ConfigChange }
  | { kind: "cancellation"; operation: string; epoch: number }
  | { kind: "veto"; operation: string; guardianEpoch: number }
  | { kind: "freeze"; nonce: number; guardianEpoch: number }
  | { kind: "unfreeze"; nonce: number; epoch: number }
  | { kind: "recovery"; recovery: Recovery }
  | { kind: "councilChange"; change: CouncilChange };

export type OperationKind = Operation["kind"];

/** Which keys sign each kind: the signer quorum, the guardian quorum, or the council (both). */
export const SIGNING_ROLE: Record<OperationKind, "signers" | "guardians" | "council"> = {
  withdrawal: "signers",
  configChange: "signers",
  cancellation: "signers",
  unfreeze: "signers",
  veto: "guardians",
  freeze: "guardians",
  recovery: "guardians",
  councilChange: "council",
};

/** Which contract verifies each kind's signatures (its EIP-712 domain). */
export const VERIFIER: Record<OperationKind, "vault" | "guardianModule"> = {
  withdrawal: "vault",
  configChange: "vault",
  cancellation: "vault",
  unfreeze: "guardianModule",
  veto: "guardianModule",
  freeze: "guardianModule",
  recovery: "guardianModule",
  councilChange: "guardianModule",
};

export interface Proposal {
  chainId: bigint;
  vault: string;
  /** The vault or its guardian module (see VERIFIER). */
  verifyingContract: string;
  operation: Operation;
  /** Queue slot: where a withdrawal or configuration change is queued, or the slot of the operation a cancellation or veto targets. */
  slot: bigint | undefined;
  /** The keys that may sign and how many signatures are needed, as the chain said when the file was made. */
  quorum: { keys: string[]; threshold: number };
  /** The proposer's notes: asset symbol/decimals, the delay the vault quoted. Not signed. */
  notes: { asset?: AssetInfo; delay?: { seconds: bigint; reason: string }; createdAt?: string };
  signatures: SignerSignature[];
}

/** A proposal file that cannot be used: the message says what is wrong and what to do. */
export class ProposalError extends Error {
  override readonly name = "ProposalError";
}

export function domainOf(p: Pick<Proposal, "chainId" | "verifyingContract" | "operation">): TypedDataDomain {
  const name = VERIFIER[p.operation.kind] === "vault" ? DOMAIN_NAME : GUARDIAN_DOMAIN_NAME;
  return { name, version: DOMAIN_VERSION, chainId: p.chainId, verifyingContract: p.verifyingContract };
}

/** What the quorum signs, rebuilt from the operation's fields (never read from a file). */
export function typedDataOf(p: Pick<Proposal, "chainId" | "verifyingContract" | "operation">): TypedData {
  const domain = domainOf(p);
  const o = p.operation;
  switch (o.kind) {
    case "withdrawal":
      return withdrawalTypedData(domain, o.withdrawal);
    case "configChange":
      return configChangeTypedData(domain, o.change);
    case "cancellation":
      return cancellationTypedData(domain, o.operation, o.epoch);
    case "veto":
      return vetoTypedData(domain, o.operation, o.guardianEpoch);
    case "freeze":
      return freezeTypedData(domain, o.nonce, o.guardianEpoch);
    case "unfreeze":
      return unfreezeTypedData(domain, o.nonce, o.epoch);
    case "recovery":
      return recoveryTypedData(domain, o.recovery);
    case "councilChange":
      return councilChangeTypedData(domain, o.change);
  }
}

/** The operation's EIP-712 digest: its id on chain (for withdrawals and configuration changes). */
export function proposalDigest(p: Pick<Proposal, "chainId" | "verifyingContract" | "operation">): string {
  return digest(typedDataOf(p));
}

// =============================================================================================
// Signatures
// =============================================================================================

/**
 * `p` with `s` added. Throws a ProposalError if the signature does not recover to its signer, the
 * signer is not one of the quorum's keys, or the signer already signed.
 */
export function addSignature(p: Proposal, s: SignerSignature): Proposal {
  const signer = getAddress(s.signer);
  let recovered: string;
  try {
    recovered = recoverSigner(typedDataOf(p), s.signature);
  } catch {
    throw new ProposalError(`the signature attributed to ${signer} is not a valid signature`);
  }
  if (recovered !== signer) {
    throw new ProposalError(
      `the signature attributed to ${signer} recovers to ${recovered}: the file was changed after it was signed (tampered, or signed for other data); get a fresh file from the proposer`,
    );
  }
  if (!p.quorum.keys.includes(signer)) {
    throw new ProposalError(
      `${signer} is not one of the ${SIGNING_ROLE[p.operation.kind]} that may sign this ${p.operation.kind} (${p.quorum.keys.join(", ")})`,
    );
  }
  if (p.signatures.some((x) => x.signer === signer)) {
    throw new ProposalError(`${signer} has already signed this ${p.operation.kind}: each key signs once`);
  }
  const signatures = [...p.signatures, { signer, signature: s.signature }].sort((a, b) =>
    compareAddresses(a.signer, b.signer),
  );
  return { ...p, signatures };
}

/**
 * One proposal with the signatures of all `proposals`, which must be the same operation on the
 * same chain and contract. The same signer appearing in two files is kept once.
 */
export function mergeProposals(proposals: readonly Proposal[]): Proposal {
  const [first, ...rest] = proposals;
  if (first === undefined) throw new ProposalError("nothing to merge: give at least one proposal file");
  const id = proposalDigest(first);
  let merged: Proposal = { ...first };
  rest.forEach((p, i) => {
    if (proposalDigest(p) !== id) {
      throw new ProposalError(
        `file ${i + 2} is a different operation (digest ${proposalDigest(p)}, not ${id}): only signatures of the same operation can be merged`,
      );
    }
    for (const s of p.signatures) {
      if (!merged.signatures.some((x) => x.signer === s.signer)) merged = addSignature(merged, s);
    }
  });
  return merged;
}

// =============================================================================================
// JSON
// =============================================================================================

const hex32 = z.string().refine((s) => isHexString(s, 32), "must be 0x followed by 64 hex digits");
const addr = z.string().transform((s, ctx) => {
  try {
    return getAddress(s);
  } catch {
    ctx.addIssue({ code: "custom", message: `"${s}" is not an address (or its checksum is wrong)` });
    return z.NEVER;
  }
});
const uint = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform((v) => BigInt(v));
const u32 = uint.refine((v) => v < 2n ** 32n, "must fit in 32 bits").transform(Number);

const operationSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("withdrawal"),
    asset: addr,
    to: addr,
    amount: uint,
    nonce: u32,
    epoch: u32,
  }),
  z.object({
    kind: z.literal("configChange"),
    action: z.string(),
    account: addr,
    replacement: addr,
    value: uint,
    nonce: u32,
    epoch: u32,
  }),
  z.object({ kind: z.literal("cancellation"), operation: hex32, epoch: u32 }),
  z.object({ kind: z.literal("veto"), operation: hex32, guardianEpoch: u32 }),
  z.object({ kind: z.literal("freeze"), nonce: u32, guardianEpoch: u32 }),
  z.object({ kind: z.literal("unfreeze"), nonce: u32, epoch: u32 }),
  z.object({ kind: z.literal("recovery"), signers: z.array(addr), threshold: uint, nonce: u32, guardianEpoch: u32 }),
  z.object({
    kind: z.literal("councilChange"),
    signers: z.array(addr),
    threshold: uint,
    guardians: z.array(addr),
    guardianThreshold: uint,
    councilThreshold: uint,
    nonce: u32,
  }),
]);

const fileSchema = z.object({
  format: z.literal(PROPOSAL_FORMAT),
  chainId: uint,
  vault: addr,
  verifyingContract: addr,
  operation: operationSchema,
  slot: uint.optional(),
  digest: hex32,
  typedData: z.unknown().optional(),
  quorum: z.object({ keys: z.array(addr).min(1), threshold: z.number().int().positive() }),
  notes: z
    .object({
      asset: z.object({ symbol: z.string(), decimals: z.number().int().min(0).max(77) }).optional(),
      delay: z.object({ seconds: uint, reason: z.string() }).optional(),
      createdAt: z.string().optional(),
    })
    .default({}),
  signatures: z.array(z.object({ signer: addr, signature: z.string() })),
});

const ACTION_BY_NAME = new Map(Object.entries(CONFIG_ACTION_NAMES).map(([k, v]) => [v, Number(k) as ConfigAction]));

function operationFromJson(o: z.output<typeof operationSchema>): Operation {
  switch (o.kind) {
    case "withdrawal":
      return { kind: o.kind, withdrawal: withdrawal(o) };
    case "configChange": {
      const action = ACTION_BY_NAME.get(o.action);
      if (action === undefined)
        throw new ProposalError(`operation.action: "${o.action}" is not a configuration action`);
      return { kind: o.kind, change: configChange({ ...o, action }) };
    }
    case "cancellation":
    case "veto":
    case "freeze":
    case "unfreeze":
      return o;
    case "recovery":
      return {
        kind: o.kind,
        recovery: { signers: o.signers, threshold: o.threshold, nonce: o.nonce, guardianEpoch: o.guardianEpoch },
      };
    case "councilChange":
      return {
        kind: o.kind,
        change: {
          signers: o.signers,
          threshold: o.threshold,
          guardians: o.guardians,
          guardianThreshold: o.guardianThreshold,
          councilThreshold: o.councilThreshold,
          nonce: o.nonce,
        },
      };
  }
}

function operationToJson(o: Operation): Record<string, unknown> {
  switch (o.kind) {
    case "withdrawal":
      return { kind: o.kind, ...o.withdrawal };
    case "configChange":
      return { kind: o.kind, ...o.change, action: CONFIG_ACTION_NAMES[o.change.action] };
    case "recovery":
      return { kind: o.kind, ...o.recovery };
    case "councilChange":
      return { kind: o.kind, ...o.change };
    default:
      return { ...o };
  }
}

/** JSON.stringify with bigints as decimal strings. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2);
}

/** The file's content: the operation's fields, its digest (for people and checks), signatures. */
export function proposalToJson(p: Proposal): string {
  return `${toJson({
    format: PROPOSAL_FORMAT,
    chainId: p.chainId,
    vault: p.vault,
    verifyingContract: p.verifyingContract,
    operation: operationToJson(p.operation),
    ...(p.slot === undefined ? {} : { slot: p.slot }),
    digest: proposalDigest(p),
    // For wallets that sign EIP-712 JSON (eth_signTypedData_v4, hardware wallets); checked on read.
    typedData: JSON.parse(toSignTypedDataV4(typedDataOf(p))) as unknown,
    quorum: p.quorum,
    notes: p.notes,
    signatures: p.signatures,
  })}\n`;
}

/**
 * A proposal from a file's parsed JSON, checked: shape, digest (the fields were not edited), and
 * every signature (recovers to its signer, a quorum key, one per key). `source` names the file in errors.
 */
export function parseProposal(json: unknown, source = "proposal file"): Proposal {
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(file)"}: ${i.message}`);
    throw new ProposalError(`${source} is not a proposal file (${PROPOSAL_FORMAT}):\n${problems.join("\n")}`);
  }
  const f = parsed.data;
  const base: Proposal = {
    chainId: f.chainId,
    vault: f.vault,
    verifyingContract: f.verifyingContract,
    operation: operationFromJson(f.operation),
    slot: f.slot,
    quorum: { keys: f.quorum.keys, threshold: f.quorum.threshold },
    notes: f.notes,
    signatures: [],
  };
  const rebuilt = proposalDigest(base);
  if (rebuilt.toLowerCase() !== f.digest.toLowerCase()) {
    throw new ProposalError(
      `${source} was changed: its fields hash to ${rebuilt}, not to the digest it records (${f.digest}); get a fresh file from the proposer`,
    );
  }
  if (f.typedData !== undefined && JSON.stringify(f.typedData) !== toSignTypedDataV4(typedDataOf(base))) {
    throw new ProposalError(
      `${source} was changed: its typedData is not the typed data of its fields (what a wallet would sign differs from what it shows); get a fresh file from the proposer`,
    );
  }
  let p = base;
  for (const s of f.signatures) {
    try {
      p = addSignature(p, s);
    } catch (error) {
      throw new ProposalError(`${source}: ${(error as Error).message}`);
    }
  }
  return p;
}

// =============================================================================================
// What a human reads before signing
// =============================================================================================

function withdrawalText(w: Withdrawal, asset: AssetInfo | undefined): string[][] {
  const eth = isEth(w.asset);
  const amount = eth
    ? formatAmount(w.amount, ETH_INFO)
    : asset
      ? `${formatAmount(w.amount, asset)}; symbol and decimals as noted by the proposer (not signed: the base units are)`
      : `${w.amount} base units (decimals unknown: check the amount in the token's smallest unit)`;
  return [
    ["action", "WITHDRAW from the vault"],
    ["asset", eth ? "ETH (native)" : `${asset?.symbol ?? "token"} at ${w.asset}`],
    ["amount", amount],
    ["to", w.to],
    ["nonce / epoch", `${w.nonce} / ${w.epoch}`],
  ];
}

function operationText(p: Proposal): string[][] {
  const o = p.operation;
  switch (o.kind) {
    case "withdrawal":
      return withdrawalText(o.withdrawal, p.notes.asset);
    case "configChange":
      return [
        ["action", `CONFIGURATION CHANGE ${CONFIG_ACTION_NAMES[o.change.action]}`],
        ["account", o.change.account],
        ["replacement", o.change.replacement],
        ["value", o.change.value.toString()],
        ["nonce / epoch", `${o.change.nonce} / ${o.change.epoch}`],
      ];
    case "cancellation":
      return [
        ["action", `CANCEL operation ${o.operation}`],
        ["epoch", String(o.epoch)],
      ];
    case "veto":
      return [
        ["action", `VETO operation ${o.operation}`],
        ["guardian epoch", String(o.guardianEpoch)],
      ];
    case "freeze":
      return [
        ["action", "FREEZE withdrawals (for the vault's maxFreeze)"],
        ["freeze number / guardian epoch", `${o.nonce} / ${o.guardianEpoch}`],
      ];
    case "unfreeze":
      return [
        ["action", "LIFT the current freeze"],
        ["freeze number / epoch", `${o.nonce} / ${o.epoch}`],
      ];
    case "recovery":
      return [
        ["action", "RECOVERY: replace every signer"],
        ["new signers", o.recovery.signers.join(", ")],
        ["new threshold", `${o.recovery.threshold} of ${o.recovery.signers.length}`],
        ["nonce / guardian epoch", `${o.recovery.nonce} / ${o.recovery.guardianEpoch}`],
      ];
    case "councilChange":
      return [
        ["action", "COUNCIL CHANGE: replace signers and/or guardians"],
        [
          "new signers",
          o.change.signers.length ? `${o.change.signers.join(", ")} (threshold ${o.change.threshold})` : "(unchanged)",
        ],
        [
          "new guardians",
          o.change.guardians.length
            ? `${o.change.guardians.join(", ")} (threshold ${o.change.guardianThreshold})`
            : "(unchanged)",
        ],
        ["council threshold", o.change.councilThreshold.toString()],
        ["nonce", String(o.change.nonce)],
      ];
  }
}

/** Label/value rows describing `p` completely: what it does, where, its digest, who signed. */
export function describeProposal(p: Proposal): string[][] {
  const rows = operationText(p);
  if (p.notes.delay) {
    rows.push([
      "delay",
      `${formatDuration(p.notes.delay.seconds)}: ${p.notes.delay.reason} (as the vault quoted it when the file was made)`,
    ]);
  }
  if (p.slot !== undefined) rows.push(["queue slot", p.slot.toString()]);
  rows.push(
    ["chain", chainText(p.chainId)],
    ["vault", p.vault],
    ...(p.verifyingContract === p.vault ? [] : [["guardian module", p.verifyingContract]]),
    ["EIP-712 digest", proposalDigest(p)],
    [
      "signatures",
      `${p.signatures.length} of ${p.quorum.threshold} needed` +
        (p.signatures.length ? `: ${p.signatures.map((s) => s.signer).join(", ")}` : ""),
    ],
  );
  return rows;
}
