/**
 * Ignition module: one ReserveVault from validated parameters.
 *
 * Parameters (deploy/parameters/<network>.json, key "ReserveVault"):
 *   signers          address[]  distinct, non-zero, at most 32
 *   threshold        number     1 <= threshold <= signers.length
 *   withdrawalDelay  seconds    1 h <= withdrawalDelay <= configDelay
 *   configDelay      seconds    withdrawalDelay <= configDelay <= 30 days
 *   executionWindow  seconds    1 h <= executionWindow <= 30 days
 * The constructor re-checks every rule (docs/SPEC.md §5).
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

export default buildModule("ReserveVault", (m) => {
  const vault = m.contract("ReserveVault", [
    {
      signers: m.getParameter<string[]>("signers"),
      threshold: m.getParameter<number>("threshold"),
      withdrawalDelay: m.getParameter<number>("withdrawalDelay"),
      configDelay: m.getParameter<number>("configDelay"),
      executionWindow: m.getParameter<number>("executionWindow"),
    },
  ]);
  return { vault };
});
