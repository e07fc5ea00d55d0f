/**
 * `vault status --vault <address>`: everything the signers and guardians need to see, read from
 * the chain's views and the vault's events — configuration and every delay, guardians and the veto
 * requirement, balances and outflow per asset, the allowlist, pending and queued operations with
 * countdowns and who approved them, the freeze, a recovery or council change in progress, the delay
 * a candidate withdrawal would get (--to/--amount/--asset), and keys not seen for --stale-after.
 * Reads only: it never sends a transaction or writes a file.
 */
import { Contract, formatUnits } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import {
  chainNow,
  countdown,
  DelayReason,
  describeChange,
  ETH,
  formatAssetAmount,
  formatDuration,
  formatSpan,
  isoTime,
  parseAmount,
  parseDuration,
  readAssetInfo,
  readConfiguration,
  readDelay,
  readEvents,
  readOperations,
  readPolicy,
  readTimings,
  TIMING_KEYS,
  trackOperations,
  UNLIMITED,
  type AssetInfo,
  type OperationView,
} from "../lib/index.js";
import {
  command,
  connectVault,
  parseAddress,
  parseAddressList,
  parseWhole,
  UserError,
  type CommonArguments,
  type Output,
} from "./cli.js";

interface StatusArguments extends CommonArguments {
  vault: string;
  assets: string;
  to: string;
  amount: string;
  asset: string;
  staleAfter: string;
  fromBlock: string;
}

const BALANCE_ABI = ["function balanceOf(address) view returns (uint256)"];

/** A library error about the user's input (an asset that is no token, an amount it cannot hold) as a UserError. */
async function userInput<T>(read: () => Promise<T> | T): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof UserError || !(error instanceof Error)) throw error;
    throw new UserError(error.message);
  }
}

