/** `vault recover`: the guardians' recovery — a new signer set and threshold — as a proposal file for guardians to sign and submit. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { recoveryProposal } from "../lib/index.js";
import {
  command,
  connectVault,
  parseAddressList,
  parseWhole,
  saveNewProposal,
  UserError,
  type CommonArguments,
  type Output,
} from "./cli.js";

interface RecoverArguments extends CommonArguments {
  vault: string;
  signers: string;
  threshold: string;
  out: string;
}

async function recover(args: RecoverArguments, hre: HardhatRuntimeEnvironment, out: Output): Promise<void> {
  const signers = parseAddressList("--signers", args.signers);
  if (signers.length === 0) throw new UserError("--signers is required: the new signer set, comma-separated addresses");
  const threshold = parseWhole("--threshold", args.threshold);
  if (threshold < 1n || threshold > BigInt(signers.length)) {
    throw new UserError(`--threshold ${threshold} must be between 1 and the number of new signers (${signers.length})`);
  }
  const c = await connectVault(hre, args.vault);
  const pending = await c.module.pending();
  if (pending.recoveryQueued)
    throw new UserError(`a recovery is already queued (${pending.recovery}): execute or cancel it first`);
  await saveNewProposal(out, await recoveryProposal(c.vault, c.module, signers, threshold), args.out);
}

export default command<RecoverArguments>(recover);
