/** `vault veto`: the guardians' veto of a queued operation, as a proposal file for guardians to sign and submit. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { OperationState, vetoProposal } from "../lib/index.js";
import {
  command,
  connectVault,
  resolveTarget,
  saveNewProposal,
  UserError,
  type CommonArguments,
  type Output,
} from "./cli.js";

interface VetoArguments extends CommonArguments {
  vault: string;
  target: string;
  id: string;
  slot: string;
  out: string;
}

async function veto(args: VetoArguments, hre: HardhatRuntimeEnvironment, out: Output): Promise<void> {
  const c = await connectVault(hre, args.vault);
  const { id, slot } = await resolveTarget(args);
  const state = Number(await c.vault.operationState(id, slot)) as OperationState;
  if (state !== OperationState.Queued && state !== OperationState.Ready) {
    throw new UserError(
      `operation ${id} in slot ${slot} is ${OperationState[state]}: guardians veto only queued operations`,
    );
  }
  await saveNewProposal(out, await vetoProposal(c.vault, c.module, id, slot), args.out);
}

export default command<VetoArguments>(veto);
