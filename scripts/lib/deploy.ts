/**
 * Deploying a vault: its GuardianModule first, then the ReserveVault, whose constructor binds the
 * module and checks guardians and signers together. Used by the tests, the demo and the benchmark;
 * Ignition (deploy/modules) does the same two steps.
 */
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";

import type { GuardianModule, ReserveVault } from "../../types/ethers-contracts/index.js";
import type { InitialConfig } from "./config.js";

/** The vault constructor's first argument: everything but the guardian fields. */
export function vaultArguments(config: InitialConfig) {
  const { guardians: _g, guardianThreshold: _k, councilThreshold: _c, ...vault } = config;
  return vault;
}

export interface DeployedVault {
  vault: ReserveVault;
  guardianModule: GuardianModule;
}

/** Deploys and binds a GuardianModule and a ReserveVault for `config` (see `initialConfig`). */
export async function deployReserveVault(ethers: HardhatEthers, config: InitialConfig): Promise<DeployedVault> {
  const guardianModule = await ethers.deployContract("GuardianModule", [
    config.guardians,
    config.guardianThreshold,
    config.councilThreshold,
  ]);
  const vault = await ethers.deployContract("ReserveVault", [vaultArguments(config), await guardianModule.getAddress()]);
  return { vault, guardianModule };
}
