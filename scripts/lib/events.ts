/**
 * The vault's history as events: reading and decoding the vault's and its guardian module's logs,
 * reducing them to the operations still waiting (cross-checked with the chain's views), and turning
 * an event into a one-line alert with the time left to react. Reads only; prints nothing.
 */
import {
  dataLength,
  dataSlice,
  formatUnits,
  getAddress,
  recoverAddress,
  type Interface,
  type Log,
  type ParamType,
  type Provider,
  ZeroAddress,
} from "ethers";

import type { GuardianModule, ReserveVault } from "../../types/ethers-contracts/index.js";
import { isEth, type AssetInfo } from "./amounts.js";
import { TIMING_KEYS, type Timings } from "./config.js";
import {
  CONFIG_ACTION_NAMES,
  ConfigAction,
  OperationState,
  type ConfigChange,
  type CouncilChange,
} from "./operations.js";
import { readOperation } from "./vault.js";

// =============================================================================================
// Time in words
// =============================================================================================

/** `2 d 3 h 5 min`, or `42 s` under a minute. */
export function formatSpan(seconds: bigint): string {
  const s = seconds < 0n ? -seconds : seconds;
  const days = s / 86_400n;
  const hours = (s % 86_400n) / 3_600n;
  const minutes = (s % 3_600n) / 60n;
  const parts = [days ? `${days} d` : "", hours ? `${hours} h` : "", minutes ? `${minutes} min` : ""].filter(Boolean);
  return parts.length ? parts.join(" ") : `${s} s`;
}

/** A unix time as an ISO date without milliseconds: `2026-05-01T12:00:00Z`. */
export function isoTime(at: bigint): string {
  return new Date(Number(at) * 1000).toISOString().replace(".000Z", "Z");
}

/** A point in time for people: ISO date and how far from `now` ("in 2 h 5 min", "3 min ago"). */
export function countdown(at: bigint, now: bigint): string {
  return at >= now ? `${isoTime(at)} (in ${formatSpan(at - now)})` : `${isoTime(at)} (${formatSpan(now - at)} ago)`;
}

/**
 * "Now" for countdowns: the later of the latest block's timestamp and this machine's clock (a local
 * chain whose time was moved forward is ahead of the clock; a real chain's latest block is a few
 * seconds behind it).
 */
export async function chainNow(provider: Provider): Promise<{ block: number; now: bigint }> {
  const latest = await provider.getBlock("latest");
  if (latest === null) throw new Error("the node returned no latest block");
  const clock = BigInt(Math.floor(Date.now() / 1000));
  const chain = BigInt(latest.timestamp);
  return { block: latest.number, now: chain > clock ? chain : clock };
}

/** Every delay the vault uses (docs/SPEC.md §5) and the end of a recovery cool-off (0: none). */
export async function readTimings(vault: ReserveVault): Promise<{ timings: Timings; coolOffUntil: bigint }> {
  const [delays, coolOffUntil] = await vault.timings();
  const timings = Object.fromEntries(TIMING_KEYS.map((k) => [k, BigInt(delays[k])])) as unknown as Timings;
  return { timings, coolOffUntil };
}

// =============================================================================================
// Events
// =============================================================================================

/** Which contract emitted an event. */
export type EventSource = "vault" | "guardianModule";

/** A decoded event of the vault or its guardian module. */
export interface VaultEvent {
  block: number;
  txHash: string;
  logIndex: number;
  /** The block's timestamp, when read (`readEvents(…, { timestamps: true })`). */
  timestamp?: bigint;
  /** The event's name, e.g. "WithdrawalQueued" (contracts/interfaces/IReserveVault.sol). */
  kind: string;
  contract: EventSource;
  /** The emitting contract's address. */
  address: string;
  /**
   * The event's arguments by name: addresses checksummed, integers of up to 48 bits (actions,
   * nonces, epochs) as numbers, wider ones as bigints, structs as objects (a `change` of
   * ConfigChange* is a ConfigChange, of CouncilChange* a CouncilChange).
   */
  args: Record<string, unknown>;
}

