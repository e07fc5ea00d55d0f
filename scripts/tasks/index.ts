/**
 * The `vault` task namespace: `npx hardhat vault <command> --help` describes every option. Each
 * command's action is its own file, loaded only when that command runs.
 */
import { emptyTask, task } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

/** The newest modification time (ms) of the files under `dir` with one of `extensions`, or 0. */
async function newest(dir: string, extensions: readonly string[]): Promise<number> {
  const { readdir, stat } = await import("node:fs/promises");
  const path = await import("node:path");
  let latest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !extensions.some((e) => entry.name.endsWith(e))) continue;
    latest = Math.max(latest, (await stat(path.join(entry.parentPath, entry.name))).mtimeMs);
  }
  return latest;
}

/**
 * Custom tasks do not compile first, and the actions import the TypeChain bindings that compiling
 * generates: compile (quietly) when a contract changed since the last build, then load the action.
 * Skipping the no-op build also lets several commands start at once (a build rewrites Hardhat's
 * compile cache, and two at the same moment race on it).
 */
function afterBuild<A>(load: () => Promise<{ default: (args: A, hre: HardhatRuntimeEnvironment) => Promise<void> }>) {
  return async () => ({
    default: async (args: A, hre: HardhatRuntimeEnvironment) => {
      const { stat } = await import("node:fs/promises");
      const path = await import("node:path");
      const built = await stat(path.join(hre.config.paths.cache, "compile-cache.json")).then(
        (s) => s.mtimeMs,
        () => 0,
      );
      const bindings = await stat(path.join(hre.config.paths.root, "types", "ethers-contracts", "index.ts")).then(
        () => true,
        () => false,
      );
      if (!bindings || built === 0 || (await newest(hre.config.paths.sources.solidity[0]!, [".sol"])) > built) {
        await hre.tasks.getTask("build").run({ quiet: true, noTests: true });
      }
      const { default: action } = await load();
      await action(args, hre);
    },
  });
}

const VAULT = { name: "vault", description: "The vault's address", defaultValue: "" } as const;
const KEY = {
  name: "key",
  description:
    "NAME of the configuration variable (.env, environment or Hardhat keystore) holding the private key; never the key itself",
  defaultValue: "",
} as const;
const SENDER = {
  ...KEY,
  description: `${KEY.description}. Default: the network's first account (a relayer; needs no role)`,
} as const;
const OUT = { name: "out", description: "The proposal file to write", defaultValue: "" } as const;
const FILE = { name: "file", description: "The proposal file" } as const;
const FILES = {
  name: "files",
  description: "Proposal files: copies of one proposal, signed by different keys",
} as const;
const JSON_FLAG = {
  name: "json",
  description: "Print one JSON document on stdout (bigints as decimal strings); never prompts",
} as const;
const YES = { name: "yes", description: "Confirm in advance (no prompt): for automation" } as const;
const TARGET_FILE = {
  name: "target",
  description: "The target operation's proposal file (or give --id and --slot)",
  defaultValue: "",
} as const;
const TARGET_ID = {
  name: "id",
  description: "The target operation's id (its EIP-712 digest)",
  defaultValue: "",
} as const;
const TARGET_SLOT = { name: "slot", description: "The target operation's queue slot", defaultValue: "" } as const;

