/**
 * `vault approve <file> --key NAME`: approves a withdrawal, configuration change or cancellation
 * ON-CHAIN as the signer holding the key (proposing it first if nobody has); the approval that
 * reaches the threshold queues it. Signatures in the file are not used (see `vault submit`).
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { callOf, describeProposal, OperationState } from "../lib/index.js";
import {
  command,
  confirm,
  connectForProposal,
  loadKey,
  readProposal,
  sendChecked,
  UserError,
  type CommonArguments,
  type Output,
} from "./cli.js";

interface ApproveArguments extends CommonArguments {
  file: string;
  key: string;
  yes: boolean;
}

async function approve(args: ApproveArguments, hre: HardhatRuntimeEnvironment, out: Output): Promise<void> {
  if (args.key === "") throw new UserError("--key is required: the name of the variable holding your signer key");
  const p = await readProposal(args.file);
  const o = p.operation;
  if (o.kind !== "withdrawal" && o.kind !== "configChange" && o.kind !== "cancellation") {
    throw new UserError(`a ${o.kind} is approved by signatures only: use \`vault sign\` and \`vault submit\``);
  }
  const c = await connectForProposal(hre, p, args.file);
  const wallet = (await loadKey(hre, args.key)).connect(c.provider);
  if (!(await c.vault.isSigner(wallet.address))) {
    throw new UserError(`${wallet.address} (--key ${args.key}) is not a signer of this vault: only signers approve`);
  }
  const vault = c.vault.connect(wallet);
  const slot = p.slot ?? 0n;
  out.rows(describeProposal(p));
  out.say("");
  await confirm(`Approve this ${o.kind} on-chain as ${wallet.address}?`, args);

  let sent;
  if (o.kind === "cancellation") {
    sent = await sendChecked(out, callOf("approveCancellation", vault.approveCancellation, o.operation, slot));
  } else {
    const id =
      o.kind === "withdrawal" ? await c.vault.withdrawalId(o.withdrawal) : await c.vault.configChangeId(o.change);
    const state = Number(await c.vault.operationState(id, slot)) as OperationState;
    if (state !== OperationState.Unknown && state !== OperationState.Pending) {
      throw new UserError(`nothing to approve: the ${o.kind} is ${OperationState[state]}`);
    }
    const first = state === OperationState.Unknown;
    if (o.kind === "withdrawal") {
      sent = first
        ? await sendChecked(out, callOf("proposeWithdrawal", vault.proposeWithdrawal, o.withdrawal))
        : await sendChecked(out, callOf("approveWithdrawal", vault.approveWithdrawal, o.withdrawal, slot));
    } else {
      sent = first
        ? await sendChecked(out, callOf("proposeConfigChange", vault.proposeConfigChange, o.change))
        : await sendChecked(out, callOf("approveConfigChange", vault.approveConfigChange, o.change, slot));
    }
  }
  out.result({ kind: o.kind, approver: wallet.address, transaction: sent });
}

export default command<ApproveArguments>(approve);
