// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IGuardianModule} from "../interfaces/IGuardianModule.sol";
import {ChangeEffect, ConfigAction, ConfigChange, Timings} from "../interfaces/IReserveVault.sol";
import {ConfigRules, IVaultViews} from "../rules/ConfigRules.sol";
import {DelayTable} from "../libraries/DelayTable.sol";
import {MemberSet} from "../libraries/MemberSet.sol";
import {MembershipRules} from "../libraries/MembershipRules.sol";
import {WithdrawalPolicy} from "./WithdrawalPolicy.sol";

/// @title Validating and applying configuration: signers, guardians, thresholds, delays, and the
///        withdrawal policy (limits, allowlist; see WithdrawalPolicy).
/// @notice A change is valid only if the configuration it leads to satisfies every rule of
///         docs/SPEC.md §5; signer changes advance the epoch.
/// @dev Every rule is checked when a change is proposed or queued and again when it executes, and
///      on the configuration that results: the membership rules of MembershipRules and the delay
///      inequalities of `_timingBounds`. Guardian changes are validated here too (the guardian set
///      is read from the module's code) and applied by the guardian module.
abstract contract Configuration is WithdrawalPolicy {
    // =========================================================================================
    // Validation
    // =========================================================================================

    /// @dev Checks `c` against the current configuration with ConfigRules (field use,
    ///      membership, bounds, delay inequalities, policy), which reads this vault's views;
    ///      returns its effect on how fast funds can leave (ChangeEffect).
    function _validateConfigChange(ConfigChange calldata c, Core memory) internal view returns (ChangeEffect) {
        return _rules().checkChange(c, IVaultViews(address(this)));
    }

    /// @dev The stateless rules contract this vault consults.
    function _rules() internal view virtual returns (ConfigRules);

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

    /// @dev Stores a complete, checked set of delays. Casts are safe: every delay <= VaultBounds.MAX_DELAY < 2^24.
    function _storeTimings(Timings memory t) internal {
        _core.withdrawalDelay = uint24(t.withdrawalDelay);
        _core.configDelay = uint24(t.configDelay);
        _core.executionWindow = uint24(t.executionWindow);
        _timing = Timing({
            configNonce: _timing.configNonce,
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
        if (action >= ConfigAction.SetOutflowLimit) {
            _applyPolicyChange(c, core);
        } else if (action <= ConfigAction.SetThreshold) {
            _applySignerChange(c, core);
        } else if (action >= ConfigAction.AddGuardian && action <= ConfigAction.SetCouncilThreshold) {
            // Validated above; the module that owns the guardian set applies it.
            IGuardianModule(_guardianModule()).applyGuardianChange(c);
        } else {
            Timings memory t = _timings(core);
            // Read the old value before `replaced` overwrites it in `t` (Solidity does not specify
            // the evaluation order inside a tuple).
            uint256 oldValue = DelayTable.valueOf(t, action);
            emit DelayChanged(action, oldValue, c.value);
            _storeTimings(DelayTable.replaced(t, action, c.value));
        }
    }

    /// @dev Applies a validated signer-set or threshold change, then keeps the council threshold valid.
    function _applySignerChange(ConfigChange calldata c, Core memory core) private {
        ConfigAction action = c.action;
        address[] memory members = _signers(core);
        uint256 threshold = c.value;
        if (action == ConfigAction.AddSigner) {
            members = MembershipRules.insert(members, c.account);
        } else if (action == ConfigAction.RemoveSigner) {
            members = MembershipRules.remove(members, c.account);
        } else if (action == ConfigAction.ReplaceSigner) {
            members = MembershipRules.insert(MembershipRules.remove(members, c.account), c.replacement);
            threshold = core.threshold;
        }
        _writeSigners(members, threshold, new address[](0));
        (, uint256 g, uint256 k, uint256 council) = _guardianCounts();
        uint256 adjusted = MembershipRules.adjustCouncil(members.length, threshold, g, k, council);
        if (adjusted != council) IGuardianModule(_guardianModule()).setCouncilThreshold(adjusted);
    }

    /// @dev Replaces the signer set (sorted, checked by the caller) and threshold; advances the
    ///      epoch, so every operation approved under the old membership dies. The allowlist is
    ///      carried over (`initialAllowlist` is the constructor's, used only at epoch 0).
    function _writeSigners(address[] memory sorted, uint256 threshold, address[] memory initialAllowlist) internal {
        Core memory core = _core;
        address[] memory allowlist = core.epoch == 0 ? initialAllowlist : _emitSignerDiff(core, sorted);
        uint32 newEpoch = core.epoch + 1;
        _writeLists(newEpoch, core.listVersion, MemberSet.pack(sorted), allowlist);
        if (threshold != core.threshold) emit ThresholdChanged(core.threshold, threshold);
        emit EpochAdvanced(core.epoch, newEpoch);
        _core.epoch = newEpoch;
        // Casts are safe: counts and thresholds were checked against MembershipRules.MAX_SIGNERS.
        _core.threshold = uint8(threshold);
        _core.signerCount = uint8(sorted.length);
    }

    /// @dev Emits the membership events from the current signers to `next`; returns the allowlist.
    function _emitSignerDiff(Core memory core, address[] memory next) private returns (address[] memory) {
        bytes memory lists = _memberLists(core);
        address[] memory allowlist = _allowlist(lists, core.signerCount);
        _emitMembershipDiff(MemberSet.unpack(MemberSet.truncate(lists, core.signerCount)), next);
        return allowlist;
    }

    /// @dev Emits SignerAdded / SignerRemoved for the difference between two sorted sets.
    function _emitMembershipDiff(address[] memory old, address[] memory next) private {
        uint256 i = 0;
        uint256 j = 0;
        while (i < old.length || j < next.length) {
            // The post-increments below are merge-walk steps whose old value is the index read
            // (gas-increment-by-one does not apply).
            if (j == next.length || (i < old.length && old[i] < next[j])) {
                // solhint-disable-next-line gas-increment-by-one
                emit SignerRemoved(old[i++]);
            } else if (i == old.length || next[j] < old[i]) {
                // solhint-disable-next-line gas-increment-by-one
                emit SignerAdded(next[j++]);
            } else {
                ++i;
                ++j;
            }
        }
    }
}
