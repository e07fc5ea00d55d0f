/** `vault cancel`: the signers' cancellation of a pending or queued operation, as a proposal file to sign and submit (or approve on-chain). */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { cancellationProposal, OperationState } from "../lib/index.js";
import {
  command,
  connectVault,
  resolveTarget,
  saveNewProposal,
  UserError,
  type CommonArguments,
  type Output,
} from "./cli.js";

interface CancelArguments extends CommonArguments {
  vault: string;
  target: string;
  id: string;
  slot: string;
  out: string;
}

async function cancel(args: CancelArguments, hre: HardhatRuntimeEnvironment, out: Output): Promise<void> {
  const c = await connectVault(hre, args.vault);
  const { id, slot } = await resolveTarget(args);
  const state = Number(await c.vault.operationState(id, slot)) as OperationState;
  if (![OperationState.Pending, OperationState.Queued, OperationState.Ready].includes(state)) {
    throw new UserError(
      `operation ${id} in slot ${slot} is ${OperationState[state]}: only a pending or queued operation can be cancelled`,
    );
  }
  await saveNewProposal(out, await cancellationProposal(c.vault, id, slot), args.out);
}

export default command<CancelArguments>(cancel);
