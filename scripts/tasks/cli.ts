/**
 * What every `vault` command shares: errors that say what was wrong and what to do (printed
 * without a stack trace, exit code 1), `--json` output, keys from configuration variables,
 * connecting to a vault, proposal files, and sending a transaction only after the same call
 * succeeded as a static call. Commands stay thin: the work is done by scripts/lib.
 */
import { readFile, writeFile } from "node:fs/promises";
import { createInterface } from "node:readline/promises";

import { getAddress, isAddress, Wallet } from "ethers";
import { configVariable } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import {
  GuardianModule__factory,
  ReserveVault__factory,
  type GuardianModule,
  type ReserveVault,
} from "../../types/ethers-contracts/index.js";
import {
  decodeVaultError,
  describeProposal,
  DOMAIN_NAME,
  explainRevert,
  parseProposal,
  ProposalError,
  proposalDigest,
  proposalToJson,
  toJson,
  VaultConfigError,
  type ContractCall,
  type Proposal,
} from "../lib/index.js";

/** Bad input or a refused action: the message says what was wrong and what to do. */
export class UserError extends Error {
  override readonly name = "UserError";
}

/** Options every command has. */
export interface CommonArguments {
  json?: boolean;
}

/**
 * Output of one command run: human text on stdout, or (with --json) nothing but one JSON document
 * at the end, bigints as decimal strings.
 */
export class Output {
  constructor(readonly json: boolean) {}
  /** A line for people (not printed in JSON mode). */
  say(text = ""): void {
    if (!this.json) console.log(text);
  }
  /** Label/value rows, aligned (not printed in JSON mode). */
  rows(rows: readonly (readonly string[])[]): void {
    this.say(columns(rows));
  }
  /** The command's result: the JSON document in JSON mode. */
  result(value: unknown): void {
    if (this.json) console.log(toJson(value));
  }
}

/**
 * A task action with its Output, that prints a UserError, an invalid file or a decodable revert as
 * a plain message (stderr; in JSON mode also `{"error": …}` on stdout) and exits with code 1;
 * anything else is a bug and keeps its stack.
 */
export function command<A extends CommonArguments>(
  action: (args: A, hre: HardhatRuntimeEnvironment, out: Output) => Promise<void>,
): (args: A, hre: HardhatRuntimeEnvironment) => Promise<void> {
  return async (args, hre) => {
    // Output piped into a reader that stops early (`| head`): stop quietly, as other tools do.
    process.stdout.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw error;
    });
    const out = new Output(args.json === true);
    try {
      await action(args, hre, out);
    } catch (error) {
      const revert = decodeVaultError(error);
      let message: string;
      if (error instanceof UserError || error instanceof VaultConfigError || error instanceof ProposalError) {
        message = error.message;
      } else if (revert !== undefined) message = `the vault would revert: ${explainRevert(revert)}`;
      else throw error;
      console.error(`Error: ${message}`);
      if (out.json) console.log(toJson({ error: message }));
      process.exitCode = 1;
    }
  };
}

/**
 * Asks `question` on the terminal and returns only on "y" or "yes". `yes` (the command's --yes
 * flag) skips the question; without a terminal to ask on, or in JSON mode, the command stops.
 */
export async function confirm(question: string, options: { yes: boolean; json?: boolean }): Promise<void> {
  if (options.yes) return;
  if (options.json === true)
    throw new UserError(`${question} — --json never prompts: pass --yes to confirm in advance`);
  if (!process.stdin.isTTY) {
    throw new UserError(
      `${question} — no terminal to ask on: run it interactively, or pass --yes to confirm in advance`,
    );
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await rl.question(`${question} [y/N] `)).trim().toLowerCase();
    if (answer !== "y" && answer !== "yes") throw new UserError("not confirmed: nothing was signed or sent");
  } finally {
    rl.close();
  }
}

/** `rows` as aligned columns (the first column padded), one line each. */
export function columns(rows: readonly (readonly string[])[]): string {
  const width = Math.max(0, ...rows.map((r) => r[0]!.length));
  return rows.map(([first, ...rest]) => [first!.padEnd(width), ...rest].join("  ").trimEnd()).join("\n");
}

// =============================================================================================
// Keys
// =============================================================================================

/**
 * The private key stored under configuration variable `name` (environment, .env, or the Hardhat
 * keystore), as a wallet. A key itself is refused: it would stay in the shell history.
 */