async function status(args: StatusArguments, hre: HardhatRuntimeEnvironment, out: Output): Promise<void> {
  // Input first: nothing is read from the chain for a command that cannot run.
  const staleAfter = parseDuration(args.staleAfter);
  if (staleAfter === undefined) {
    throw new UserError(
      `--stale-after "${args.staleAfter}" is not a duration: seconds, or a number with s, m, h, d or w (e.g. 30d)`,
    );
  }
  const tokens = parseAddressList("--assets", args.assets);
  const wantsCandidate = args.to !== "" || args.amount !== "";
  if (wantsCandidate && (args.to === "" || args.amount === "")) {
    throw new UserError("a candidate withdrawal needs both --to and --amount (and --asset, default ETH)");
  }
  const candidateTo = wantsCandidate ? parseAddress("--to", args.to) : undefined;
  const candidateAsset =
    args.asset === "" || args.asset.toUpperCase() === "ETH" ? ETH : parseAddress("--asset", args.asset);
  const fromBlock = args.fromBlock === "" ? 0 : Number(parseWhole("--from-block", args.fromBlock));

  const c = await connectVault(hre, args.vault);
  const { vault, module, provider } = c;
  const vaultAddress = await vault.getAddress();
  const { block, now } = await chainNow(provider);
  if (fromBlock > block) throw new UserError(`--from-block ${fromBlock} is after the latest block (${block})`);

  // Assets: ETH, --assets, and the candidate's asset; symbol and decimals for each.
  const assetList = [...new Set([ETH, ...tokens, ...(wantsCandidate ? [candidateAsset] : [])])];
  const infos = new Map<string, AssetInfo>(
    await Promise.all(assetList.map(async (a) => [a, await userInput(() => readAssetInfo(provider, a))] as const)),
  );

  const [
    config,
    { timings, coolOffUntil },
    frozenUntil,
    policy,
    guardians,
    counts,
    guardianStatus,
    veto,
    pending,
    balances,
  ] = await Promise.all([
    readConfiguration(vault),
    readTimings(vault),
    vault.frozenUntil(),
    readPolicy(vault, assetList),
    module.guardians(),
    module.guardianCounts(),
    module.guardianStatus(),
    module.vetoRequirement(),
    module.pending(),
    Promise.all(
      assetList.map((a) =>
        a === ETH
          ? provider.getBalance(vaultAddress)
          : (new Contract(a, BALANCE_ABI, provider).getFunction("balanceOf")(vaultAddress) as Promise<bigint>),
      ),
    ),
  ]);

  let events;
  try {
    events = await readEvents(provider, vault, module, { fromBlock, toBlock: block });
  } catch (error) {
    throw new UserError((error as Error).message);
  }
  const operations = await readOperations(provider, vault, module, trackOperations(events), now);

  const candidate =
    candidateTo === undefined
      ? undefined
      : await (async () => {
          const info = infos.get(candidateAsset)!;
          const amount = await userInput(() => parseAmount(args.amount, info));
          const verdict = await readDelay(vault, { asset: candidateAsset, to: candidateTo, amount });
          return {
            asset: candidateAsset,
            symbol: info.symbol,
            to: candidateTo,
            amount,
            delay: verdict.delay,
            reason: DelayReason[verdict.reason],
            explanation: verdict.explanation,
          };
        })();

  const keys = await Promise.all(
    [
      ...config.signers.map((key) => ({ key, role: "signer" as const })),
      ...guardians.map((key) => ({ key, role: "guardian" as const })),
    ].map(async ({ key, role }) => {
      const lastSeen = await module.lastSeen(key);
      return { key, role, lastSeen, stale: lastSeen === 0n || now - lastSeen > staleAfter };
    }),
  );

  const assets = assetList.map((asset, i) => ({
    asset,
    symbol: infos.get(asset)!.symbol,
    decimals: infos.get(asset)!.decimals,
    balance: balances[i]!,
    outflow: policy.outflow.get(asset)!,
  }));
  const recovery =
    pending.recoveryQueued && now <= pending.recoveryDeadline
      ? {
          id: pending.recovery,
          eta: pending.recoveryEta,
          deadline: pending.recoveryDeadline,
          ...operations.find((o) => o.id === pending.recovery)?.recovery,
        }
      : null;
  const councilChange =
    pending.councilQueued && now <= pending.councilDeadline
      ? {
          id: pending.councilChange,
          eta: pending.councilEta,
          deadline: pending.councilDeadline,
          ...operations.find((o) => o.id === pending.councilChange)?.councilChange,
        }
      : null;

  const report = {
    vault: vaultAddress,
    guardianModule: await module.getAddress(),
    network: c.networkName,
    chainId: c.chainId,
    block,
    now,
    configuration: {
      epoch: config.epoch,
      threshold: config.threshold,
      signers: config.signers,
      configNonce: config.configNonce,
      timings,
      coolOffUntil,
    },
    guardians: {
      epoch: Number(counts.guardianEpoch),
      guardians: [...guardians],
      threshold: Number(counts.guardianThreshold),
      councilThreshold: Number(counts.councilThreshold),
    },
    veto: { level: veto.level, required: veto.required, lastVetoAt: guardianStatus.lastVetoAt },
    freeze: {
      frozen: now < frozenUntil,
      frozenUntil,
      nextFreezeAt: guardianStatus.nextFreezeAt,
      freezeCount: Number(guardianStatus.freezeCount),
    },
    assets,
    policy: {
      rules: policy.rules,
      outflowPeriod: policy.outflowPeriod,
      allowlistEnabled: policy.allowlistEnabled,
      allowlist: policy.allowlist,
    },
    operations,
    recovery,
    councilChange,
    ...(candidate === undefined ? {} : { candidate }),
    staleAfter,
    keys,
    staleKeys: keys.filter((k) => k.stale).map((k) => k.key),
    events: { fromBlock, toBlock: block, count: events.length },
  };

  if (out.json) {
    out.result(report);
    return;
  }

  // ---- human output ----
  const when = (t: bigint) => countdown(t, now);
  out.say(`Vault ${vaultAddress} on ${c.networkName} (chain id ${c.chainId}) at block ${block}, ${isoTime(now)}`);
  out.say(`Guardian module ${report.guardianModule}`);

  out.say("\nConfiguration");
  out.rows([
    [
      "  signers",
      `${config.threshold} of ${config.signers.length} (epoch ${config.epoch}, configuration nonce ${config.configNonce})`,
    ],
    ...config.signers.map((s, i) => [`    #${i}`, s]),
    ...TIMING_KEYS.map((k) => [`  ${k}`, formatDuration(timings[k])]),
    [
      "  recovery cool-off",
      coolOffUntil > now ? `until ${when(coolOffUntil)}: new withdrawals wait the long delay` : "none",
    ],
  ]);

  out.say("\nGuardians");
  out.rows([
    ["  guardians", `${report.guardians.threshold} of ${guardians.length} (guardian epoch ${report.guardians.epoch})`],
    ...guardians.map((g, i) => [`    #${i}`, g]),
    [
      "  council",
      `${report.guardians.councilThreshold} of the ${config.signers.length + guardians.length} signers and guardians`,
    ],
    [
      "  veto",
      `level ${veto.level}: the next veto needs ${veto.required} guardian${veto.required === 1n ? "" : "s"}` +
        (guardianStatus.lastVetoAt === 0n ? "; never vetoed" : `; last veto ${when(guardianStatus.lastVetoAt)}`),
    ],
    [
      "  freeze",
      (now < frozenUntil ? `FROZEN until ${when(frozenUntil)}` : "not frozen") +
        `; next freeze possible ${guardianStatus.nextFreezeAt > now ? `from ${when(guardianStatus.nextFreezeAt)}` : "now"}` +
        ` (${report.freeze.freezeCount} so far)`,
    ],
  ]);

  out.say("\nAssets");
  out.rows(
    assets.flatMap((a) => {
      const info = infos.get(a.asset)!;
      const amount = (units: bigint) => `${formatUnits(units, info.decimals)} ${info.symbol}`;
      const limit =
        a.outflow.limit === 0n
          ? "no outflow limit set: every withdrawal waits the long delay"
          : a.outflow.limit >= UNLIMITED
            ? "unlimited outflow"
            : `outflow limit ${amount(a.outflow.limit)} per ${formatSpan(policy.outflowPeriod)}, ${amount(a.outflow.used)} used; ` +
              `the period resets for new withdrawals at ${when(a.outflow.resetsAt)}`;
      return [
        [`  ${info.symbol}`, `${amount(a.balance)}${a.asset === ETH ? "" : ` (token ${a.asset})`}`],
        ["", limit],
      ];
    }),
  );
  out.rows([
    [
      "  allowlist",
      `${policy.allowlistEnabled ? "on" : "off"}: ${policy.allowlist.length ? policy.allowlist.join(", ") : "empty"}` +
        (policy.allowlistEnabled ? " (other destinations wait the long delay)" : ""),
    ],
  ]);

  out.say(`\nOperations (pending and queued; events from block ${fromBlock})`);
  if (operations.length === 0) out.say("  none");
  for (const o of operations) {
    out.say(`  ${describeOperation(o, infos)}`);
    out.rows(operationRows(o, now, config.threshold, frozenUntil));
  }

  out.say("\nRecovery and council");
  out.rows([
    [
      "  recovery",
      recovery === null
        ? "none in progress"
        : `${pending.recovery} executable from ${when(recovery.eta)}, until ${when(recovery.deadline)}` +
          ("signers" in recovery && recovery.signers
            ? `: signers → ${recovery.signers.join(", ")} (threshold ${recovery.threshold})`
            : ""),
    ],
    [
      "  council change",
      councilChange === null
        ? "none in progress"
        : `${pending.councilChange} executable from ${when(councilChange.eta)}, until ${when(councilChange.deadline)}`,
    ],
  ]);

  if (candidate !== undefined) {
    out.say("\nCandidate withdrawal");
    out.rows([
      ["  withdrawal", `${formatAssetAmount(candidate.amount, candidate.asset, infos)} to ${candidate.to}`],
      ["  delay", `${formatDuration(candidate.delay)} if queued now`],
      ["  reason", `${candidate.reason}: ${candidate.explanation}`],
    ]);
  }

  const stale = keys.filter((k) => k.stale);
  out.say(`\nKeys not seen for ${formatSpan(staleAfter)}: ${stale.length} of ${keys.length}`);
  out.rows(
    stale.map((k) => [
      `  ${k.key}`,
      k.role.padEnd(8),
      k.lastSeen === 0n ? "never seen (no heartbeat recorded)" : `last seen ${when(k.lastSeen)}`,
    ]),
  );
}

