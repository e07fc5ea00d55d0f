/** The one TypeScript library of reserve-vault: tests, demo, scenarios and CLI import from here. */
export * from "./operations.js";
export * from "./signatures.js";
export * from "./typed-data.js";
export * from "./vault.js";
export * from "./errors.js";
export * from "./config.js";
export * from "./deploy.js";
export * from "./deployment.js";
export * from "./vault-config.js";
export * from "./amounts.js";
export * from "./proposal.js";
export * from "./propose.js";
export * from "./resilience.js";
export * from "./calls.js";
export * from "./report.js";
export * from "./events.js";
