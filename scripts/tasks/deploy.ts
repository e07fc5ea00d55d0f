/**
 * `npx hardhat vault deploy <config file> [--network <name>] [--yes] [--deployment-id <id>]`
 *
 * Validates the configuration file (nothing is sent for a bad file), shows the chain, the deployer
 * and the decoded configuration, asks for confirmation on any chain but the local ones, writes the
 * Ignition parameters to deploy/parameters/<network>.json, deploys through deploy/modules, then
 * reads every field back from the chain and compares it with the file (exit code 1 on a mismatch).
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import ReserveVaultModule from "../../deploy/modules/ReserveVault.js";
import { GuardianModule__factory, ReserveVault__factory } from "../../types/ethers-contracts/index.js";
import {
  compareConfigs,
  describeConfig,
  ignitionParameters,
  loadVaultConfig,
  readDeployedConfig,
} from "../lib/index.js";
import { command, confirm, UserError, type CommonArguments, type Output } from "./cli.js";

interface DeployArguments extends CommonArguments {
  configFile: string;
  yes: boolean;
  deploymentId: string;
}

/** Hardhat's own chain id: the in-process network and `npx hardhat node`. */
const LOCAL_CHAIN_ID = 31337n;

async function deploy(args: DeployArguments, hre: HardhatRuntimeEnvironment, out: Output): Promise<void> {
  const config = await loadVaultConfig(args.configFile);

  const { ethers, ignition, networkName, networkConfig } = await hre.network.getOrCreate();
  const chainId = (await ethers.provider.getNetwork()).chainId;
  const [deployer] = await ethers.getSigners();
  if (deployer === undefined) {
    throw new UserError(
      `network "${networkName}" has no account to deploy from: set DEPLOYER_PRIVATE_KEY (see .env.example)`,
    );
  }
  const local = networkConfig.type === "edr-simulated" || chainId === LOCAL_CHAIN_ID;
  const balance = await ethers.provider.getBalance(deployer.address);

  out.say(`Deploying a ReserveVault from ${args.configFile}\n`);
  out.rows([
    ["network", `${networkName} (chain id ${chainId}${local ? ", local" : ""})`],
    ["deployer", `${deployer.address} (balance ${ethers.formatEther(balance)} ETH; deploys only, gets no role)`],
    ...describeConfig(config).map((f) => [f.field, f.value]),
  ]);
  out.say();
  if (!local)
    await confirm(`Deploy this vault to ${networkName} (chain id ${chainId}) from ${deployer.address}?`, args);

  const parameters = ignitionParameters(config);
  const parametersFile = path.relative(
    process.cwd(),
    path.join(hre.config.paths.ignition, "parameters", `${networkName}.json`),
  );
  await mkdir(path.dirname(parametersFile), { recursive: true });
  await writeFile(parametersFile, `${JSON.stringify(parameters, null, 2)}\n`);

  const deploymentId = args.deploymentId === "" ? `chain-${chainId}` : args.deploymentId;
  const recordDir = path.relative(process.cwd(), path.join(hre.config.paths.ignition, "deployments", deploymentId));
  if (local && networkConfig.type !== "edr-simulated") await dropStaleLocalRecord(recordDir, ethers.provider, out);

  // Ignition's progress display redraws in place: only on a terminal (elsewhere it repeats itself).
  const displayUi = process.stdout.isTTY === true && !out.json;
  if (!displayUi)
    out.say(`Deploying ConfigRules, GuardianModule and ReserveVault (Ignition deployment ${deploymentId})...`);
  const deployed = await ignition.deploy(ReserveVaultModule, { parameters, deploymentId, displayUi });
  const vaultAddress = await deployed.vault.getAddress();
  const vault = ReserveVault__factory.connect(vaultAddress, ethers.provider);
  const guardianModule = GuardianModule__factory.connect(await deployed.guardianModule.getAddress(), ethers.provider);
  const onChain = await readDeployedConfig(
    vault,
    guardianModule,
    config.outflowLimits.map((l) => l.asset),
  );
  const comparison = compareConfigs(config, onChain);
  const mismatches = comparison.filter((c) => !c.matches);

  out.say("\nRead back from the chain:");
  out.rows(
    comparison.map((c) => [
      c.field,
      c.matches ? "ok" : "MISMATCH",
      c.matches ? c.actual : `chain: ${c.actual} | file: ${c.expected}`,
    ]),
  );
  const addresses = {
    vault: vaultAddress,
    guardianModule: await guardianModule.getAddress(),
    rules: await deployed.rules.getAddress(),
  };
  const record = networkConfig.type === "edr-simulated" ? null : recordDir;
  out.result({
    network: networkName,
    chainId,
    deployer: deployer.address,
    ...addresses,
    parameters: parametersFile,
    record,
    readBack: comparison,
  });
  if (mismatches.length > 0) {
    throw new UserError(
      `the vault at ${vaultAddress} does not hold the configuration in ${args.configFile}: ` +
        `${mismatches.map((m) => m.field).join(", ")} differ. Do not fund it.`,
    );
  }
  out.say(`\nReserveVault      ${addresses.vault}`);
  out.say(`GuardianModule    ${addresses.guardianModule}`);
  out.say(`ConfigRules       ${addresses.rules}`);
  out.say(`parameters        ${parametersFile}`);
  out.say(`record            ${record ?? "(none: the in-process chain ends with this command)"}`);
  out.say(
    `\n${config.threshold}-of-${config.signers.length} signers, ${config.guardianThreshold}-of-${config.guardians.length} guardians; ` +
      `all ${comparison.length} fields read back and match ${args.configFile}.`,
  );
}

/**
 * A local node forgets everything when it stops, but Ignition's record of a deployment to it stays
 * in deploy/deployments/chain-31337 (git-ignored); resuming from it would fail. If a contract it
 * records has no code on the chain, the record is stale and is removed.
 */
async function dropStaleLocalRecord(
  recordDir: string,
  provider: { getCode(address: string): Promise<string> },
  out: Output,
): Promise<void> {
  const addressesFile = path.join(recordDir, "deployed_addresses.json");
  if (!existsSync(recordDir)) return;
  const addresses = existsSync(addressesFile)
    ? Object.values(JSON.parse(await readFile(addressesFile, "utf8")) as Record<string, string>)
    : [];
  const codes = await Promise.all(addresses.map((a) => provider.getCode(a)));
  if (addresses.length > 0 && codes.every((code) => code !== "0x")) return;
  out.say(`(removing ${recordDir}: it records contracts this local chain does not have — the node was restarted)\n`);
  await rm(recordDir, { recursive: true, force: true });
}

export default command<DeployArguments>(deploy);
