// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IGuardianModule} from "../interfaces/IGuardianModule.sol";
import {ConfigAction, ConfigChange} from "../interfaces/IReserveVault.sol";
import {MemberSet} from "../libraries/MemberSet.sol";
import {MembershipRules} from "../libraries/MembershipRules.sol";
import {VaultState} from "./VaultState.sol";

/// @title Validating and applying configuration: signers, guardians, thresholds, delays.
/// @dev Every rule is checked when a change is proposed or queued and again when it executes, and
///      on the configuration that results: the membership rules of MembershipRules and the delay
///      inequalities of `_timingBounds`. Guardian changes are validated here too (the guardian set
///      is read from the module's code) and applied by the guardian module.
abstract contract Configuration is VaultState {
    /// @dev Every delay, for checking the inequalities between them on a candidate configuration.
    struct Timings {
        uint256 withdrawalDelay;
        uint256 configDelay;
        uint256 executionWindow;
        uint256 longDelay;
        uint256 coolOff;
        uint256 recoveryDelay;
        uint256 councilDelay;
        uint256 maxFreeze;
        uint256 freezeCooldown;
        uint256 vetoQuietPeriod;
    }

    // =========================================================================================
    // Validation
    // =========================================================================================

    /// @dev Checks `c` against the current configuration: field use, membership, bounds.
    function _validateConfigChange(ConfigChange calldata c, Core memory core) internal view {
        ConfigAction action = c.action;
        bool membership = _isMembershipChange(action);
        bool replace = action == ConfigAction.ReplaceSigner || action == ConfigAction.ReplaceGuardian;
        if (
            (!membership && c.account != address(0)) || (!replace && c.replacement != address(0))
                || (replace && c.value != 0)
        ) revert UnusedFieldNotZero(action);

        (, uint256 gc, uint256 k, uint256 council) = _guardianCounts();
        uint256 n = core.signerCount;
        uint256 m = core.threshold;
        if (action == ConfigAction.AddSigner || action == ConfigAction.AddGuardian) {
            _checkNewMember(c.account);
            if (action == ConfigAction.AddSigner) (n, m) = (n + 1, c.value);
            else (gc, k) = (gc + 1, c.value);
        } else if (action == ConfigAction.RemoveSigner || action == ConfigAction.RemoveGuardian) {
            _checkMember(action == ConfigAction.RemoveSigner, c.account);
            if (action == ConfigAction.RemoveSigner) (n, m) = (n - 1, c.value);
            else (gc, k) = (gc - 1, c.value);
        } else if (replace) {
            _checkMember(action == ConfigAction.ReplaceSigner, c.account);
            _checkNewMember(c.replacement);
        } else if (action == ConfigAction.SetThreshold) {
            m = c.value;
        } else if (action == ConfigAction.SetGuardianThreshold) {
            k = c.value;
        } else if (action == ConfigAction.SetCouncilThreshold) {
            council = c.value;
        } else {
            _checkTiming(action, c.value, _withTiming(_timings(core), action, c.value));
            return;
        }
        if (membership) council = MembershipRules.adjustCouncil(n, m, gc, k, council);
        MembershipRules.checkCounts(n, m, gc, k, council);
    }

    /// @dev `account` may join either group: non-zero, neither a signer nor a guardian.
    function _checkNewMember(address account) internal view {
        if (account == address(0)) revert SignerIsZeroAddress();
        (, bool isSigner) = MemberSet.indexOf(MemberSet.load(_signerSalt(_core.epoch)), account, 0);
        if (isSigner) revert SignerAlreadyMember(account);
        (, bool isGuardian) = MemberSet.indexOf(_guardianMembers(), account, 0);
        if (isGuardian) revert GuardianAlreadyMember(account);
    }

    function _checkMember(bool signer, address account) internal view {
        bytes memory members = signer ? MemberSet.load(_signerSalt(_core.epoch)) : _guardianMembers();
        (, bool found) = MemberSet.indexOf(members, account, 0);
        if (!found) {
            if (signer) revert SignerNotMember(account);
            revert GuardianNotMember(account);
        }
    }

    function _isMembershipChange(ConfigAction action) internal pure returns (bool) {
        return action <= ConfigAction.ReplaceSigner
            || (action >= ConfigAction.AddGuardian && action <= ConfigAction.ReplaceGuardian);
    }

    // =========================================================================================
    // Delays
    // =========================================================================================

    /// @dev The bounds of one delay given all the others: every inequality between delays is the
    ///      bound of both of its sides, so checking each changed value keeps all of them true.
    function _timingBounds(ConfigAction action, Timings memory t) internal pure returns (uint256 min, uint256 max) {
        if (action == ConfigAction.SetWithdrawalDelay) return (MIN_DELAY, _min(t.configDelay, t.longDelay));
        if (action == ConfigAction.SetConfigDelay) {
            return (t.withdrawalDelay, _min(t.recoveryDelay, t.councilDelay));
        }
        if (action == ConfigAction.SetExecutionWindow) {
            return (_max(MIN_EXECUTION_WINDOW, t.maxFreeze + 1), MAX_EXECUTION_WINDOW);
        }
        if (action == ConfigAction.SetLongDelay) return (t.withdrawalDelay, _min(MAX_DELAY, t.vetoQuietPeriod));
        if (action == ConfigAction.SetCoolOff) return (MIN_DELAY, MAX_DELAY);
        if (action == ConfigAction.SetRecoveryDelay || action == ConfigAction.SetCouncilDelay) {
            return (t.configDelay, MAX_DELAY);
        }
        if (action == ConfigAction.SetMaxFreeze) return (MIN_FREEZE, _min(t.freezeCooldown, t.executionWindow - 1));
        if (action == ConfigAction.SetFreezeCooldown) return (t.maxFreeze, MAX_DELAY);
        return (t.longDelay, MAX_DELAY); // SetVetoQuietPeriod
    }

    function _checkTiming(ConfigAction action, uint256 value, Timings memory t) internal pure {
        (uint256 min, uint256 max) = _timingBounds(action, t);
        if (value < min || value > max) revert DelayOutOfRange(action, value, min, max);
    }

    /// @dev Checks every delay of a complete candidate configuration (constructor).
    function _checkAllTimings(Timings memory t) internal pure {
        _checkTiming(ConfigAction.SetWithdrawalDelay, t.withdrawalDelay, t);
        _checkTiming(ConfigAction.SetConfigDelay, t.configDelay, t);
        _checkTiming(ConfigAction.SetExecutionWindow, t.executionWindow, t);
        _checkTiming(ConfigAction.SetLongDelay, t.longDelay, t);
        _checkTiming(ConfigAction.SetCoolOff, t.coolOff, t);
        _checkTiming(ConfigAction.SetRecoveryDelay, t.recoveryDelay, t);
        _checkTiming(ConfigAction.SetCouncilDelay, t.councilDelay, t);
        _checkTiming(ConfigAction.SetMaxFreeze, t.maxFreeze, t);
        _checkTiming(ConfigAction.SetFreezeCooldown, t.freezeCooldown, t);
        _checkTiming(ConfigAction.SetVetoQuietPeriod, t.vetoQuietPeriod, t);
    }

    function _timings(Core memory core) internal view returns (Timings memory t) {
        Timing memory x = _timing;
        t = Timings({
            withdrawalDelay: core.withdrawalDelay,
            configDelay: core.configDelay,
            executionWindow: core.executionWindow,
            longDelay: x.longDelay,
            coolOff: x.coolOff,
            recoveryDelay: x.recoveryDelay,
            councilDelay: x.councilDelay,
            maxFreeze: x.maxFreeze,
            freezeCooldown: x.freezeCooldown,
            vetoQuietPeriod: x.vetoQuietPeriod
        });
    }

    /// @dev `t` with the delay `action` sets replaced by `value` (the candidate configuration).
    function _withTiming(Timings memory t, ConfigAction action, uint256 value) internal pure returns (Timings memory) {
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

    /// @dev Stores a complete, checked set of delays. Casts are safe: every delay <= MAX_DELAY.
    function _storeTimings(Timings memory t) internal {
        _core.withdrawalDelay = uint32(t.withdrawalDelay);
        _core.configDelay = uint32(t.configDelay);
        _core.executionWindow = uint32(t.executionWindow);
        _timing = Timing({
            longDelay: uint32(t.longDelay),
            coolOff: uint32(t.coolOff),
            recoveryDelay: uint32(t.recoveryDelay),
            councilDelay: uint32(t.councilDelay),
            maxFreeze: uint32(t.maxFreeze),
            freezeCooldown: uint32(t.freezeCooldown),
            vetoQuietPeriod: uint32(t.vetoQuietPeriod)
        });
    }

    // =========================================================================================
    // Applying
    // =========================================================================================

    /// @dev Applies a change after re-validating it against the configuration of the moment.
    function _applyConfigChange(ConfigChange calldata c, Core memory core) internal {
        _validateConfigChange(c, core);
        ConfigAction action = c.action;
        if (action <= ConfigAction.SetThreshold) {
            address[] memory members = _signers(core.epoch);
            uint256 threshold = c.value;
            if (action == ConfigAction.AddSigner) {
                members = MembershipRules.insert(members, c.account);
            } else if (action == ConfigAction.RemoveSigner) {
                members = MembershipRules.remove(members, c.account);
            } else if (action == ConfigAction.ReplaceSigner) {
                members = MembershipRules.insert(MembershipRules.remove(members, c.account), c.replacement);
                threshold = core.threshold;
            }
            _writeSigners(members, threshold);
            (, uint256 g, uint256 k, uint256 council) = _guardianCounts();
            uint256 adjusted = MembershipRules.adjustCouncil(members.length, threshold, g, k, council);
            if (adjusted != council) IGuardianModule(_guardianModule()).setCouncilThreshold(adjusted);
        } else if (action >= ConfigAction.AddGuardian && action <= ConfigAction.SetCouncilThreshold) {
            // Validated above; the module that owns the guardian set applies it.
            IGuardianModule(_guardianModule()).applyGuardianChange(c);
        } else {
            Timings memory t = _timings(core);
            (uint256 oldValue, Timings memory next) = (_timingOf(t, action), _withTiming(t, action, c.value));
            emit DelayChanged(action, oldValue, c.value);
            _storeTimings(next);
        }
    }

    function _timingOf(Timings memory t, ConfigAction action) internal pure returns (uint256) {
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

    /// @dev Replaces the signer set (sorted, checked by the caller) and threshold; advances the
    ///      epoch, so every operation approved under the old membership dies.
    function _writeSigners(address[] memory sorted, uint256 threshold) internal {
        Core memory core = _core;
        _emitMembershipDiff(core.epoch == 0 ? new address[](0) : _signers(core.epoch), sorted);
        uint32 newEpoch = core.epoch + 1;
        MemberSet.write(_signerSalt(newEpoch), sorted);
        if (threshold != core.threshold) emit ThresholdChanged(core.threshold, threshold);
        emit EpochAdvanced(core.epoch, newEpoch);
        _core.epoch = newEpoch;
        // Casts are safe: counts and thresholds were checked against MAX_SIGNERS.
        _core.threshold = uint8(threshold);
        _core.signerCount = uint8(sorted.length);
    }

    /// @dev Emits SignerAdded / SignerRemoved for the difference between two sorted sets.
    function _emitMembershipDiff(address[] memory old, address[] memory next) private {
        uint256 i = 0;
        uint256 j = 0;
        while (i < old.length || j < next.length) {
            if (j == next.length || (i < old.length && old[i] < next[j])) {
                emit SignerRemoved(old[i++]);
            } else if (i == old.length || next[j] < old[i]) {
                emit SignerAdded(next[j++]);
            } else {
                ++i;
                ++j;
            }
        }
    }

    function _min(uint256 a, uint256 b) private pure returns (uint256) {
        return a < b ? a : b;
    }

    function _max(uint256 a, uint256 b) private pure returns (uint256) {
        return a > b ? a : b;
    }
}
