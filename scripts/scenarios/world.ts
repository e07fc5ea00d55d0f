/**
 * The stage every key-loss scenario plays on: a vault deployed on the in-process chain with named
 * people (signers, guardians, a relayer, the exchange's hot wallet, an attacker), a timeline, and
 * the library's proposal flow (build → sign → submit → execute) so scenarios do what the CLI does.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { getAddress } from "ethers";
import type { NetworkConnection } from "hardhat/types/network";

import type { GuardianModule, ReserveVault } from "../../types/ethers-contracts/index.js";
import {
  addSignature,
  callOf,
  compareAddresses,
  decodeVaultError,
  deployReserveVault,
  ETH,
  executeCall,
  explainRevert,
  formatSpan,
  initialConfig,
  packSignatures,
  proposalDigest,
  readOperation,
  recoveryCancellationTypedData,
  signTypedData,
  submitCall,
  typedDataOf,
  withdrawalProposal,
  type AnalysisCell,
  type InitialConfig,
  type KeyLoss,
  type Membership,
  type Outcome,
  type Proposal,
  type Timings,
} from "../lib/index.js";
import { Timeline } from "./timeline.js";

/** What a scenario saw, to compare with what the analysis predicts for the same loss. */
export interface ScenarioOutcome {
  title: string;
  timeline: Timeline;
  membership: Membership;
  timings: Timings;
  /** The keys the scenario lost or leaked, by count. */
  loss: KeyLoss;
  /** What happened on the chain. */
  observed: Outcome;
  /** ETH that left the vault to anyone but the exchange's own wallets. */
  stolen: bigint;
  /** Seconds from the loss until honest withdrawals executed again (undefined: never, or not lost). */
  resumedAfter?: bigint;
  /** The one-line outcome printed under the timeline. */
  summary: string;
}

export type Scenario = (connection: NetworkConnection, print?: (line: string) => void) => Promise<ScenarioOutcome>;

export interface WorldOptions {
  signers: number;
  threshold: number;
  guardians: number;
  guardianThreshold: number;
  councilThreshold?: number;
  /** Delays (default: the library's production-like DEFAULT_TIMINGS). */
  timings?: Partial<Timings>;
  /** ETH the exchange deposits (default 1,000). */
  deposit?: bigint;
}

/** The vault every scenario plays on: 2-of-3 signers, 2-of-3 guardians (council 4 by default). */
export const DEMO_VAULT: WorldOptions = { signers: 3, threshold: 2, guardians: 3, guardianThreshold: 2 };

const SIGNER_NAMES = ["alice", "bob", "carol", "dave", "erin", "frank", "grace"];
const GUARDIAN_NAMES = ["gina", "gus", "gwen", "gil", "gail"];

/** A vault with named keys on a chain whose time the scenario controls. */
export class World {
  readonly names = new Map<string, string>();

  private constructor(
    readonly connection: NetworkConnection,
    readonly vault: ReserveVault,
    readonly module: GuardianModule,
    readonly config: InitialConfig,
    /** Signers by name, in the order of SIGNER_NAMES. */
    readonly signers: HardhatEthersSigner[],
    readonly guardians: HardhatEthersSigner[],
    readonly relayer: HardhatEthersSigner,
    readonly hotWallet: HardhatEthersSigner,
    readonly attacker: HardhatEthersSigner,
    /** Accounts nobody uses yet: replacements for lost keys. */
    readonly spares: HardhatEthersSigner[],
    readonly timeline: Timeline,
  ) {}

  static async create(
    connection: NetworkConnection,
    title: string,
    o: WorldOptions,
    print?: (line: string) => void,
  ): Promise<World> {
    const { ethers, networkHelpers } = connection;
    const accounts = await ethers.getSigners();
    const [deployer, relayer, hotWallet, attacker] = accounts;
    const signers = accounts.slice(4, 4 + o.signers);
    const guardians = accounts.slice(4 + o.signers, 4 + o.signers + o.guardians);
    const spares = accounts.slice(4 + o.signers + o.guardians);
    const config = initialConfig({
      signers: signers.map((s) => s.address),
      threshold: o.threshold,
      guardians: guardians.map((g) => g.address),
      guardianThreshold: o.guardianThreshold,
      ...(o.councilThreshold === undefined ? {} : { councilThreshold: o.councilThreshold }),
      ...o.timings,
      // Routine outflow: up to 500 ETH a day to the exchange's hot wallet waits the normal delay.
      outflowLimits: [{ asset: ETH, limit: ethers.parseEther("500") }],
      allowlist: [hotWallet!.address],
      allowlistEnabled: true,
    });
    const { vault, guardianModule } = await deployReserveVault(ethers, config);
    await deployer!.sendTransaction({ to: await vault.getAddress(), value: o.deposit ?? ethers.parseEther("1000") });
    const timeline = new Timeline(title, BigInt(await networkHelpers.time.latest()), print);
    const world = new World(
      connection,
      vault,
      guardianModule,
      config,
      signers,
      guardians,
      relayer!,
      hotWallet!,
      attacker!,
      spares,
      timeline,
    );
    signers.forEach((s, i) => world.names.set(s.address, SIGNER_NAMES[i] ?? `signer${i}`));
    guardians.forEach((g, i) => world.names.set(g.address, GUARDIAN_NAMES[i] ?? `guardian${i}`));
    world.names.set(relayer!.address, "relayer");
    world.names.set(hotWallet!.address, "hot wallet");
    world.names.set(attacker!.address, "attacker");
    spares.forEach((s, i) => world.names.set(s.address, `new key ${i + 1}`));
    world.say(
      "deployer",
      `deploy vault, deposit ${ethers.formatEther(o.deposit ?? ethers.parseEther("1000"))} ETH`,
      `${o.threshold}-of-${o.signers} signers, ${o.guardianThreshold}-of-${o.guardians} guardians, council ${config.councilThreshold}; ` +
        `delays: withdrawal ${formatSpan(config.withdrawalDelay)}, long ${formatSpan(config.longDelay)}`,
    );
    return world;
  }

