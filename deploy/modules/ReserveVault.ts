/**
 * Ignition module: one ReserveVault and its GuardianModule from parameters.
 *
 * Parameters (deploy/parameters/<network>.json, key "ReserveVault"): every field of the
 * constructor's InitialConfig — signers, threshold, guardians, guardianThreshold,
 * councilThreshold, and the ten delays in seconds (withdrawalDelay, configDelay, executionWindow,
 * longDelay, coolOff, recoveryDelay, councilDelay, maxFreeze, freezeCooldown, vetoQuietPeriod).
 * The constructor checks every rule of docs/SPEC.md §5.
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

const NUMBER_FIELDS = [
  "threshold",
  "withdrawalDelay",
  "configDelay",
  "executionWindow",
  "longDelay",
  "coolOff",
  "recoveryDelay",
  "councilDelay",
  "maxFreeze",
  "freezeCooldown",
  "vetoQuietPeriod",
] as const;

export default buildModule("ReserveVault", (m) => {
  // The guardian module first (guardians strictly ascending); the vault's constructor binds it.
  const guardianModule = m.contract("GuardianModule", [
    m.getParameter<string[]>("guardians"),
    m.getParameter<number>("guardianThreshold"),
    m.getParameter<number>("councilThreshold"),
  ]);
  const numbers = Object.fromEntries(NUMBER_FIELDS.map((field) => [field, m.getParameter<number>(field)]));
  const vault = m.contract("ReserveVault", [{ signers: m.getParameter<string[]>("signers"), ...numbers }, guardianModule]);
  return { vault, guardianModule };
});