/** `withdrawal 1.5 ETH to 0x… (slot 0, id 0x…)`. */
function describeOperation(o: OperationView, infos: ReadonlyMap<string, AssetInfo>): string {
  const where = `${o.slot === undefined ? "" : `slot ${o.slot}, `}id ${o.id}`;
  switch (o.kind) {
    case "withdrawal":
      return `withdrawal ${formatAssetAmount(o.withdrawal!.amount, o.withdrawal!.asset, infos)} to ${o.withdrawal!.to} (${where})`;
    case "configChange":
      return `configuration change ${describeChange(o.change!)} (${where})`;
    case "cancellation":
      return `cancellation of ${o.target} (${where})`;
    case "recovery":
      return `recovery: signers → ${o.recovery!.signers.join(", ")} (threshold ${o.recovery!.threshold}) (${where})`;
    case "councilChange":
      return `council change (${where})`;
  }
}

function operationRows(o: OperationView, now: bigint, threshold: number, frozenUntil: bigint): string[][] {
  const when = (t: bigint) => countdown(t, now);
  const rows: string[][] = [["    state", o.stateName]];
  if (o.eta !== 0n) {
    rows.push([now < o.eta ? "    executable from" : "    executable since", when(o.eta)]);
    rows.push([now <= o.deadline ? "    expires" : "    expired", when(o.deadline)]);
  }
  if (o.kind === "withdrawal" && frozenUntil > now && frozenUntil > o.eta && o.eta !== 0n) {
    rows.push(["    FROZEN", `withdrawals cannot execute before ${when(frozenUntil)}`]);
  }
  if (o.contract === "vault") {
    const onChain = o.approvals.onChain.length ? o.approvals.onChain.join(", ") : "none";
    rows.push(["    approved on-chain", `${onChain} (${o.approvals.onChain.length} of ${threshold} needed)`]);
    if (o.approvals.proposer) rows.push(["    proposed by", o.approvals.proposer]);
  }
  if (o.approvals.signatures !== undefined) {
    rows.push([
      "    queued with signatures of",
      o.approvals.signatures.length ? o.approvals.signatures.join(", ") : "none (on-chain approvals)",
    ]);
  }
  if (o.stale) rows.push(["    STALE", o.stale]);
  return rows;
}

export default command<StatusArguments>(status);
