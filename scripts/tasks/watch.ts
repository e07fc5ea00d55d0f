/**
 * `vault watch --vault <address>`: follows the vault's and its guardian module's events and prints
 * one alert per relevant event (queued withdrawals and configuration changes, recoveries, council
 * changes, vetoes, freezes, cancellations, executions, membership and policy changes) with the time
 * left to react. It polls for new blocks every --interval ms from --from-block (default: the latest
 * block); --once reports up to the latest block and exits. SIGINT or SIGTERM stops it cleanly
 * (exit code 0) after the poll in progress.
 *
 * --json prints JSON Lines: one JSON object per alert, one per line, bigints as decimal strings.
 * This is the one exception to "--json prints one JSON document": watch is a stream, and a
 * consumer must be able to act on each alert as it arrives. Status messages go to stderr then.
 */
import { setTimeout as sleep } from "node:timers/promises";

import { getAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import {
  alertFor,
  chainNow,
  isEth,
  isoTime,
  readAssetInfo,
  readEvents,
  readTimings,
  toJsonLine,
  type AssetInfo,
  type VaultEvent,
} from "../lib/index.js";
import { command, connectVault, parseWhole, UserError, type CommonArguments, type Output } from "./cli.js";

interface WatchArguments extends CommonArguments {
  vault: string;
  fromBlock: string;
  interval: string;
  once: boolean;
}

/** The asset address a withdrawal or limit event names, if any. */
function assetOf(e: VaultEvent): string | undefined {
  const asset = e.args["asset"];
  return typeof asset === "string" && !isEth(asset) ? getAddress(asset) : undefined;
}

/** What one poll needs: the connection, the token metadata met so far, and how to print. */
interface Poll {
  c: Awaited<ReturnType<typeof connectVault>>;
  tokens: Map<string, AssetInfo>;
  json: boolean;
}

/** Prints the alerts of blocks [from, latest] and returns the next block to read. */
async function poll({ c, tokens, json }: Poll, from: number): Promise<number> {
  const head = await c.provider.getBlockNumber();
  if (head < from) return from;
  const events = await readEvents(c.provider, c.vault, c.module, { fromBlock: from, toBlock: head, timestamps: true });
  const [{ now }, { timings }] = await Promise.all([chainNow(c.provider), readTimings(c.vault)]);
  for (const asset of new Set(events.map(assetOf))) {
    if (asset !== undefined && !tokens.has(asset)) {
      // A token without symbol()/decimals() is shown in base units (decimals -1: unknown).
      tokens.set(asset, await readAssetInfo(c.provider, asset).catch(() => ({ symbol: "", decimals: -1 })));
    }
  }
  const known = new Map([...tokens].filter(([, info]) => info.decimals >= 0));
  for (const e of events) {
    const alert = alertFor(e, now, timings, known);
    if (alert === undefined) continue;
    if (json) {
      const reactBy = alert.reactBy === undefined ? {} : { reactBy: alert.reactBy };
      console.log(toJsonLine({ ...e, level: alert.level, alert: alert.text, ...reactBy }));
    } else {
      const at = e.timestamp === undefined ? "" : ` ${isoTime(e.timestamp)}`;
      console.log(`[block ${e.block}${at}] ${alert.level === "act" ? "ACT " : ""}${alert.text}`);
    }
  }
  return head + 1;
}

async function watch(args: WatchArguments, hre: HardhatRuntimeEnvironment, out: Output): Promise<void> {
  const interval = Number(parseWhole("--interval", args.interval));
  if (interval < 100) throw new UserError(`--interval ${interval} is too short: at least 100 ms between polls`);
  const c = await connectVault(hre, args.vault);
  const latest = await c.provider.getBlockNumber();
  let next = args.fromBlock === "" ? latest : Number(parseWhole("--from-block", args.fromBlock));
  if (next > latest + 1) throw new UserError(`--from-block ${next} is after the latest block (${latest})`);

  // Status lines: stdout for people, stderr in JSON mode (stdout carries only the JSON Lines).
  const note = (text: string) => (out.json ? console.error(text) : console.log(text));
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    note(`${signal}: stopping`);
    stop.abort();
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const state: Poll = { c, tokens: new Map(), json: out.json };
  try {
    note(
      `watching vault ${await c.vault.getAddress()} on ${c.networkName} from block ${next}` +
        (args.once ? " to the latest" : ` (every ${interval} ms; Ctrl-C to stop)`),
    );
    while (!stop.signal.aborted) {
      try {
        next = await poll(state, next);
      } catch (error) {
        if (args.once) throw new UserError((error as Error).message);
        // A node that hiccups must not end the watch: say so and try again at the next poll.
        note(`poll failed (${(error as Error).message.split("\n")[0]}): retrying in ${interval} ms`);
      }
      if (args.once) break;
      await sleep(interval, undefined, { signal: stop.signal }).catch(() => undefined);
    }
    note(args.once ? `reported blocks up to ${next - 1}` : `stopped after block ${next - 1}`);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

/**
 * In JSON mode an error is one more JSON line (`{"error": …}`) so the stream stays JSON Lines; the
 * exit code is 1 and the message also goes to stderr, as for every command.
 */
async function watchAction(args: WatchArguments, hre: HardhatRuntimeEnvironment, out: Output): Promise<void> {
  if (!out.json) return watch(args, hre, out);
  try {
    await watch(args, hre, out);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    console.error(`Error: ${error.message}`);
    console.log(toJsonLine({ error: error.message }));
    process.exitCode = 1;
  }
}

export default command<WatchArguments>(watchAction);
