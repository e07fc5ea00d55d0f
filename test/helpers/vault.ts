/**
 * Shared test fixtures and helpers. Every test file creates its own chain with
 * `network.create()` and builds its fixtures with `makeVaultFixture(ethers, …)` so that
 * `loadFixture` snapshots them.
 */
import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { Time } from "@nomicfoundation/hardhat-network-helpers/types";

import type { GuardianModule, MockERC20, ReserveVault } from "../../types/ethers-contracts/index.js";
import {
  digest,
  findFreeSlot,
  nextWithdrawal,
  packSignatures,
  readDomain,
  signTypedData,
  withdrawalTypedData,
  DAY,
  DEFAULT_TIMINGS,
  deployReserveVault,
  HOUR,
  initialConfig,
  configChangeTypedData,
  type Timings,
  cancellationTypedData,
  type ConfigChange,
  type TypedData,
  type Withdrawal,
  ETH,
  UNLIMITED,
  type InitialPolicy,
  type OutflowLimit,
} from "../../scripts/lib/index.js";
import { compareAddresses } from "../../scripts/lib/signatures.js";
import type { TypedDataDomain } from "ethers";

export { DAY, HOUR } from "../../scripts/lib/index.js";

/** The signer-side delays of the default fixture: the library's defaults (1 day, 2 days, 7 days). */
export const DEFAULT_DELAYS = {
  withdrawalDelay: DEFAULT_TIMINGS.withdrawalDelay,
  configDelay: DEFAULT_TIMINGS.configDelay,
  executionWindow: DEFAULT_TIMINGS.executionWindow,
};

/**
 * The guardian-side delays of the default fixture are the loosest the contract allows, so that the
 * signer-side tests see the same bounds as a vault without guardians: the longest long delay,
 * recovery, council and veto decay (30 days), and the shortest freeze (1 minute). Guardian tests
 * pass realistic values (scripts/lib DEFAULT_TIMINGS).
 */
export const LOOSE_GUARDIAN_TIMINGS = {
  longDelay: 30n * DAY,
  coolOff: HOUR,
  recoveryDelay: 30n * DAY,
  councilDelay: 30n * DAY,
  maxFreeze: 60n,
  freezeCooldown: 60n,
  vetoQuietPeriod: 30n * DAY,
};

/**
 * The withdrawal policy of the default fixture: ETH and the fixture's token without a limit and no
 * allowlist, so that every withdrawal waits the normal delay unless a test sets a policy (the
 * contract's own default, limit 0, is the long delay for everything: test/vault/policy.test.ts).
 */
export function unlimited(...assets: string[]): OutflowLimit[] {
  return assets.map((asset) => ({ asset, limit: UNLIMITED }));
}

export interface VaultFixtureOptions
  extends
    Partial<Omit<Timings, "withdrawalDelay" | "configDelay" | "executionWindow">>,
    Partial<Omit<InitialPolicy, "outflowLimits">> {
  /** Outflow limits; `token` stands for the fixture's token. Default: ETH and the token unlimited. */
  outflowLimits?: { asset: string | "token"; limit: bigint }[];
  signerCount?: number;
  threshold?: number;
  guardianCount?: number;
  guardianThreshold?: number;
  councilThreshold?: number;
  withdrawalDelay?: bigint;
  configDelay?: bigint;
  executionWindow?: bigint;
}

export interface VaultContext {
  vault: ReserveVault;
  guardianModule: GuardianModule;
  /** The module's EIP-712 domain (guardian, council and signer actions on the module). */
  guardianDomain: TypedDataDomain;
  /** Guardians, sorted ascending. */
  guardians: HardhatEthersSigner[];
  guardianThreshold: number;
  councilThreshold: number;
  vaultAddress: string;
  token: MockERC20;
  tokenAddress: string;
  domain: TypedDataDomain;
  /** Current signers, sorted ascending (the contract's order). */
  signers: HardhatEthersSigner[];
  /** Accounts that are neither signers nor guardians: [0] funds the vault, the rest are free to use. */
  outsiders: HardhatEthersSigner[];
  threshold: number;
}

/**
 * Accounts 1..signerCount become signers and the next guardianCount (default 3, threshold 2)
 * guardians; the vault gets 100 ETH and 1,000,000 tokens.
 */
