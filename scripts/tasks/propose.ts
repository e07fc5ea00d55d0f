/**
 * `vault propose`: a withdrawal (--asset, --to, --amount) or a configuration change (--action, and
 * --account / --replacement / --value as the action needs) as a proposal file for the signers to
 * sign; with --approve and --key, also proposed on-chain at once (the proposal counts as that
 * signer's approval).
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import {
  callOf,
  CONFIG_ACTION_NAMES,
  ConfigAction,
  configChangeProposal,
  describeProposal,
  ETH,
  parseAmount,
  readAssetInfo,
  withdrawalProposal,
  type Proposal,
} from "../lib/index.js";
import {
  command,
  confirm,
  connectVault,
  loadKey,
  parseAddress,
  parseWhole,
  saveNewProposal,
  sendChecked,
  UserError,
  type CommonArguments,
  type Output,
} from "./cli.js";

interface ProposeArguments extends CommonArguments {
  vault: string;
  asset: string;
  to: string;
  amount: string;
  action: string;
  account: string;
  replacement: string;
  value: string;
  slot: string;
  out: string;
  key: string;
  approve: boolean;
  yes: boolean;
}

const ACTIONS = new Map(Object.entries(CONFIG_ACTION_NAMES).map(([k, v]) => [v, Number(k) as ConfigAction]));

async function propose(args: ProposeArguments, hre: HardhatRuntimeEnvironment, out: Output): Promise<void> {
  const isWithdrawal = args.action === "";
  if (isWithdrawal && (args.to === "" || args.amount === "")) {
    throw new UserError(
      "a withdrawal needs --to and --amount (and --asset, default ETH); a configuration change needs --action",
    );
  }
  if (args.approve && args.key === "") throw new UserError("--approve needs --key: the signer who proposes on-chain");
  const c = await connectVault(hre, args.vault);
  const slot = args.slot === "" ? undefined : parseWhole("--slot", args.slot);

  let p: Proposal;
  if (isWithdrawal) {
    const asset = args.asset === "" || args.asset.toUpperCase() === "ETH" ? ETH : parseAddress("--asset", args.asset);
    const to = parseAddress("--to", args.to);
    let info;
    try {
      info = await readAssetInfo(c.provider, asset);
    } catch (error) {
      throw new UserError((error as Error).message);
    }
    let amount: bigint;
    try {
      amount = parseAmount(args.amount, info);
    } catch (error) {
      throw new UserError((error as Error).message);
    }
    p = await withdrawalProposal(
      c.vault,
      { asset, to, amount },
      { asset: info, ...(slot === undefined ? {} : { slot }) },
    );
  } else {
    const action = ACTIONS.get(args.action);
    if (action === undefined) {
      throw new UserError(
        `--action "${args.action}" is not a configuration action; one of: ${[...ACTIONS.keys()].join(", ")}`,
      );
    }
    p = await configChangeProposal(
      c.vault,
      {
        action,
        ...(args.account === "" ? {} : { account: parseAddress("--account", args.account) }),
        ...(args.replacement === "" ? {} : { replacement: parseAddress("--replacement", args.replacement) }),
        ...(args.value === "" ? {} : { value: parseWhole("--value", args.value) }),
      },
      slot === undefined ? {} : { slot },
    );
  }

  if (args.approve) {
    const wallet = (await loadKey(hre, args.key)).connect(c.provider);
    if (!p.quorum.keys.includes(wallet.address)) {
      throw new UserError(
        `${wallet.address} (--key ${args.key}) is not a signer of this vault: it cannot propose on-chain`,
      );
    }
    out.rows(describeProposal(p));
    await confirm(`Propose this on-chain from ${wallet.address} (counts as its approval)?`, args);
    const vault = c.vault.connect(wallet);
    const o = p.operation;
    if (o.kind === "withdrawal")
      await sendChecked(out, callOf("proposeWithdrawal", vault.proposeWithdrawal, o.withdrawal));
    else if (o.kind === "configChange")
      await sendChecked(out, callOf("proposeConfigChange", vault.proposeConfigChange, o.change));
  }
  await saveNewProposal(out, p, args.out);
}

export default command<ProposeArguments>(propose);
