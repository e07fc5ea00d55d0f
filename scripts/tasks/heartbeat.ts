/** `vault heartbeat --key NAME`: a signer or guardian proves its key is alive (GuardianModule.heartbeat, from that key). */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { callOf } from "../lib/index.js";
import {
  command,
  confirm,
  connectVault,
  loadKey,
  sendChecked,
  UserError,
  type CommonArguments,
  type Output,
} from "./cli.js";

interface HeartbeatArguments extends CommonArguments {
  vault: string;
  key: string;
  yes: boolean;
}

async function heartbeat(args: HeartbeatArguments, hre: HardhatRuntimeEnvironment, out: Output): Promise<void> {
  if (args.key === "")
    throw new UserError("--key is required: the name of the variable holding your signer or guardian key");
  const c = await connectVault(hre, args.vault);
  const wallet = (await loadKey(hre, args.key)).connect(c.provider);
  const [isSigner, guardians] = await Promise.all([c.vault.isSigner(wallet.address), c.module.guardians()]);
  if (!isSigner && !guardians.includes(wallet.address)) {
    throw new UserError(`${wallet.address} (--key ${args.key}) is neither a signer nor a guardian of this vault`);
  }
  await confirm(`Record a heartbeat for ${wallet.address} (a transaction it pays for)?`, args);
  const sent = await sendChecked(out, callOf("heartbeat", c.module.connect(wallet).heartbeat));
  out.result({ key: wallet.address, lastSeen: await c.module.lastSeen(wallet.address), transaction: sent });
}

export default command<HeartbeatArguments>(heartbeat);
