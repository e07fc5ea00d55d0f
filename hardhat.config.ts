import "dotenv/config";
import { createRequire } from "node:module";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { configVariable, defineConfig } from "hardhat/config";

import { vaultTasks } from "./scripts/tasks/index.js";

const require = createRequire(import.meta.url);

/** The one compiler this project uses: the npm `solc` wasm build, so nothing is downloaded. */
const SOLC_VERSION = "0.8.34";
const SOLC_PATH = require.resolve("solc/soljson.js");

/**
 * Every fuzz test (test/fuzz/*.t.sol) runs 1,000 inputs. The seed is Hardhat's fixed default, so CI
 * sees the same inputs on every run (and the gas snapshot is stable). test/invariant/*.t.sol: 256
 * random sequences of 50 handler calls each. The long mode (`npm run test:long`, for a scheduled
 * job) raises both through FUZZ_RUNS and INVARIANT_RUNS. (Exported for `npm run audit-report`.)
 */
export const SOLIDITY_TEST_SETTINGS = {
  fuzz: { runs: Number(process.env.FUZZ_RUNS ?? 1_000) },
  invariant: { runs: Number(process.env.INVARIANT_RUNS ?? 256), depth: 50 },
};

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers],
  tasks: vaultTasks,
  solidity: {
    // Compiled unchanged for the gas benchmark (Safe + TimelockController), never deployed by the vault.
    npmFilesToBuild: ["@openzeppelin/contracts/governance/TimelockController.sol"],
    profiles: {
      default: {
        version: SOLC_VERSION,
        path: SOLC_PATH,
        settings: { viaIR: true, optimizer: { enabled: true, runs: 10_000 } },
      },
      production: {
        version: SOLC_VERSION,
        path: SOLC_PATH,
        settings: { viaIR: true, optimizer: { enabled: true, runs: 10_000 } },
      },
    },
  },
  test: {
    solidity: SOLIDITY_TEST_SETTINGS,
  },
  paths: { ignition: "deploy" },
  // Networks: the in-process default ("hardhat"), a `npx hardhat node` on this machine
  // ("localhost"), and named remote chains whose RPC URL and deployer key are configuration
  // variables: read from the environment (.env is loaded by dotenv; see .env.example) or the Hardhat
  // keystore, and only when that network is used. A missing one is an error naming it.
  networks: {
    hardhatMainnet: { type: "edr-simulated", chainType: "l1" },
    // `npx hardhat node` listens on 127.0.0.1:8545; LOCALHOST_RPC_URL points at another port.
    localhost: { type: "http", chainType: "l1", url: process.env.LOCALHOST_RPC_URL ?? "http://127.0.0.1:8545" },
    sepolia: {
      type: "http",
      chainType: "l1",
      url: configVariable("SEPOLIA_RPC_URL"),
      accounts: [configVariable("DEPLOYER_PRIVATE_KEY")],
    },
    mainnet: {
      type: "http",
      chainType: "l1",
      url: configVariable("MAINNET_RPC_URL"),
      accounts: [configVariable("DEPLOYER_PRIVATE_KEY")],
    },
  },
});
