/**
 * A vault's initial configuration (the constructor's `InitialConfig`), with the rules the contract
 * enforces on it mirrored here so tools can build a valid one and explain an invalid one.
 */
import { getAddress } from "ethers";

import { compareAddresses } from "./signatures.js";

export const HOUR = 3_600n;
export const DAY = 24n * HOUR;
/** Mirrors of the contract's bounds (VaultState / MembershipRules). */
export const BOUNDS = {
  maxSigners: 32,
  maxGuardians: 32,
  minDelay: HOUR,
  maxDelay: 30n * DAY,
  minExecutionWindow: HOUR,
  maxExecutionWindow: 30n * DAY,
  minFreeze: 60n,
  maxAllowlist: 64,
  minOutflowPeriod: HOUR,
  maxOutflowPeriod: 30n * DAY,
} as const;

/** The largest outflow limit (2^96 - 1), which also means "no limit": outflow is not counted. */
export const UNLIMITED = 2n ** 96n - 1n;

/** An asset's outflow limit per period (address(0) = ETH), in base units. */
export interface OutflowLimit {
  asset: string;
  limit: bigint;
}

/**
 * The withdrawal policy (the constructor's `InitialPolicy`, docs/SPEC.md §4). An asset without a
 * limit has limit 0: every withdrawal of it waits the long delay.
 */
export interface InitialPolicy {
  outflowPeriod: bigint;
  outflowLimits: OutflowLimit[];
  allowlist: string[];
  allowlistEnabled: boolean;
}

export interface Timings {
  withdrawalDelay: bigint;
  configDelay: bigint;
  executionWindow: bigint;
  longDelay: bigint;
  coolOff: bigint;
  recoveryDelay: bigint;
  councilDelay: bigint;
  maxFreeze: bigint;
  freezeCooldown: bigint;
  vetoQuietPeriod: bigint;
}

export interface InitialConfig extends Timings, InitialPolicy {
  signers: string[];
  threshold: number;
  guardians: string[];
  guardianThreshold: number;
  councilThreshold: number;
}

/** The ten delays, in the order of the constructor's InitialConfig and ConfigRules.checkTimings. */
export const TIMING_KEYS = [
  "withdrawalDelay",
  "configDelay",
  "executionWindow",
  "longDelay",
  "coolOff",
  "recoveryDelay",
  "councilDelay",
  "maxFreeze",
  "freezeCooldown",
  "vetoQuietPeriod",
] as const satisfies readonly (keyof Timings)[];

/**
 * Production-like delays: a day for withdrawals, two for configuration, a week to execute; the
 * long delay (recovery cool-off) three days; recovery three days and the council four (both at
 * least the configuration delay, so signers can react); freezes of at most three days, a week
 * apart; one veto level decays per week.
 */
export const DEFAULT_TIMINGS: Timings = {
  withdrawalDelay: DAY,
  configDelay: 2n * DAY,
  executionWindow: 7n * DAY,
  longDelay: 3n * DAY,
  coolOff: 7n * DAY,
  recoveryDelay: 3n * DAY,
  councilDelay: 4n * DAY,
  maxFreeze: 3n * DAY,
  freezeCooldown: 7n * DAY,
  vetoQuietPeriod: 7n * DAY,
};

/**
 * Smallest and largest valid council threshold (MembershipRules.councilBounds): a strict majority
 * of all keys (2C > N + G) that neither quorum reaches alone (C > max(M, K)) and that the keys
 * outside either quorum still reach (C <= N + G - max(M, K)).
 */
export function councilBounds(n: number, m: number, g: number, k: number): { min: number; max: number } {
  const quorum = Math.max(m, k);
  return { min: Math.max(Math.floor((n + g) / 2) + 1, quorum + 1), max: Math.max(n + g - quorum, 0) };
}

/**
 * The default policy: daily periods, no limits (every withdrawal waits the long delay until limits
 * are set: the safe default), allowlist empty and off.
 */
export const DEFAULT_POLICY: InitialPolicy = {
  outflowPeriod: DAY,
  outflowLimits: [],
  allowlist: [],
  allowlistEnabled: false,
};

/**
 * A complete initial configuration: addresses checksummed and sorted, delays defaulted from
 * DEFAULT_TIMINGS, the policy from DEFAULT_POLICY, and the council threshold defaulted to its
 * smallest valid value.
 */
export function initialConfig(
  fields: Pick<InitialConfig, "signers" | "threshold" | "guardians" | "guardianThreshold"> &
    Partial<Omit<InitialConfig, "signers" | "threshold" | "guardians" | "guardianThreshold">>,
): InitialConfig {
  const sort = (xs: string[]) => xs.map((x) => getAddress(x)).sort(compareAddresses);
  const signers = sort(fields.signers);
  const guardians = sort(fields.guardians);
  const council =
    fields.councilThreshold ??
    councilBounds(signers.length, fields.threshold, guardians.length, fields.guardianThreshold).min;
  const allowlist = sort(fields.allowlist ?? DEFAULT_POLICY.allowlist);
  const outflowLimits = (fields.outflowLimits ?? DEFAULT_POLICY.outflowLimits).map((l) => ({
    asset: getAddress(l.asset),
    limit: l.limit,
  }));
  return {
    ...DEFAULT_TIMINGS,
    ...DEFAULT_POLICY,
    ...fields,
    signers,
    guardians,
    allowlist,
    outflowLimits,
    councilThreshold: council,
  };
}
