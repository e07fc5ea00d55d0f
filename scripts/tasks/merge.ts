/** `vault merge <files…> --out <file>`: OFFLINE. One file with the signatures of several copies of the same proposal. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { describeProposal, mergeProposals, proposalDigest } from "../lib/index.js";
import { command, readProposal, UserError, writeProposal, type CommonArguments, type Output } from "./cli.js";

interface MergeArguments extends CommonArguments {
  files: string[];
  out: string;
}

async function merge(args: MergeArguments, _hre: HardhatRuntimeEnvironment, out: Output): Promise<void> {
  if (args.out === "") throw new UserError("--out is required: the merged proposal file to write");
  if (args.files.length < 2) throw new UserError("give at least two proposal files to merge");
  const merged = mergeProposals(await Promise.all(args.files.map((f) => readProposal(f))));
  await writeProposal(args.out, merged);
  out.rows(describeProposal(merged));
  out.say(`\nWrote ${args.out}.`);
  out.result({
    file: args.out,
    digest: proposalDigest(merged),
    signatures: merged.signatures.length,
    needed: merged.quorum.threshold,
  });
}

export default command<MergeArguments>(merge);
