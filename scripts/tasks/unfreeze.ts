/** `vault unfreeze`: the signers' lifting of the current freeze, as a proposal file for signers to sign and submit. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { unfreezeProposal } from "../lib/index.js";
import { build, command, connectVault, saveNewProposal, UserError, type CommonArguments, type Output } from "./cli.js";

interface UnfreezeArguments extends CommonArguments {
  vault: string;
  out: string;
}

async function unfreeze(args: UnfreezeArguments, hre: HardhatRuntimeEnvironment, out: Output): Promise<void> {
  const c = await connectVault(hre, args.vault);
  const [frozenUntil, block] = await Promise.all([c.vault.frozenUntil(), c.provider.getBlock("latest")]);
  if (BigInt(block!.timestamp) >= frozenUntil) throw new UserError("the vault is not frozen: there is nothing to lift");
  await saveNewProposal(out, await build(() => unfreezeProposal(c.vault, c.module)), args.out);
}

export default command<UnfreezeArguments>(unfreeze);
