/**
 * `vault submit <files…>`: merges the signatures of one or more copies of a proposal, checks them
 * against the quorum the chain has now, shows what will happen, and sends the one transaction that
 * uses them (queue a withdrawal or configuration change, cancel, veto, freeze, unfreeze, queue a
 * recovery or council change) — after the same call succeeded as a static call.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { currentQuorum, describeProposal, mergeProposals, proposalDigest, submitCall } from "../lib/index.js";
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

interface SubmitArguments extends CommonArguments {
  files: string[];
  key: string;
  yes: boolean;
}

async function submit(args: SubmitArguments, hre: HardhatRuntimeEnvironment, out: Output): Promise<void> {
  if (args.files.length === 0) throw new UserError("give the signed proposal file(s) to submit");
  const p = mergeProposals(await Promise.all(args.files.map((f) => readProposal(f))));
  const c = await connectForProposal(hre, p, args.files[0]!);
  const quorum = await currentQuorum(c.vault, c.module, p.operation.kind);
  const strangers = p.signatures.filter((s) => !quorum.keys.includes(s.signer)).map((s) => s.signer);
  if (strangers.length > 0) {
    throw new UserError(
      `signed by ${strangers.join(", ")}, not in the current set of keys that may sign (${quorum.keys.join(", ")}): the set changed since the file was made; propose again`,
    );
  }
  if (p.signatures.length < quorum.threshold) {
    throw new UserError(
      `${p.signatures.length} of ${quorum.threshold} signatures needed: collect ${quorum.threshold - p.signatures.length} more with \`vault sign\`` +
        (p.operation.kind === "withdrawal" || p.operation.kind === "configChange"
          ? " (or approve on-chain with `vault approve`)"
          : ""),
    );
  }
  const sender = args.key === "" ? await c.relayer() : (await loadKey(hre, args.key)).connect(c.provider);
  out.rows(describeProposal(p));
  out.say("");
  await confirm(`Submit this ${p.operation.kind} from ${await sender.getAddress()}?`, args);

  const o = p.operation;
  const sent = await sendChecked(out, submitCall(p, c.vault.connect(sender), c.module.connect(sender)));
  out.result({ kind: o.kind, digest: proposalDigest(p), transaction: sent });
}

export default command<SubmitArguments>(submit);