export const vaultTasks = [
  emptyTask("vault", "Deploy and operate a ReserveVault").build(),

  task(["vault", "deploy"], "Validate a vault configuration file, deploy it with Ignition and read it back")
    .addPositionalArgument({
      name: "configFile",
      description: "The vault configuration file (JSON; see deploy/configs/*.json)",
    })
    .addOption({
      name: "deploymentId",
      description: "Ignition deployment id, the folder under deploy/deployments (default: chain-<chain id>)",
      defaultValue: "",
    })
    .addFlag({ name: "yes", description: "Deploy to a non-local chain without asking for confirmation (automation)" })
    .addFlag(JSON_FLAG)
    .setAction(afterBuild(() => import("./deploy.js")))
    .build(),

  task(
    ["vault", "analyze"],
    "OFFLINE: what losing or leaking any number of signer and guardian keys does to a configuration file's vault",
  )
    .addPositionalArgument({
      name: "configFile",
      description: "The vault configuration file (JSON; see deploy/configs/*.json)",
    })
    .addOption({
      name: "report",
      description: "Also play the scenarios on the in-process chain and write a self-contained HTML report here",
      defaultValue: "",
    })
    .addFlag(JSON_FLAG)
    .setAction(afterBuild(() => import("./analyze.js")))
    .build(),

  task(
    ["vault", "propose"],
    "Build a withdrawal or configuration change into a proposal file (optionally propose it on-chain)",
  )
    .addOption(VAULT)
    .addOption({ name: "asset", description: 'Withdrawal: "ETH" or the token address', defaultValue: "ETH" })
    .addOption({ name: "to", description: "Withdrawal: the destination address", defaultValue: "" })
    .addOption({
      name: "amount",
      description: "Withdrawal: amount in units of the asset (e.g. 1.5), not base units",
      defaultValue: "",
    })
    .addOption({
      name: "action",
      description: "Configuration change: the action (e.g. setThreshold, replaceSigner, setOutflowLimit)",
      defaultValue: "",
    })
    .addOption({
      name: "account",
      description: "Configuration change: the account the action is about",
      defaultValue: "",
    })
    .addOption({
      name: "replacement",
      description: "Configuration change: the replacing account (replaceSigner, replaceGuardian)",
      defaultValue: "",
    })
    .addOption({
      name: "value",
      description: "Configuration change: the new value (seconds, threshold, limit in base units)",
      defaultValue: "",
    })
    .addOption({ name: "slot", description: "Queue slot (default: the lowest free one)", defaultValue: "" })
    .addOption(OUT)
    .addOption(KEY)
    .addFlag({ name: "approve", description: "Also propose it on-chain as --key (counts as that signer's approval)" })
    .addFlag(YES)
    .addFlag(JSON_FLAG)
    .setAction(afterBuild(() => import("./propose.js")))
    .build(),

  task(
    ["vault", "sign"],
    "OFFLINE: show what a proposal file does and add your EIP-712 signature to it (needs no network)",
  )
    .addPositionalArgument(FILE)
    .addOption({ ...KEY, description: `${KEY.description}. Required` })
    .addOption({
      name: "out",
      description: "Write the signed file here (default: update the file in place)",
      defaultValue: "",
    })
    .addFlag(YES)
    .addFlag(JSON_FLAG)
    .setAction(afterBuild(() => import("./sign.js")))
    .build(),

  task(["vault", "merge"], "OFFLINE: merge the signatures of several copies of one proposal into one file")
    .addVariadicArgument(FILES)
    .addOption({ ...OUT, description: "The merged proposal file to write" })
    .addFlag(JSON_FLAG)
    .setAction(afterBuild(() => import("./merge.js")))
    .build(),

  task(
    ["vault", "submit"],
    "Send a signed proposal: queue it, or cancel / veto / freeze / unfreeze / queue a recovery or council change",
  )
    .addVariadicArgument(FILES)
    .addOption(SENDER)
    .addFlag(YES)
    .addFlag(JSON_FLAG)
    .setAction(afterBuild(() => import("./submit.js")))
    .build(),

  task(["vault", "approve"], "Approve a withdrawal, configuration change or cancellation on-chain as a signer")
    .addPositionalArgument(FILE)
    .addOption({ ...KEY, description: `${KEY.description}. Required: the approving signer` })
    .addFlag(YES)
    .addFlag(JSON_FLAG)
    .setAction(afterBuild(() => import("./approve.js")))
    .build(),

  task(
    ["vault", "execute"],
    "Execute a queued withdrawal, configuration change, recovery or council change after its timelock",
  )
    .addPositionalArgument(FILE)
    .addOption(SENDER)
    .addFlag(YES)
    .addFlag(JSON_FLAG)
    .setAction(afterBuild(() => import("./execute.js")))
    .build(),

  task(["vault", "cancel"], "Build the signers' cancellation of a pending or queued operation into a proposal file")
    .addOption(VAULT)
    .addOption(TARGET_FILE)
    .addOption(TARGET_ID)
    .addOption(TARGET_SLOT)
    .addOption(OUT)
    .addFlag(JSON_FLAG)
    .setAction(afterBuild(() => import("./cancel.js")))
    .build(),

  task(
    ["vault", "veto"],
    "Build the guardians' veto of a queued operation into a proposal file (needs the current veto requirement)",
  )
    .addOption(VAULT)
    .addOption(TARGET_FILE)
    .addOption(TARGET_ID)
    .addOption(TARGET_SLOT)
    .addOption(OUT)
    .addFlag(JSON_FLAG)
    .setAction(afterBuild(() => import("./veto.js")))
    .build(),

  task(["vault", "freeze"], "Build the guardians' next freeze of withdrawals (at most maxFreeze) into a proposal file")
    .addOption(VAULT)
    .addOption(OUT)
    .addFlag(JSON_FLAG)
    .setAction(afterBuild(() => import("./freeze.js")))
    .build(),

  task(["vault", "unfreeze"], "Build the signers' lifting of the current freeze into a proposal file")
    .addOption(VAULT)
    .addOption(OUT)
    .addFlag(JSON_FLAG)
    .setAction(afterBuild(() => import("./unfreeze.js")))
    .build(),

  task(["vault", "recover"], "Build the guardians' recovery (a new signer set and threshold) into a proposal file")
    .addOption(VAULT)
    .addOption({ name: "signers", description: "The new signers, comma-separated addresses", defaultValue: "" })
    .addOption({ name: "threshold", description: "The new signer threshold", defaultValue: "" })
    .addOption(OUT)
    .addFlag(JSON_FLAG)
    .setAction(afterBuild(() => import("./recover.js")))
    .build(),

  task(
    ["vault", "council"],
    "Build a council change (new signers and/or guardians, signed by signers and guardians together) into a proposal file",
  )
    .addOption(VAULT)
    .addOption({ name: "signers", description: "New signers, comma-separated (omit to keep them)", defaultValue: "" })
    .addOption({ name: "threshold", description: "New signer threshold (with --signers)", defaultValue: "" })
    .addOption({
      name: "guardians",
      description: "New guardians, comma-separated (omit to keep them)",
      defaultValue: "",
    })
    .addOption({
      name: "guardianThreshold",
      description: "New guardian threshold (with --guardians)",
      defaultValue: "",
    })
    .addOption({ name: "councilThreshold", description: "New council threshold (omit to keep it)", defaultValue: "" })
    .addOption(OUT)
    .addFlag(JSON_FLAG)
    .setAction(afterBuild(() => import("./council.js")))
    .build(),

  task(["vault", "heartbeat"], "Prove your key is alive: a signer or guardian records a heartbeat on-chain")
    .addOption(VAULT)
    .addOption({ ...KEY, description: `${KEY.description}. Required: the signer or guardian` })
    .addFlag(YES)
    .addFlag(JSON_FLAG)
    .setAction(afterBuild(() => import("./heartbeat.js")))
    .build(),

  task(
    ["vault", "status"],
    "Configuration, balances, pending and queued operations with countdowns, freeze, recovery, stale keys",
  )
    .addOption(VAULT)
    .addOption({
      name: "assets",
      description: "Tokens to report besides ETH, comma-separated addresses",
      defaultValue: "",
    })
    .addOption({
      name: "to",
      description: "Candidate withdrawal: destination (with --amount; shows the delay it would get)",
      defaultValue: "",
    })
    .addOption({ name: "amount", description: "Candidate withdrawal: amount in units of --asset", defaultValue: "" })
    .addOption({ name: "asset", description: 'Candidate withdrawal: "ETH" or the token address', defaultValue: "ETH" })
    .addOption({
      name: "staleAfter",
      description: "Report keys not seen for this long (e.g. 30d)",
      defaultValue: "30d",
    })
    .addOption({
      name: "fromBlock",
      description:
        "Scan events for pending and queued operations from this block (default: 0; on a long chain, the vault's deployment block)",
      defaultValue: "",
    })
    .addFlag(JSON_FLAG)
    .setAction(afterBuild(() => import("./status.js")))
    .build(),

  task(
    ["vault", "watch"],
    "Follow the vault's events and alert on every queued withdrawal, configuration change, recovery, veto and freeze",
  )
    .addOption(VAULT)
    .addOption({
      name: "fromBlock",
      description: "Start from this block (default: the latest block)",
      defaultValue: "",
    })
    .addOption({ name: "interval", description: "Polling interval in milliseconds", defaultValue: "2000" })
    .addFlag({ name: "once", description: "Report the events up to the latest block and exit (instead of following)" })
    .addFlag({
      name: "json",
      description:
        "One JSON object per alert per line (JSON Lines: the one exception to one JSON document, as watch is a stream) for piping to alerting",
    })
    .setAction(afterBuild(() => import("./watch.js")))
    .build(),
];