export interface EventRange {
  fromBlock: number;
  toBlock: number;
  /** Blocks per eth_getLogs request (RPC providers limit the range; default 10,000). */
  step?: number;
  /** Also read each event's block timestamp (one request per block with events). */
  timestamps?: boolean;
}

/** A value decoded by ethers, in the shape `VaultEvent.args` promises. */
function plain(value: unknown, type: ParamType): unknown {
  if (type.isTuple()) {
    const items = value as readonly unknown[];
    return Object.fromEntries(type.components.map((c, i) => [c.name, plain(items[i], c)]));
  }
  if (type.isArray()) return (value as readonly unknown[]).map((v) => plain(v, type.arrayChildren));
  if (type.baseType === "address") return getAddress(value as string);
  const int = /^u?int(\d*)$/.exec(type.baseType);
  if (int && Number(int[1] || 256) <= 48) return Number(value as bigint);
  return value;
}

/** One log decoded with the emitting contract's interface, or undefined if it is none of its events. */
function decodeLog(log: Log, contract: EventSource, iface: Interface): VaultEvent | undefined {
  const parsed = iface.parseLog({ topics: [...log.topics], data: log.data });
  if (parsed === null) return undefined;
  const args = Object.fromEntries(parsed.fragment.inputs.map((input, i) => [input.name, plain(parsed.args[i], input)]));
  return {
    block: log.blockNumber,
    txHash: log.transactionHash,
    logIndex: log.index,
    kind: parsed.name,
    contract,
    address: getAddress(log.address),
    args,
  };
}

/**
 * The vault's and its guardian module's events in blocks [fromBlock, toBlock], in chain order,
 * decoded with their TypeChain interfaces: one eth_getLogs request for both contracts per `step`
 * blocks. A failing request is an Error that names the range.
 */
export async function readEvents(
  provider: Provider,
  vault: ReserveVault,
  module: GuardianModule,
  range: EventRange,
): Promise<VaultEvent[]> {
  const [vaultAddress, moduleAddress] = await Promise.all([vault.getAddress(), module.getAddress()]);
  const sources = new Map<string, [EventSource, Interface]>([
    [vaultAddress.toLowerCase(), ["vault", vault.interface]],
    [moduleAddress.toLowerCase(), ["guardianModule", module.interface]],
  ]);
  const step = Math.max(1, range.step ?? 10_000);
  const events: VaultEvent[] = [];
  for (let from = range.fromBlock; from <= range.toBlock; from += step) {
    const to = Math.min(range.toBlock, from + step - 1);
    let logs: Log[];
    try {
      logs = await provider.getLogs({ address: [vaultAddress, moduleAddress], fromBlock: from, toBlock: to });
    } catch (error) {
      throw new Error(
        `reading the vault's events in blocks ${from}-${to} failed (${(error as Error).message.split("\n")[0]}): ` +
          "the node may limit eth_getLogs; start later with --from-block (e.g. the vault's deployment block)",
        { cause: error },
      );
    }
    for (const log of logs) {
      const source = sources.get(log.address.toLowerCase());
      if (source === undefined) continue;
      const event = decodeLog(log, ...source);
      if (event !== undefined) events.push(event);
    }
  }
  events.sort((a, b) => a.block - b.block || a.logIndex - b.logIndex);
  if (range.timestamps === true) {
    const blocks = [...new Set(events.map((e) => e.block))];
    const stamps = new Map(
      await Promise.all(blocks.map(async (n) => [n, BigInt((await provider.getBlock(n))?.timestamp ?? 0)] as const)),
    );
    for (const e of events) e.timestamp = stamps.get(e.block);
  }
  return events;
}

// =============================================================================================
// Operations the events tell of
// =============================================================================================

export type TrackedKind = "withdrawal" | "configChange" | "cancellation" | "recovery" | "councilChange";

/** Where an operation stands according to the events alone (`readOperations` asks the chain). */
export type TrackedStatus =
  "pending" | "queued" | "executed" | "applied" | "cancelled" | "vetoed" | "revoked" | "superseded";

export interface EventRef {
  block: number;
  txHash: string;
}

