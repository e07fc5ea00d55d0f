/**
 * Deploying a vault: the stateless ConfigRules (once; any number of vaults may share it), its
 * GuardianModule, then the ReserveVault, whose constructor binds the module and checks guardians,
 * signers, delays and policy together. Used by the tests, the demo and the benchmark; Ignition
 * (deploy/modules) does the same steps.
 */
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";

import type { ConfigRules, GuardianModule, ReserveVault } from "../../types/ethers-contracts/index.js";
import type { InitialConfig } from "./config.js";

/** The vault constructor's first two arguments: `InitialConfig` (signers, threshold, delays) and `InitialPolicy`. */
export function vaultArguments(config: InitialConfig) {
  const {
    guardians: _g,
    guardianThreshold: _k,
    councilThreshold: _c,
    outflowPeriod,
    outflowLimits,
    allowlist,
    allowlistEnabled,
    ...vault
  } = config;
  return [vault, { outflowPeriod, outflowLimits, allowlist, allowlistEnabled }] as const;
}

export interface DeployedVault {
  vault: ReserveVault;
  guardianModule: GuardianModule;
  rules: ConfigRules;
}

/**
 * Deploys and binds a GuardianModule and a ReserveVault for `config` (see `initialConfig`), with the
 * ConfigRules at `rules` or a new one.
 */
export async function deployReserveVault(
  ethers: HardhatEthers,
  config: InitialConfig,
  options: { rules?: string } = {},
): Promise<DeployedVault> {
  const rules = options.rules
    ? await ethers.getContractAt("ConfigRules", options.rules)
    : await ethers.deployContract("ConfigRules");
  const guardianModule = await ethers.deployContract("GuardianModule", [
    config.guardians,
    config.guardianThreshold,
    config.councilThreshold,
  ]);
  const vault = await ethers.deployContract("ReserveVault", [
    ...vaultArguments(config),
    await guardianModule.getAddress(),
    await rules.getAddress(),
  ]);
  return { vault, guardianModule, rules };
}