export async function loadKey(hre: HardhatRuntimeEnvironment, name: string): Promise<Wallet> {
  if (/^(0x)?[0-9a-fA-F]{64}$/.test(name)) {
    throw new UserError(
      "--key takes the NAME of a variable holding the key, not the key: a key on the command line stays in your shell history. " +
        "Put it in .env (SIGNER_KEY=0x…) or the keystore (npx hardhat keystore set SIGNER_KEY) and pass --key SIGNER_KEY",
    );
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new UserError(`--key "${name}" is not a variable name (letters, digits and _, e.g. SIGNER_KEY)`);
  }
  const value = await hre.hooks.runHandlerChain(
    "configurationVariables",
    "fetchValue",
    [configVariable(name)],
    async (_context, variable) => {
      const found = process.env[variable.name];
      if (found === undefined || found === "") {
        throw new UserError(
          `no key named ${variable.name}: set ${variable.name} in .env or the environment, or run npx hardhat keystore set ${variable.name}`,
        );
      }
      return found;
    },
  );
  try {
    return new Wallet(value.trim());
  } catch {
    throw new UserError(`${name} does not hold a private key (expected 0x followed by 64 hex digits)`);
  }
}

// =============================================================================================
// Addresses, the vault, proposal files
// =============================================================================================

/** `text` as a checksummed address, or a UserError naming the option. */
export function parseAddress(option: string, text: string): string {
  if (text === "") throw new UserError(`${option} is required: an address (0x followed by 40 hex digits)`);
  if (!/^0x[0-9a-fA-F]{40}$/.test(text))
    throw new UserError(`${option} "${text}" is not an address (0x followed by 40 hex digits)`);
  if (!isAddress(text)) {
    throw new UserError(`${option} ${text} has a wrong checksum (mistyped?): check it, or write it all in lower case`);
  }
  return getAddress(text.toLowerCase());
}

export interface VaultConnection {
  hre: HardhatRuntimeEnvironment;
  networkName: string;
  chainId: bigint;
  provider: Awaited<ReturnType<HardhatRuntimeEnvironment["network"]["getOrCreate"]>>["ethers"]["provider"];
  vault: ReserveVault;
  module: GuardianModule;
  /** The network's first account (a relayer: it pays gas and needs no role), if the network has one. */
  relayer: () => Promise<import("ethers").Signer>;
}

/** Connects to the network and checks that `address` holds a ReserveVault. */
export async function connectVault(hre: HardhatRuntimeEnvironment, address: string): Promise<VaultConnection> {
  const vaultAddress = parseAddress("--vault", address);
  const { ethers, networkName } = await hre.network.getOrCreate();
  const chainId = (await ethers.provider.getNetwork()).chainId;
  const code = await ethers.provider.getCode(vaultAddress);
  if (code === "0x") {
    throw new UserError(
      `there is no contract at ${vaultAddress} on ${networkName} (chain id ${chainId}): wrong address or wrong --network?`,
    );
  }
  const vault = ReserveVault__factory.connect(vaultAddress, ethers.provider);
  let name: string;
  try {
    name = (await vault.eip712Domain()).name;
  } catch {
    name = "";
  }
  if (name !== DOMAIN_NAME) throw new UserError(`the contract at ${vaultAddress} is not a ReserveVault`);
  const module = GuardianModule__factory.connect(await vault.GUARDIANS(), ethers.provider);
  return {
    hre,
    networkName,
    chainId,
    provider: ethers.provider,
    vault,
    module,
    relayer: async () => {
      const [first] = await ethers.getSigners();
      if (first === undefined) throw new UserError(`network "${networkName}" has no account to send from: pass --key`);
      return first;
    },
  };
}

