// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {ReserveVault} from "../../contracts/ReserveVault.sol";
import {GuardianModule} from "../../contracts/guardians/GuardianModule.sol";
import {
    ConfigAction,
    ConfigChange,
    IReserveVaultErrors,
    OperationState,
    Withdrawal
} from "../../contracts/interfaces/IReserveVault.sol";
import {GuardianTestBase} from "./GuardianTestBase.sol";

/// @title Unit tests of the guardian module's construction, binding, vault-only hooks, veto,
///        freeze, unfreeze and immediate tightening.
/// @notice Each revert path is checked with its exact custom error and arguments, each effect
///         through the module's and the vault's views (and the events it emits). Recovery, the
///         council, heartbeats and guardian configuration are in GuardianRecovery.t.sol and
///         GuardianCouncil.t.sol.
contract GuardianPowersTest is GuardianTestBase {
    // =====================================================================================
    // Construction and binding
    // =====================================================================================

    /// @notice The vault's constructor binds the module, which starts at guardian epoch 1 with its
    ///         guardians, K and C.
    function test_ConstructorBindsModuleToVault() external view {
        _assertEq(address(module.VAULT()), address(vault), "VAULT");
        _assertEq(address(vault.GUARDIANS()), address(module), "GUARDIANS");
        (uint32 epoch, uint256 g, uint256 k, uint256 council) = module.guardianCounts();
        _assertEq(epoch, 1, "guardian epoch");
        _assertEq(g, 3, "G");
        _assertEq(k, GUARDIAN_K, "K");
        _assertEq(council, COUNCIL, "C");
        _assertSameSet(module.guardians(), _accounts(_keys(1, 3, 5)), "guardians");
    }

    /// @notice The constructor announces the guardians, K, the guardian epoch and C.
    function test_ConstructorEmitsMembership() external {
        address[] memory guardians = _accounts(_keys(1, 3, 5));
        vm.expectEmit();
        emit GuardianAdded(guardians[0]);
        vm.expectEmit();
        emit GuardianThresholdChanged(0, GUARDIAN_K);
        vm.expectEmit();
        emit GuardianEpochAdvanced(0, 1);
        vm.expectEmit();
        emit CouncilThresholdChanged(0, COUNCIL);
        new GuardianModule(guardians, GUARDIAN_K, COUNCIL);
    }

    /// @notice A module bound to its vault cannot be bound again, by anyone.
    function test_RevertWhen_BindVaultCalledAgain() external {
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.CallerNotVault.selector, address(this)));
        module.bindVault();
    }

    /// @notice The first caller of bindVault becomes the module's VAULT; a second caller is refused.
    function test_BindVaultFirstCallerWins() external {
        GuardianModule fresh = new GuardianModule(_accounts(_keys(1, 3, 5)), GUARDIAN_K, COUNCIL);
        _assertEq(address(fresh.VAULT()), address(0), "unbound VAULT");
        vm.expectEmit();
        emit VaultBound(OUTSIDER);
        vm.prank(OUTSIDER);
        fresh.bindVault();
        _assertEq(address(fresh.VAULT()), OUTSIDER, "VAULT");
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.CallerNotVault.selector, address(this)));
        fresh.bindVault();
    }

    /// @notice A vault cannot be deployed with a module another vault already bound.
    function test_RevertWhen_VaultDeployedWithBoundModule() external {
        ReserveVault.InitialConfig memory config = _config();
        ReserveVault.InitialPolicy memory policy = _policy();
        // CREATE2, so that the refused vault's address (the error's argument) is known in advance.
        bytes32 salt = keccak256("second vault");
        bytes memory initCode =
            abi.encodePacked(type(ReserveVault).creationCode, abi.encode(config, policy, module, rules));
        address second = address(
            uint160(uint256(keccak256(abi.encodePacked(bytes1(0xff), address(this), salt, keccak256(initCode)))))
        );
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.CallerNotVault.selector, second));
        new ReserveVault{salt: salt}(config, policy, module, rules);
        _assertEq(address(module.VAULT()), address(vault), "VAULT unchanged");
    }

    /// @notice A module needs at least one guardian.
    function test_RevertWhen_NoGuardians() external {
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.GuardianCountOutOfRange.selector, 0, 32));
        new GuardianModule(new address[](0), 1, COUNCIL);
    }

    /// @notice A module has at most MAX_GUARDIANS (32) guardians.
    function test_RevertWhen_TooManyGuardians() external {
        address[] memory guardians = new address[](33);
        for (uint256 i = 0; i < guardians.length; ++i) {
            guardians[i] = address(uint160(0x6A00 + i));
        }
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.GuardianCountOutOfRange.selector, 33, 32));
        new GuardianModule(guardians, GUARDIAN_K, COUNCIL);
    }

    /// @notice The guardian threshold K cannot be zero.
    function test_RevertWhen_GuardianThresholdZero() external {
        address[] memory guardians = _accounts(_keys(1, 3, 5));
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.GuardianThresholdOutOfRange.selector, 0, 3));
        new GuardianModule(guardians, 0, COUNCIL);
    }

    /// @notice The guardian threshold K cannot exceed the guardian count G.
    function test_RevertWhen_GuardianThresholdAboveCount() external {
        address[] memory guardians = _accounts(_keys(1, 3, 5));
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.GuardianThresholdOutOfRange.selector, 4, 3));
        new GuardianModule(guardians, 4, COUNCIL);
    }

    /// @notice The council threshold must fit the module's uint8 field (the vault checks the rest).
    function test_RevertWhen_CouncilThresholdAboveUint8() external {
        address[] memory guardians = _accounts(_keys(1, 3, 5));
        vm.expectRevert(
            abi.encodeWithSelector(IReserveVaultErrors.CouncilThresholdOutOfRange.selector, 256, 0, 255)
        );
        new GuardianModule(guardians, GUARDIAN_K, 256);
    }

    /// @notice A guardian cannot be the zero address.
    function test_RevertWhen_GuardianIsZeroAddress() external {
        address[] memory guardians = _accounts(_keys(1, 3, 5));
        guardians[0] = address(0);
        vm.expectRevert(IReserveVaultErrors.GuardianIsZeroAddress.selector);
        new GuardianModule(guardians, GUARDIAN_K, COUNCIL);
    }

    /// @notice Guardians must be strictly ascending (so distinct).
    function test_RevertWhen_GuardiansNotAscending() external {
        address[] memory guardians = _accounts(_keys(1, 3, 5));
        guardians[2] = guardians[1];
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.MembersNotAscending.selector, 2));
        new GuardianModule(guardians, GUARDIAN_K, COUNCIL);
    }

    // =====================================================================================
    // Hooks: each side accepts them only from the other
    // =====================================================================================

    /// @notice Only the vault sets the council threshold on the module.
    function test_RevertWhen_SetCouncilThresholdNotFromVault() external {
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.CallerNotVault.selector, address(this)));
        module.setCouncilThreshold(3);
        address guardian = _key(1).account;
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.CallerNotVault.selector, guardian));
        module.setCouncilThreshold(3);
        (,,, uint256 council) = module.guardianCounts();
        _assertEq(council, COUNCIL, "C unchanged");
    }

    /// @notice Only the vault applies guardian configuration changes on the module.
    function test_RevertWhen_ApplyGuardianChangeNotFromVault() external {
        ConfigChange memory c = _configChange(ConfigAction.AddGuardian, _key(6).account, address(0), GUARDIAN_K);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.CallerNotVault.selector, address(this)));
        module.applyGuardianChange(c);
        _assertEq(module.guardians().length, 3, "G unchanged");
    }

    /// @notice The vault accepts veto, freeze, signer-replacement and tightening hooks only from its module.
    function test_RevertWhen_VaultHooksNotFromModule() external {
        bytes memory notModule =
            abi.encodeWithSelector(IReserveVaultErrors.CallerNotGuardianModule.selector, address(this));
        (, bytes32 id) = _queueWithdrawal(0, 1 ether);
        vm.expectRevert(notModule);
        vault.guardianVeto(id, 0);
        vm.expectRevert(notModule);
        vault.guardianSetFrozenUntil(now_ + 1 days);
        address[] memory newSigners = _accounts(_keys(6, 7, 8));
        vm.expectRevert(notModule);
        vault.guardianReplaceSigners(newSigners, 2, 0);
        ConfigChange memory c = _configChange(ConfigAction.SetOutflowLimit, address(0), address(0), 1 ether);
        vm.expectRevert(notModule);
        vault.guardianTighten(c, bytes32(0));
        _assertEq(uint256(vault.operationState(id, 0)), uint256(OperationState.Queued), "still queued");
        _assertEq(_frozenUntil(), 0, "not frozen");
    }

    // =====================================================================================
    // Veto
    // =====================================================================================

    /// @notice Before any veto, one guardian calling alone cancels a queued withdrawal; the level rises to 1.
    function test_GuardianAloneVetoesQueuedWithdrawal() external {
        (, bytes32 id) = _queueWithdrawal(0, 1 ether);
        vm.expectEmit();
        emit VetoLevelChanged(0, 1);
        vm.expectEmit();
        emit OperationVetoed(id, 0, 1, 1);
        vm.expectEmit();
        emit OperationCancelled(id, 0);
        vm.prank(_key(1).account);
        module.veto(id, 0, "");
        _assertEq(uint256(vault.operationState(id, 0)), uint256(OperationState.Cancelled), "vetoed");
        (uint256 level, uint256 lastVetoAt,,,,) = module.guardianStatus();
        _assertEq(level, 1, "veto level");
        _assertEq(lastVetoAt, now_, "last veto");
        (uint256 decayed, uint256 required) = module.vetoRequirement();
        _assertEq(decayed, 1, "level after veto");
        _assertEq(required, 2, "next veto needs two guardians");
    }

    /// @notice Anyone relays one guardian's signature over Veto(id, guardianEpoch).
    function test_OutsiderRelaysGuardianSignatureToVeto() external {
        (, bytes32 id) = _queueWithdrawal(2, 1 ether);
        bytes memory signatures = _sign(_keys(3), _vetoDigest(id));
        vm.prank(OUTSIDER);
        module.veto(id, 2, signatures);
        _assertEq(uint256(vault.operationState(id, 2)), uint256(OperationState.Cancelled), "vetoed");
    }

    /// @notice A vetoed withdrawal can never execute.
    function test_RevertWhen_VetoedWithdrawalExecuted() external {
        (Withdrawal memory w, bytes32 id) = _queueWithdrawal(0, 1 ether);
        vm.prank(_key(1).account);
        module.veto(id, 0, "");
        _skip(WITHDRAWAL_DELAY);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.OperationNotQueued.selector, id, 0));
        vault.executeWithdrawal(w, 0);
    }

    /// @notice An outsider with no guardian signature cannot veto.
    function test_RevertWhen_VetoWithoutApprovals() external {
        (, bytes32 id) = _queueWithdrawal(0, 1 ether);
        vm.prank(OUTSIDER);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.VetoThresholdNotMet.selector, 1, 0));
        module.veto(id, 0, "");
    }

    /// @notice A signer calling veto does not count: only guardians approve vetoes.
    function test_RevertWhen_SignerCallsVeto() external {
        (, bytes32 id) = _queueWithdrawal(0, 1 ether);
        vm.prank(_key(0).account);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.VetoThresholdNotMet.selector, 1, 0));
        module.veto(id, 0, "");
    }

    /// @notice A signer's signature over the veto is no guardian approval.
    function test_RevertWhen_VetoSignedBySigner() external {
        (, bytes32 id) = _queueWithdrawal(0, 1 ether);
        bytes memory signatures = _sign(_keys(2), _vetoDigest(id));
        address signer = _key(2).account;
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.SignatureNotFromSigner.selector, 0, signer));
        module.veto(id, 0, signatures);
    }

    /// @notice Within the quiet period after a veto, a second guardian alone cannot veto; the level stays.
    function test_RevertWhen_SecondVetoBySingleGuardianWithinQuietPeriod() external {
        (, bytes32 first) = _queueWithdrawal(0, 1 ether);
        (, bytes32 second) = _queueWithdrawal(1, 1 ether);
        vm.prank(_key(1).account);
        module.veto(first, 0, "");
        _skip(VETO_QUIET_PERIOD - 1);
        vm.prank(_key(3).account);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.VetoThresholdNotMet.selector, 2, 1));
        module.veto(second, 1, "");
        (uint256 level,,,,,) = module.guardianStatus();
        _assertEq(level, 1, "level unchanged");
    }

    /// @notice Two guardians veto a second operation right after a first veto; the level rises to 2.
    function test_TwoGuardiansVetoSecondOperation() external {
        (, bytes32 first) = _queueWithdrawal(0, 1 ether);
        (, bytes32 second) = _queueWithdrawal(1, 1 ether);
        vm.prank(_key(1).account);
        module.veto(first, 0, "");
        bytes memory signature = _sign(_keys(5), _vetoDigest(second));
        vm.expectEmit();
        emit VetoLevelChanged(1, 2);
        vm.expectEmit();
        emit OperationVetoed(second, 1, 2, 2);
        vm.prank(_key(3).account);
        module.veto(second, 1, signature);
        (uint256 level, uint256 required) = module.vetoRequirement();
        _assertEq(level, 2, "level");
        _assertEq(required, 3, "required");
    }

    /// @notice The veto level falls by one per full quiet period without a veto, not before.
    function test_VetoLevelDecaysPerQuietPeriod() external {
        (, bytes32 id) = _queueWithdrawal(0, 1 ether);
        vm.prank(_key(1).account);
        module.veto(id, 0, "");
        _skip(VETO_QUIET_PERIOD - 1);
        (uint256 level, uint256 required) = module.vetoRequirement();
        _assertEq(level, 1, "level one second early");
        _assertEq(required, 2, "required one second early");
        _skip(1);
        (level, required) = module.vetoRequirement();
        _assertEq(level, 0, "level after the quiet period");
        _assertEq(required, 1, "required after the quiet period");
        (, bytes32 next) = _queueWithdrawal(1, 1 ether);
        vm.expectEmit();
        emit VetoLevelChanged(0, 1);
        vm.prank(_key(5).account);
        module.veto(next, 1, "");
    }

    /// @notice The requirement never exceeds G, and the level saturates at G: all guardians always veto.
    function test_VetoLevelSaturatesAtGuardianCount() external {
        bytes32[] memory ids = new bytes32[](4);
        for (uint256 i = 0; i < 4; ++i) {
            (, ids[i]) = _queueWithdrawal(i, 1 ether);
        }
        for (uint256 i = 0; i < 3; ++i) {
            module.veto(ids[i], i, _sign(_keys(1, 3, 5), _vetoDigest(ids[i])));
        }
        (uint256 level, uint256 required) = module.vetoRequirement();
        _assertEq(level, 3, "level at G");
        _assertEq(required, 3, "required capped at G");
        bytes memory signatures = _sign(_keys(1, 3, 5), _vetoDigest(ids[3]));
        vm.expectEmit();
        emit VetoLevelChanged(3, 3);
        module.veto(ids[3], 3, signatures);
        (level,) = module.vetoRequirement();
        _assertEq(level, 3, "level saturated");
    }

    /// @notice A veto through a slot that does not hold the operation is refused by the vault.
    function test_RevertWhen_VetoThroughWrongSlot() external {
        (, bytes32 id) = _queueWithdrawal(0, 1 ether);
        vm.prank(_key(1).account);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.NotVetoable.selector, id, 1));
        module.veto(id, 1, "");
    }

    /// @notice A veto one second after the operation's execution window is refused; the level stays 0.
    function test_RevertWhen_VetoAfterDeadline() external {
        (, bytes32 id) = _queueWithdrawal(0, 1 ether);
        _skip(WITHDRAWAL_DELAY + EXECUTION_WINDOW + 1);
        vm.prank(_key(1).account);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.NotVetoable.selector, id, 0));
        module.veto(id, 0, "");
        (uint256 level,,,,,) = module.guardianStatus();
        _assertEq(level, 0, "level unchanged");
    }

    // =====================================================================================
    // Freeze
    // =====================================================================================

    /// @notice K guardian signatures freeze withdrawals for maxFreeze; the cooldown runs from its end.
    function test_GuardianQuorumFreezesWithdrawals() external {
        (Withdrawal memory w,) = _queueWithdrawal(0, 1 ether);
        _skip(WITHDRAWAL_DELAY);
        bytes memory signatures = _sign(_keys(1, 3), _freezeDigest(0));
        uint256 until = now_ + MAX_FREEZE;
        vm.expectEmit();
        emit Frozen(until, until + FREEZE_COOLDOWN, 2);
        vm.expectEmit();
        emit FrozenUntilChanged(0, until);
        module.freeze(signatures);
        _assertEq(_frozenUntil(), until, "frozenUntil");
        (,, uint256 nextFreezeAt, uint32 freezeCount,,) = module.guardianStatus();
        _assertEq(nextFreezeAt, until + FREEZE_COOLDOWN, "nextFreezeAt");
        _assertEq(freezeCount, 1, "freezeCount");
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.WithdrawalsFrozen.selector, until));
        vault.executeWithdrawal(w, 0);
    }

    /// @notice A guardian submitting one other guardian's signature reaches K = 2.
    function test_GuardianSubmittingOtherSignatureFreezes() external {
        bytes memory signature = _sign(_keys(3), _freezeDigest(0));
        vm.expectEmit();
        emit Frozen(now_ + MAX_FREEZE, now_ + MAX_FREEZE + FREEZE_COOLDOWN, 2);
        vm.prank(_key(5).account);
        module.freeze(signature);
        _assertEq(_frozenUntil(), now_ + MAX_FREEZE, "frozenUntil");
    }

    /// @notice One guardian alone cannot freeze.
    function test_RevertWhen_FreezeBelowThreshold() external {
        bytes memory signature = _sign(_keys(1), _freezeDigest(0));
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.ThresholdNotMet.selector, 2, 1));
        module.freeze(signature);
        _assertEq(_frozenUntil(), 0, "not frozen");
    }

    /// @notice A guardian cannot count twice by both signing and submitting.
    function test_RevertWhen_FreezeCallerAlsoSigns() external {
        bytes memory signature = _sign(_keys(1), _freezeDigest(0));
        vm.prank(_key(1).account);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.ThresholdNotMet.selector, 2, 1));
        module.freeze(signature);
    }

    /// @notice Freeze signatures must be strictly ascending by signer.
    function test_RevertWhen_FreezeSignaturesNotAscending() external {
        bytes32 digest = _freezeDigest(0);
        bytes memory signatures = bytes.concat(_signOne(_key(3), digest), _signOne(_key(1), digest));
        (address first, address second) = (_key(3).account, _key(1).account);
        vm.expectRevert(
            abi.encodeWithSelector(IReserveVaultErrors.SignaturesNotAscending.selector, 1, second, first)
        );
        module.freeze(signatures);
    }

    /// @notice Freeze signatures must be whole 65-byte signatures.
    function test_RevertWhen_FreezeSignaturesLengthInvalid() external {
        bytes memory signatures = _sign(_keys(1, 3), _freezeDigest(0));
        bytes memory truncated = new bytes(signatures.length - 1);
        for (uint256 i = 0; i < truncated.length; ++i) {
            truncated[i] = signatures[i];
        }
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.SignaturesLengthInvalid.selector, 129));
        module.freeze(truncated);
    }

    /// @notice No new freeze before the cooldown after the last one ends; one at its end, with the next nonce.
    function test_RevertWhen_FreezeDuringCooldown() external {
        _freeze();
        uint256 nextFreezeAt = now_ + MAX_FREEZE + FREEZE_COOLDOWN;
        bytes memory signatures = _sign(_keys(1, 3), _freezeDigest(1));
        _warp(nextFreezeAt - 1);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.FreezeCoolingDown.selector, nextFreezeAt));
        module.freeze(signatures);
        _warp(nextFreezeAt);
        module.freeze(signatures);
        _assertEq(_frozenUntil(), nextFreezeAt + MAX_FREEZE, "second freeze");
        (,,, uint32 freezeCount,,) = module.guardianStatus();
        _assertEq(freezeCount, 2, "freezeCount");
    }

    /// @notice The first freeze's signatures (nonce 0) cannot start the second freeze.
    function test_RevertWhen_FreezeSignaturesReplayed() external {
        bytes32 first = _freezeDigest(0);
        bytes memory signatures = _sign(_keys(1, 3), first);
        module.freeze(signatures);
        _skip(MAX_FREEZE + FREEZE_COOLDOWN);
        address recovered = _recoverFirst(_freezeDigest(1), signatures);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.SignatureNotFromSigner.selector, 0, recovered));
        module.freeze(signatures);
    }

    // =====================================================================================
    // Unfreeze
    // =====================================================================================

    /// @notice M signer signatures over Unfreeze(nonce, epoch) lift the freeze now; the cooldown restarts.
    function test_SignerQuorumLiftsFreeze() external {
        _freeze();
        uint256 until = _frozenUntil();
        _skip(1 hours);
        bytes memory signatures = _sign(_keys(0, 2), _unfreezeDigest(0, 1));
        vm.expectEmit();
        emit Unfrozen(now_);
        vm.expectEmit();
        emit FrozenUntilChanged(until, now_);
        module.unfreeze(signatures);
        _assertEq(_frozenUntil(), now_, "frozenUntil");
        (,, uint256 nextFreezeAt,,,) = module.guardianStatus();
        _assertEq(nextFreezeAt, now_ + FREEZE_COOLDOWN, "cooldown restarts");
    }

    /// @notice A withdrawal executes right after the signers lift the freeze.
    function test_WithdrawalExecutesAfterUnfreeze() external {
        (Withdrawal memory w, bytes32 id) = _queueWithdrawal(0, 1 ether);
        _freeze();
        _skip(WITHDRAWAL_DELAY);
        bytes memory signature = _sign(_keys(0), _unfreezeDigest(0, 1));
        vm.prank(_key(4).account);
        module.unfreeze(signature);
        vault.executeWithdrawal(w, 0);
        _assertEq(uint256(vault.operationState(id, 0)), uint256(OperationState.Executed), "executed");
        _assertEq(RECIPIENT.balance, 1 ether, "paid");
    }

    /// @notice Nobody can unfreeze when withdrawals were never frozen.
    function test_RevertWhen_UnfreezeNeverFrozen() external {
        vm.expectRevert(IReserveVaultErrors.NotFrozen.selector);
        module.unfreeze("");
    }

    /// @notice Nobody can unfreeze once the freeze expired, at frozenUntil itself.
    function test_RevertWhen_UnfreezeAtFreezeEnd() external {
        _freeze();
        bytes memory signatures = _sign(_keys(0, 2), _unfreezeDigest(0, 1));
        _skip(MAX_FREEZE);
        vm.expectRevert(IReserveVaultErrors.NotFrozen.selector);
        module.unfreeze(signatures);
    }

    /// @notice One signer alone cannot lift the freeze.
    function test_RevertWhen_UnfreezeBelowThreshold() external {
        _freeze();
        bytes memory signature = _sign(_keys(0), _unfreezeDigest(0, 1));
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.ThresholdNotMet.selector, 2, 1));
        module.unfreeze(signature);
        _assertEq(_frozenUntil(), now_ + MAX_FREEZE, "still frozen");
    }

    /// @notice A guardian calling unfreeze does not count: only signers lift a freeze.
    function test_RevertWhen_GuardianCallsUnfreeze() external {
        _freeze();
        bytes memory signature = _sign(_keys(0), _unfreezeDigest(0, 1));
        vm.prank(_key(1).account);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.ThresholdNotMet.selector, 2, 1));
        module.unfreeze(signature);
    }

    // =====================================================================================
    // Tightening at once
    // =====================================================================================

    /// @notice K guardians lower an outflow limit at once, with the module's own tightening nonce.
    function test_GuardianQuorumTightensOutflowLimit() external {
        ConfigChange memory c = _configChange(ConfigAction.SetOutflowLimit, address(0), address(0), 10 ether);
        bytes32 id = module.tighteningId(c);
        bytes memory signatures = _sign(_keys(3, 5), id);
        vm.expectEmit();
        emit Tightened(id, ConfigAction.SetOutflowLimit, true);
        module.tighten(c, signatures);
        (uint256 limit,,) = vault.outflow(address(0));
        _assertEq(limit, 10 ether, "limit");
        _assertEq(module.tighteningNonce(), 1, "tightening nonce");
        (,,,,,, uint32 configNonce) = vault.configuration();
        _assertEq(configNonce, 0, "signers' nonce untouched");
    }

    /// @notice A tightening must carry the module's next tightening nonce.
    function test_RevertWhen_TighteningNonceNotNext() external {
        ConfigChange memory c = _configChange(ConfigAction.SetOutflowLimit, address(0), address(0), 10 ether);
        c.nonce = 1;
        bytes memory signatures = _sign(_keys(3, 5), module.tighteningId(c));
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.NonceMismatch.selector, 1, 0));
        module.tighten(c, signatures);
    }

    /// @notice One guardian alone cannot tighten.
    function test_RevertWhen_TightenBelowThreshold() external {
        ConfigChange memory c = _configChange(ConfigAction.SetOutflowLimit, address(0), address(0), 10 ether);
        bytes memory signature = _sign(_keys(3), module.tighteningId(c));
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.ThresholdNotMet.selector, 2, 1));
        module.tighten(c, signature);
        _assertEq(module.tighteningNonce(), 0, "nonce unused");
    }

    /// @notice Guardians cannot loosen through tighten: the vault refuses a change that is no tightening.
    function test_RevertWhen_TightenLoosens() external {
        ConfigChange memory c = _configChange(ConfigAction.SetOutflowLimit, address(0), address(0), 10 ether);
        module.tighten(c, _sign(_keys(1, 3), module.tighteningId(c)));
        ConfigChange memory raise = _configChange(ConfigAction.SetOutflowLimit, address(0), address(0), 20 ether);
        raise.nonce = 1;
        bytes memory signatures = _sign(_keys(1, 3), module.tighteningId(raise));
        vm.expectRevert(
            abi.encodeWithSelector(IReserveVaultErrors.NotATightening.selector, ConfigAction.SetOutflowLimit)
        );
        module.tighten(raise, signatures);
        (uint256 limit,,) = vault.outflow(address(0));
        _assertEq(limit, 10 ether, "limit unchanged");
    }

    // =====================================================================================
    // Helpers
    // =====================================================================================

    /// @dev The address the first 65-byte signature of `signatures` recovers to over `digest`.
    function _recoverFirst(bytes32 digest, bytes memory signatures) private pure returns (address) {
        bytes32 r;
        bytes32 s;
        uint8 v;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            r := mload(add(signatures, 32))
            s := mload(add(signatures, 64))
            v := byte(0, mload(add(signatures, 96)))
        }
        return ecrecover(digest, v, r, s);
    }
}