export interface TrackedOperation {
  id: string;
  kind: TrackedKind;
  /** The contract that holds it: the vault (withdrawals, configuration changes, cancellations) or the module. */
  contract: EventSource;
  status: TrackedStatus;
  /** The vault's queue slot, once queued (recoveries and council changes have none). */
  slot?: bigint;
  /** The eta its queueing event announced. */
  eta?: bigint;
  /** Who proposed it on-chain, if it was. */
  proposer?: string;
  /** Signers whose on-chain approvals the events show (a revocation clears them). */
  approvedBy: string[];
  withdrawal?: { asset: string; to: string; amount: bigint; nonce: number };
  change?: ConfigChange;
  /** A cancellation's target operation. */
  target?: string;
  recovery?: { signers: string[]; threshold: bigint };
  councilChange?: CouncilChange;
  proposed?: EventRef;
  queued?: EventRef;
  closed?: EventRef;
  /**
   * The vault's epoch advanced after it was proposed or queued (its signer set changed): a vault
   * operation of an older epoch can never execute (docs/SPEC.md §2).
   */
  epochChanged: boolean;
}

const FINAL: readonly TrackedStatus[] = ["executed", "applied", "cancelled", "vetoed", "superseded"];

/**
 * Reduces events (in chain order) to the operations they tell of, by id: proposed on-chain
 * (WithdrawalProposed, ConfigChangeProposed, CancellationProposed), approved (OperationApproved),
 * revoked (ProposalRevoked), queued (WithdrawalQueued, ConfigChangeQueued, RecoveryQueued,
 * CouncilChangeQueued), and closed (…Executed, OperationCancelled, OperationVetoed, Tightened,
 * RecoveryCancelled, CouncilChangeSuperseded). An event about an operation whose proposal or
 * queueing is not among `events` (an earlier start block) is skipped.
 */
