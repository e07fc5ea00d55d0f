// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

/// @title The vault's numeric bounds, in one place for the vault (which exposes them) and ConfigRules.
/// @notice Delay, execution-window, freeze, allowlist, outflow-limit and outflow-period bounds (docs/SPEC.md §5).
library VaultBounds {
    /// @notice Bounds of the withdrawal and configuration delays (and every other delay's ceiling).
    uint256 internal constant MIN_DELAY = 1 hours;
    uint256 internal constant MAX_DELAY = 30 days;
    /// @notice Bounds of the execution window that follows an operation's eta.
    uint256 internal constant MIN_EXECUTION_WINDOW = 1 hours;
    uint256 internal constant MAX_EXECUTION_WINDOW = 30 days;
    /// @notice Shortest `maxFreeze` (it must also stay below the execution window).
    uint256 internal constant MIN_FREEZE = 1 minutes;
    /// @notice Largest destination allowlist.
    uint256 internal constant MAX_ALLOWLIST = 64;
    /// @notice Largest outflow limit; it also means "no limit" (outflow is then not counted).
    uint256 internal constant UNLIMITED = type(uint96).max;
    /// @notice Bounds of the outflow period (fixed at deployment).
    uint256 internal constant MIN_OUTFLOW_PERIOD = 1 hours;
    uint256 internal constant MAX_OUTFLOW_PERIOD = 30 days;
}
