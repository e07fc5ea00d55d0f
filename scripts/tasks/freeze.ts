/** `vault freeze`: the guardians' next freeze of withdrawals, as a proposal file for guardians to sign and submit. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { freezeProposal } from "../lib/index.js";
import {
  command,
  connectVault,
  countdown,
  saveNewProposal,
  UserError,
  type CommonArguments,
  type Output,
} from "./cli.js";

interface FreezeArguments extends CommonArguments {
  vault: string;
  out: string;
}

async function freeze(args: FreezeArguments, hre: HardhatRuntimeEnvironment, out: Output): Promise<void> {
  const c = await connectVault(hre, args.vault);
  const [status, block] = await Promise.all([c.module.guardianStatus(), c.provider.getBlock("latest")]);
  const now = BigInt(block!.timestamp);
  if (now < status.nextFreezeAt) {
    throw new UserError(
      `the guardians froze recently: the next freeze is possible from ${countdown(status.nextFreezeAt, now)}`,
    );
  }
  await saveNewProposal(out, await freezeProposal(c.vault, c.module), args.out);
}

export default command<FreezeArguments>(freeze);