export function trackOperations(events: readonly VaultEvent[]): Map<string, TrackedOperation> {
  const ops = new Map<string, TrackedOperation>();
  const ref = (e: VaultEvent): EventRef => ({ block: e.block, txHash: e.txHash });
  const open = (e: VaultEvent, kind: TrackedKind, fields: Partial<TrackedOperation>): TrackedOperation => {
    const id = e.args["id"] as string;
    const existing = ops.get(id);
    const op: TrackedOperation = existing ?? {
      id,
      kind,
      contract: kind === "recovery" || kind === "councilChange" ? "guardianModule" : "vault",
      status: "pending",
      approvedBy: [],
      epochChanged: false,
    };
    Object.assign(op, fields);
    ops.set(id, op);
    return op;
  };
  const close = (id: unknown, status: TrackedStatus, e: VaultEvent) => {
    const op = ops.get(id as string);
    if (op === undefined || FINAL.includes(op.status)) return;
    op.status = status;
    op.closed = ref(e);
  };

  for (const e of events) {
    const a = e.args;
    switch (e.kind) {
      case "WithdrawalProposed":
        open(e, "withdrawal", {
          proposer: a["proposer"] as string,
          approvedBy: [a["proposer"] as string],
          withdrawal: {
            asset: a["asset"] as string,
            to: a["to"] as string,
            amount: a["amount"] as bigint,
            nonce: a["nonce"] as number,
          },
          proposed: ref(e),
        });
        break;
      case "ConfigChangeProposed":
        open(e, "configChange", {
          proposer: a["proposer"] as string,
          approvedBy: [a["proposer"] as string],
          change: a["change"] as ConfigChange,
          proposed: ref(e),
        });
        break;
      case "CancellationProposed":
        open(e, "cancellation", {
          proposer: a["proposer"] as string,
          approvedBy: [a["proposer"] as string],
          target: a["operation"] as string,
          proposed: ref(e),
        });
        break;
      case "OperationApproved": {
        const op = ops.get(a["id"] as string);
        const signer = a["signer"] as string;
        if (op !== undefined && !op.approvedBy.includes(signer)) op.approvedBy.push(signer);
        break;
      }
      case "ProposalRevoked": {
        const op = ops.get(a["id"] as string);
        if (op !== undefined && op.status === "pending") {
          op.status = "revoked";
          op.approvedBy = [];
        }
        break;
      }
      case "WithdrawalQueued":
        open(e, "withdrawal", {
          status: "queued",
          slot: a["slot"] as bigint,
          eta: a["eta"] as bigint,
          withdrawal: {
            asset: a["asset"] as string,
            to: a["to"] as string,
            amount: a["amount"] as bigint,
            nonce: a["nonce"] as number,
          },
          queued: ref(e),
          epochChanged: false,
        });
        break;
      case "ConfigChangeQueued":
        open(e, "configChange", {
          status: "queued",
          slot: a["slot"] as bigint,
          eta: a["eta"] as bigint,
          change: a["change"] as ConfigChange,
          queued: ref(e),
          epochChanged: false,
        });
        break;
      case "RecoveryQueued":
        open(e, "recovery", {
          status: "queued",
          eta: a["eta"] as bigint,
          recovery: { signers: a["signers"] as string[], threshold: a["threshold"] as bigint },
          queued: ref(e),
        });
        break;
      case "CouncilChangeQueued":
        open(e, "councilChange", {
          status: "queued",
          eta: a["eta"] as bigint,
          councilChange: a["change"] as CouncilChange,
          queued: ref(e),
        });
        break;
      case "WithdrawalExecuted":
      case "ConfigChangeExecuted":
      case "RecoveryExecuted":
      case "CouncilChangeExecuted":
        close(a["id"], "executed", e);
        break;
      case "Tightened":
        close(a["id"], "applied", e);
        break;
      case "OperationVetoed":
        close(a["id"], "vetoed", e);
        break;
      case "OperationCancelled":
        close(a["id"], "cancelled", e);
        // A cancellation proposal of that operation has done its work (or is moot).
        for (const op of ops.values())
          if (op.kind === "cancellation" && op.target === a["id"]) close(op.id, "applied", e);
        break;
      case "RecoveryCancelled":
        close(a["id"], "cancelled", e);
        break;
      case "CouncilChangeSuperseded":
        close(a["id"], "superseded", e);
        break;
      case "EpochAdvanced":
        for (const op of ops.values()) {
          if (op.contract === "vault" && !FINAL.includes(op.status)) op.epochChanged = true;
        }
        break;
    }
  }
  return ops;
}

/** Who approved an operation: on-chain (the proposal's bitmap) and by the signatures its queueing carried. */
export interface OperationApprovals {
  /** Signers with an on-chain approval: `approvals(id)`'s bitmap, bit i = `signers()[i]` (see readOperations). */
  onChain: string[];
  /** The proposal's proposer, if any. */
  proposer?: string;
  /**
   * Keys whose EIP-712 signatures queued it, recovered from the queueing transaction's calldata;
   * undefined when that transaction did not call the vault or module directly (a relayer contract).
   */
  signatures?: string[];
}

/** A waiting operation as the chain sees it now. */
export interface OperationView {
  id: string;
  kind: TrackedKind;
  contract: EventSource;
  slot?: bigint;
  state: OperationState;
  stateName: string;
  /** 0 while pending. */
  eta: bigint;
  /** The end of its execution window (0 while pending). */
  deadline: bigint;
  approvals: OperationApprovals;
  withdrawal?: TrackedOperation["withdrawal"];
  change?: ConfigChange & { actionName: string };
  target?: string;
  recovery?: TrackedOperation["recovery"];
  councilChange?: CouncilChange;
  proposed?: EventRef;
  queued?: EventRef;
  /** Why it can never execute although its state does not say so, if it can't. */
  stale?: string;
}

/** Pending, queued, ready (and expired but still in its slot): what the signers and guardians may act on. */
const WAITING = [OperationState.Pending, OperationState.Queued, OperationState.Ready, OperationState.Expired];

/** The state a recovery's or council change's record implies at `now` (the module keeps one each). */
function moduleState(queued: boolean, eta: bigint, deadline: bigint, now: bigint): OperationState {
  if (!queued) return OperationState.Unknown;
  if (now < eta) return OperationState.Queued;
  return now <= deadline ? OperationState.Ready : OperationState.Expired;
}

