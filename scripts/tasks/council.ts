/** `vault council`: a council change — new signers and/or guardians — as a proposal file for signers and guardians to sign and submit. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { councilProposal } from "../lib/index.js";
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

interface CouncilArguments extends CommonArguments {
  vault: string;
  signers: string;
  threshold: string;
  guardians: string;
  guardianThreshold: string;
  councilThreshold: string;
  out: string;
}

/** A group's new members and threshold: both or neither (an empty group is kept, threshold 0). */
function group(name: string, membersOption: string, members: string, thresholdOption: string, threshold: string) {
  const list = parseAddressList(membersOption, members);
  if (list.length === 0) {
    if (threshold !== "") throw new UserError(`${thresholdOption} given without ${membersOption}: a kept ${name} set keeps its threshold`);
    return { list, threshold: 0n };
  }
  const t = parseWhole(thresholdOption, threshold);
  if (t < 1n || t > BigInt(list.length)) {
    throw new UserError(`${thresholdOption} ${t} must be between 1 and the number of new ${name}s (${list.length})`);
  }
  return { list, threshold: t };
}

async function council(args: CouncilArguments, hre: HardhatRuntimeEnvironment, out: Output): Promise<void> {
  const signers = group("signer", "--signers", args.signers, "--threshold", args.threshold);
  const guardians = group("guardian", "--guardians", args.guardians, "--guardian-threshold", args.guardianThreshold);
  const councilThreshold = args.councilThreshold === "" ? 0n : parseWhole("--council-threshold", args.councilThreshold);
  if (signers.list.length === 0 && guardians.list.length === 0) {
    throw new UserError("a council change replaces the signers (--signers, --threshold) and/or the guardians (--guardians, --guardian-threshold)");
  }
  const c = await connectVault(hre, args.vault);
  const p = await councilProposal(c.vault, c.module, {
    signers: signers.list,
    threshold: signers.threshold,
    guardians: guardians.list,
    guardianThreshold: guardians.threshold,
    councilThreshold,
  });
  await saveNewProposal(out, p, args.out);
}

export default command<CouncilArguments>(council);
