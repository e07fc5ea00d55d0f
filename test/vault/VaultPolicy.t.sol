// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {
    ConfigAction,
    ConfigChange,
    DelayReason,
    IReserveVaultErrors,
    OperationState,
    Timings,
    Withdrawal
} from "../../contracts/interfaces/IReserveVault.sol";
import {VaultUnitBase} from "./VaultUnitBase.sol";

/// @title Unit tests of ReserveVault configuration changes as the vault handles them: proposing,
///        approving, queueing with the right delay (neutral, loosening, tightening at once),
///        executing, the withdrawal policy's changes, and the views.
/// @notice Each test starts from the 3-of-4 vault of VaultUnitBase at time START.
contract VaultPolicyTest is VaultUnitBase {
    uint256 private constant SLOT = 11;

    function _configNonce() private view returns (uint32 nonce) {
        (,,,,,, nonce) = vault.configuration();
    }

    function _slotEta(uint256 slot) private view returns (uint256 eta) {
        (, eta,,) = vault.queueSlot(slot);
    }

    // -------------------------------------------------------------------------------------
    // queueConfigChange: delays by effect
    // -------------------------------------------------------------------------------------

    /// A neutral change (a longer withdrawal delay) waits the configuration delay and takes the
    /// configuration nonce.
    function test_QueueNeutralChangeWaitsConfigDelay() external {
        ConfigChange memory c = _change(ConfigAction.SetWithdrawalDelay, address(0), 2 days, 0);
        bytes32 id = vault.configChangeId(c);
        bytes memory sigs = _quorumSigs(id);
        vm.expectEmit();
        emit ConfigChangeQueued(id, c, SLOT, START + CONFIG_DELAY);
        vm.prank(OUTSIDER);
        _assertEq(vault.queueConfigChange(c, SLOT, sigs), id, "returned id");
        _assertSlot(SLOT, id, START + CONFIG_DELAY, START + CONFIG_DELAY + WINDOW, false);
        _assertEq(_configNonce(), 1, "config nonce");
    }

    /// A loosening change (a shorter withdrawal delay) waits max(configDelay, longDelay).
    function test_QueueLooseningChangeWaitsLongDelay() external {
        _queueChange(_change(ConfigAction.SetWithdrawalDelay, address(0), 12 hours, 0), SLOT);
        _assertEq(_slotEta(SLOT), START + LONG_DELAY, "eta");
    }

    /// When the long delay is shorter than the configuration delay, a loosening change waits the
    /// configuration delay.
    function test_QueueLooseningChangeWaitsConfigDelayWhenLonger() external {
        _executeChange(_change(ConfigAction.SetConfigDelay, address(0), 3 days, 0), 0);
        _executeChange(_change(ConfigAction.SetLongDelay, address(0), 2 days, 1), 1);
        uint256 now_ = block.timestamp;
        _queueChange(_change(ConfigAction.SetLongDelay, address(0), 1 days, 2), SLOT);
        _assertEq(_slotEta(SLOT), now_ + 3 days, "eta = configDelay");
    }

    /// A tightening change (a lower outflow limit) applies at once, without a queue slot.
    function test_QueueTighteningAppliesAtOnce() external {
        _queue(_eth(1 ether, 0), SLOT);
        ConfigChange memory c = _change(ConfigAction.SetOutflowLimit, address(0), 1 ether, 0);
        bytes32 id = vault.configChangeId(c);
        bytes memory sigs = _quorumSigs(id);
        vm.expectEmit();
        emit Tightened(id, ConfigAction.SetOutflowLimit, false);
        vm.expectEmit();
        emit OutflowLimitChanged(address(0), ETH_LIMIT, 1 ether);
        vault.queueConfigChange(c, SLOT, sigs);
        (uint256 limit, uint256 used,) = vault.outflow(address(0));
        _assertEq(limit, 1 ether, "limit");
        _assertEq(used, 1 ether, "used unchanged");
        _assertEq(_configNonce(), 1, "nonce used");
        _assertState(id, SLOT, OperationState.Unknown, "never queued");
        (uint256 delay, DelayReason reason) = vault.delayFor(address(0), RECIPIENT, 1);
        _assertEq(delay, LONG_DELAY, "the lower limit applies");
        _assertEq(uint256(reason), uint256(DelayReason.OverLimit), "reason");
    }

    /// queueConfigChange takes exactly the next configuration nonce.
    function test_RevertWhen_QueueChangeNonceNotNext() external {
        ConfigChange memory c = _change(ConfigAction.SetWithdrawalDelay, address(0), 2 days, 1);
        bytes32 id = vault.configChangeId(c);
        bytes memory sigs = _quorumSigs(id);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.NonceMismatch.selector, 1, 0));
        vault.queueConfigChange(c, SLOT, sigs);
    }

    /// The quorum is checked before the exact nonce: a used nonce without a quorum reports the
    /// missing quorum.
    function test_RevertWhen_QueueChangeUsedNonceWithoutQuorum() external {
        _queueChange(_change(ConfigAction.SetWithdrawalDelay, address(0), 2 days, 0), 0);
        ConfigChange memory c = _change(ConfigAction.SetThreshold, address(0), 2, 0);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.ThresholdNotMet.selector, THRESHOLD, 0));
        vault.queueConfigChange(c, SLOT, "");
    }

    /// A change must carry the current epoch, and is validated by ConfigRules.
    function test_RevertWhen_QueueChangeEpochMismatchOrInvalid() external {
        ConfigChange memory c = _change(ConfigAction.SetThreshold, address(0), 2, 0);
        c.epoch = 2;
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.EpochMismatch.selector, 2, 1));
        vault.queueConfigChange(c, SLOT, "");
        c = _change(ConfigAction.SetThreshold, address(0), 5, 0);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.ThresholdOutOfRange.selector, 5, 4));
        vault.queueConfigChange(c, SLOT, "");
    }

    /// M - 1 signatures cannot queue a change.
    function test_RevertWhen_QueueChangeBelowThreshold() external {
        ConfigChange memory c = _change(ConfigAction.SetThreshold, address(0), 2, 0);
        bytes memory sigs = _sigs(vault.configChangeId(c), 0x9);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.ThresholdNotMet.selector, THRESHOLD, 2));
        vault.queueConfigChange(c, SLOT, sigs);
    }

    // -------------------------------------------------------------------------------------
    // proposeConfigChange / approveConfigChange
    // -------------------------------------------------------------------------------------

    /// A proposed change is pending; the approval reaching M queues it with the config delay.
    function test_ProposeAndApproveConfigChange() external {
        ConfigChange memory c = _change(ConfigAction.SetWithdrawalDelay, address(0), 2 days, 0);
        bytes32 id = vault.configChangeId(c);
        vm.expectEmit();
        emit ConfigChangeProposed(id, _signer(0), c);
        vm.expectEmit();
        emit OperationApproved(id, _signer(0), 1);
        vm.prank(_signer(0));
        _assertEq(vault.proposeConfigChange(c), id, "returned id");
        _assertState(id, SLOT, OperationState.Pending, "pending");
        vm.prank(_signer(1));
        _assertFalse(vault.approveConfigChange(c, SLOT), "second approval");
        _assertEq(_configNonce(), 0, "nonce unused");
        vm.expectEmit();
        emit OperationApproved(id, _signer(2), 3);
        vm.expectEmit();
        emit ConfigChangeQueued(id, c, SLOT, START + CONFIG_DELAY);
        vm.prank(_signer(2));
        _assertTrue(vault.approveConfigChange(c, SLOT), "third approval queues");
        _assertState(id, SLOT, OperationState.Queued, "queued");
        _assertEq(_configNonce(), 1, "nonce used");
    }

    /// The approval reaching M applies a tightening at once (allowlist turned on).
    function test_ApproveTighteningAppliesAtOnce() external {
        ConfigChange memory c = _change(ConfigAction.SetAllowlistEnabled, address(0), 1, 0);
        bytes32 id = vault.configChangeId(c);
        vm.prank(_signer(0));
        vault.proposeConfigChange(c);
        vm.prank(_signer(1));
        vault.approveConfigChange(c, SLOT);
        vm.expectEmit();
        emit Tightened(id, ConfigAction.SetAllowlistEnabled, false);
        vm.expectEmit();
        emit AllowlistEnabledChanged(false, true);
        vm.prank(_signer(3));
        _assertTrue(vault.approveConfigChange(c, SLOT), "applied");
        (,, bool enabled,) = vault.withdrawalPolicy();
        _assertTrue(enabled, "allowlist on");
        (uint256 delay, DelayReason reason) = vault.delayFor(address(0), RECIPIENT, 1 ether);
        _assertEq(delay, LONG_DELAY, "unknown destination: long delay");
        _assertEq(uint256(reason), uint256(DelayReason.UnknownDestination), "reason");
    }

    /// Signatures add to on-chain approvals of a proposed change; the proposal closes.
    function test_QueueChangeMixesSignaturesAndApprovals() external {
        ConfigChange memory c = _change(ConfigAction.SetWithdrawalDelay, address(0), 2 days, 0);
        vm.prank(_signer(2));
        bytes32 id = vault.proposeConfigChange(c);
        vm.prank(_signer(3));
        vault.approveConfigChange(c, SLOT);
        vault.queueConfigChange(c, SLOT, _sigs(id, 0x1));
        _assertState(id, SLOT, OperationState.Queued, "queued");
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.ProposalNotPending.selector, id));
        vm.prank(_signer(2));
        vault.revokeProposal(id);
    }

    /// A change can be proposed with a later nonce, never a used one.
    function test_RevertWhen_ProposeChangeNonceUsed() external {
        _queueChange(_change(ConfigAction.SetWithdrawalDelay, address(0), 2 days, 0), SLOT);
        ConfigChange memory c = _change(ConfigAction.SetThreshold, address(0), 2, 0);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.NonceMismatch.selector, 0, 1));
        vm.prank(_signer(0));
        vault.proposeConfigChange(c);
        c.nonce = 1;
        vm.prank(_signer(0));
        bytes32 id = vault.proposeConfigChange(c);
        _assertState(id, 0, OperationState.Pending, "next nonce");
    }

    /// A change proposal whose nonce another change used cannot be approved.
    function test_RevertWhen_ApproveStaleChangeProposal() external {
        ConfigChange memory c = _change(ConfigAction.SetThreshold, address(0), 2, 0);
        vm.prank(_signer(0));
        vault.proposeConfigChange(c);
        _queueChange(_change(ConfigAction.SetWithdrawalDelay, address(0), 2 days, 0), 0);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.NonceMismatch.selector, 0, 1));
        vm.prank(_signer(1));
        vault.approveConfigChange(c, SLOT);
    }

    /// Proposals are checked like queued changes: epoch, validity, the caller a signer, once.
    function test_RevertWhen_ProposeChangeInvalid() external {
        ConfigChange memory c = _change(ConfigAction.SetThreshold, address(0), 2, 0);
        c.epoch = 0;
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.EpochMismatch.selector, 0, 1));
        vm.prank(_signer(0));
        vault.proposeConfigChange(c);
        c = _change(ConfigAction.SetThreshold, address(0), 0, 0);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.ThresholdOutOfRange.selector, 0, 4));
        vm.prank(_signer(0));
        vault.proposeConfigChange(c);
        c.value = 2;
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.CallerNotSigner.selector, OUTSIDER));
        vm.prank(OUTSIDER);
        vault.proposeConfigChange(c);
        vm.prank(_signer(0));
        bytes32 id = vault.proposeConfigChange(c);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.ProposalAlreadyExists.selector, id));
        vm.prank(_signer(1));
        vault.proposeConfigChange(c);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.AlreadyApproved.selector, id, _signer(0)));
        vm.prank(_signer(0));
        vault.approveConfigChange(c, SLOT);
    }

    // -------------------------------------------------------------------------------------
    // executeConfigChange
    // -------------------------------------------------------------------------------------

    /// A queued delay change executes in [eta, deadline] and changes that delay alone.
    function test_ExecuteConfigChangeAtEta() external {
        ConfigChange memory c = _change(ConfigAction.SetWithdrawalDelay, address(0), 2 days, 0);
        bytes32 id = _queueChange(c, SLOT);
        uint256 eta = START + CONFIG_DELAY;
        vm.warp(eta - 1);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.OperationNotReady.selector, id, eta, eta - 1));
        vault.executeConfigChange(c, SLOT);
        vm.warp(eta);
        vm.expectEmit();
        emit ConfigChangeExecuted(id, ConfigAction.SetWithdrawalDelay);
        vm.expectEmit();
        emit DelayChanged(ConfigAction.SetWithdrawalDelay, WITHDRAWAL_DELAY, 2 days);
        vm.prank(OUTSIDER);
        vault.executeConfigChange(c, SLOT);
        (uint32 epoch,,, uint256 withdrawalDelay, uint256 configDelay,,) = vault.configuration();
        _assertEq(epoch, EPOCH, "a delay change keeps the epoch");
        _assertEq(withdrawalDelay, 2 days, "withdrawal delay");
        _assertEq(configDelay, CONFIG_DELAY, "config delay unchanged");
        _assertState(id, SLOT, OperationState.Executed, "executed");
    }

    /// After its deadline a change has expired.
    function test_RevertWhen_ExecuteConfigChangeExpired() external {
        ConfigChange memory c = _change(ConfigAction.SetWithdrawalDelay, address(0), 2 days, 0);
        bytes32 id = _queueChange(c, SLOT);
        uint256 deadline = START + CONFIG_DELAY + WINDOW;
        vm.warp(deadline + 1);
        vm.expectRevert(
            abi.encodeWithSelector(IReserveVaultErrors.OperationExpired.selector, id, deadline, deadline + 1)
        );
        vault.executeConfigChange(c, SLOT);
    }

    /// Execution needs the current epoch and the change queued in that slot.
    function test_RevertWhen_ExecuteConfigChangeEpochOrSlot() external {
        ConfigChange memory c = _change(ConfigAction.SetWithdrawalDelay, address(0), 2 days, 0);
        bytes32 id = _queueChange(c, SLOT);
        vm.warp(START + CONFIG_DELAY);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.OperationNotQueued.selector, id, SLOT + 1));
        vault.executeConfigChange(c, SLOT + 1);
        c.epoch = 2;
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.EpochMismatch.selector, 2, 1));
        vault.executeConfigChange(c, SLOT);
    }

    /// A signer change advances the epoch: withdrawals queued before can no longer execute, and
    /// their counted share can be reclaimed (old epoch).
    function test_SignerChangeKillsOlderWithdrawals() external {
        Withdrawal memory w = _eth(2 ether, 0);
        (bytes32 id,) = _queue(w, 0);
        ConfigChange memory c = _change(ConfigAction.SetThreshold, address(0), 2, 0);
        bytes32 changeId = _queueChange(c, SLOT);
        vm.warp(START + CONFIG_DELAY);
        vm.expectEmit();
        emit ConfigChangeExecuted(changeId, ConfigAction.SetThreshold);
        vm.expectEmit();
        emit ThresholdChanged(THRESHOLD, 2);
        vm.expectEmit();
        emit EpochAdvanced(1, 2);
        vault.executeConfigChange(c, SLOT);
        (uint32 epoch, uint256 threshold,,,,,) = vault.configuration();
        _assertEq(epoch, 2, "epoch");
        _assertEq(threshold, 2, "threshold");
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.EpochMismatch.selector, 1, 2));
        vault.executeWithdrawal(w, 0);
        vm.expectEmit();
        emit OutflowReleased(id, address(0), 2 ether);
        vault.reclaimOutflow(w, 0);
        (, uint256 used,) = vault.outflow(address(0));
        _assertEq(used, 0, "share returned");
    }

    // -------------------------------------------------------------------------------------
    // Withdrawal policy changes (WithdrawalPolicy._applyPolicyChange through the vault)
    // -------------------------------------------------------------------------------------

    /// Raising a limit loosens: it waits the long delay, then applies.
    function test_RaiseOutflowLimitAfterLongDelay() external {
        ConfigChange memory c = _change(ConfigAction.SetOutflowLimit, address(0), 20 ether, 0);
        _queueChange(c, SLOT);
        _assertEq(_slotEta(SLOT), START + LONG_DELAY, "eta");
        vm.warp(START + LONG_DELAY);
        vm.expectEmit();
        emit OutflowLimitChanged(address(0), ETH_LIMIT, 20 ether);
        vault.executeConfigChange(c, SLOT);
        (uint256 limit,,) = vault.outflow(address(0));
        _assertEq(limit, 20 ether, "limit");
    }

    /// Allowing a destination loosens; disallowing it tightens at once; turning the allowlist off
    /// loosens.
    function test_AllowlistEntriesAndSwitch() external {
        address payee = address(0xA11CE);
        ConfigChange memory allow = _change(ConfigAction.AllowDestination, payee, 0, 0);
        _queueChange(allow, SLOT);
        _assertEq(_slotEta(SLOT), START + LONG_DELAY, "allowing waits the long delay");
        vm.warp(START + LONG_DELAY);
        vm.expectEmit();
        emit AllowlistEntryChanged(payee, false, true);
        vault.executeConfigChange(allow, SLOT);
        (,,, address[] memory list) = vault.withdrawalPolicy();
        _assertEq(list.length, 1, "one entry");
        _assertEq(list[0], payee, "entry");

        _queueChange(_change(ConfigAction.SetAllowlistEnabled, address(0), 1, 1), SLOT);
        (uint256 delay, DelayReason reason) = vault.delayFor(address(0), payee, 1 ether);
        _assertEq(delay, WITHDRAWAL_DELAY, "allowed destination");
        _assertEq(uint256(reason), uint256(DelayReason.WithinLimit), "reason");

        ConfigChange memory disallow = _change(ConfigAction.DisallowDestination, payee, 0, 2);
        bytes32 id = vault.configChangeId(disallow);
        bytes memory sigs = _quorumSigs(id);
        vm.expectEmit();
        emit Tightened(id, ConfigAction.DisallowDestination, false);
        vm.expectEmit();
        emit AllowlistEntryChanged(payee, true, false);
        vault.queueConfigChange(disallow, SLOT, sigs);
        (,,, list) = vault.withdrawalPolicy();
        _assertEq(list.length, 0, "entry removed at once");

        ConfigChange memory off = _change(ConfigAction.SetAllowlistEnabled, address(0), 0, 3);
        _queueChange(off, SLOT + 1);
        uint256 eta = block.timestamp + LONG_DELAY;
        _assertEq(_slotEta(SLOT + 1), eta, "turning it off waits the long delay");
        vm.warp(eta);
        vm.expectEmit();
        emit AllowlistEnabledChanged(true, false);
        vault.executeConfigChange(off, SLOT + 1);
        (,, bool enabled,) = vault.withdrawalPolicy();
        _assertFalse(enabled, "allowlist off");
    }

    /// With the allowlist on, the destination lookup finds entries on both sides of the middle and
    /// rejects addresses between them.
    function test_AllowlistLookup() external {
        address[] memory list = new address[](3);
        list[0] = address(0x3000);
        list[1] = address(0x1000);
        list[2] = address(0x2000);
        _redeploy(_policy(list, true));
        (address rulesAddress, uint256 period, bool enabled, address[] memory stored) = vault.withdrawalPolicy();
        _assertEq(rulesAddress, address(rules), "rules");
        _assertEq(period, OUTFLOW_PERIOD, "period");
        _assertTrue(enabled, "enabled");
        _assertEq(stored[0], address(0x1000), "sorted 0");
        _assertEq(stored[1], address(0x2000), "sorted 1");
        _assertEq(stored[2], address(0x3000), "sorted 2");
        for (uint256 i = 1; i <= 3; ++i) {
            (uint256 delay,) = vault.delayFor(address(0), address(uint160(i * 0x1000)), 1 ether);
            _assertEq(delay, WITHDRAWAL_DELAY, "allowed");
        }
        address[4] memory unknown = [address(0x0fff), address(0x1001), address(0x2fff), address(0x3001)];
        for (uint256 i = 0; i < unknown.length; ++i) {
            (uint256 delay, DelayReason reason) = vault.delayFor(address(0), unknown[i], 1 ether);
            _assertEq(delay, LONG_DELAY, "unknown");
            _assertEq(uint256(reason), uint256(DelayReason.UnknownDestination), "reason");
        }
        // A queued withdrawal to an unknown destination waits the long delay and is not counted.
        Withdrawal memory w = _eth(1 ether, 0);
        (, uint256 eta) = _queue(w, SLOT);
        _assertEq(eta, START + LONG_DELAY, "queued with the long delay");
        (, uint256 used,) = vault.outflow(address(0));
        _assertEq(used, 0, "not counted");
        // One to an allowed destination waits the normal delay and is counted.
        Withdrawal memory allowed = _eth(1 ether, 1);
        allowed.to = address(0x2000);
        (, eta) = _queue(allowed, SLOT + 1);
        _assertEq(eta, START + WITHDRAWAL_DELAY, "allowed destination: normal delay");
        (, used,) = vault.outflow(address(0));
        _assertEq(used, 1 ether, "counted");
    }

    // -------------------------------------------------------------------------------------
    // Views
    // -------------------------------------------------------------------------------------

    /// The deployment's configuration, delays and signers read back exactly.
    function test_ViewsReadTheDeployment() external view {
        (uint32 epoch, uint256 m, uint256 n, uint256 wd, uint256 cd, uint256 window, uint32 nonce) =
            vault.configuration();
        _assertEq(epoch, EPOCH, "epoch");
        _assertEq(m, THRESHOLD, "threshold");
        _assertEq(n, SIGNER_COUNT, "signer count");
        _assertEq(wd, WITHDRAWAL_DELAY, "withdrawal delay");
        _assertEq(cd, CONFIG_DELAY, "config delay");
        _assertEq(window, WINDOW, "window");
        _assertEq(nonce, 0, "config nonce");
        (Timings memory t, uint256 coolOffUntil) = vault.timings();
        _assertEq(t.longDelay, LONG_DELAY, "long delay");
        _assertEq(t.coolOff, COOL_OFF, "cool-off");
        _assertEq(t.recoveryDelay, RECOVERY_DELAY, "recovery delay");
        _assertEq(t.councilDelay, COUNCIL_DELAY, "council delay");
        _assertEq(t.maxFreeze, MAX_FREEZE, "max freeze");
        _assertEq(t.freezeCooldown, FREEZE_COOLDOWN, "freeze cooldown");
        _assertEq(t.vetoQuietPeriod, VETO_QUIET, "veto quiet period");
        _assertEq(coolOffUntil, 0, "no cool-off");
        (uint256 a, uint256 b, uint256 c, uint256 d, uint256 e, uint256 f) = vault.guardianTimings();
        _assertEq(a + b + c + d + e + f, COOL_OFF + RECOVERY_DELAY + COUNCIL_DELAY + MAX_FREEZE + FREEZE_COOLDOWN
            + VETO_QUIET, "guardian timings");
        _assertEq(a, COOL_OFF, "guardian cool-off");
        _assertEq(f, VETO_QUIET, "guardian veto quiet period");
        address[] memory s = vault.signers();
        _assertEq(s.length, SIGNER_COUNT, "signers");
        for (uint256 i = 0; i < s.length; ++i) {
            _assertEq(s[i], _signer(i), "signer order");
            _assertTrue(vault.isSigner(s[i]), "isSigner");
        }
        _assertFalse(vault.isSigner(OUTSIDER), "outsider");
        _assertFalse(vault.isSigner(_guardian(0)), "guardian");
        _assertEq(address(vault.GUARDIANS()), address(module), "module");
        _assertEq(vault.frozenUntil(), 0, "not frozen");
    }

    /// outflow(): the period of a withdrawal queued now, and when it resets (its end minus the
    /// withdrawal delay).
    function test_OutflowPeriodBoundary() external {
        _queue(_eth(4 ether, 0), 0);
        uint256 resetsAt = 101 weeks - WITHDRAWAL_DELAY;
        (, uint256 used, uint256 resets) = vault.outflow(address(0));
        _assertEq(used, 4 ether, "used");
        _assertEq(resets, resetsAt, "resetsAt");
        vm.warp(resetsAt - 1);
        (, used, resets) = vault.outflow(address(0));
        _assertEq(used, 4 ether, "same period one second before");
        _assertEq(resets, resetsAt, "same reset");
        vm.warp(resetsAt);
        (, used, resets) = vault.outflow(address(0));
        _assertEq(used, 0, "next period");
        _assertEq(resets, resetsAt + OUTFLOW_PERIOD, "next reset");
        (, uint256 eta) = _queue(_eth(ETH_LIMIT, 1), 1);
        _assertEq(eta, resetsAt + WITHDRAWAL_DELAY, "a full limit fits the new period");
    }

    /// No recovery or council change is pending in a new vault's module.
    function test_ModuleHasNothingPendingAtDeployment() external view {
        (, uint256 recoveryEta, uint256 recoveryDeadline, bool recoveryQueued,, uint256 councilEta,
            uint256 councilDeadline, bool councilQueued) = module.pending();
        _assertEq(recoveryEta + recoveryDeadline + councilEta + councilDeadline, 0, "no etas");
        _assertFalse(recoveryQueued || councilQueued, "nothing queued");
    }
}