/** The signers of the keys whose 65-byte signatures over `id` the queueing call of `ref` carried. */
async function signaturesIn(
  provider: Provider,
  iface: Interface,
  target: string,
  ref: EventRef,
  id: string,
): Promise<string[] | undefined> {
  const tx = await provider.getTransaction(ref.txHash);
  if (tx === null || tx.to === null || tx.to.toLowerCase() !== target.toLowerCase()) return undefined;
  const call = iface.parseTransaction({ data: tx.data });
  const index = call?.fragment.inputs.findIndex((i) => i.name === "signatures") ?? -1;
  if (call === null || index < 0) return call === null ? undefined : [];
  const packed = call.args[index] as string;
  const found: string[] = [];
  for (let offset = 0; offset + 65 <= dataLength(packed); offset += 65) {
    found.push(getAddress(recoverAddress(id, dataSlice(packed, offset, offset + 65))));
  }
  return found;
}

/**
 * The tracked operations still waiting, each cross-checked with the chain: state, eta and deadline
 * from `operationState(id, slot)` and `queueSlot(slot)` (vault) or `pending()` (module), who
 * approved it, and whether it is stale. Approvals: `approvals(id)`'s bitmap is over the *sorted*
 * signer set of the epoch it was approved in (SignerApprovals._signerIndex: bit i is the signer at
 * index i of `signers()`, which returns the set ascending); it is mapped through the current
 * `signers()` unless the epoch has changed since, when the OperationApproved events name them.
 * `now` decides the state of recoveries and council changes (the vault's views use the chain's clock).
 */
export async function readOperations(
  provider: Provider,
  vault: ReserveVault,
  module: GuardianModule,
  tracked: ReadonlyMap<string, TrackedOperation>,
  now: bigint,
): Promise<OperationView[]> {
  const [signers, config, pending, vaultAddress, moduleAddress] = await Promise.all([
    vault.signers(),
    vault.configuration(),
    module.pending(),
    vault.getAddress(),
    module.getAddress(),
  ]);
  const vaultIface = vault.interface;
  const moduleIface = module.interface;
  const live = [...tracked.values()].filter((op) => op.status === "pending" || op.status === "queued");

  const views = await Promise.all(
    live.map(async (op): Promise<OperationView | undefined> => {
      let state: OperationState;
      let eta = 0n;
      let deadline = 0n;
      const approvals: OperationApprovals = { onChain: [] };
      let stale: string | undefined;

      if (op.contract === "vault") {
        if (op.kind === "cancellation") {
          // A cancellation proposal never reads as Pending in operationState: it waits while its target does.
          const targetState = Number(
            await vault.operationState(op.target!, tracked.get(op.target!)?.slot ?? 0n),
          ) as OperationState;
          state = WAITING.includes(targetState) ? OperationState.Pending : OperationState.Unknown;
        } else {
          const status = await readOperation(vault, op.id, op.slot ?? 0n);
          ({ state, eta, deadline } = status);
        }
        if (!WAITING.includes(state)) return undefined;
        const [bitmap, , proposer] = await vault.approvals(op.id);
        approvals.onChain = op.epochChanged ? [...op.approvedBy] : signers.filter((_, i) => (bitmap >> BigInt(i)) & 1n);
        if (proposer !== ZeroAddress) approvals.proposer = proposer;
        else if (op.proposer !== undefined) approvals.proposer = op.proposer;
        if (op.queued !== undefined)
          approvals.signatures = await signaturesIn(provider, vaultIface, vaultAddress, op.queued, op.id);
        if (op.change !== undefined && op.change.epoch !== Number(config.epoch)) {
          stale = `approved under epoch ${op.change.epoch} but the vault is at epoch ${config.epoch} (its signer set changed): it can never execute`;
        } else if (op.epochChanged) {
          stale = `approved before the vault's epoch advanced to ${config.epoch} (its signer set changed): it can never execute`;
        }
      } else {
        const isRecovery = op.kind === "recovery";
        const current = isRecovery ? pending.recovery : pending.councilChange;
        if (current !== op.id) return undefined;
        eta = isRecovery ? pending.recoveryEta : pending.councilEta;
        deadline = isRecovery ? pending.recoveryDeadline : pending.councilDeadline;
        state = moduleState(isRecovery ? pending.recoveryQueued : pending.councilQueued, eta, deadline, now);
        if (!WAITING.includes(state)) return undefined;
        if (op.queued !== undefined)
          approvals.signatures = await signaturesIn(provider, moduleIface, moduleAddress, op.queued, op.id);
      }
      return {
        id: op.id,
        kind: op.kind,
        contract: op.contract,
        ...(op.slot === undefined ? {} : { slot: op.slot }),
        state,
        stateName: OperationState[state],
        eta,
        deadline,
        approvals,
        ...(op.withdrawal ? { withdrawal: op.withdrawal } : {}),
        ...(op.change ? { change: { ...op.change, actionName: CONFIG_ACTION_NAMES[op.change.action] } } : {}),
        ...(op.target ? { target: op.target } : {}),
        ...(op.recovery ? { recovery: op.recovery } : {}),
        ...(op.councilChange ? { councilChange: op.councilChange } : {}),
        ...(op.proposed ? { proposed: op.proposed } : {}),
        ...(op.queued ? { queued: op.queued } : {}),
        ...(stale === undefined ? {} : { stale }),
      };
    }),
  );
  return views.filter((v): v is OperationView => v !== undefined);
}

