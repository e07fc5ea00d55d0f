/**
 * `vault execute <file>`: executes a queued withdrawal, configuration change, recovery or council
 * change once its timelock has passed. Anyone may send it (the network's first account, or --key).
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { describeProposal, executeCall, OperationState, proposalDigest, readOperation } from "../lib/index.js";
import {
  command,
  confirm,
  connectForProposal,
  countdown,
  loadKey,
  readProposal,
  sendChecked,
  UserError,
  type CommonArguments,
  type Output,
} from "./cli.js";

interface ExecuteArguments extends CommonArguments {
  file: string;
  key: string;
  yes: boolean;
}

async function execute(args: ExecuteArguments, hre: HardhatRuntimeEnvironment, out: Output): Promise<void> {
  const p = await readProposal(args.file);
  const o = p.operation;
  if (o.kind !== "withdrawal" && o.kind !== "configChange" && o.kind !== "recovery" && o.kind !== "councilChange") {
    throw new UserError(`a ${o.kind} takes effect when submitted: there is nothing to execute`);
  }
  const c = await connectForProposal(hre, p, args.file);
  const now = BigInt((await c.provider.getBlock("latest"))!.timestamp);
  if (o.kind === "withdrawal" || o.kind === "configChange") {
    const status = await readOperation(c.vault, proposalDigest(p), p.slot ?? 0n);
    if (status.state === OperationState.Queued) {
      throw new UserError(`the ${o.kind} is still timelocked: executable from ${countdown(status.eta, now)}`);
    }
    if (status.state === OperationState.Expired) {
      throw new UserError(
        `the ${o.kind} expired: its execution window closed ${countdown(status.deadline, now)}; propose it again`,
      );
    }
    if (status.state !== OperationState.Ready) {
      throw new UserError(`the ${o.kind} is not queued (state: ${status.stateName}): submit it first`);
    }
    const frozenUntil = await c.vault.frozenUntil();
    if (o.kind === "withdrawal" && now < frozenUntil) {
      throw new UserError(`withdrawals are frozen by the guardians until ${countdown(frozenUntil, now)}`);
    }
  }
  const sender = args.key === "" ? await c.relayer() : (await loadKey(hre, args.key)).connect(c.provider);
  out.rows(describeProposal(p));
  out.say("");
  await confirm(`Execute this ${o.kind} from ${await sender.getAddress()}?`, args);
  const call = executeCall(p, c.vault.connect(sender), c.module.connect(sender))!;
  const sent = await sendChecked(out, call);
  out.result({ kind: o.kind, digest: proposalDigest(p), transaction: sent });
}

export default command<ExecuteArguments>(execute);