export function makeVaultFixture(ethers: HardhatEthers, options: VaultFixtureOptions = {}) {
  const signerCount = options.signerCount ?? 3;
  const threshold = options.threshold ?? 2;
  const guardianCount = options.guardianCount ?? 3;
  const guardianThreshold = options.guardianThreshold ?? 2;
  return async function deployVault(): Promise<VaultContext> {
    const accounts = await ethers.getSigners();
    const funder = accounts[0]!;
    const byAddress = (a: HardhatEthersSigner, b: HardhatEthersSigner) => compareAddresses(a.address, b.address);
    const signers = accounts.slice(1, 1 + signerCount).sort(byAddress);
    const guardians = accounts.slice(1 + signerCount, 1 + signerCount + guardianCount).sort(byAddress);
    const outsiders = [funder, ...accounts.slice(1 + signerCount + guardianCount)];
    const {
      signerCount: _n,
      threshold: _m,
      guardianCount: _g,
      guardianThreshold: _k,
      outflowLimits,
      ...rest
    } = options;
    // The token first, so that the policy can name it.
    const token = await ethers.deployContract("MockERC20", ["Mock USD", "mUSD", 6]);
    const tokenAddress = await token.getAddress();
    const limits = (outflowLimits ?? unlimited(ETH, "token")).map((l) => ({
      asset: l.asset === "token" ? tokenAddress : l.asset,
      limit: l.limit,
    }));
    const config = initialConfig({
      ...DEFAULT_DELAYS,
      ...LOOSE_GUARDIAN_TIMINGS,
      ...rest,
      outflowLimits: limits,
      signers: signers.map((s) => s.address),
      threshold,
      guardians: guardians.map((g) => g.address),
      guardianThreshold,
    });
    const { vault, guardianModule } = await deployReserveVault(ethers, config);
    const vaultAddress = await vault.getAddress();
    await funder.sendTransaction({ to: vaultAddress, value: ethers.parseEther("100") });
    await token.mint(vaultAddress, 1_000_000n * 10n ** 6n);
    return {
      vault,
      vaultAddress,
      guardianModule,
      guardianDomain: await readDomain(guardianModule),
      guardians,
      guardianThreshold,
      councilThreshold: config.councilThreshold,
      token,
      tokenAddress,
      domain: await readDomain(vault),
      signers,
      outsiders,
      threshold,
    };
  };
}

/** Packed signatures of `signers` over typed data. */
export async function signAll(data: TypedData, signers: readonly HardhatEthersSigner[]): Promise<string> {
  return packSignatures(await Promise.all(signers.map((s) => signTypedData(s, data))));
}

export function signWithdrawal(ctx: VaultContext, w: Withdrawal, signers: readonly HardhatEthersSigner[]) {
  return signAll(withdrawalTypedData(ctx.domain, w), signers);
}

export function signConfigChange(ctx: VaultContext, c: ConfigChange, signers: readonly HardhatEthersSigner[]) {
  return signAll(configChangeTypedData(ctx.domain, c), signers);
}

export function signCancellation(
  ctx: VaultContext,
  operation: string,
  epoch: number,
  signers: readonly HardhatEthersSigner[],
) {
  return signAll(cancellationTypedData(ctx.domain, operation, epoch), signers);
}

/** Named accounts of a fixture with at least three signers. */
export interface Roles {
  /** The three lowest signers, in ascending address order (alice < bob < carol). */
  alice: HardhatEthersSigner;
  bob: HardhatEthersSigner;
  carol: HardhatEthersSigner;
  /** Outsiders: submits signatures and executes; receives withdrawals; has no role at all. */
  relayer: HardhatEthersSigner;
  recipient: HardhatEthersSigner;
  stranger: HardhatEthersSigner;
}

export function roles(ctx: VaultContext): Roles {
  const at = (accounts: readonly HardhatEthersSigner[], index: number): HardhatEthersSigner => {
    const account = accounts[index];
    if (account === undefined) throw new Error(`fixture has no account at index ${index}: deploy more signers`);
    return account;
  };
  return {
    alice: at(ctx.signers, 0),
    bob: at(ctx.signers, 1),
    carol: at(ctx.signers, 2),
    relayer: at(ctx.outsiders, 1),
    recipient: at(ctx.outsiders, 2),
    stranger: at(ctx.outsiders, 3),
  };
}

/** The id of `w` in the vault of `ctx`, computed off-chain (its EIP-712 digest). */
export function withdrawalId(ctx: VaultContext, w: Withdrawal): string {
  return digest(withdrawalTypedData(ctx.domain, w));
}

/**
 * Pins the next block's timestamp to one second after the latest block and returns it, so a test can
 * predict the eta of what it queues (the node's clock otherwise follows wall time).
 */
export async function pinNextTimestamp(time: Time): Promise<bigint> {
  const next = BigInt(await time.latest()) + 1n;
  await time.setNextBlockTimestamp(next);
  return next;
}

export interface QueuedWithdrawal {
  w: Withdrawal;
  id: string;
  slot: bigint;
  eta: bigint;
}

/**
 * Queues a withdrawal of the asset's next nonce with the signatures of the first `threshold` signers,
 * submitted by `roles(ctx).relayer`, in `slot` (default: the lowest free slot).
 */
export async function queueSignedWithdrawal(
  ctx: VaultContext,
  fields: { asset: string; to: string; amount: bigint },
  slot?: bigint,
): Promise<QueuedWithdrawal> {
  const w = await nextWithdrawal(ctx.vault, fields);
  const s = slot ?? (await findFreeSlot(ctx.vault));
  const signatures = await signWithdrawal(ctx, w, ctx.signers.slice(0, ctx.threshold));
  await ctx.vault.connect(roles(ctx).relayer).queueWithdrawal(w, s, signatures);
  const { eta } = await ctx.vault.queueSlot(s);
  return { w, id: withdrawalId(ctx, w), slot: s, eta };
}