// =============================================================================================
// Alerts
// =============================================================================================

export interface Alert {
  /** "act": it happens unless signers or guardians react in time; "info": it happened. */
  level: "act" | "info";
  /** One line for people. */
  text: string;
  /** Until when signers or guardians can still react (veto, cancel, unfreeze), when they can. */
  reactBy?: bigint;
}

/** `1.5 ETH`, or base units and the token address when its symbol and decimals are not known. */
export function formatAssetAmount(
  amount: bigint,
  asset: string,
  assets: ReadonlyMap<string, AssetInfo> = new Map(),
): string {
  const info = isEth(asset) ? { symbol: "ETH", decimals: 18 } : assets.get(getAddress(asset));
  return info ? `${formatUnits(amount, info.decimals)} ${info.symbol}` : `${amount} base units of token ${asset}`;
}

/** Actions whose `value` means nothing (it must be zero). */
const NO_VALUE: readonly ConfigAction[] = [
  ConfigAction.ReplaceSigner,
  ConfigAction.ReplaceGuardian,
  ConfigAction.AllowDestination,
  ConfigAction.DisallowDestination,
];

/** A configuration change in words: `setWithdrawalDelay value 7200`, `replaceSigner 0x… → 0x…`. */
export function describeChange(c: Pick<ConfigChange, "action" | "account" | "replacement" | "value">): string {
  const parts = [CONFIG_ACTION_NAMES[c.action] ?? `action ${c.action}`];
  if (c.action === ConfigAction.SetOutflowLimit) parts.push(isEth(c.account) ? "ETH" : c.account);
  else if (c.account !== ZeroAddress) parts.push(c.account);
  if (c.replacement !== ZeroAddress) parts.push(`→ ${c.replacement}`);
  if (!NO_VALUE.includes(c.action)) parts.push(`value ${c.value}`);
  return parts.join(" ");
}

/** `1 approval`, `2 approvals`. */
function count(n: unknown, noun: string): string {
  return `${String(n)} ${noun}${BigInt(n as bigint) === 1n ? "" : "s"}`;
}

function short(id: unknown): string {
  return `${String(id).slice(0, 10)}…`;
}

/** The window of a queued operation in words, and until when to react. */
function queuedWindow(eta: bigint, deadline: bigint, now: bigint, who: string): { text: string; reactBy?: bigint } {
  if (now < eta) return { text: `executable from ${countdown(eta, now)}; ${who} until then`, reactBy: eta };
  if (now <= deadline)
    return { text: `executable now (since ${countdown(eta, now)}) until ${countdown(deadline, now)}` };
  return { text: `its execution window closed ${countdown(deadline, now)}` };
}

