/** `vault council`: a council change — new signers and/or guardians — as a proposal file for signers and guardians to sign and submit. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { councilBounds, councilProposal } from "../lib/index.js";
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
    if (threshold !== "")
      throw new UserError(`${thresholdOption} given without ${membersOption}: a kept ${name} set keeps its threshold`);
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
  if (signers.list.length === 0 && guardians.list.length === 0) {
    throw new UserError(
      "a council change replaces the signers (--signers, --threshold) and/or the guardians (--guardians, --guardian-threshold)",
    );
  }
  const c = await connectVault(hre, args.vault);
  // The contract takes the council threshold as given (0 is not "keep": it reverts), so an omitted
  // one is the current value, and either must fit the groups after the change (MembershipRules)
  // before anyone signs.
  const [config, counts] = await Promise.all([c.vault.configuration(), c.module.guardianCounts()]);
  const n = signers.list.length || Number(config.signerCount);
  const m = signers.list.length ? Number(signers.threshold) : Number(config.threshold);
  const g = guardians.list.length || Number(counts.guardianCount);
  const k = guardians.list.length ? Number(guardians.threshold) : Number(counts.guardianThreshold);
  const { min, max } = councilBounds(n, m, g, k);
  const kept = args.councilThreshold === "";
  const councilThreshold = kept ? counts.councilThreshold : parseWhole("--council-threshold", args.councilThreshold);
  if (councilThreshold < BigInt(min) || councilThreshold > BigInt(max)) {
    const what = kept ? `the current council threshold ${councilThreshold}` : `--council-threshold ${councilThreshold}`;
    const range = min === max ? `${min}` : `between ${min} and ${max}`;
    throw new UserError(
      `${what} is not valid after this change (${n} signers, threshold ${m}; ${g} guardians, threshold ${k}): ` +
        `it must be ${range}` +
        (kept ? ` (pass --council-threshold ${min === max ? min : "<value>"})` : ""),
    );
  }
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
