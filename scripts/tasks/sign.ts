/**
 * `vault sign <file> --key NAME`: OFFLINE. Reads a proposal file, checks it (fields match its
 * digest, every signature recovers to a quorum key), shows in words what it does, asks, and adds
 * this key's EIP-712 signature. Never connects to a network, never sends anything.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { addSignature, describeProposal, proposalDigest, signTypedData, typedDataOf } from "../lib/index.js";
import {
  command,
  confirm,
  loadKey,
  readProposal,
  UserError,
  writeProposal,
  type CommonArguments,
  type Output,
} from "./cli.js";

interface SignArguments extends CommonArguments {
  file: string;
  key: string;
  out: string;
  yes: boolean;
}

async function sign(args: SignArguments, hre: HardhatRuntimeEnvironment, out: Output): Promise<void> {
  if (args.key === "")
    throw new UserError("--key is required: the name of the variable holding your key (e.g. --key SIGNER_KEY)");
  const p = await readProposal(args.file);
  const wallet = await loadKey(hre, args.key);
  if (!p.quorum.keys.includes(wallet.address)) {
    throw new UserError(
      `${wallet.address} (--key ${args.key}) is not one of the keys that may sign this ${p.operation.kind}: ${p.quorum.keys.join(", ")}`,
    );
  }
  if (p.signatures.some((s) => s.signer === wallet.address)) {
    throw new UserError(`${wallet.address} has already signed ${args.file}: each key signs once`);
  }
  out.say(`You are about to sign, as ${wallet.address}:\n`);
  out.rows(describeProposal(p));
  out.say("");
  await confirm(`Sign this ${p.operation.kind}?`, args);
  const signed = addSignature(p, await signTypedData(wallet, typedDataOf(p)));
  const target = args.out === "" ? args.file : args.out;
  await writeProposal(target, signed);
  out.say(`Signed. ${signed.signatures.length} of ${signed.quorum.threshold} signatures now in ${target}.`);
  out.result({
    file: target,
    digest: proposalDigest(signed),
    signer: wallet.address,
    signatures: signed.signatures.length,
    needed: signed.quorum.threshold,
  });
}

export default command<SignArguments>(sign);
