/**
 * Ignition module: one ReserveVault, its GuardianModule and the stateless ConfigRules, from parameters.
 *
 * Parameters (deploy/parameters/<network>.json, key "ReserveVault", written from a validated
 * configuration file by `npx hardhat vault deploy`; see scripts/lib/deployment.ts): every field of the
 * constructor's InitialConfig — signers, threshold, guardians, guardianThreshold,
 * councilThreshold, and the ten delays in seconds (withdrawalDelay, configDelay, executionWindow,
 * longDelay, coolOff, recoveryDelay, councilDelay, maxFreeze, freezeCooldown, vetoQuietPeriod) —
 * and of its InitialPolicy: outflowPeriod (seconds), outflowLimits ([{asset, limit}], limits in
 * base units as decimal strings), allowlist (addresses) and allowlistEnabled. The constructor
 * checks every rule of docs/SPEC.md §4-§5.
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import { TIMING_KEYS } from "../../scripts/lib/config.js";

const NUMBER_FIELDS = ["threshold", ...TIMING_KEYS] as const;

export default buildModule("ReserveVault", (m) => {
  const rules = m.contract("ConfigRules");
  // The guardian module first (guardians strictly ascending); the vault's constructor binds it.
  const guardianModule = m.contract("GuardianModule", [
    m.getParameter<string[]>("guardians"),
    m.getParameter<number>("guardianThreshold"),
    m.getParameter<number>("councilThreshold"),
  ]);
  const numbers = Object.fromEntries(NUMBER_FIELDS.map((field) => [field, m.getParameter<number>(field)]));
  const policy = {
    outflowPeriod: m.getParameter<number>("outflowPeriod"),
    outflowLimits: m.getParameter<{ asset: string; limit: string }[]>("outflowLimits", []),
    allowlist: m.getParameter<string[]>("allowlist", []),
    allowlistEnabled: m.getParameter<boolean>("allowlistEnabled", false),
  };
  const vault = m.contract("ReserveVault", [
    { signers: m.getParameter<string[]>("signers"), ...numbers },
    policy,
    guardianModule,
    rules,
  ]);
  return { vault, guardianModule, rules };
});
