// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {ConfigAction, ConfigChange} from "../interfaces/IReserveVault.sol";
import {MemberSet} from "../libraries/MemberSet.sol";
import {VaultState} from "./VaultState.sol";

/// @title Validating and applying configuration changes: signers, threshold, delays.
/// @dev Every rule is checked when a change is proposed or queued and again when it executes, and
///      the invariants 1 <= threshold <= signerCount <= MAX_SIGNERS and withdrawalDelay <=
///      configDelay are re-checked on the resulting configuration.
abstract contract Configuration is VaultState {
    /// @dev Applies a validated change. Signer and threshold changes write a new signer set and
    ///      advance the epoch; the invariant 1 <= threshold <= signerCount <= MAX_SIGNERS is checked
    ///      on the resulting configuration.
    function _applyConfigChange(ConfigChange calldata c, Core memory core) internal {
        _validateConfigChange(c, core);
        ConfigAction action = c.action;
        if (action == ConfigAction.SetWithdrawalDelay) {
            emit DelayChanged(action, core.withdrawalDelay, c.value);
            _core.withdrawalDelay = uint32(c.value);
            return;
        }
        if (action == ConfigAction.SetConfigDelay) {
            emit DelayChanged(action, core.configDelay, c.value);
            _core.configDelay = uint32(c.value);
            return;
        }
        if (action == ConfigAction.SetExecutionWindow) {
            emit DelayChanged(action, core.executionWindow, c.value);
            _core.executionWindow = uint32(c.value);
            return;
        }
        address[] memory members = _signers(core.epoch);
        uint256 newThreshold = c.value;
        if (action == ConfigAction.AddSigner) {
            members = _insert(members, c.account);
            emit SignerAdded(c.account);
        } else if (action == ConfigAction.RemoveSigner) {
            members = _remove(members, c.account);
            emit SignerRemoved(c.account);
        } else if (action == ConfigAction.ReplaceSigner) {
            members = _insert(_remove(members, c.account), c.replacement);
            emit SignerRemoved(c.account);
            emit SignerAdded(c.replacement);
            newThreshold = core.threshold;
        }
        // Checked again on the result: the invariant holds after every change.
        _checkThreshold(newThreshold, members.length);
        uint32 newEpoch = core.epoch + 1;
        MemberSet.write(_signerSalt(newEpoch), members);
        if (newThreshold != core.threshold) emit ThresholdChanged(core.threshold, newThreshold);
        emit EpochAdvanced(core.epoch, newEpoch);
        _core.epoch = newEpoch;
        _core.threshold = uint8(newThreshold);
        _core.signerCount = uint8(members.length);
    }

    /// @dev Checks `c` against the current configuration: field use, membership, bounds.
    function _validateConfigChange(ConfigChange calldata c, Core memory core) internal view {
        ConfigAction action = c.action;
        bool usesAccount = action <= ConfigAction.ReplaceSigner;
        bool usesReplacement = action == ConfigAction.ReplaceSigner;
        bool usesValue = action != ConfigAction.ReplaceSigner;
        if (
            (!usesAccount && c.account != address(0)) || (!usesReplacement && c.replacement != address(0))
                || (!usesValue && c.value != 0)
        ) revert UnusedFieldNotZero(action);

        if (action == ConfigAction.SetWithdrawalDelay) {
            _checkDelay(action, c.value, MIN_DELAY, core.configDelay);
        } else if (action == ConfigAction.SetConfigDelay) {
            _checkDelay(action, c.value, core.withdrawalDelay, MAX_DELAY);
        } else if (action == ConfigAction.SetExecutionWindow) {
            _checkDelay(action, c.value, MIN_EXECUTION_WINDOW, MAX_EXECUTION_WINDOW);
        } else if (action == ConfigAction.SetThreshold) {
            _checkThreshold(c.value, core.signerCount);
        } else {
            bytes memory members = MemberSet.load(_signerSalt(core.epoch));
            if (action == ConfigAction.AddSigner) {
                _checkNewSigner(members, c.account);
                if (core.signerCount + 1 > MAX_SIGNERS) revert SignerCountOutOfRange(core.signerCount + 1, MAX_SIGNERS);
                _checkThreshold(c.value, core.signerCount + 1);
            } else {
                (, bool found) = MemberSet.indexOf(members, c.account, 0);
                if (!found) revert SignerNotMember(c.account);
                if (action == ConfigAction.RemoveSigner) {
                    if (core.signerCount == 1) revert SignerCountOutOfRange(0, MAX_SIGNERS);
                    _checkThreshold(c.value, core.signerCount - 1);
                } else {
                    _checkNewSigner(members, c.replacement);
                }
            }
        }
    }

    function _checkNewSigner(bytes memory members, address account) internal pure {
        if (account == address(0)) revert SignerIsZeroAddress();
        (, bool found) = MemberSet.indexOf(members, account, 0);
        if (found) revert SignerAlreadyMember(account);
    }

    function _checkThreshold(uint256 threshold, uint256 signerCount) internal pure {
        if (threshold == 0 || threshold > signerCount) revert ThresholdOutOfRange(threshold, signerCount);
    }

    function _checkDelay(ConfigAction action, uint256 value, uint256 min, uint256 max) internal pure {
        if (value < min || value > max) revert DelayOutOfRange(action, value, min, max);
    }

    function _insert(address[] memory members, address account) internal pure returns (address[] memory out) {
        out = new address[](members.length + 1);
        uint256 j = 0;
        for (uint256 i = 0; i < out.length; ++i) {
            out[i] = (j < members.length && (members[j] < account || i > j)) ? members[j++] : account;
        }
    }

    function _remove(address[] memory members, address account) internal pure returns (address[] memory out) {
        out = new address[](members.length - 1);
        uint256 j = 0;
        for (uint256 i = 0; i < members.length; ++i) {
            if (members[i] != account) out[j++] = members[i];
        }
    }
}