  get membership(): Membership {
    return {
      signers: this.config.signers.length,
      threshold: this.config.threshold,
      guardians: this.config.guardians.length,
      guardianThreshold: this.config.guardianThreshold,
      councilThreshold: this.config.councilThreshold,
    };
  }

  name(address: string): string {
    return this.names.get(address) ?? `${address.slice(0, 8)}…`;
  }

  /** `text` (a revert in words) for the timeline: known addresses by name, 32-byte ids shortened. */
  named(text: string): string {
    return text
      .replace(/0x[0-9a-fA-F]{64}/g, (id) => `${id.slice(0, 10)}…`)
      .replace(/0x[0-9a-fA-F]{40}/g, (a) => this.names.get(getAddress(a)) ?? a);
  }

  async now(): Promise<bigint> {
    return BigInt(await this.connection.networkHelpers.time.latest());
  }

  /** Records a step at the chain's current time. */
  async record(actor: string, action: string, result: string): Promise<void> {
    this.timeline.record(await this.now(), actor, action, result);
  }

  /** Records synchronously at the last known time (for the first line). */
  private say(actor: string, action: string, result: string): void {
    this.timeline.record(this.timeline.start, actor, action, result);
  }

  async advance(seconds: bigint): Promise<void> {
    await this.connection.networkHelpers.time.increase(seconds);
  }

  async advanceTo(at: bigint): Promise<void> {
    if (at > (await this.now())) await this.connection.networkHelpers.time.increaseTo(at);
  }

  /** `p` signed by `keys` (each signs the typed data rebuilt from the proposal, as `vault sign` does). */
  async sign(p: Proposal, keys: readonly HardhatEthersSigner[]): Promise<Proposal> {
    let signed = p;
    for (const key of [...keys].sort((a, b) => compareAddresses(a.address, b.address))) {
      signed = addSignature(signed, await signTypedData(key, typedDataOf(p)));
    }
    return signed;
  }

  /**
   * Submits a signed proposal from `from` (default: the relayer) as `vault submit` does; returns
   * undefined on success or the revert in words (nothing is sent when the simulation fails).
   */
  async submit(p: Proposal, from: HardhatEthersSigner = this.relayer): Promise<string | undefined> {
    return this.send(submitCall(p, this.vault.connect(from), this.module.connect(from)));
  }

  /** Executes a queued proposal as `vault execute` does; undefined on success, else the revert in words. */
  async execute(p: Proposal, from: HardhatEthersSigner = this.relayer): Promise<string | undefined> {
    return this.send(executeCall(p, this.vault.connect(from), this.module.connect(from))!);
  }

  /**
   * The signer quorum's cancellation of the guardians' queued recovery `id` (SPEC §6.3), signed by
   * `keys` and sent from `from`; undefined on success, else the revert in words.
   */
  async cancelRecovery(
    id: string,
    keys: readonly HardhatEthersSigner[],
    from: HardhatEthersSigner = this.relayer,
  ): Promise<string | undefined> {
    const data = await recoveryCancellationTypedData(this.vault, this.module, id);
    const signatures = packSignatures(await Promise.all(keys.map((k) => signTypedData(k, data))));
    const module = this.module.connect(from);
    return this.send(callOf("cancelRecovery", module.cancelRecovery, id, signatures));
  }

  private async send(call: {
    staticCall(): Promise<unknown>;
    send(): Promise<{ wait(): Promise<unknown> }>;
  }): Promise<string | undefined> {
    try {
      await call.staticCall();
    } catch (error) {
      const revert = decodeVaultError(error);
      if (revert === undefined) throw error;
      return explainRevert(revert);
    }
    await (await call.send()).wait();
    return undefined;
  }

  /** A withdrawal of `eth` ETH to `to`, proposed now (next nonce, a free slot). */
  async withdrawal(to: string, eth: string): Promise<Proposal> {
    return withdrawalProposal(this.vault, { asset: ETH, to, amount: this.connection.ethers.parseEther(eth) });
  }

  /** The state name and eta of a withdrawal or configuration change proposal. */
  async state(p: Proposal): Promise<{ state: string; eta: bigint; deadline: bigint }> {
    const s = await readOperation(this.vault, proposalDigest(p), p.slot ?? 0n);
    return { state: s.stateName, eta: s.eta, deadline: s.deadline };
  }

  async balance(address: string): Promise<bigint> {
    return this.connection.ethers.provider.getBalance(address);
  }

  /** Builds the outcome record and prints its summary line. */
  finish(fields: Omit<ScenarioOutcome, "title" | "timeline" | "membership" | "timings">): ScenarioOutcome {
    this.timeline.outcome(fields.summary);
    return {
      title: this.timeline.title,
      timeline: this.timeline,
      membership: this.membership,
      timings: this.config,
      ...fields,
    };
  }
}

/** Whether a scenario's observed outcome is the analysis' prediction for the same loss. */
export function agrees(outcome: ScenarioOutcome, cell: AnalysisCell): boolean {
  return outcome.observed === cell.verdict.outcome;
}
