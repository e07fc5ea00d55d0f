/**
 * The `vault` task namespace: `npx hardhat vault <command> --help` describes every option. Each
 * command's action is its own file, loaded only when that command runs.
 */
import { emptyTask, task } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";


/**
 * Custom tasks do not compile first, and the actions import the TypeChain bindings that compiling
 * generates: compile (quietly; a no-op when nothing changed), then load the action.
 */
function afterBuild<A>(load: () => Promise<{ default: (args: A, hre: HardhatRuntimeEnvironment) => Promise<void> }>) {
  return async () => ({
    default: async (args: A, hre: HardhatRuntimeEnvironment) => {
      await hre.tasks.getTask("build").run({ quiet: true, noTests: true });
      const { default: action } = await load();
      await action(args, hre);
    },
  });
}

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
    .setAction(afterBuild(() => import("./deploy.js")))
    .build(),
];