/** Reads and checks a proposal file (shape, digest, every signature). */
export async function readProposal(path: string): Promise<Proposal> {
  if (path === "")
    throw new UserError("a proposal file is required (made by `vault propose` and the other proposing commands)");
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new UserError(`cannot read proposal file ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UserError(`${path} is not JSON: is it a proposal file?`);
  }
  return parseProposal(json, path);
}

export async function writeProposal(path: string, p: Proposal): Promise<void> {
  await writeFile(path, proposalToJson(p));
}

/** Connects to the vault a proposal names, on the right chain, or says why not. */
export async function connectForProposal(
  hre: HardhatRuntimeEnvironment,
  p: Proposal,
  file: string,
): Promise<VaultConnection> {
  const { ethers, networkName } = await hre.network.getOrCreate();
  const chainId = (await ethers.provider.getNetwork()).chainId;
  if (chainId !== p.chainId) {
    throw new UserError(
      `${file} is for chain id ${p.chainId} but --network ${networkName} is chain id ${chainId}: pass the --network the proposal was made on`,
    );
  }
  return connectVault(hre, p.vault);
}

// =============================================================================================
// Sending
// =============================================================================================

export interface Sent {
  hash: string;
  blockNumber: number;
  gasUsed: bigint;
}

/**
 * Runs `call` as a static call first — a doomed transaction is never sent, and the revert is
 * explained in words — then sends it and waits for its receipt.
 */
export async function sendChecked(out: Output, call: ContractCall): Promise<Sent> {
  try {
    await call.staticCall();
  } catch (error) {
    const revert = decodeVaultError(error);
    if (revert) throw new UserError(`${call.name} would fail, so nothing was sent: ${explainRevert(revert)}`);
    throw error;
  }
  const tx = await call.send();
  const receipt = await tx.wait();
  if (receipt === null || receipt.status !== 1) throw new UserError(`${call.name}: transaction ${tx.hash} failed`);
  out.say(`${call.name}: sent in transaction ${tx.hash} (block ${receipt.blockNumber}, gas ${receipt.gasUsed})`);
  return { hash: tx.hash, blockNumber: receipt.blockNumber, gasUsed: receipt.gasUsed };
}

/** A point in time for people: ISO date and how far from `now` (it lives in the library, with the alerts that use it). */
export { countdown } from "../lib/index.js";

/** Writes a new proposal file and tells the user what it holds and what comes next. */
export async function saveNewProposal(out: Output, p: Proposal, path: string): Promise<void> {
  if (path === "") throw new UserError("--out is required: the proposal file to write (e.g. withdrawal-7.json)");
  await writeProposal(path, p);
  out.rows(describeProposal(p));
  out.say(
    `\nWrote ${path}. Next: each of ${p.quorum.threshold} keys runs \`npx hardhat vault sign ${path} --key <NAME>\` ` +
      `(offline is fine), then \`npx hardhat vault submit <files…> --network <name>\`.`,
  );
  out.result({
    file: path,
    digest: proposalDigest(p),
    needed: p.quorum.threshold,
    proposal: JSON.parse(proposalToJson(p)),
  });
}

/** A 0x-prefixed 32-byte operation id, or a UserError naming the option. */
export function parseId(option: string, text: string): string {
  if (!/^0x[0-9a-fA-F]{64}$/.test(text))
    throw new UserError(`${option} "${text}" is not an operation id (0x followed by 64 hex digits)`);
  return text.toLowerCase();
}

/** A whole number option, or a UserError naming it. */
export function parseWhole(option: string, text: string): bigint {
  if (!/^\d+$/.test(text.trim())) throw new UserError(`${option} "${text}" is not a whole number`);
  return BigInt(text.trim());
}

/** A comma-separated address list option. */
export function parseAddressList(option: string, text: string): string[] {
  if (text.trim() === "") return [];
  return text.split(",").map((a, i) => parseAddress(`${option}[${i}]`, a.trim()));
}

/** The operation a cancellation or veto targets: from its proposal file (--target) or --id and --slot. */
export async function resolveTarget(args: {
  target: string;
  id: string;
  slot: string;
}): Promise<{ id: string; slot: bigint }> {
  if (args.target !== "") {
    const p = await readProposal(args.target);
    if (p.slot === undefined)
      throw new UserError(`${args.target} is a ${p.operation.kind}: not an operation that waits in a queue slot`);
    return { id: proposalDigest(p), slot: p.slot };
  }
  if (args.id === "" || args.slot === "")
    throw new UserError("name the target operation: --target <its proposal file>, or --id and --slot");
  return { id: parseId("--id", args.id), slot: parseWhole("--slot", args.slot) };
}

/** Runs a library builder, turning its plain errors (bad input it detected) into UserErrors. */
export async function build<T>(make: () => Promise<T>): Promise<T> {
  try {
    return await make();
  } catch (error) {
    if (error instanceof Error && error.constructor === Error) throw new UserError(error.message);
    throw error;
  }
}
