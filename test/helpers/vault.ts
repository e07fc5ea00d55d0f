/**
 * Shared test fixtures and helpers. Every test file creates its own chain with
 * `network.create()` and builds its fixtures with `makeVaultFixture(ethers, …)` so that
 * `loadFixture` snapshots them.
 */
import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";

import type { MockERC20, ReserveVault } from "../../types/ethers-contracts/index.js";
import {
  packSignatures,
  readDomain,
  signTypedData,
  withdrawalTypedData,
  configChangeTypedData,
  cancellationTypedData,
  type ConfigChange,
  type TypedData,
  type Withdrawal,
} from "../../scripts/lib/index.js";
import { compareAddresses } from "../../scripts/lib/signatures.js";
import type { TypedDataDomain } from "ethers";

export const HOUR = 3600n;
export const DAY = 24n * HOUR;

export const DEFAULT_DELAYS = {
  withdrawalDelay: DAY,
  configDelay: 2n * DAY,
  executionWindow: 7n * DAY,
};

export interface VaultFixtureOptions {
  signerCount?: number;
  threshold?: number;
  withdrawalDelay?: bigint;
  configDelay?: bigint;
  executionWindow?: bigint;
}

export interface VaultContext {
  vault: ReserveVault;
  vaultAddress: string;
  token: MockERC20;
  tokenAddress: string;
  domain: TypedDataDomain;
  /** Current signers, sorted ascending (the contract's order). */
  signers: HardhatEthersSigner[];
  /** Accounts that are not signers: [0] funds the vault, the rest are free to use. */
  outsiders: HardhatEthersSigner[];
  threshold: number;
}

/** Signers 1..signerCount of the node's accounts become vault signers; the vault gets 100 ETH and 1,000,000 tokens. */
export function makeVaultFixture(ethers: HardhatEthers, options: VaultFixtureOptions = {}) {
  const signerCount = options.signerCount ?? 3;
  const threshold = options.threshold ?? 2;
  return async function deployVault(): Promise<VaultContext> {
    const accounts = await ethers.getSigners();
    const funder = accounts[0]!;
    const signers = accounts.slice(1, 1 + signerCount).sort((a, b) => compareAddresses(a.address, b.address));
    const outsiders = [funder, ...accounts.slice(1 + signerCount)];
    const vault = await ethers.deployContract("ReserveVault", [
      {
        signers: signers.map((s) => s.address),
        threshold,
        withdrawalDelay: options.withdrawalDelay ?? DEFAULT_DELAYS.withdrawalDelay,
        configDelay: options.configDelay ?? DEFAULT_DELAYS.configDelay,
        executionWindow: options.executionWindow ?? DEFAULT_DELAYS.executionWindow,
      },
    ]);
    const vaultAddress = await vault.getAddress();
    const token = await ethers.deployContract("MockERC20", ["Mock USD", "mUSD", 6]);
    const tokenAddress = await token.getAddress();
    await funder.sendTransaction({ to: vaultAddress, value: ethers.parseEther("100") });
    await token.mint(vaultAddress, 1_000_000n * 10n ** 6n);
    return { vault, vaultAddress, token, tokenAddress, domain: await readDomain(vault), signers, outsiders, threshold };
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
