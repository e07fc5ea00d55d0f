/**
 * Safe 1.4.1 from the npm package's build artifacts, for the benchmark only: deploy the singleton
 * and SafeProxyFactory from their bytecode, create a Safe, and run `execTransaction` with EIP-712
 * owner signatures (sorted by owner, as Safe requires).
 */
import { createRequire } from "node:module";

import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { Contract, ContractFactory, ZeroAddress, type ContractTransactionReceipt, type InterfaceAbi } from "ethers";

import { compareAddresses, packSignatures } from "../lib/index.js";

const require = createRequire(import.meta.url);
const ARTIFACTS = "@safe-global/safe-contracts/build/artifacts/contracts";

interface Artifact {
  abi: InterfaceAbi;
  bytecode: string;
}

const SAFE_TX_TYPES = {
  SafeTx: [
    { name: "to", type: "address" },
    { name: "value", type: "uint256" },
    { name: "data", type: "bytes" },
    { name: "operation", type: "uint8" },
    { name: "safeTxGas", type: "uint256" },
    { name: "baseGas", type: "uint256" },
    { name: "gasPrice", type: "uint256" },
    { name: "gasToken", type: "address" },
    { name: "refundReceiver", type: "address" },
    { name: "nonce", type: "uint256" },
  ],
};

export interface SafeFactory {
  singleton: string;
  factory: Contract;
  safeAbi: InterfaceAbi;
}

/** Deploys the Safe 1.4.1 singleton and proxy factory from the package's bytecode. */
export async function deploySafeFactory(ethers: HardhatEthers, deployer: HardhatEthersSigner): Promise<SafeFactory> {
  const safe = require(`${ARTIFACTS}/Safe.sol/Safe.json`) as Artifact;
  const proxyFactory = require(`${ARTIFACTS}/proxies/SafeProxyFactory.sol/SafeProxyFactory.json`) as Artifact;
  const singleton = await new ContractFactory(safe.abi, safe.bytecode, deployer).deploy();
  const factory = await new ContractFactory(proxyFactory.abi, proxyFactory.bytecode, deployer).deploy();
  await Promise.all([singleton.waitForDeployment(), factory.waitForDeployment()]);
  void ethers;
  return { singleton: await singleton.getAddress(), factory: factory as Contract, safeAbi: safe.abi };
}

/** A Safe proxy with `owners` and `threshold`, set up like the Safe UI does (no modules, no guard). */
export async function createSafe(
  f: SafeFactory,
  owners: readonly HardhatEthersSigner[],
  threshold: number,
  saltNonce: bigint,
  deployer: HardhatEthersSigner,
): Promise<Contract> {
  const singleton = new Contract(f.singleton, f.safeAbi, deployer);
  const setup = singleton.interface.encodeFunctionData("setup", [
    owners.map((o) => o.address),
    threshold,
    ZeroAddress,
    "0x",
    ZeroAddress,
    ZeroAddress,
    0,
    ZeroAddress,
  ]);
  const createProxy = (f.factory.connect(deployer) as Contract).getFunction("createProxyWithNonce");
  const address: unknown = await createProxy.staticCall(f.singleton, setup, saltNonce);
  await (await createProxy.send(f.singleton, setup, saltNonce)).wait();
  return new Contract(address as string, f.safeAbi, deployer);
}

/** Runs one Safe transaction (CALL) signed by `signers` via EIP-712 and submitted by `relayer`. */
export async function execSafeTransaction(
  safe: Contract,
  signers: readonly HardhatEthersSigner[],
  relayer: HardhatEthersSigner,
  tx: { to: string; value: bigint; data: string },
): Promise<ContractTransactionReceipt> {
  const address = await safe.getAddress();
  const chainId = (await safe.getFunction("getChainId").staticCall()) as bigint;
  const message = {
    ...tx,
    operation: 0,
    safeTxGas: 0,
    baseGas: 0,
    gasPrice: 0,
    gasToken: ZeroAddress,
    refundReceiver: ZeroAddress,
    nonce: (await safe.getFunction("nonce").staticCall()) as bigint,
  };
  const domain = { chainId, verifyingContract: address };
  const sorted = [...signers].sort((a, b) => compareAddresses(a.address, b.address));
  const signatures = packSignatures(
    await Promise.all(
      sorted.map(async (s) => ({
        signer: s.address,
        signature: await s.signTypedData(domain, SAFE_TX_TYPES, message),
      })),
    ),
  );
  const response = await (safe.connect(relayer) as Contract)
    .getFunction("execTransaction")
    .send(tx.to, tx.value, tx.data, 0, 0, 0, 0, ZeroAddress, ZeroAddress, signatures);
  const receipt = (await response.wait()) as ContractTransactionReceipt;
  return receipt;
}