/**
 * The one-line alert for `event`, with the time left to react counted from `now`, or undefined for
 * events nobody needs to react to (heartbeats, deposits, bookkeeping). `timings` gives the
 * execution window (a queued operation's deadline is eta + window) and the long delay; `assets`
 * the symbol and decimals of tokens (ETH is known).
 */
export function alertFor(
  event: VaultEvent,
  now: bigint,
  timings: Pick<Timings, "executionWindow" | "longDelay">,
  assets: ReadonlyMap<string, AssetInfo> = new Map(),
): Alert | undefined {
  const a = event.args;
  const id = short(a["id"]);
  const info = (text: string): Alert => ({ level: "info", text });
  switch (event.kind) {
    case "WithdrawalQueued": {
      const eta = a["eta"] as bigint;
      const w = queuedWindow(
        eta,
        eta + timings.executionWindow,
        now,
        "guardians can veto it and the signer quorum cancel it",
      );
      return {
        level: "act",
        text: `withdrawal ${formatAssetAmount(a["amount"] as bigint, a["asset"] as string, assets)} to ${String(a["to"])} queued (slot ${a["slot"]}, id ${id}): ${w.text}`,
        ...(w.reactBy === undefined ? {} : { reactBy: w.reactBy }),
      };
    }
    case "ConfigChangeQueued": {
      const eta = a["eta"] as bigint;
      const w = queuedWindow(
        eta,
        eta + timings.executionWindow,
        now,
        "guardians can veto it and the signer quorum cancel it",
      );
      return {
        level: "act",
        text: `configuration change ${describeChange(a["change"] as ConfigChange)} queued (slot ${a["slot"]}, id ${id}): ${w.text}`,
        ...(w.reactBy === undefined ? {} : { reactBy: w.reactBy }),
      };
    }
    case "RecoveryQueued": {
      const eta = a["eta"] as bigint;
      const w = queuedWindow(eta, eta + timings.executionWindow, now, "the signer quorum can cancel it");
      return {
        level: "act",
        text: `RECOVERY queued by the guardians (id ${id}): the signers would become ${(a["signers"] as string[]).join(", ")} (threshold ${a["threshold"]}); ${w.text}`,
        ...(w.reactBy === undefined ? {} : { reactBy: w.reactBy }),
      };
    }
    case "CouncilChangeQueued": {
      const eta = a["eta"] as bigint;
      const c = a["change"] as CouncilChange;
      const signers = c.signers.length
        ? `signers → ${c.signers.join(", ")} (threshold ${c.threshold})`
        : "signers unchanged";
      const guardians = c.guardians.length
        ? `guardians → ${c.guardians.join(", ")} (threshold ${c.guardianThreshold})`
        : "guardians unchanged";
      const w = queuedWindow(
        eta,
        eta + timings.executionWindow,
        now,
        "nobody can cancel or veto it (only a newer council change supersedes it)",
      );
      return {
        level: "act",
        text: `COUNCIL CHANGE queued with ${count(a["approvals"], "approval")} (id ${id}): ${signers}; ${guardians}; council threshold ${c.councilThreshold}; ${w.text}`,
        ...(w.reactBy === undefined ? {} : { reactBy: w.reactBy }),
      };
    }
    case "OperationVetoed":
      return {
        level: "act",
        text: `guardians VETOED operation ${id} in slot ${a["slot"]} (${count(a["approvals"], "approval")}, ${a["required"]} required): it is cancelled; the signers may propose it again`,
      };
    case "Frozen": {
      const until = a["until"] as bigint;
      return {
        level: "act",
        text: `withdrawals FROZEN by the guardians (${count(a["approvals"], "approval")}) until ${countdown(until, now)}; the signer quorum can lift it earlier (vault unfreeze); next freeze possible from ${countdown(a["nextFreezeAt"] as bigint, now)}`,
        ...(until > now ? { reactBy: until } : {}),
      };
    }
    case "Unfrozen":
      return info(`withdrawals unfrozen at ${countdown(a["at"] as bigint, now)}`);
    case "OperationCancelled":
      return info(`operation ${id} in slot ${a["slot"]} cancelled`);
    case "RecoveryExecuted": {
      const until = a["coolOffUntil"] as bigint;
      return {
        level: "act",
        text: `RECOVERY ${id} executed: the signer set was replaced (the epoch advanced: every pending operation died); until ${countdown(until, now)} new withdrawals wait the long delay (${formatSpan(timings.longDelay)})`,
      };
    }
    case "RecoveryCancelled":
      return info(`recovery ${id} cancelled`);
    case "CouncilChangeExecuted":
      return info(`council change ${id} executed: signers and/or guardians replaced`);
    case "CouncilChangeSuperseded":
      return info(`council change ${id} superseded by a newer one`);
    case "WithdrawalProposed":
      return info(
        `withdrawal ${formatAssetAmount(a["amount"] as bigint, a["asset"] as string, assets)} to ${String(a["to"])} proposed on-chain by ${String(a["proposer"])} (id ${id}): waiting for approvals`,
      );
    case "ConfigChangeProposed":
      return info(
        `configuration change ${describeChange(a["change"] as ConfigChange)} proposed on-chain by ${String(a["proposer"])} (id ${id}): waiting for approvals`,
      );
    case "CancellationProposed":
      return info(
        `cancellation of operation ${short(a["operation"])} proposed on-chain by ${String(a["proposer"])} (id ${id})`,
      );
    case "OperationApproved":
      return info(`operation ${id} approved on-chain by ${String(a["signer"])} (${count(a["approvals"], "approval")})`);
    case "ProposalRevoked":
      return info(`proposal ${id} revoked by its proposer ${String(a["proposer"])}`);
    case "WithdrawalExecuted":
      return info(`withdrawal ${id} executed`);
    case "ConfigChangeExecuted":
      return info(`configuration change ${id} (${CONFIG_ACTION_NAMES[a["action"] as ConfigAction]}) executed`);
    case "Tightened":
      return info(
        `withdrawal policy tightened at once by the ${a["byGuardians"] ? "guardians" : "signers"}: ${CONFIG_ACTION_NAMES[a["action"] as ConfigAction]} (id ${id})`,
      );
    case "SignerAdded":
      return info(`signer ${String(a["signer"])} added`);
    case "SignerRemoved":
      return info(`signer ${String(a["signer"])} removed`);
    case "ThresholdChanged":
      return info(`signer threshold ${a["oldThreshold"]} → ${a["newThreshold"]}`);
    case "GuardianAdded":
      return info(`guardian ${String(a["guardian"])} added`);
    case "GuardianRemoved":
      return info(`guardian ${String(a["guardian"])} removed`);
    case "GuardianThresholdChanged":
      return info(`guardian threshold ${a["oldThreshold"]} → ${a["newThreshold"]}`);
    case "CouncilThresholdChanged":
      return info(`council threshold ${a["oldThreshold"]} → ${a["newThreshold"]}`);
    case "DelayChanged":
      return info(
        `${CONFIG_ACTION_NAMES[a["action"] as ConfigAction]}: ${formatSpan(a["oldValue"] as bigint)} → ${formatSpan(a["newValue"] as bigint)}`,
      );
    case "OutflowLimitChanged":
      return info(
        `outflow limit of ${isEth(a["asset"] as string) ? "ETH" : String(a["asset"])}: ${formatAssetAmount(a["oldLimit"] as bigint, a["asset"] as string, assets)} → ${formatAssetAmount(a["newLimit"] as bigint, a["asset"] as string, assets)}`,
      );
    case "AllowlistEntryChanged":
      return info(
        `destination ${String(a["destination"])} ${a["isAllowed"] ? "allowed" : "removed from the allowlist"}`,
      );
    case "AllowlistEnabledChanged":
      return info(`destination allowlist turned ${a["isEnabled"] ? "on" : "off"}`);
    default:
      return undefined;
  }
}

/** JSON on one line, bigints as decimal strings (for JSON Lines). */
export function toJsonLine(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}
