/**
 * Deploying from a configuration file and proving the result: the Ignition parameters a validated
 * configuration becomes (deploy/modules/ReserveVault.ts), everything a deployed vault and its
 * guardian module report read back into the same shape, and a field-by-field comparison of the two.
 */
import { formatEther, ZeroAddress } from "ethers";

import type { GuardianModule, ReserveVault } from "../../types/ethers-contracts/index.js";
import { TIMING_KEYS, UNLIMITED, type InitialConfig } from "./config.js";
import { formatDuration } from "./vault-config.js";

/** The Ignition module's id, which is also the key of its parameters in deploy/parameters/<network>.json. */
export const IGNITION_MODULE_ID = "ReserveVault";

/**
 * Ignition parameters of deploy/modules/ReserveVault.ts: JSON (delays as numbers, limits as decimal
 * strings). A type alias, not an interface, so it is assignable to Ignition's `ModuleParameters`.
 */
export type ReserveVaultParameters = {
  signers: string[];
  threshold: number;
  guardians: string[];
  guardianThreshold: number;
  councilThreshold: number;
  withdrawalDelay: number;
  configDelay: number;
  executionWindow: number;
  longDelay: number;
  coolOff: number;
  recoveryDelay: number;
  councilDelay: number;
  maxFreeze: number;
  freezeCooldown: number;
  vetoQuietPeriod: number;
  outflowPeriod: number;
  outflowLimits: { asset: string; limit: string }[];
  allowlist: string[];
  allowlistEnabled: boolean;
};

/** The parameters file content (`{ "ReserveVault": {...} }`) that deploys `config`. */
export function ignitionParameters(config: InitialConfig): { [IGNITION_MODULE_ID]: ReserveVaultParameters } {
  const delays = Object.fromEntries(TIMING_KEYS.map((k) => [k, Number(config[k])])) as Pick<
    ReserveVaultParameters,
    (typeof TIMING_KEYS)[number]
  >;
  return {
    [IGNITION_MODULE_ID]: {
      signers: config.signers,
      threshold: config.threshold,
      guardians: config.guardians,
      guardianThreshold: config.guardianThreshold,
      councilThreshold: config.councilThreshold,
      ...delays,
      outflowPeriod: Number(config.outflowPeriod),
      outflowLimits: config.outflowLimits.map((l) => ({ asset: l.asset, limit: l.limit.toString() })),
      allowlist: config.allowlist,
      allowlistEnabled: config.allowlistEnabled,
    },
  };
}

/**
 * Everything a deployed vault and its guardian module report, in the shape of `InitialConfig`.
 * Outflow limits are read for `assets` (the vault cannot list the assets it has limits for).
 */
export async function readDeployedConfig(
  vault: ReserveVault,
  guardianModule: GuardianModule,
  assets: readonly string[],
): Promise<InitialConfig> {
  const [configuration, signers, [delays], [, outflowPeriod, allowlistEnabled, allowlist], guardians, counts, limits] =
    await Promise.all([
      vault.configuration(),
      vault.signers(),
      vault.timings(),
      vault.withdrawalPolicy(),
      guardianModule.guardians(),
      guardianModule.guardianCounts(),
      Promise.all(assets.map((a) => vault.outflow(a))),
    ]);
  const timings = Object.fromEntries(TIMING_KEYS.map((k) => [k, delays[k]])) as Pick<
    InitialConfig,
    (typeof TIMING_KEYS)[number]
  >;
  return {
    signers: [...signers],
    threshold: Number(configuration.threshold),
    guardians: [...guardians],
    guardianThreshold: Number(counts.guardianThreshold),
    councilThreshold: Number(counts.councilThreshold),
    ...timings,
    outflowPeriod,
    outflowLimits: assets.map((asset, i) => ({ asset, limit: limits[i]!.limit })),
    allowlist: [...allowlist],
    allowlistEnabled,
  };
}

/** One field of a configuration as the file names it (`delays.longDelay`), in words. */
export interface ConfigField {
  field: string;
  value: string;
}

function assetName(asset: string): string {
  return asset === ZeroAddress ? "ETH" : asset;
}

function limitText(asset: string, limit: bigint): string {
  if (limit === UNLIMITED) return "unlimited";
  return asset === ZeroAddress ? `${formatEther(limit)} ETH (${limit} wei)` : `${limit} base units`;
}

function listText(addresses: readonly string[]): string {
  return addresses.length === 0 ? "(none)" : addresses.join(", ");
}

/**
 * A configuration as the fields of its file, in file order, each value in words (durations with
 * days and hours, ETH limits in ether and wei). What a deployer confirms, and what read-back compares.
 */
export function describeConfig(config: InitialConfig): ConfigField[] {
  const n = config.signers.length;
  const g = config.guardians.length;
  return [
    { field: "signers", value: listText(config.signers) },
    { field: "threshold", value: `${config.threshold} of ${n} signers` },
    { field: "guardians", value: listText(config.guardians) },
    { field: "guardianThreshold", value: `${config.guardianThreshold} of ${g} guardians` },
    { field: "councilThreshold", value: `${config.councilThreshold} of ${n + g} keys (signers and guardians)` },
    ...TIMING_KEYS.map((k) => ({ field: `delays.${k}`, value: formatDuration(config[k]) })),
    { field: "policy.outflowPeriod", value: formatDuration(config.outflowPeriod) },
    ...config.outflowLimits.map((l) => ({
      field: `policy.outflowLimits[${assetName(l.asset)}]`,
      value: limitText(l.asset, l.limit),
    })),
    { field: "policy.allowlist", value: listText(config.allowlist) },
    { field: "policy.allowlistEnabled", value: String(config.allowlistEnabled) },
  ];
}

/** One field compared: what the file says, what the chain reports. */
export interface FieldComparison {
  field: string;
  expected: string;
  actual: string;
  matches: boolean;
}

/**
 * `expected` (the file) against `actual` (read from the chain), field by field. Both describe the
 * same fields when `actual` was read for the assets `expected` limits (see `readDeployedConfig`).
 */
export function compareConfigs(expected: InitialConfig, actual: InitialConfig): FieldComparison[] {
  const got = new Map(describeConfig(actual).map((f) => [f.field, f.value]));
  return describeConfig(expected).map(({ field, value }) => {
    const actualValue = got.get(field) ?? "(not reported)";
    return { field, expected: value, actual: actualValue, matches: actualValue === value };
  });
}
