/**
 * What every `vault` command shares: errors that say what was wrong and what to do (printed
 * without a stack trace, exit code 1), confirmation before anything is sent, and aligned output.
 * Commands stay thin: the work is done by scripts/lib.
 */
import { createInterface } from "node:readline/promises";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { decodeVaultError, VaultConfigError } from "../lib/index.js";

/** Bad input or a refused action: the message says what was wrong and what to do. */
export class UserError extends Error {
  override readonly name = "UserError";
}

/**
 * A task action that prints a UserError, an invalid configuration file or a decodable vault revert
 * as a plain message on stderr and exits with code 1; anything else is a bug and keeps its stack.
 */
export function command<A>(
  action: (args: A, hre: HardhatRuntimeEnvironment) => Promise<void>,
): (args: A, hre: HardhatRuntimeEnvironment) => Promise<void> {
  return async (args, hre) => {
    try {
      await action(args, hre);
    } catch (error) {
      const revert = decodeVaultError(error);
      if (error instanceof UserError || error instanceof VaultConfigError) console.error(`Error: ${error.message}`);
      else if (revert !== undefined) console.error(`Error: the vault would revert with ${revert.text}`);
      else throw error;
      process.exitCode = 1;
    }
  };
}

/**
 * Asks `question` on the terminal and returns only on "y" or "yes". `yes` (the command's --yes
 * flag) skips the question; without a terminal to ask on, the command stops instead of guessing.
 */
export async function confirm(question: string, options: { yes: boolean }): Promise<void> {
  if (options.yes) return;
  if (!process.stdin.isTTY) {
    throw new UserError(`${question} — no terminal to ask on: run it interactively, or pass --yes to confirm in advance`);
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await rl.question(`${question} [y/N] `)).trim().toLowerCase();
    if (answer !== "y" && answer !== "yes") throw new UserError("not confirmed: nothing was sent");
  } finally {
    rl.close();
  }
}

/** `rows` as aligned columns (the first column padded), one line each. */
export function columns(rows: readonly (readonly string[])[]): string {
  const width = Math.max(0, ...rows.map((r) => r[0]!.length));
  return rows.map(([first, ...rest]) => [first!.padEnd(width), ...rest].join("  ").trimEnd()).join("\n");
}
