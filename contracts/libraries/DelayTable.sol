// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {ConfigAction, Timings} from "../interfaces/IReserveVault.sol";

/// @title Which delay a delay-setting ConfigAction sets (ConfigRules checks the candidate
///        configuration; the vault applies it).
/// @notice Maps each delay-setting action to its field of Timings.
library DelayTable {
    /// @notice `t` with the delay `action` sets replaced by `value` (`t` is modified and returned).
    /// @param t The delays.
    /// @param action A delay-setting action (any other sets vetoQuietPeriod).
    /// @param value The new delay, in seconds.
    /// @return `t`, modified.
    function replaced(Timings memory t, ConfigAction action, uint256 value) internal pure returns (Timings memory) {
        if (action == ConfigAction.SetWithdrawalDelay) t.withdrawalDelay = value;
        else if (action == ConfigAction.SetConfigDelay) t.configDelay = value;
        else if (action == ConfigAction.SetExecutionWindow) t.executionWindow = value;
        else if (action == ConfigAction.SetLongDelay) t.longDelay = value;
        else if (action == ConfigAction.SetCoolOff) t.coolOff = value;
        else if (action == ConfigAction.SetRecoveryDelay) t.recoveryDelay = value;
        else if (action == ConfigAction.SetCouncilDelay) t.councilDelay = value;
        else if (action == ConfigAction.SetMaxFreeze) t.maxFreeze = value;
        else if (action == ConfigAction.SetFreezeCooldown) t.freezeCooldown = value;
        else t.vetoQuietPeriod = value;
        return t;
    }

    /// @notice The delay `action` sets, as `t` has it.
    /// @param t The delays.
    /// @param action A delay-setting action (any other reads vetoQuietPeriod).
    /// @return The delay, in seconds.
    function valueOf(Timings memory t, ConfigAction action) internal pure returns (uint256) {
        if (action == ConfigAction.SetWithdrawalDelay) return t.withdrawalDelay;
        if (action == ConfigAction.SetConfigDelay) return t.configDelay;
        if (action == ConfigAction.SetExecutionWindow) return t.executionWindow;
        if (action == ConfigAction.SetLongDelay) return t.longDelay;
        if (action == ConfigAction.SetCoolOff) return t.coolOff;
        if (action == ConfigAction.SetRecoveryDelay) return t.recoveryDelay;
        if (action == ConfigAction.SetCouncilDelay) return t.councilDelay;
        if (action == ConfigAction.SetMaxFreeze) return t.maxFreeze;
        if (action == ConfigAction.SetFreezeCooldown) return t.freezeCooldown;
        return t.vetoQuietPeriod;
    }
}
