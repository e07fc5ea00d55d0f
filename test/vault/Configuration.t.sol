// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {ReserveVault} from "../../contracts/ReserveVault.sol";
import {GuardianModule} from "../../contracts/guardians/GuardianModule.sol";
import {
    ChangeEffect,
    ConfigAction,
    ConfigChange,
    IReserveVaultErrors,
    IReserveVaultEvents,
    OperationState,
    OutflowLimit,
    RulesSnapshot,
    Timings
} from "../../contracts/interfaces/IReserveVault.sol";
import {ConfigRules, IVaultViews} from "../../contracts/rules/ConfigRules.sol";
import {VaultFuzzBase} from "../fuzz/VaultFuzzBase.sol";

/// @title Unit tests of Configuration: executing queued configuration changes on a deployed vault.
/// @notice A 2-of-3 vault with 3 guardians (K = 2, C = 4) and delays in which every bound is set by
///         another delay (withdrawal 1 h, config 2 h, window 1 day, long 3 h, cool-off 1 h, recovery
///         and council 3 h, maxFreeze 1 h, freezeCooldown 2 h, vetoQuietPeriod 4 h). Each test queues
///         changes with the quorum's signatures, waits out the delay and executes them, then checks
///         the events (membership diff, threshold, epoch, delays, policy) and the vault's views.
contract ConfigurationTest is VaultFuzzBase, IReserveVaultEvents {
    uint256 private constant SIGNER_SEED = uint256(keccak256("Configuration.signers"));
    uint256 private constant QUORUM = 0x3; // the first two signers
    uint256 private constant ETH_LIMIT = 10 ether;
    /// @dev Waits out any queued change here: max(config delay, long delay).
    uint256 private constant WAIT = 3 hours;
    address private constant NEWCOMER = address(0xE1);

    ReserveVault private vault;
    GuardianModule private module;
    ConfigRules private rules;
    Signer[] private keys;

    function setUp() external {
        Signer[] memory signers = _makeSigners(SIGNER_SEED, 3);
        for (uint256 i = 0; i < signers.length; ++i) {
            keys.push(signers[i]);
        }
        address[] memory guardians = new address[](3);
        for (uint256 i = 0; i < 3; ++i) {
            guardians[i] = address(uint160(0x6A00 + i));
        }
        module = new GuardianModule(guardians, 2, 4);
        rules = new ConfigRules();
        vault = new ReserveVault(_config(signers), _policy(), module, rules);
        vm.warp(1_000_000);
    }

    function _config(Signer[] memory signers) private pure returns (ReserveVault.InitialConfig memory config) {
        address[] memory accounts = new address[](signers.length);
        for (uint256 i = 0; i < signers.length; ++i) {
            accounts[i] = signers[i].account;
        }
        Timings memory t = _initialTimings();
        config = ReserveVault.InitialConfig({
            signers: accounts,
            threshold: 2,
            withdrawalDelay: t.withdrawalDelay,
            configDelay: t.configDelay,
            executionWindow: t.executionWindow,
            longDelay: t.longDelay,
            coolOff: t.coolOff,
            recoveryDelay: t.recoveryDelay,
            councilDelay: t.councilDelay,
            maxFreeze: t.maxFreeze,
            freezeCooldown: t.freezeCooldown,
            vetoQuietPeriod: t.vetoQuietPeriod
        });
    }

    function _initialTimings() private pure returns (Timings memory) {
        return Timings({
            withdrawalDelay: 1 hours,
            configDelay: 2 hours,
            executionWindow: 1 days,
            longDelay: 3 hours,
            coolOff: 1 hours,
            recoveryDelay: 3 hours,
            councilDelay: 3 hours,
            maxFreeze: 1 hours,
            freezeCooldown: 2 hours,
            vetoQuietPeriod: 4 hours
        });
    }

    function _policy() private pure returns (ReserveVault.InitialPolicy memory) {
        OutflowLimit[] memory limits = new OutflowLimit[](1);
        limits[0] = OutflowLimit({asset: address(0), limit: ETH_LIMIT});
        return ReserveVault.InitialPolicy({
            outflowPeriod: 1 days, outflowLimits: limits, allowlist: new address[](0), allowlistEnabled: false
        });
    }

    // -------------------------------------------------------------------------------------
    // Helpers
    // -------------------------------------------------------------------------------------

    /// @dev A change for the current epoch with the next config nonce plus `nonceOffset`.
    function _change(ConfigAction action, address account, address replacement, uint256 value, uint32 nonceOffset)
        private
        view
        returns (ConfigChange memory)
    {
        (uint32 epoch,,,,,, uint32 nonce) = vault.configuration();
        return ConfigChange({
            action: action,
            account: account,
            replacement: replacement,
            value: value,
            nonce: nonce + nonceOffset,
            epoch: epoch
        });
    }

    function _queue(ConfigChange memory c, uint256 slot) private returns (bytes32 id) {
        id = vault.configChangeId(c);
        Signer[] memory all = keys;
        vault.queueConfigChange(c, slot, _join(_signEach(_subset(all, QUORUM), id)));
    }

    /// @dev Queues `c` in slot 0 and waits out its delay; returns its id.
    function _queueAndWait(ConfigChange memory c) private returns (bytes32 id) {
        id = _queue(c, 0);
        vm.warp(block.timestamp + WAIT);
    }

    function _epoch() private view returns (uint256 epoch) {
        (epoch,,,,,,) = vault.configuration();
    }

    function _threshold() private view returns (uint256 threshold) {
        (, threshold,,,,,) = vault.configuration();
    }

    function _council() private view returns (uint256 council) {
        (,,, council) = module.guardianCounts();
    }

    function _contains(address[] memory list, address account) private pure returns (bool) {
        for (uint256 i = 0; i < list.length; ++i) {
            if (list[i] == account) return true;
        }
        return false;
    }

    function _assertAscending(address[] memory list, string memory what) private pure {
        for (uint256 i = 1; i < list.length; ++i) {
            _assertTrue(list[i - 1] < list[i], what);
        }
    }

    // -------------------------------------------------------------------------------------
    // Signer changes: membership diff events, threshold, epoch, council threshold
    // -------------------------------------------------------------------------------------

    /// @notice AddSigner inserts the signer in order, sets M, advances the epoch, and emits
    ///         SignerAdded, ThresholdChanged and EpochAdvanced; C = 4 stays valid (N = 4, M = 3).
    function test_AddSignerExecutes() external {
        ConfigChange memory c = _change(ConfigAction.AddSigner, NEWCOMER, address(0), 3, 0);
        bytes32 id = _queueAndWait(c);
        vm.expectEmit();
        emit ConfigChangeExecuted(id, ConfigAction.AddSigner);
        vm.expectEmit();
        emit SignerAdded(NEWCOMER);
        vm.expectEmit();
        emit ThresholdChanged(2, 3);
        vm.expectEmit();
        emit EpochAdvanced(1, 2);
        vault.executeConfigChange(c, 0);

        address[] memory signers = vault.signers();
        _assertEq(signers.length, 4, "signer count");
        _assertEq(signers[0], NEWCOMER, "the lowest address is first");
        _assertAscending(signers, "signers sorted");
        _assertTrue(vault.isSigner(NEWCOMER), "newcomer is a signer");
        _assertEq(_threshold(), 3, "threshold");
        _assertEq(_epoch(), 2, "epoch");
        _assertEq(_council(), 4, "council unchanged");
        _assertEq(uint256(vault.operationState(id, 0)), uint256(OperationState.Executed), "executed");
    }

    /// @notice RemoveSigner drops the signer, emits SignerRemoved and EpochAdvanced, and lowers
    ///         C from 4 to the new maximum N + G - max(M, K) = 2 + 3 - 2 = 3 through the module.
    function test_RemoveSignerLowersCouncilThreshold() external {
        address leaving = keys[1].account;
        ConfigChange memory c = _change(ConfigAction.RemoveSigner, leaving, address(0), 2, 0);
        _queueAndWait(c);
        vm.expectEmit();
        emit SignerRemoved(leaving);
        vm.expectEmit();
        emit EpochAdvanced(1, 2);
        vm.expectEmit();
        emit CouncilThresholdChanged(4, 3);
        vault.executeConfigChange(c, 0);

        address[] memory signers = vault.signers();
        _assertEq(signers.length, 2, "signer count");
        _assertEq(signers[0], keys[0].account, "first signer kept");
        _assertEq(signers[1], keys[2].account, "last signer kept");
        _assertEq(_threshold(), 2, "threshold");
        _assertEq(_council(), 3, "council lowered");
    }

    /// @notice ReplaceSigner swaps one signer (SignerRemoved then SignerAdded, in address order),
    ///         keeps M (no ThresholdChanged) and advances the epoch.
    function test_ReplaceSignerKeepsThreshold() external {
        address old = keys[0].account;
        address replacement = address(type(uint160).max);
        ConfigChange memory c = _change(ConfigAction.ReplaceSigner, old, replacement, 0, 0);
        _queueAndWait(c);
        vm.expectEmit();
        emit SignerRemoved(old);
        vm.expectEmit();
        emit SignerAdded(replacement);
        vm.expectEmit();
        emit EpochAdvanced(1, 2);
        vault.executeConfigChange(c, 0);

        address[] memory signers = vault.signers();
        _assertEq(signers.length, 3, "signer count");
        _assertEq(signers[0], keys[1].account, "second signer now first");
        _assertEq(signers[2], replacement, "replacement last");
        _assertTrue(!vault.isSigner(old), "old signer gone");
        _assertEq(_threshold(), 2, "threshold kept");
        _assertEq(_epoch(), 2, "epoch");
    }

    /// @notice SetThreshold changes M and advances the epoch without touching the signer set.
    function test_SetThresholdAdvancesEpoch() external {
        ConfigChange memory c = _change(ConfigAction.SetThreshold, address(0), address(0), 1, 0);
        _queueAndWait(c);
        vm.expectEmit();
        emit ThresholdChanged(2, 1);
        vm.expectEmit();
        emit EpochAdvanced(1, 2);
        vault.executeConfigChange(c, 0);

        _assertEq(_threshold(), 1, "threshold");
        _assertEq(_epoch(), 2, "epoch");
        address[] memory signers = vault.signers();
        _assertEq(signers.length, 3, "signer count");
        for (uint256 i = 0; i < 3; ++i) {
            _assertEq(signers[i], keys[i].account, "signer kept");
        }
    }

    // -------------------------------------------------------------------------------------
    // Guardian changes: validated by the vault, applied by the module
    // -------------------------------------------------------------------------------------

    /// @notice AddGuardian executes through the module: the guardian joins, K changes, and the
    ///         signer epoch does not move.
    function test_AddGuardianAppliedByModule() external {
        ConfigChange memory c = _change(ConfigAction.AddGuardian, NEWCOMER, address(0), 3, 0);
        _queueAndWait(c);
        vm.expectEmit();
        emit GuardianAdded(NEWCOMER);
        vault.executeConfigChange(c, 0);

        (, uint256 g, uint256 k,) = module.guardianCounts();
        _assertEq(g, 4, "guardian count");
        _assertEq(k, 3, "guardian threshold");
        _assertTrue(_contains(module.guardians(), NEWCOMER), "newcomer is a guardian");
        _assertEq(_epoch(), 1, "signer epoch unchanged");
    }

    /// @notice RemoveGuardian lowers C from 4 to N + G - max(M, K) = 3 + 2 - 2 = 3.
    function test_RemoveGuardianLowersCouncilThreshold() external {
        address leaving = address(0x6A01);
        ConfigChange memory c = _change(ConfigAction.RemoveGuardian, leaving, address(0), 2, 0);
        _queueAndWait(c);
        vm.expectEmit();
        emit GuardianRemoved(leaving);
        vm.expectEmit();
        emit CouncilThresholdChanged(4, 3);
        vault.executeConfigChange(c, 0);

        (, uint256 g,, uint256 council) = module.guardianCounts();
        _assertEq(g, 2, "guardian count");
        _assertEq(council, 3, "council lowered");
        _assertTrue(!_contains(module.guardians(), leaving), "guardian gone");
    }

    /// @notice A change valid when queued but invalid when executed reverts and stays queued:
    ///         after NEWCOMER became a guardian, adding it as a signer breaks disjointness.
    function test_RevertWhen_ExecutingChangeNoLongerValid() external {
        ConfigChange memory guardian = _change(ConfigAction.AddGuardian, NEWCOMER, address(0), 2, 0);
        ConfigChange memory signer = _change(ConfigAction.AddSigner, NEWCOMER, address(0), 2, 1);
        _queue(guardian, 0);
        bytes32 signerId = _queue(signer, 1);
        vm.warp(block.timestamp + WAIT);
        vault.executeConfigChange(guardian, 0);

        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.GuardianAlreadyMember.selector, NEWCOMER));
        vault.executeConfigChange(signer, 1);
        _assertEq(uint256(vault.operationState(signerId, 1)), uint256(OperationState.Ready), "still queued");
        _assertTrue(!vault.isSigner(NEWCOMER), "not a signer");
    }

    // -------------------------------------------------------------------------------------
    // Delay changes: DelayChanged(action, old, new) and only that delay changes
    // -------------------------------------------------------------------------------------

    /// @dev The delay `action` sets, read field by field (independently of DelayTable).
    function _field(Timings memory t, ConfigAction action) private pure returns (uint256) {
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

    /// @dev The ten delay-setting actions, in Timings' field order.
    function _delayActions() private pure returns (ConfigAction[10] memory) {
        return [
            ConfigAction.SetWithdrawalDelay,
            ConfigAction.SetConfigDelay,
            ConfigAction.SetExecutionWindow,
            ConfigAction.SetLongDelay,
            ConfigAction.SetCoolOff,
            ConfigAction.SetRecoveryDelay,
            ConfigAction.SetCouncilDelay,
            ConfigAction.SetMaxFreeze,
            ConfigAction.SetFreezeCooldown,
            ConfigAction.SetVetoQuietPeriod
        ];
    }

    /// @dev Queues and executes `action` = `value`; checks DelayChanged with the old value, the new
    ///      value in timings(), every other delay unchanged, and the epoch unchanged.
    function _executeDelayChange(ConfigAction action, uint256 value) private {
        (Timings memory before,) = vault.timings();
        ConfigChange memory c = _change(action, address(0), address(0), value, 0);
        _queueAndWait(c);
        vm.expectEmit();
        emit DelayChanged(action, _field(before, action), value);
        vault.executeConfigChange(c, 0);

        (Timings memory afterwards,) = vault.timings();
        ConfigAction[10] memory actions = _delayActions();
        for (uint256 i = 0; i < actions.length; ++i) {
            uint256 expected = actions[i] == action ? value : _field(before, actions[i]);
            _assertEq(_field(afterwards, actions[i]), expected, vm.toString(uint256(actions[i])));
        }
        _assertEq(_epoch(), 1, "epoch unchanged");
    }

    /// @notice SetWithdrawalDelay sets the withdrawal delay (and the configuration's view of it).
    function test_SetWithdrawalDelayExecutes() external {
        _executeDelayChange(ConfigAction.SetWithdrawalDelay, 2 hours);
        (,,, uint256 withdrawalDelay,,,) = vault.configuration();
        _assertEq(withdrawalDelay, 2 hours, "configuration().withdrawalDelay");
    }

    /// @notice SetConfigDelay sets the configuration delay.
    function test_SetConfigDelayExecutes() external {
        _executeDelayChange(ConfigAction.SetConfigDelay, 3 hours);
        (,,,, uint256 configDelay,,) = vault.configuration();
        _assertEq(configDelay, 3 hours, "configuration().configDelay");
    }

    /// @notice SetExecutionWindow sets the execution window.
    function test_SetExecutionWindowExecutes() external {
        _executeDelayChange(ConfigAction.SetExecutionWindow, 2 days);
        (,,,,, uint256 window,) = vault.configuration();
        _assertEq(window, 2 days, "configuration().executionWindow");
    }

    /// @notice SetLongDelay sets the long delay (shortening it waited the long delay itself).
    function test_SetLongDelayExecutes() external {
        _executeDelayChange(ConfigAction.SetLongDelay, 2 hours);
    }

    /// @notice SetCoolOff sets the recovery cool-off.
    function test_SetCoolOffExecutes() external {
        _executeDelayChange(ConfigAction.SetCoolOff, 2 hours);
    }

    /// @notice SetRecoveryDelay sets the recovery delay.
    function test_SetRecoveryDelayExecutes() external {
        _executeDelayChange(ConfigAction.SetRecoveryDelay, 4 hours);
    }

    /// @notice SetCouncilDelay sets the council delay.
    function test_SetCouncilDelayExecutes() external {
        _executeDelayChange(ConfigAction.SetCouncilDelay, 5 hours);
    }

    /// @notice SetMaxFreeze sets the longest freeze.
    function test_SetMaxFreezeExecutes() external {
        _executeDelayChange(ConfigAction.SetMaxFreeze, 2 hours);
    }

    /// @notice SetFreezeCooldown sets the freeze cooldown.
    function test_SetFreezeCooldownExecutes() external {
        _executeDelayChange(ConfigAction.SetFreezeCooldown, 3 hours);
    }

    /// @notice SetVetoQuietPeriod sets the veto quiet period.
    function test_SetVetoQuietPeriodExecutes() external {
        _executeDelayChange(ConfigAction.SetVetoQuietPeriod, 5 hours);
    }

    /// @notice Shortening the long delay is a loosening: it waits max(config delay, long delay) =
    ///         3 h, not the 2 h config delay.
    function test_RevertWhen_LooseningExecutedBeforeLongDelay() external {
        ConfigChange memory c = _change(ConfigAction.SetLongDelay, address(0), address(0), 2 hours, 0);
        bytes32 id = _queue(c, 0);
        uint256 eta = block.timestamp + 3 hours;
        vm.warp(block.timestamp + 2 hours);
        vm.expectRevert(
            abi.encodeWithSelector(IReserveVaultErrors.OperationNotReady.selector, id, eta, block.timestamp)
        );
        vault.executeConfigChange(c, 0);
    }

    /// @notice Delays are re-checked against each other at execution: once the config delay is
    ///         down to 90 min, a queued raise of the withdrawal delay to 2 h is out of bounds.
    function test_RevertWhen_DelayChangeInvalidAtExecution() external {
        ConfigChange memory config = _change(ConfigAction.SetConfigDelay, address(0), address(0), 90 minutes, 0);
        ConfigChange memory withdrawal = _change(ConfigAction.SetWithdrawalDelay, address(0), address(0), 2 hours, 1);
        _queue(config, 0);
        bytes32 id = _queue(withdrawal, 1);
        vm.warp(block.timestamp + WAIT);
        vault.executeConfigChange(config, 0);

        vm.expectRevert(
            abi.encodeWithSelector(
                IReserveVaultErrors.DelayOutOfRange.selector,
                ConfigAction.SetWithdrawalDelay,
                2 hours,
                1 hours,
                90 minutes
            )
        );
        vault.executeConfigChange(withdrawal, 1);
        _assertEq(uint256(vault.operationState(id, 1)), uint256(OperationState.Ready), "still queued");
    }

    // -------------------------------------------------------------------------------------
    // Policy changes
    // -------------------------------------------------------------------------------------

    /// @notice Raising a limit (a loosening) executes after the delay and sets the limit.
    function test_RaiseOutflowLimitExecutes() external {
        ConfigChange memory c = _change(ConfigAction.SetOutflowLimit, address(0), address(0), 2 * ETH_LIMIT, 0);
        _queueAndWait(c);
        vm.expectEmit();
        emit OutflowLimitChanged(address(0), ETH_LIMIT, 2 * ETH_LIMIT);
        vault.executeConfigChange(c, 0);
        (uint256 limit,,) = vault.outflow(address(0));
        _assertEq(limit, 2 * ETH_LIMIT, "limit");
        _assertEq(_epoch(), 1, "epoch unchanged");
    }

    /// @notice Allowing a destination executes after the delay and adds it to the allowlist.
    function test_AllowDestinationExecutes() external {
        ConfigChange memory c = _change(ConfigAction.AllowDestination, NEWCOMER, address(0), 0, 0);
        _queueAndWait(c);
        vm.expectEmit();
        emit AllowlistEntryChanged(NEWCOMER, false, true);
        vault.executeConfigChange(c, 0);
        (,,, address[] memory allowlist) = vault.withdrawalPolicy();
        _assertEq(allowlist.length, 1, "allowlist length");
        _assertEq(allowlist[0], NEWCOMER, "allowed");
    }

    /// @notice A tightening applies when queued (Tightened), with nothing left to execute.
    function test_LowerOutflowLimitAppliesWhenQueued() external {
        ConfigChange memory c = _change(ConfigAction.SetOutflowLimit, address(0), address(0), 1 ether, 0);
        bytes32 id = vault.configChangeId(c);
        vm.expectEmit();
        emit Tightened(id, ConfigAction.SetOutflowLimit, false);
        _queue(c, 0);
        (uint256 limit,,) = vault.outflow(address(0));
        _assertEq(limit, 1 ether, "limit lowered at once");
        _assertEq(uint256(vault.operationState(id, 0)), uint256(OperationState.Unknown), "not queued");
    }

    // -------------------------------------------------------------------------------------
    // ConfigRules against a deployed vault
    // -------------------------------------------------------------------------------------

    /// @notice snapshotOf reads the vault's views, and checkChange is checkChangeAgainst on it.
    function test_CheckChangeReadsTheVault() external view {
        RulesSnapshot memory s = rules.snapshotOf(IVaultViews(address(vault)), address(0));
        _assertEq(s.threshold, 2, "M");
        _assertEq(s.guardianThreshold, 2, "K");
        _assertEq(s.councilThreshold, 4, "C");
        _assertEq(s.assetLimit, ETH_LIMIT, "limit");
        _assertEq(s.signers.length, 3, "N");
        _assertEq(s.guardians.length, 3, "G");
        _assertEq(s.timings.vetoQuietPeriod, 4 hours, "vetoQuietPeriod");
        ConfigChange memory c = _change(ConfigAction.SetOutflowLimit, address(0), address(0), 1 ether, 0);
        ChangeEffect effect = rules.checkChange(c, IVaultViews(address(vault)));
        _assertEq(uint256(effect), uint256(ChangeEffect.Tightening), "effect");
        _assertEq(uint256(rules.checkChangeAgainst(c, s)), uint256(effect), "same as against the snapshot");
    }
}
