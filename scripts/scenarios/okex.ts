/**
 * Scenario 2 — OKEx (October 2020): one signer is detained in the middle of an operation. Any two
 * of the other signers keep withdrawing; they replace the detained key by a configuration change.
 */
import type { NetworkConnection } from "hardhat/types/network";

import { ConfigAction, configChangeProposal, formatSpan } from "../lib/index.js";
import { DEMO_VAULT, type ScenarioOutcome, World } from "./world.js";

export async function okexDetainedSigner(
  connection: NetworkConnection,
  print?: (line: string) => void,
): Promise<ScenarioOutcome> {
  const { ethers } = connection;
  const world = await World.create(
    connection,
    "Scenario 2 — OKEx: a signer is detained mid-operation",
    DEMO_VAULT,
    print,
  );
  const [alice, bob, carol] = world.signers as [typeof world.relayer, typeof world.relayer, typeof world.relayer];
  const hot = world.hotWallet.address;

  // A routine withdrawal is under way: alice proposed and signed, carol was to sign next.
  let w1 = await world.withdrawal(hot, "100");
  w1 = await world.sign(w1, [alice]);
  await world.record("alice", "propose 100 ETH → hot wallet, sign", "1 of 2 signatures");
  const lostAt = await world.now();
  await world.record("carol", "DETAINED: her key is out of reach", "2 signers left; threshold 2");

  w1 = await world.sign(w1, [bob]);
  await world.record("bob", "sign instead of carol", "2 of 2 signatures");
  const queueFailure = await world.submit(w1);
  const queued = await world.state(w1);
  await world.record(
    "relayer",
    "queue the withdrawal",
    queueFailure ?? `${queued.state}, executable in ${formatSpan(queued.eta - (await world.now()))}`,
  );
  await world.advanceTo(queued.eta);
  const before = await world.balance(hot);
  const executeFailure = await world.execute(w1);
  const received = (await world.balance(hot)) - before;
  const resumedAt = await world.now();
  await world.record("relayer", "execute", executeFailure ?? `hot wallet received ${ethers.formatEther(received)} ETH`);

  // alice and bob replace carol's key: a configuration change, timelocked like any other.
  const replacement = world.spares[0]!;
  let change = await configChangeProposal(world.vault, {
    action: ConfigAction.ReplaceSigner,
    account: carol.address,
    replacement: replacement.address,
  });
  change = await world.sign(change, [alice, bob]);
  const changeFailure = await world.submit(change);
  const changeQueued = await world.state(change);
  await world.record(
    "alice, bob",
    "replaceSigner(carol → new key 1)",
    changeFailure ?? `${changeQueued.state}, executable in ${formatSpan(changeQueued.eta - (await world.now()))}`,
  );
  await world.advanceTo(changeQueued.eta);
  const applyFailure = await world.execute(change);
  const signers = await world.vault.signers();
  await world.record(
    "relayer",
    "execute the replacement",
    applyFailure ??
      `signers: ${[...signers].map((s) => world.name(s)).join(", ")} (epoch ${(await world.vault.configuration()).epoch})`,
  );

  // The new key signs the next withdrawal with alice.
  let w2 = await world.withdrawal(hot, "50");
  w2 = await world.sign(w2, [alice, replacement]);
  const w2Failure =
    (await world.submit(w2)) ?? (await world.advanceTo((await world.state(w2)).eta), await world.execute(w2));
  await world.record("alice, new key 1", "withdraw 50 ETH with the new signer set", w2Failure ?? "executed");

  const fine =
    queueFailure === undefined && executeFailure === undefined && applyFailure === undefined && w2Failure === undefined;
  return world.finish({
    loss: { lostSigners: 1, compromisedSigners: 0, lostGuardians: 0, compromisedGuardians: 0 },
    observed: fine && received === ethers.parseEther("100") ? "unaffected" : "frozen",
    stolen: 0n,
    resumedAfter: resumedAt - lostAt,
    summary: `funds safe: yes; withdrawals never stopped (the one under way executed ${formatSpan(resumedAt - lostAt)} after the detention, its normal delay); carol's key replaced after ${formatSpan(world.config.configDelay)}`,
  });
}
