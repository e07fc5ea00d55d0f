/**
 * `npm run demo`: deploys a vault on the in-process Hardhat chain and plays the scenarios,
 * printing each one's timeline and outcome.
 */
import { network } from "hardhat";

import { routineWithdrawal } from "./routine.js";

const connection = await network.create();
try {
  await routineWithdrawal(connection);
} finally {
  await connection.close();
}
